"""Converting a .docx with LibreOffice for the tests (skipped with a reason when absent).

The Founder families are mapped by a fontconfig alias (mode="append" binding="strong") to the
fonts the PDF back end uses, and the file is printed as Word sets it (scripts/crosscheck.py).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from closure_app.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import crosscheck  # noqa: E402 - scripts/crosscheck.py: LibreOffice set up as the cross-check uses it
SOFFICE = shutil.which("soffice")
PROFILE = load_profile()

needs_soffice = pytest.mark.skipif(SOFFICE is None,
                                   reason="LibreOffice（soffice）未安装：跳过 DOCX 转 PDF 的检查")


def fontconfig_file(folder: Path) -> Path:
    return crosscheck.fontconfig_file(folder, PROFILE)


@pytest.fixture(scope="module")
def to_pdf(tmp_path_factory):
    """Write a .docx and convert it with LibreOffice; returns the PDF's path."""
    folder = tmp_path_factory.mktemp("lo")

    def convert(blob: bytes, name: str) -> Path:
        docx_path = folder / f"{name}.docx"
        docx_path.write_bytes(blob)
        return crosscheck.print_as_word(docx_path, folder / f"{name}.pdf", folder)

    return convert
