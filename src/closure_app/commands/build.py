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
from typing import Optional

import typer

from closure_app.commands import build_worker
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
    progress = progress or Progress(step_count(plan))

    stamps = _stamps(plan)
    result.unchanged = sorted(stamps.fresh, key=stamps.order.index)
    if stamps.all_fresh():
        return result       # nothing changed since the last build: nothing is written
    form = None if "application" in stamps.fresh else plan.form
    manuscript = None if "manuscript" in stamps.fresh else plan.manuscript
    if form is not None and manuscript is not None and build_worker.wanted():
        built = _build(plan, profile, stamps, form, manuscript, progress, result, beside=True)
        if built is not None:
            return built
        # The worker did not make the form: everything again in this process, which raises the
        # error the form has (or, if the worker only broke, builds). Its steps were shown.
        progress = Progress(progress.total, quiet=True)
        return _build(plan, profile, stamps, form, manuscript, progress,
                      BuildResult(unchanged=result.unchanged), beside=False, helped=False)
    return _build(plan, profile, stamps, form, manuscript, progress, result, beside=False)


def _build(plan: BuildPlan, profile, stamps, form: Optional[Path], manuscript: Optional[Path],
           progress: Progress, result: BuildResult, beside: bool, helped: bool = True) -> Optional[BuildResult]:
    """The build of ``form`` and ``manuscript`` (either may be None). ``beside``: the form is
    read and made whole by the worker (build_worker), forked before any source is read, while
    this process reads and sets the report; None when the worker did not make the form.
    Otherwise everything is read here, and a worker, if wanted and ``helped``, makes only the
    DOCX files."""
    want_docx = plan.format in (Format.docx, Format.all)
    want_pdf = plan.format in (Format.pdf, Format.all)
    out_is_new = not plan.out.exists()
    plan.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=plan.out.parent))
    worker = None
    restore_gc = lambda: None  # noqa: E731
    try:
        setter = _Setter(plan, profile, scratch, want_pdf,
                         {stem: src for stem, src in (("application", form), ("manuscript", manuscript)) if src})
        if beside:
            import importlib

            for module in _SHARED_MODULES:      # loaded once, before the fork, for both processes
                importlib.import_module(module)
        from closure_app.layout import segmenter

        segmenter.prefetch()   # the word dictionary loads beside the sources and fonts (display text)
        if beside:
            worker = build_worker.BuildWorker(["application", "manuscript"], scratch, setter.made_form,
                                              setter.made_docx)
            worker.form("application")
        progress.step("读取并校验源文件")
        try:
            sources = setter.read(None if beside else form, manuscript, result, progress)
        except UserError:
            if beside and worker.prepared("application") is None:
                return None           # the form's error, if any, comes first: found in one process
            raise
        if beside:
            ready = worker.prepared("application")
            if ready is None:
                return None
            result.warnings[:0] = ready.warnings       # the form's, as it is read first
            result.notes[:0] = ready.notes
            setter.used_roles |= ready.used_roles
            setter.numbered |= ready.numbered
        result.fonts = setter.font_table()
        docs = [(_STEMS[doc.kind], doc) for _, doc in sources]

        from closure_app.gc_tuning import tune_for_build

        restore_gc = tune_for_build()
        written: list[Path] = []
        pdf_notes: dict[str, list[str]] = {}             # stem -> what setting its PDF warned of
        later: dict[str, tuple] = {}                      # stem -> (doc, pdf): its DOCX made by the worker
        if not beside and helped and want_docx and build_worker.wanted():
            worker = build_worker.BuildWorker([stem for stem, _ in docs], scratch, setter.made_form,
                                              setter.made_docx)
        if beside:
            progress.step(f"排版 application（PDF{'、DOCX' if want_docx else ''}）")
            written += setter.files_of("application", want_docx)
        for (source, _), (stem, doc) in zip(sources, docs):
            progress.step(f"排版 {stem}（PDF{'、DOCX' if want_docx else ''}）")
            written += setter.files_of(stem, want_docx)
            laid_out = None if worker is None or not want_docx else (
                lambda toc, captions, stem=stem, doc=doc: worker.docx(stem, doc, toc, captions))
            try:
                pdf = setter.pdf(stem, doc, source, laid_out)
            except UserError:
                if beside and worker.result("application") is None:
                    return None       # the form's error comes first, as in one process
                raise
            pdf_notes[stem] = pdf.warnings
            if want_docx and worker is not None:
                later[stem] = (doc, pdf)
            elif want_docx:
                setter.docx(stem, doc, pdf)
        checked = {}
        if beside:
            made = worker.result("application")
            if made is None:
                return None
            pdf_notes["application"] = made.notes
            checked = {scratch / name: report for name, report in made.reports.items()}
        order = (["application"] if beside else []) + [stem for stem, _ in docs]
        result.notes += [f"{stem}：{w}" for stem in order for w in pdf_notes.get(stem, [])]

        from_worker = _LaterDocx(later, worker, setter)
        if plan.check:
            progress.step("检查输出是否符合格式要求")
            reports = _check(written, scratch, plan.out, profile, plan.strict, stamps, setter.placed,
                             setter.booklets, checked, from_worker)
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
    finally:
        if worker is not None:
            worker.close()
        shutil.rmtree(scratch, ignore_errors=True)
        if out_is_new and plan.out.exists() and not any(plan.out.iterdir()):
            plan.out.rmdir()  # a failed build leaves no trace, not even an empty output folder
        restore_gc()
    return result


