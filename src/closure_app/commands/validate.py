"""`closure-app validate`, `schema` and `init`: check the sources, describe the form, start a project."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

import typer

from closure_app.errors import Finding, InvalidInput, UsageError, UserError
from closure_app.sources import DEFAULT_FORM, DEFAULT_MANUSCRIPT, chosen

if TYPE_CHECKING:  # the readers, models and fonts load when a command needs them
    from closure_app.blocks import Document
    from closure_app.fonts import FontSet


# init: what it writes (relative to DIR) from which packaged template.
INIT_FILES = {DEFAULT_FORM: "application.yaml", DEFAULT_MANUSCRIPT: "manuscript.md",
              DEFAULT_MANUSCRIPT.parent / "images" / "示例图.svg": "images/示例图.svg"}


def _print_findings(findings: list[Finding]) -> None:
    for finding in findings:
        if finding.severity == "error":
            typer.echo(f"  错误 {finding}", err=True)
        else:
            typer.echo(f"  警告 {finding}")


class GlyphCheck:
    """The build's glyph check on a source's document: the profile's fonts, loaded once, on first need."""

    def __init__(self):
        from closure_app.profile import load_profile

        self.profile = load_profile()
        self._fonts: Optional[FontSet] = None

    def fonts(self) -> FontSet:
        if self._fonts is None:
            from closure_app.fonts import load_fontset

            self._fonts = load_fontset(self.profile)
        return self._fonts

    def findings(self, path: Path, kind: str, document: Document) -> list[Finding]:
        """No font has the character: an error; a fallback font draws it: a warning."""
        return glyph_findings(self.fonts().coverage_report(document), path, kind)


def glyph_findings(coverage, path: Path, kind: str) -> list[Finding]:
    """A coverage report as findings on its source, the same in validate and build: file, line,
    column and (in the form) the field where each character first stands."""
    from closure_app.word_file import is_word_file
    from closure_app.sources.files import read_text

    source = None if is_word_file(path) else read_text(path, kind)   # a Word file has no lines to point at
    locate = None
    if kind == "表单" and source is not None:
        from closure_app.sources.form import text_locator

        locate = text_locator(source)
    return coverage.findings(str(path), source, locate)


def form_fit_findings(form, document: Document, profile, fonts, path: Path) -> list[Finding]:
    """The change table measured as the PDF sets it: each box within its limit can still, all
    together, push the table onto a fifth page. The same check in validate and build."""
    from closure_app.errors import Place
    from closure_app.layout.application import CHANGE_TABLE_PAGE, change_table_must_fit, change_table_overflow
    from closure_app.render.pdf.measure import page_overflow_pt

    if not change_table_must_fit(form):
        return []
    found = change_table_overflow(form, profile, page_overflow_pt(document, CHANGE_TABLE_PAGE, profile, fonts))
    if found is None:
        return []
    from closure_app.word_file import is_word_file

    key = found.path[0]
    if is_word_file(path):
        place = Place(f"{path}（{key}）")
    else:
        from closure_app.sources.files import read_text

        lines = read_text(path, "表单").splitlines()
        line = next((i for i, text in enumerate(lines, 1) if text.lstrip().startswith(key)), None)
        place = Place(str(path), line)
    return [Finding(place, found.message, "error", key)]


def form_summary(path: Path, glyphs: GlyphCheck) -> tuple[str, list[Finding]]:
    from closure_app.layout.application import application_document
    from closure_app.sources.form_source import load_form_source

    loaded = load_form_source(path)
    form = loaded.form
    document = application_document(form, glyphs.profile)
    findings = loaded.findings + glyphs.findings(path, "表单", document)
    if not any(f.severity == "error" for f in findings):    # measured only once it can be set
        findings += form_fit_findings(form, document, glyphs.profile, glyphs.fonts(), path)
    return (f"立项编号 {form.project_id}，{form.category}《{form.project_name}》，"
            f"负责人 {form.leader}（{form.unit}），填表日期 {form.filled_on}"), findings


