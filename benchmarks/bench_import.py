"""`closure-app import` of a Word report (target: a 60-page report under 1 s), against the
checker reading the same DOCX, measured in the same run.

Two files: the sample's own DOCX (64 pages, as `make run` writes it), and one four times as
long, built from the sample's Markdown with its body repeated four times. The checker reads a
DOCX through the same ``ooxml`` reader and judges every paragraph: the baseline is that whole
``check_docx`` call; ``read_docx`` alone shows what the shared reading costs.
"""
import re
import tempfile
from pathlib import Path

from run import ROOT, Stage

from closure_app.check.docx_check import check_docx
from closure_app.profile import load_profile

MANUSCRIPT = ROOT / "manuscript" / "manuscript.md"
OUT = Path(tempfile.mkdtemp(prefix="bench-import-"))


def _docx(text: str, name: str) -> Path:
    from closure_app.layout.report import report_document
    from closure_app.render.docx import render_docx
    from closure_app.sources.manuscript import parse_manuscript

    profile = load_profile()
    path = OUT / name
    path.write_bytes(render_docx(report_document(parse_manuscript(text, name).manuscript, profile), profile))
    return path


def sample_docx() -> Path:
    return _docx(MANUSCRIPT.read_text(encoding="utf-8"), "manuscript.docx")


def four_times_docx() -> Path:
    """The sample's body four times over (footnote labels kept apart), one front matter."""
    text = MANUSCRIPT.read_text(encoding="utf-8")
    end = text.index("\n---", 3) + 4
    front, body = text[:end], text[end:]
    copies = [re.sub(r"\[\^(\d+)\]", lambda m: f"[^{int(m.group(1)) + 1000 * k}]", body) for k in range(4)]
    return _docx(front + "\n".join(copies), "manuscript-x4.docx")


def _import(path: Path) -> str:
    from closure_app.sources.docx_report import import_docx
    from closure_app.sources.markdown_writer import to_markdown

    report = import_docx(path)
    return to_markdown(report.front, report.body, report.footnotes)


def _check_read(path: Path):
    return check_docx(path, load_profile())


def _read_only(path: Path):
    from closure_app.ooxml import read_docx

    return read_docx(path)


NOTE = "import = read the package, decide the structure, build the manuscript, write Markdown"
STAGES = [
    Stage("import: checker reads sample DOCX (base)", _check_read, setup=sample_docx, repeat=7),
    Stage("import: ooxml.read_docx alone, sample", _read_only, setup=sample_docx, repeat=7,
          baseline="import: checker reads sample DOCX (base)"),
    Stage("import: sample DOCX -> Markdown", _import, setup=sample_docx, repeat=7,
          baseline="import: checker reads sample DOCX (base)", note=NOTE),
    Stage("import: checker reads 4x DOCX (base)", _check_read, setup=four_times_docx, repeat=5),
    Stage("import: 4x DOCX -> Markdown", _import, setup=four_times_docx, repeat=5,
          baseline="import: checker reads 4x DOCX (base)"),
]