_STEMS = {"form": "application", "report": "manuscript"}   # output file names per document kind

# What both processes of a build with a worker load: loaded before the fork, so only once.
_SHARED_MODULES = ("pydantic.main", "closure_app.fonts.fontset", "closure_app.render.pdf.writer",
                   "closure_app.check.placed", "fontTools.ttLib", "pypdf.filters")


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


class _Setter:
    """Sets one document's files into the scratch folder, in this process or in the worker:
    its PDF (``pdf``, with its booklet) and its DOCX (``docx``); remembers what the renderer
    placed in each PDF and booklet, for their check."""

    def __init__(self, plan: BuildPlan, profile, scratch: Path, want_pdf: bool, sources: dict[str, Path]):
        self.plan, self.profile, self.scratch, self.want_pdf = plan, profile, scratch, want_pdf
        self.sources = sources                                 # stem -> the source file it is made from
        self.fonts = None                                      # the font set, once ``read`` loads it
        self.used_roles: set[str] = set()                      # the roles the documents read use
        self.numbered = False                                  # whether any has page numbers
        self.placed: dict[Path, tuple[bytes, object]] = {}    # PDF -> (its bytes, what was placed)
        self.booklets: dict[Path, tuple[object, bytes]] = {}  # booklet -> (its source's record, its bytes)

    def read(self, form: Optional[Path], manuscript: Optional[Path], result: BuildResult,
             progress: Optional[Progress] = None) -> list[tuple[Path, object]]:
        """Read the sources given, load the fonts, refuse a character no font has and a change
        table too full for its page; [(source, Document)] with their display lines decided (where
        titles, headings and cover values break, once, with the PDF's fonts, for both back ends).
        What the readers warned of goes to ``result.warnings``, the fonts' notes to its notes."""
        from closure_app.fonts import load_fontset
        from closure_app.layout import documents
        from closure_app.layout.display_breaks import with_display_lines

        plan, profile = self.plan, self.profile
        sources = documents(profile, form, manuscript, plan.lof, accept_changes=plan.accept_changes,
                            warnings=result.warnings)
        if progress is not None:
            progress.step("解析字体")
        self.fonts = fonts = load_fontset(profile, strict=plan.strict)
        for source, doc in sources:
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
            result.notes += [f"{_STEMS[doc.kind]}：{m}" for m in coverage.missing]
            self.used_roles |= set(coverage.fonts)
            self.numbered |= profile.page(doc.page).page_numbers
        return [(source, with_display_lines(doc, profile, fonts)) for source, doc in sources]

    def font_table(self) -> dict[str, str]:
        """Mandated family -> "file (kind) 用于 roles", for the roles the documents use."""
        table = {}
        for family, roles in _roles_by_family(self.profile, self.used_roles, self.numbered).items():
            r = self.fonts.resolve(family)
            table[family] = f"{Path(r.path).name}（{_KIND_CN.get(r.kind, r.kind)}）用于 {'、'.join(roles)}"
        return table

    def files_of(self, stem: str, want_docx: bool) -> list[Path]:
        """The files made of ``stem``, in the order they are checked and listed."""
        names = [f"{stem}.pdf"] * self.want_pdf + [f"{stem}.docx"] * want_docx
        names += [f"{stem}-a3.pdf"] * (stem in _booklet_stems(self.plan.booklet))
        return [self.scratch / n for n in names]

    def pdf(self, stem: str, doc, source: Path, laid_out=None):
        """Set ``doc``'s PDF (always: it gives the DOCX its TOC page numbers), write it and its
        booklet when asked for; ``laid_out`` gets the DOCX's facts once the layout ends."""
        from closure_app.render.pdf import render_pdf

        try:
            pdf = render_pdf(doc, self.profile, self.fonts, laid_out)
        except InvalidInput:
            raise
        except UserError as exc:      # what typesetting refused: say which source it came from
            raise UserError(f"{source}：{exc.message}", exc.exit_code) from None
        if self.want_pdf:
            path = _write(self.scratch / f"{stem}.pdf", pdf.data)
            if pdf.placement is not None:
                self.placed[path] = (pdf.data, pdf.placement)
        if stem in _booklet_stems(self.plan.booklet):
            from closure_app.impose import ImposeOptions, impose_pdf

            out_a3 = self.scratch / f"{stem}-a3.pdf"
            impose_pdf(pdf.data, out_a3, ImposeOptions(duplex=self.profile.booklet.duplex))
            if pdf.placement is not None:
                self.booklets[out_a3] = (pdf.placement, pdf.data)
        return pdf

    def docx(self, stem: str, doc, pdf=None, toc_pages=None, caption_pages=None) -> Path:
        """Write ``doc``'s DOCX, with the pages its PDF gave the TOC entries and captions."""
        from closure_app.render.docx import render_docx

        if pdf is not None:
            toc_pages, caption_pages = pdf.toc_pages, pdf.caption_pages
        data = render_docx(doc, self.profile, toc_pages=toc_pages, fonts=self.fonts, caption_pages=caption_pages)
        return _write(self.scratch / f"{stem}.docx", data)

    # The worker's jobs (build_worker): the same steps, each file checked as the build checks it.
    def made_form(self, stem: str, prepared):
        from closure_app.commands.build_worker import Prepared
        from closure_app.gc_tuning import tune_for_build

        tune_for_build()
        read = BuildResult()
        (_, doc), = self.read(self.sources[stem], None, read)
        prepared(Prepared(read.warnings, read.notes, self.used_roles, self.numbered))
        return self.made_whole(stem, doc)

    def made_whole(self, stem: str, doc):
        from closure_app.commands.build_worker import Made

        pdf = self.pdf(stem, doc, self.sources[stem])
        if self.plan.format in (Format.docx, Format.all):
            self.docx(stem, doc, pdf)
        files = self.files_of(stem, self.plan.format in (Format.docx, Format.all))
        return Made(self._reports(files), list(pdf.warnings))

    def made_docx(self, stem: str, doc, toc_pages, caption_pages):
        from closure_app.commands.build_worker import Made

        return Made(self._reports([self.docx(stem, doc, toc_pages=toc_pages, caption_pages=caption_pages)]))

    def _reports(self, files: list[Path]) -> dict[str, object]:
        if not self.plan.check:
            return {}
        return {f.name: _check_one(f, self.profile, self.plan.strict, self.placed, self.booklets) for f in files}


