"""`closure-app build`: sources -> DOCX, PDF, A3 booklet and a compliance report in out/.

Everything is written into a scratch folder beside the output folder first, checked, and only
then moved into place, so a failed build leaves the previous outputs intact.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, Optional

import typer

from closure_app.errors import InvalidInput, UsageError, UserError
from closure_app.outputs import publish
from closure_app.sources import chosen



class Format(str, Enum):
    docx = "docx"
    pdf = "pdf"
    all = "all"


class Booklet(str, Enum):
    application = "application"
    manuscript = "manuscript"
    all = "all"
    none = "none"


@dataclass
class BuildPlan:
    form: Optional[Path]
    manuscript: Optional[Path]
    out: Path
    format: Format = Format.all
    booklet: Booklet = Booklet.application
    strict: bool = False
    check: bool = True
    lof: bool = False                  # lists of figures and tables after the report's TOC
    accept_changes: bool = False       # a Word report's tracked changes read as accepted


@dataclass
class BuildResult:
    files: list[Path] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)      # mandated family -> "file (kind) 用于 roles"
    check_ok: bool = True
    notes: list[str] = field(default_factory=list)
    warnings: list = field(default_factory=list)             # what the sources' readers warned of (Findings)
    unchanged: list[str] = field(default_factory=list)      # documents not built again (stamps)


def resolve_sources(form: Optional[Path], manuscript: Optional[Path]) -> tuple[Optional[Path], Optional[Path]]:
    """No arguments: the sample pair. Only one given: that document alone."""
    form, manuscript = chosen(form, manuscript)
    for p in (form, manuscript):
        if p is not None and p.is_dir():
            raise UsageError(f"{p} 是文件夹，不是源文件")
        if p is not None and not p.is_file():
            raise UsageError(f"找不到文件：{p}")
    return form, manuscript


class Progress:
    """One line per step on stderr, with the time it took."""

    def __init__(self, total: int, quiet: bool = False):
        self.total, self.n, self.quiet = total, 0, quiet
        self.t0 = time.perf_counter()

    def step(self, what: str) -> None:
        self.n += 1
        if not self.quiet:
            typer.echo(f"[{self.n}/{self.total}] {what}", err=True)


def step_count(plan: BuildPlan) -> int:
    """How many steps ``run_build`` reports for ``plan``."""
    return 2 + (1 if plan.form else 0) + (1 if plan.manuscript else 0) + (1 if plan.check else 0)


OUTPUT_NAMES = ("application.pdf", "application.docx", "application-a3.pdf", "manuscript.pdf",
                "manuscript.docx", "manuscript-a3.pdf", "check-report.txt", "check-report.json")


def refuse_overwriting_sources(plan: BuildPlan) -> None:
    """A source in the output folder under an output's name (the report edited in
    out/manuscript.docx, built again with the default --out) would be replaced by the build."""
    sources = {p.resolve(): p for p in (plan.form, plan.manuscript) if p is not None}
    for name in OUTPUT_NAMES:
        target = (plan.out / name).resolve()
        if target in sources:
            raise UsageError(f"输出文件 {plan.out / name} 就是源文件 {sources[target]}，生成会覆盖它："
                             "请用 --out 指定另一个输出目录，或把源文件移出该目录")


def run_build(plan: BuildPlan, progress: Optional[Progress] = None) -> BuildResult:
    from closure_app.launch import lean_pypdf_for
    from closure_app.profile import load_profile

    lean_pypdf_for()      # the build reads back only the PDFs it wrote: never encrypted

    refuse_overwriting_sources(plan)
    profile = load_profile()
    result = BuildResult()
    want_docx = plan.format in (Format.docx, Format.all)
    want_pdf = plan.format in (Format.pdf, Format.all)
    progress = progress or Progress(step_count(plan))

    stamps = _stamps(plan)
    result.unchanged = sorted(stamps.fresh, key=stamps.order.index)
    if stamps.all_fresh():
        return result       # nothing changed since the last build: nothing is written
    progress.step("读取并校验源文件")
    from closure_app.layout import documents, segmenter

    segmenter.prefetch()   # the word dictionary loads beside the sources and fonts (display text)

    form = None if "application" in stamps.fresh else plan.form
    manuscript = None if "manuscript" in stamps.fresh else plan.manuscript
    sources = documents(profile, form, manuscript, plan.lof, accept_changes=plan.accept_changes,
                        warnings=result.warnings)
    docs = [(_STEMS[doc.kind], doc) for _, doc in sources]

    progress.step("解析字体")
    from closure_app.fonts import load_fontset

    fonts = load_fontset(profile, strict=plan.strict)
    used_roles: set[str] = set()
    for (source, _), (stem, doc) in zip(sources, docs):
        coverage = fonts.coverage_report(doc)
        if coverage.errors:
            from closure_app.commands.validate import glyph_findings

            kind = "表单" if doc.kind == "form" else "书稿"
            findings = [f for f in glyph_findings(coverage, source, kind) if f.severity == "error"]
            raise InvalidInput(findings)
        if doc.kind == "form":
            from closure_app.commands.validate import form_fit_findings

            too_full = form_fit_findings(doc.model, doc, profile, fonts, source)
            if too_full:
                raise InvalidInput(too_full)
        result.notes += [f"{stem}：{m}" for m in coverage.missing]
        used_roles |= set(coverage.fonts)
    numbered = any(profile.page(doc.page).page_numbers for _, doc in docs)
    for family, roles in _roles_by_family(profile, used_roles, numbered).items():
        r = fonts.resolve(family)
        result.fonts[family] = f"{Path(r.path).name}（{_KIND_CN.get(r.kind, r.kind)}）用于 {'、'.join(roles)}"

    # Where titles, headings and cover values break, decided once with the PDF's fonts for both
    # back ends.
    from closure_app.layout.display_breaks import with_display_lines

    docs = [(stem, with_display_lines(doc, profile, fonts)) for stem, doc in docs]

    out_is_new = not plan.out.exists()

    plan.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=plan.out.parent if plan.out.parent.exists() else None))
    from closure_app.gc_tuning import tune_for_build

    restore_gc = tune_for_build()
    worker = None
    try:
        written: list[Path] = []
        placed: dict[Path, tuple[bytes, object]] = {}    # PDF -> (its bytes, what the renderer placed)
        booklets: dict[Path, tuple[object, bytes]] = {}  # booklet -> (its source's record, source bytes)
        later: dict[str, tuple] = {}                      # stem -> (doc, pdf) of a DOCX the worker makes
        if want_docx:
            from closure_app.commands import docx_worker

            if docx_worker.wanted():
                worker = docx_worker.DocxWorker(docs, profile, fonts, scratch, plan.check, plan.strict)
        for (source, _), (stem, doc) in zip(sources, docs):
            progress.step(f"排版 {stem}（PDF{'、DOCX' if want_docx else ''}）")
            # The PDF layout is always made: it gives the DOCX its TOC page numbers.
            from closure_app.render.pdf import render_pdf

            try:
                laid_out = None if worker is None else (
                    lambda toc, captions, stem=stem: worker.send(stem, toc, captions))
                pdf = render_pdf(doc, profile, fonts, laid_out)
            except InvalidInput:
                raise
            except UserError as exc:      # what typesetting refused: say which source it came from
                raise UserError(f"{source}：{exc.message}", exc.exit_code) from None
            result.notes += [f"{stem}：{w}" for w in pdf.warnings]
            if want_pdf:
                written.append(_write(scratch / f"{stem}.pdf", pdf.data))
                if pdf.placement is not None:
                    placed[written[-1]] = (pdf.data, pdf.placement)
            if want_docx and worker is not None:       # sent to the worker when laid out
                later[stem] = (doc, pdf)
                written.append(scratch / f"{stem}.docx")
            elif want_docx:
                written.append(_write(scratch / f"{stem}.docx", _docx(doc, profile, fonts, pdf)))
            if stem in _booklet_stems(plan.booklet):
                from closure_app.impose import ImposeOptions, impose_pdf

                out_a3 = scratch / f"{stem}-a3.pdf"
                impose_pdf(pdf.data, out_a3, ImposeOptions(duplex=profile.booklet.duplex))
                written.append(out_a3)
                if pdf.placement is not None:
                    booklets[out_a3] = (pdf.placement, pdf.data)

        def from_worker(path: Path):
            """The report of a DOCX the worker made (None: check it here), once it is there; made
            here if the worker did not make it."""
            doc, pdf = later.pop(path.stem)
            made = worker.result(path.stem)
            if made is None:
                _write(path, _docx(doc, profile, fonts, pdf))
            return made[1] if made else None

        if plan.check:
            progress.step("检查输出是否符合格式要求")
            reports = _check(written, scratch, plan.out, profile, plan.strict, stamps, placed, booklets,
                             from_worker if later else None)
            result.check_ok = _passed(reports)
            written += [scratch / "check-report.txt", scratch / "check-report.json"]
        for stem in list(later):             # not checked: only waited for
            from_worker(scratch / f"{stem}.docx")
        if not result.check_ok:
            raise UserError(
                "生成的文件未通过格式检查，未写入输出目录（原有文件保持不变）；详见 "
                f"{_keep_report(scratch, plan.out)}"
            )
        for f in written:
            result.files.append(publish(f, plan.out / f.name))
        stale = plan.out / "check-report.failed.txt"      # the report of an earlier failed build
        if plan.check and stale.exists():
            stale.unlink()
        stamps.save(result.files, reports if plan.check else [])
    except BaseException:
        if out_is_new and not any(plan.out.iterdir()):
            plan.out.rmdir()  # a failed build leaves no trace, not even an empty output folder
        raise
    finally:
        if worker is not None:
            worker.close()
        shutil.rmtree(scratch, ignore_errors=True)
        restore_gc()
    return result


_STEMS = {"form": "application", "report": "manuscript"}   # output file names per document kind


def _roles_by_family(profile, roles: set[str], page_numbers: bool) -> dict[str, list[str]]:
    """The labels of the ``roles`` used, by the family that sets them (page numbers too)."""
    by_family: dict[str, list[str]] = {}
    for role, style in profile.roles.items():
        if role in roles:
            by_family.setdefault(style.family, []).append(style.label)
    if page_numbers:
        by_family.setdefault(profile.page_number.family, []).append("页码")
    return by_family


_KIND_CN = {"licensed": "正版字体", "system-equivalent": "系统近似字体", "substitute": "随附开源替代字体"}


def _booklet_stems(b: Booklet) -> set[str]:
    return {"application": {"application"}, "manuscript": {"manuscript"},
            "all": {"application", "manuscript"}, "none": set()}[b.value]


def _docx(doc, profile, fonts, pdf) -> bytes:
    """The DOCX of ``doc``, with the pages its PDF gave the TOC entries and captions."""
    from closure_app.render.docx import render_docx

    return render_docx(doc, profile, toc_pages=pdf.toc_pages, fonts=fonts, caption_pages=pdf.caption_pages)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _stamps(plan: BuildPlan):
    """This build's stamps against the last build's (closure_app.stamp)."""
    from closure_app.stamp import build_stamps

    return build_stamps(plan.out, plan.form, plan.manuscript, plan.format.value, plan.booklet.value,
                        plan.strict, plan.check, plan.lof, plan.accept_changes)


def _passed(reports) -> bool:
    from closure_app.check.report import overall_exit_code

    return overall_exit_code(reports) == 0


def _check(files: list[Path], scratch: Path, out: Path, profile, strict: bool, stamps,
           placed: Optional[dict] = None, booklets: Optional[dict] = None,
           from_worker: Optional[Callable[[Path], object]] = None) -> list:
    """Check every output; write the report in Chinese and as JSON, with the last reports of
    documents not built again. Returns the reports of this build's files. A PDF in ``placed``
    is judged from what its renderer placed, and only what the file alone can tell is read
    back from it (check.placed); a booklet in ``booklets`` from the sheets read back and the
    record of the PDF it was imposed from; any other file is read in full. A DOCX still being
    made by the worker (docx_worker) is waited for last, with ``from_worker``, which gives the
    report the worker made of it (a full check too), or None (then it is checked here)."""
    from closure_app.check import check_file
    from closure_app.check.report import render_text, to_json

    reports = {}
    waiting = [f for f in files if from_worker and f.suffix == ".docx"]
    for f in [f for f in files if f not in waiting] + waiting:
        report = from_worker(f) if f in waiting else None
        if report is None and placed and f in placed:
            from closure_app.check.placed import check_placed

            report = check_placed(f, *placed[f], profile, strict=strict)
        elif report is None and booklets and f in booklets:
            from closure_app.check.placed import check_placed_booklet

            report = check_placed_booklet(f, f.read_bytes(), *booklets[f], profile, strict=strict)
        elif report is None:
            report = check_file(f, profile, strict=strict)
        report.file = str(out / f.name)  # name the file where it will be, not the scratch copy
        reports[f] = report
    everything = stamps.merged_reports([reports[f] for f in files])
    (scratch / "check-report.txt").write_text(render_text(everything) + "\n", encoding="utf-8")
    (scratch / "check-report.json").write_text(to_json(everything) + "\n", encoding="utf-8")
    return everything


def _keep_report(scratch: Path, out: Path) -> Path:
    target = out / "check-report.failed.txt"
    shutil.copyfile(scratch / "check-report.txt", target)
    return target


def register(app: typer.Typer) -> None:
    @app.command("build")
    def build(
        form: Optional[Path] = typer.Option(None, "--form", help="结项申请书（YAML，或填好的 Word 表格） / the form"),
        manuscript: Optional[Path] = typer.Option(None, "--manuscript", help="最终成果（Markdown，或 Word/WPS 文件） / the report"),
        out: Path = typer.Option(Path("out"), "--out", help="输出目录 / output folder"),
        format: Format = typer.Option(Format.all, "--format", help="docx、pdf 或 all"),
        booklet: Booklet = typer.Option(
            Booklet.application, "--booklet", help="A3 骑马订拼版：application、manuscript、all 或 none"
        ),
        strict: bool = typer.Option(False, "--strict", help="任何字体替代都算失败 / any font substitution fails"),
        check: bool = typer.Option(True, "--check/--no-check", help="生成后检查格式 / check what was built"),
        lof: bool = typer.Option(False, "--lof/--no-lof",
                                 help="在目录后加插图目录与附表目录 / lists of figures and tables after the TOC"),
        accept_changes: bool = typer.Option(False, "--accept-changes",
                                            help="Word 书稿中的修订按“接受”读入 / read tracked changes as accepted"),
    ):
        """生成 DOCX、PDF、A3 拼版与检查报告。Build DOCX, PDF, A3 booklet and a compliance report.

        不带参数时生成示例（forms/ 与 manuscript/）到 out/；只给 --manuscript 时只生成最终成果。
        """
        f, m = resolve_sources(form, manuscript)
        if format == Format.docx and booklet != Booklet.none:
            booklet = Booklet.none  # a booklet is a PDF
        res = run_build(BuildPlan(f, m, out, format, booklet, strict, check, lof, accept_changes))
        if res.unchanged and not res.files:
            from closure_app.stamp import unchanged_message

            typer.echo(unchanged_message(out))
            return
        if res.unchanged:
            typer.echo(f"未改变，未重新生成：{'、'.join(res.unchanged)}")
        for w in res.warnings:
            typer.echo(f"警告 {w}")
        typer.echo("字体：")
        for family, line in res.fonts.items():
            typer.echo(f"  {family} → {line}")
        for n in res.notes:
            typer.echo(f"提示：{n}")
        typer.echo("已生成：")
        for p in res.files:
            typer.echo(f"  {p}")
