"""The report on the page: an uploaded DOCX or Markdown file, or ``manuscript/manuscript.md``.

An upload is told apart by its content, as ``check`` does (``check.safety``): a ZIP package
must pass the same caps before anything reads it, a PDF or an old/encrypted Word file is
refused with the checker's words, anything else must be UTF-8 text. It is stored under a fixed
name in ``manuscript/`` (never under a name the browser sent) and read through
``sources.report.load_report``, the build's own reader.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from closure_app.blocks import Heading
from closure_app.check.safety import OLE_MAGIC, CannotCheck, SafeZip, sniff_kind
from closure_app.errors import Finding, InvalidInput, UserError
from closure_app.serve.formfile import atomic_write
from closure_app.sources import DEFAULT_MANUSCRIPT

UPLOAD_STEM = "uploaded-report"


class Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class OutlineEntry:
    level: int
    text: str
    line: Optional[int]


@dataclass
class ReportView:
    path: Path                      # inside the project folder
    shown_as: str                   # how the page names it
    outline: list[OutlineEntry] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    message: str = ""               # a file that could not be read at all

    @property
    def usable(self) -> bool:
        return not self.errors and not self.message


def default_report(root: Path) -> Path:
    return root / DEFAULT_MANUSCRIPT


def read_report(path: Path, root: Path, shown_as: Optional[str] = None) -> ReportView:
    """The report's outline and warnings, or why it cannot be used, through ``load_report``."""
    from closure_app.sources.report import load_report

    relative = str(path.relative_to(root))
    view = ReportView(path, shown_as or relative)

    def named(findings: list[Finding]) -> list[Finding]:
        """Findings name the file as the project folder has it, not by its absolute path."""
        return [replace(f, place=replace(f.place, file=relative)) if f.place and f.place.file == str(path) else f
                for f in findings]

    try:
        loaded = load_report(path)
    except InvalidInput as exc:
        view.errors = named([f for f in exc.findings if f.severity == "error"]) or [Finding(None, exc.message)]
        view.warnings = named([f for f in exc.findings if f.severity == "warning"])
        return view
    except UserError as exc:
        view.message = exc.message.replace(str(path), relative)
        return view
    view.outline = [OutlineEntry(b.level, b.text, b.line) for b in loaded.manuscript.body if isinstance(b, Heading)]
    view.warnings = named(list(loaded.findings))
    return view


def store_upload(data: bytes, root: Path) -> Path:
    """Keep an uploaded report in ``manuscript/`` after the safe-file rules; its path."""
    folder = root / DEFAULT_MANUSCRIPT.parent
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".{UPLOAD_STEM}.incoming"
    atomic_write(probe, data)
    try:
        try:
            kind = sniff_kind(probe)
        except CannotCheck:
            if data.startswith(OLE_MAGIC):    # refused by check too
                raise Refused("这是旧版 .doc/.wps 或加密的 DOCX 文件，无法安全读取：请在 Word/WPS 中另存为"
                              "未加密的 .docx 后再上传。") from None
            kind = "text"
        if kind == "pdf":
            raise Refused("这是 PDF 文件：报告请上传 DOCX 或 Markdown（.md）文件。")
        if kind == "docx":
            try:
                with SafeZip(probe):
                    pass
            except CannotCheck as exc:
                raise Refused(exc.message) from None
        target = folder / f"{UPLOAD_STEM}.{'docx' if kind == 'docx' else 'md'}"
        probe.replace(target)
        for other in folder.glob(f"{UPLOAD_STEM}.*"):
            if other != target:
                other.unlink()
        return target
    finally:
        probe.unlink(missing_ok=True)
