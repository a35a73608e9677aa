"""The web app behind ``closure-app serve``: Starlette routes, Jinja2 pages, htmx on the page.

Every address is ``/t/<token>/...``: the token is random per start and printed with the
address, so no other site or local user can drive the server; a request whose Host header is
not this machine's loopback name is refused (no DNS rebinding), and so is a cross-site POST.
Every file read or written is inside the project folder; downloads and previews are looked up
by name among the files the build wrote, never joined from what the browser sent.
"""
from __future__ import annotations

import secrets
import sys
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from closure_app.commands.build import BuildPlan
from closure_app.errors import Finding, InvalidInput
from closure_app.serve import schema
from closure_app.serve.formfile import (
    Conflict, FormFile, Unreadable, apply, checked_text, list_marker, page_values,
)
from closure_app.serve.jobs import BuildJob, Thumbnails, zip_of
from closure_app.serve.report import Refused, ReportView, default_report, read_report, store_upload
from closure_app.sources import DEFAULT_FORM, DEFAULT_MANUSCRIPT

MAX_UPLOAD = 20 * 1024 * 1024          # bytes in one upload request
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
STATIC = {                              # the page's own files; nothing else is served from disk
    "htmx.min.js": "application/javascript",
    "htmx.LICENSE": "text/plain; charset=utf-8",
    "page.js": "application/javascript",
    "page.css": "text/css",
}
OUT_DIR = "out"


@dataclass
class Project:
    """The project folder the server works on, and what the page has done with it."""
    root: Path
    form: FormFile
    report: Optional[ReportView] = None
    build: BuildJob = field(default_factory=BuildJob)
    thumbnails: Thumbnails = field(default_factory=Thumbnails)

    @property
    def out(self) -> Path:
        return self.root / OUT_DIR

    def inside(self, path: Path) -> bool:
        try:
            return path.resolve().is_relative_to(self.root)
        except OSError:
            return False

    def output(self, name: str) -> Optional[Path]:
        """An output the last build wrote, by its file name; None for anything else."""
        for path in self.build.status.files:
            if path.name == name and path.is_file() and self.inside(path):
                return path
        return None


