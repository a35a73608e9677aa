"""Whether a file is a Word/WPS document, told by its first bytes (not its name).

Kept apart from ``docx_report`` so that reading a Markdown report or a YAML form does not load
the DOCX reader (lxml and the ooxml package) only to learn that it is not needed.
"""
from __future__ import annotations

from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"                             # a DOCX (or any OOXML) package
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # .doc/.wps, or a password-protected .docx


def is_word_file(path: Path) -> bool:
    """A Word/WPS file by its content (a ZIP package, an OLE compound file, or Word XML)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    return head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC) or is_word_xml(head)


def is_word_xml(head: bytes) -> bool:
    """The first bytes of a Word 2003 XML or flat-XML package."""
    h = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    return h.startswith(b"<?xml") and (b"w:wordDocument" in head or b"pkg:package" in head
                                       or b"<?mso-application" in head)
