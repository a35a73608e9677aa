"""The sample report, as our back ends write it, checks clean: DOCX, PDF and the A3 booklet."""
import shutil
import subprocess

import pytest

from closure_app.check import check_file
from closure_app.profile import load_profile

PROFILE = load_profile()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from pathlib import Path

    from closure_app.fonts import load_fontset
    from closure_app.impose import ImposeOptions, impose_pdf
    from closure_app.layout.report import report_document
    from closure_app.render.docx import render_docx
    from closure_app.render.pdf import render_pdf
    from closure_app.sources.manuscript import load_manuscript

    out = tmp_path_factory.mktemp("sample")
    root = Path(__file__).resolve().parents[1]
    doc = report_document(load_manuscript(root / "manuscript" / "manuscript.md").manuscript, PROFILE)
    pdf = render_pdf(doc, PROFILE, load_fontset(PROFILE))
    (out / "manuscript.pdf").write_bytes(pdf.data)
    (out / "manuscript.docx").write_bytes(render_docx(doc, PROFILE, toc_pages=pdf.toc_pages))
    impose_pdf(pdf.data, out / "manuscript-a3.pdf", ImposeOptions(duplex=PROFILE.booklet.duplex))
    return out


def test_sample_docx_has_no_violations(sample):
    report = check_file(sample / "manuscript.docx", PROFILE)
    assert report.kind == "report"
    assert report.errors == [], report.render_text()
    # not even a hint: the TOC's title, inside the TOC's content control as Word sets it, is
    # judged as the TOC's title, not as an entry
    assert report.findings == [], report.render_text()


def test_sample_pdf_has_no_violations_and_names_its_substitutes(sample):
    report = check_file(sample / "manuscript.pdf", PROFILE)
    assert report.kind == "report"
    assert report.errors == [], report.render_text()
    assert not any(f.rule == "font-embedded" for f in report.findings)
    substituted = {f.expected for f in report.findings if f.rule == "font-substitute"}
    assert PROFILE.role("body").family in substituted or not substituted     # Founder fonts installed: none
    assert check_file(sample / "manuscript.pdf", PROFILE, strict=True).exit_code == (1 if substituted else 0)


def test_sample_booklet_is_a3_landscape_with_an_even_number_of_sides(sample):
    report = check_file(sample / "manuscript-a3.pdf", PROFILE)
    assert report.kind == "booklet" and report.errors == [], report.render_text()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_copy_of_the_sample_checks_the_same(sample, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path),
                    str(sample / "manuscript.docx")], check=True, capture_output=True, timeout=300)

    def judged(path):
        return [(f.rule, f.place, f.severity) for f in check_file(path, PROFILE).findings]

    assert judged(tmp_path / "manuscript.docx") == judged(sample / "manuscript.docx")