class _LaterDocx:
    """The DOCX files the worker is making (``later``: stem -> (doc, pdf)): called with one's
    path, waits for it and gives the report the worker made of it, or None (not checked there);
    makes it here if the worker did not."""

    def __init__(self, later: dict, worker, setter: _Setter):
        self.later, self.worker, self.setter = later, worker, setter

    def waits_for(self, path: Path) -> bool:
        return path.suffix == ".docx" and path.stem in self.later

    def __call__(self, path: Path):
        doc, pdf = self.later.pop(path.stem)
        done = self.worker.result(path.stem)
        if done is None:
            self.setter.docx(path.stem, doc, pdf)
        return done.reports.get(path.name) if done else None


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
           placed: Optional[dict] = None, booklets: Optional[dict] = None, checked: Optional[dict] = None,
           from_worker: Optional["_LaterDocx"] = None) -> list:
    """Check every output; write the report in Chinese and as JSON, with the last reports of
    documents not built again. Returns the reports of this build's files. A PDF in ``placed``
    is judged from what its renderer placed, and only what the file alone can tell is read
    back from it (check.placed); a booklet in ``booklets`` from the sheets read back and the
    record of the PDF it was imposed from; any other file is read in full. A file in
    ``checked`` was checked so by the worker (build_worker). A DOCX it is still making is waited
    for last, with ``from_worker`` (``_LaterDocx``)."""
    from closure_app.check.report import render_text, to_json

    reports = {}
    waiting = [f for f in files if from_worker and from_worker.waits_for(f)]
    for f in [f for f in files if f not in waiting] + waiting:
        report = (checked or {}).get(f)
        if report is None and f in waiting:
            report = from_worker(f)
        if report is None:
            report = _check_one(f, profile, strict, placed, booklets)
        report.file = str(out / f.name)  # name the file where it will be, not the scratch copy
        reports[f] = report
    everything = stamps.merged_reports([reports[f] for f in files])
    (scratch / "check-report.txt").write_text(render_text(everything) + "\n", encoding="utf-8")
    (scratch / "check-report.json").write_text(to_json(everything) + "\n", encoding="utf-8")
    return everything


def _check_one(f: Path, profile, strict: bool, placed: Optional[dict], booklets: Optional[dict]):
    """The report of one file the build made (see ``_check``)."""
    if placed and f in placed:
        from closure_app.check.placed import check_placed

        return check_placed(f, *placed[f], profile, strict=strict)
    if booklets and f in booklets:
        from closure_app.check.placed import check_placed_booklet

        return check_placed_booklet(f, f.read_bytes(), *booklets[f], profile, strict=strict)
    from closure_app.check import check_file

    return check_file(f, profile, strict=strict)


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
