"""Converting a .docx with LibreOffice for the tests (skipped with a reason when absent).

The Founder families are mapped to the open fonts shipped in ``fonts/open`` by a fontconfig
alias (mode="append" binding="strong"), so the PDF shows real glyphs on any machine.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from fontTools.ttLib import TTFont

from closure_app.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice")
PROFILE = load_profile()

needs_soffice = pytest.mark.skipif(SOFFICE is None,
                                   reason="LibreOffice（soffice）未安装：跳过 DOCX 转 PDF 的检查")


def shipped_families() -> list[str]:
    families = []
    for path in sorted((ROOT / "fonts" / "open").glob("*.[ot]t[fc]")):
        families.append(TTFont(path, fontNumber=0, lazy=True)["name"].getDebugName(1))
    return families


def fontconfig_file(folder: Path) -> Path:
    prefer = "".join(f"<family>{escape(f)}</family>" for f in shipped_families())
    aliases = "".join(
        f'<match target="pattern"><test name="family"><string>{escape(family)}</string></test>'
        f'<edit name="family" mode="append" binding="strong">{prefer}</edit></match>'
        for family in PROFILE.families())
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'<dir>{escape(str(ROOT / "fonts" / "open"))}</dir>'
        f'<cachedir>{escape(str(folder / "cache"))}</cachedir>{aliases}</fontconfig>',
        encoding="utf-8")
    return conf


@pytest.fixture(scope="module")
def to_pdf(tmp_path_factory):
    """Write a .docx and convert it with LibreOffice; returns the PDF's path."""
    folder = tmp_path_factory.mktemp("lo")
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(folder)))

    def convert(blob: bytes, name: str) -> Path:
        docx_path = folder / f"{name}.docx"
        docx_path.write_bytes(blob)
        done = subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(docx_path)],
            env=env, capture_output=True, text=True, timeout=180)
        pdf = folder / f"{name}.pdf"
        assert done.returncode == 0 and pdf.exists(), done.stderr + done.stdout
        return pdf

    return convert