def _template_text() -> str:
    return (resources.files("closure_app") / "templates" / "application.yaml").read_text(encoding="utf-8")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("closure_app.serve", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(err_id=err_id, list_marker=list_marker)
    env.tests.update(group_item=lambda x: isinstance(x, schema.Group), list_item=lambda x: isinstance(x, schema.ListOf))
    return env


def err_id(name: str) -> str:
    """The id of the message slot beside the input ``name`` (page.js builds the same)."""
    return "err-" + name.replace(".", "_")


# ---- safety ------------------------------------------------------------------------------------

class Guard:
    """ASGI middleware: Host must be this machine's loopback name; the path must carry the token;
    a POST from another origin is refused."""

    def __init__(self, app, token: str):
        self.app = app
        self.prefix = f"/t/{token}"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if _hostname(headers.get("host", "")) not in LOOPBACK_NAMES:
            return await _refuse(400, "拒绝访问：Host 头不是本机地址（127.0.0.1 或 localhost）。", scope, receive, send)
        path = scope["path"]
        given = path[len("/t/"):].split("/", 1)[0] if path.startswith("/t/") else ""
        if not secrets.compare_digest(given.encode(), self.prefix[len("/t/"):].encode()):
            return await _refuse(404, "找不到页面：地址中的令牌不对。请使用 closure-app serve 启动时打印的完整地址。",
                                 scope, receive, send)
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD") and origin and _hostname(urlsplit(origin).netloc) not in LOOPBACK_NAMES:
            return await _refuse(403, "拒绝访问：请求来自其他网站。", scope, receive, send)
        return await self.app(scope, receive, send)


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if ":" in host else host


async def _refuse(status: int, message: str, scope, receive, send):
    await PlainTextResponse(message, status_code=status)(scope, receive, send)


async def capped_body(request: Request, limit: int) -> Optional[bytes]:
    """The request body, or None as soon as it is over ``limit`` bytes (never read further)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _replayed(request: Request, body: bytes) -> Request:
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


# ---- validation -------------------------------------------------------------------------------

@dataclass
class Checked:
    by_field: dict[str, list[Finding]]   # input (or group, list) name -> its findings
    other: list[Finding]                 # findings about no single input on the page
    errors: int
    warnings: int
    names: list[str]                     # every slot the findings were placed against


def check_values(text: str, names: list[str]) -> Checked:
    """The form's YAML ``text`` validated as ``closure-app validate`` does, findings placed at
    the inputs ``names`` they are about."""
    from closure_app.sources.form import load_form_text

    try:
        findings = load_form_text(text, str(DEFAULT_FORM)).findings
    except InvalidInput as exc:
        findings = exc.findings
    names = list(names) + [n for n in schema.container_names() if n not in names]
    labels = {schema.label_of_name(n): n for n in names}
    by_field: dict[str, list[Finding]] = {}
    other = []
    for finding in findings:
        name = labels.get(finding.field or "")
        if name is None:
            other.append(finding)
        else:
            by_field.setdefault(name, []).append(finding)
    errors = sum(f.severity == "error" for f in findings)
    return Checked(by_field, other, errors, len(findings) - errors, names)


# ---- the app -------------------------------------------------------------------------------------

def create_app(root: Path, token: Optional[str] = None, max_upload: int = MAX_UPLOAD) -> Starlette:
    root = Path(root).resolve()
    token = token or secrets.token_urlsafe(18)
    project = Project(root, FormFile(root / DEFAULT_FORM, _template_text(), root))
    env = _environment()

    def render(name: str, status_code: int = 200, headers: Optional[dict] = None, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status_code, headers=headers)

    def outside_view(path: Path) -> ReportView:
        return ReportView(path, str(path.relative_to(root)),
                          message=f"{path.relative_to(root)} 指向项目文件夹之外：页面不读项目文件夹之外的文件。")

    def current_report() -> Optional[ReportView]:
        if project.report is None:
            path = default_report(root)
            if path.is_file():
                project.report = read_report(path, root) if project.inside(path) else outside_view(path)
        return project.report

    async def page(request: Request):
        try:
            snapshot = await run_in_threadpool(project.form.read)
            values, rows = page_values(snapshot.text)
        except Unreadable as exc:
            return render("unreadable.html", status_code=200, message=exc.message, file=str(DEFAULT_FORM))
        names = list(values) + [f"{name}.{i}.{column}" for name, items in rows.items()
                                for i, row in enumerate(items) for column in row]
        checked = check_values(snapshot.text, names)
        return render("page.html", sections=schema.form_sections(), values=values, rows=rows,
                      checked=checked, snapshot=snapshot, form_file=str(DEFAULT_FORM),
                      change_columns=schema.change_columns(), changed_switch=schema.changed_switch(),
                      report=current_report(), build=project.build.status, project=project)

    async def values_of(request: Request) -> tuple[dict[str, str], str]:
        data = await request.form()
        values = {k: v for k, v in data.items() if isinstance(v, str) and not k.startswith("__")}
        return values, str(data.get("__version", ""))

    async def validate(request: Request):
        values, _ = await values_of(request)
        try:
            text = checked_text(project.form.read().text, values)
        except Unreadable as exc:
            return PlainTextResponse(f"{DEFAULT_FORM}：{exc.message}", status_code=409)
        checked = check_values(text, [n for n in values if not n.endswith(".__rows")])
        return render("checked.html", checked=checked, names=checked.names)

    async def save(request: Request):
        values, version = await values_of(request)
        try:
            text = apply(project.form.read().text, values)
            saved = await run_in_threadpool(project.form.save, text, version)
        except Unreadable as exc:
            return render("saved.html", status_code=409, conflict=False, message=exc.message)
        except Conflict:
            return render("saved.html", status_code=409, conflict=True, form_file=str(DEFAULT_FORM))
        except OSError as exc:
            from closure_app.errors import file_error

            return render("saved.html", status_code=500, conflict=False, message=file_error(exc).message)
        checked = check_values(text, [n for n in values if not n.endswith(".__rows")])
        return render("saved.html", conflict=False, saved=saved, checked=checked, form_file=str(DEFAULT_FORM),
                      when=time.strftime("%H:%M:%S"), headers={"HX-Trigger": "saved"})

    async def report_panel(request: Request):
        return render("report.html", report=current_report())

    async def report_default(request: Request):
        path = default_report(root)
        if not path.is_file():
            project.report = ReportView(path, str(path.relative_to(root)),
                                        message=f"找不到 {path.relative_to(root)}（可用 closure-app init 生成示例）")
        elif not project.inside(path):
            project.report = outside_view(path)
        else:
            project.report = await run_in_threadpool(read_report, path, root)
        return render("report.html", report=project.report)

    async def report_upload(request: Request):
        body = await capped_body(request, max_upload)
        if body is None:
            return render("report.html", status_code=413, report=current_report(),
                          refused=f"文件太大：上传不能超过 {_size(max_upload)}。")
        form = await _replayed(request, body).form()
        upload = form.get("report")
        if upload is None or isinstance(upload, str):
            return render("report.html", status_code=400, report=current_report(), refused="没有收到文件：请选择一个 DOCX 或 Markdown 文件。")
        data = await upload.read()
        name = Path(upload.filename or "").name or "上传的文件"
        folder = root / DEFAULT_MANUSCRIPT.parent
        if folder.exists() and not project.inside(folder):
            return render("report.html", status_code=422, report=current_report(),
                          refused=f"{DEFAULT_MANUSCRIPT.parent} 指向项目文件夹之外：上传的报告无处存放。")
        try:
            stored = await run_in_threadpool(store_upload, data, root)
        except Refused as exc:
            return render("report.html", status_code=422, report=current_report(), refused=f"{name}：{exc.message}")
        project.report = await run_in_threadpool(read_report, stored, root,
                                                 f"{name}（已存为 {stored.relative_to(root)}）")
        return render("report.html", report=project.report)

    async def build_start(request: Request):
        report = current_report()
        form = root / DEFAULT_FORM
        if not form.is_file():
            return render("build.html", build=project.build.status, refused=f"还没有 {DEFAULT_FORM}：请先保存表单。")
        outside = [p for p in (form, project.out, report.path if report else None)
                   if p is not None and p.exists() and not project.inside(p)]
        if outside:
            return render("build.html", build=project.build.status,
                          refused=f"{outside[0].relative_to(root)} 指向项目文件夹之外：页面不读也不写项目文件夹之外的文件。")
        plan = BuildPlan(form, report.path if report is not None and report.path.is_file() else None, project.out)
        project.build.start(plan)
        return render("build.html", build=project.build.status, project=project)

    async def build_status(request: Request):
        return render("build.html", build=project.build.status, project=project)

    async def preview(request: Request):
        path = project.output(request.path_params["name"])
        if path is None or path.suffix != ".pdf":
            return PlainTextResponse("没有这个预览。", status_code=404)
        png = await run_in_threadpool(project.thumbnails.png, path, request.path_params["page"] - 1)
        if png is None:
            return PlainTextResponse("没有这一页。", status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    async def download(request: Request):
        name = request.path_params["name"]
        path = project.output(name)
        if path is None:
            return PlainTextResponse(f"没有这个输出文件：{name}", status_code=404)
        return Response(path.read_bytes(), media_type=_media_type(path),
                        headers={"Content-Disposition": _attachment(path.name)})

    async def download_zip(request: Request):
        files = [p for p in (project.output(f.name) for f in project.build.status.files) if p is not None]
        if not files:
            return PlainTextResponse("还没有生成任何文件。", status_code=404)
        data = await run_in_threadpool(zip_of, files)
        return Response(data, media_type="application/zip", headers={"Content-Disposition": _attachment("closure-app-out.zip")})

    async def static(request: Request):
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("没有这个文件。", status_code=404)
        data = (resources.files("closure_app.serve") / "static" / name).read_bytes()
        return Response(data, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})

    async def to_page(request: Request):
        return RedirectResponse(f"/t/{token}/", status_code=307)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/validate", validate, methods=["POST"]),
        Route("/save", save, methods=["POST"]),
        Route("/report", report_panel, methods=["GET"]),
        Route("/report/default", report_default, methods=["POST"]),
        Route("/report/upload", report_upload, methods=["POST"]),
        Route("/build", build_start, methods=["POST"]),
        Route("/build/status", build_status, methods=["GET"]),
        Route("/preview/{name}/{page:int}.png", preview, methods=["GET"]),
        Route("/out/{name}", download, methods=["GET"]),
        Route("/out.zip", download_zip, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
    ]

    @asynccontextmanager
    async def lifespan(app):
        yield
        # Ctrl-C while a build runs: let it finish writing, so out/ is whole and no scratch folder stays.
        if project.build.running:
            print("正在等待生成完成……", file=sys.stderr, flush=True)
        await run_in_threadpool(project.build.wait, 120)

    app = Starlette(routes=[Route(f"/t/{token}", to_page), Mount(f"/t/{token}", routes=routes)], lifespan=lifespan)
    guarded = Guard(app, token)
    guarded.project, guarded.token = project, token
    return guarded


def _size(n: int) -> str:
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n / 2**10:g} KiB"


def _media_type(path: Path) -> str:
    return {
        ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".json": "application/json",
        ".txt": "text/plain; charset=utf-8",
    }.get(path.suffix, "application/octet-stream")


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"{quote(name)}\"; filename*=UTF-8''{quote(name)}"
