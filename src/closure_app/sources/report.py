"""The report as the user has it: Markdown, or a Word/WPS file, told apart by content."""
from __future__ import annotations

from pathlib import Path

from closure_app.errors import UsageError
from closure_app.sources.manuscript import LoadedManuscript, load_manuscript

WORD_SUFFIXES = (".docx", ".docm", ".doc", ".wps", ".dotx", ".dotm", ".wpt")


def load_report(path: Path, *, accept_changes: bool = False) -> LoadedManuscript:
    """Read the report at ``path`` into the manuscript model, whatever the format: a Word or
    WPS file (.docx, .docm, .doc, .wps, Word XML, by content, not by name) or Markdown.
    A file named like a Word file whose content is not one is refused (exit 2), not read as
    Markdown."""
    from closure_app.word_file import is_word_file

    path = Path(path)
    if path.is_file() and is_word_file(path):
        from closure_app.sources.docx_report import load_docx_manuscript

        return load_docx_manuscript(path, accept_changes=accept_changes)
    if path.is_file() and path.suffix.lower() in WORD_SUFFIXES:
        raise UsageError(f"{path}：文件名是 Word/WPS 文档，内容却不是（文件可能已损坏或只下载了一部分），"
                         "请在 Word/WPS 中重新另存为 .docx")
    return load_manuscript(path)
