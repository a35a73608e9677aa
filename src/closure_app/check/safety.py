"""Open untrusted files safely: sniff the type; DOCX packages are read through ``ooxml.safety``.

Anything that cannot be read raises ``CannotCheck`` with a Chinese message; the checker turns
it into an exit-2 report.
"""
from __future__ import annotations

from pathlib import Path

from closure_app.ooxml.safety import (  # noqa: F401  (the checker's names for them)
    MAX_MEMBER_RATIO, MAX_MEMBERS, MAX_TOTAL_UNCOMPRESSED, OLE_MAGIC, RATIO_FLOOR, ZIP_MAGIC, SafeZip,
    parse_xml,
)
from closure_app.ooxml.safety import CannotRead as CannotCheck

PDF_MAGIC = b"%PDF-"


def sniff_kind(path: Path) -> str:
    """'docx' or 'pdf' from the file's first bytes, whatever its name says."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise CannotCheck(f"找不到文件：{path}") from None
    except OSError as exc:
        raise CannotCheck(f"无法读取文件 {path}：{exc.strerror}") from None
    if head.startswith(ZIP_MAGIC):
        return "docx"
    if PDF_MAGIC in head:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        raise CannotCheck("这是加密的 DOCX 或旧版 .doc 文件，无法检查；请另存为未加密的 .docx 或 PDF。")
    raise CannotCheck("无法识别的文件类型：只能检查 DOCX 和 PDF。")