def manuscript_summary(path: Path, glyphs: GlyphCheck) -> tuple[str, list[Finding]]:
    from closure_app.layout.report import report_document
    from closure_app.sources.manuscript import summarize
    from closure_app.sources.report import load_report

    loaded = load_report(path)
    document = report_document(loaded.manuscript, glyphs.profile, str(path))
    return str(summarize(loaded.manuscript)), loaded.findings + glyphs.findings(path, "书稿", document)


def _invalid(kind: str, path: Path, findings: list[Finding], exit_code: int = 1) -> UserError:
    errors = [f for f in findings if f.severity == "error"]
    typer.echo(f"{kind} {path}：无效", err=True)
    _print_findings(findings)
    return UserError(f"{kind} {path} 有 {len(errors)} 处错误", exit_code)


def check_source(kind: str, path: Path, read: Callable[[Path], tuple[str, list[Finding]]]) -> Optional[UserError]:
    """Validate one source and print its summary and findings; the problem that fails it, if any."""
    if path.is_dir():
        return UsageError(f"{path} 是文件夹，不是{kind}文件")
    if not path.is_file():
        return UsageError(f"找不到{kind}文件：{path}（可用 closure-app init 生成示例）")
    try:
        summary, findings = read(path)
    except InvalidInput as exc:
        return _invalid(kind, path, exc.findings, exc.exit_code)
    except UserError as exc:
        typer.echo(f"{kind} {path}：无效", err=True)
        typer.echo(f"  错误 {exc.message}", err=True)
        return UserError(f"{kind} {path} 无法读取", exc.exit_code)
    if any(f.severity == "error" for f in findings):
        return _invalid(kind, path, findings)
    warned = f"，{len(findings)} 条警告" if findings else ""
    typer.echo(f"{kind} {path}：有效{warned}。{summary}")
    _print_findings(findings)
    return None


def validate(
    form: Optional[Path] = typer.Option(None, "--form", "-f", help="表单 YAML / form file (默认 forms/application.yaml)"),
    manuscript: Optional[Path] = typer.Option(
        None, "--manuscript", "-m", help="书稿 Markdown / manuscript file (默认 manuscript/manuscript.md)"),
):
    """校验表单与书稿：列出每处错误与警告（文件:行:列）。Validate the form and the manuscript.

    不带参数时校验两者的默认文件；只给出一个时只校验那一个。
    退出码：0 有效（可有警告），1 内容无效，2 找不到文件。
    """
    form, manuscript = chosen(form, manuscript)
    glyphs = GlyphCheck()
    problems = []
    if form is not None:
        problems.append(check_source("表单", form, lambda path: form_summary(path, glyphs)))
    if manuscript is not None:
        problems.append(check_source("书稿", manuscript, lambda path: manuscript_summary(path, glyphs)))
    problems = [p for p in problems if p is not None]
    if problems:
        raise UserError("；".join(p.message for p in problems), max(p.exit_code for p in problems))


def schema():
    """表单的 JSON Schema（栏目名为中文），供编辑器补全。JSON Schema of the form, for editors."""
    from closure_app.models.form import ApplicationForm

    document = ApplicationForm.model_json_schema(by_alias=True)
    document["title"] = "巴中市哲学社会科学规划项目结项申请书"
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


def template_text(name: str) -> str:
    return (resources.files("closure_app") / "templates" / name).read_text(encoding="utf-8")


def init(
    directory: Path = typer.Argument(..., help="项目文件夹 / project folder"),
    force: bool = typer.Option(False, "--force", help="覆盖已有文件 / overwrite existing files"),
):
    """生成示例表单与书稿，供填写。Write a sample form and manuscript to start from."""
    targets = {directory / relative: template for relative, template in INIT_FILES.items()}
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise UsageError(f"文件已存在，未覆盖：{'、'.join(existing)}（确需覆盖请加 --force）")
    for path, template in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template_text(template), encoding="utf-8")
        typer.echo(f"已生成 {path}")
    typer.echo(f"填写后运行：cd {directory} && closure-app validate")


def register(app):
    app.command("validate")(validate)
    app.command("schema")(schema)
    app.command("init")(init)
