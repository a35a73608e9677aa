"""A DOCX that LibreOffice has opened and saved again checks the same as the one we wrote."""
import shutil
import subprocess

import pytest
from check_fixtures import build_docx

from closure_app.check import check_file
from closure_app.profile import load_profile

PROFILE = load_profile()
SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def resave(src, tmp_path):
    out = tmp_path / "lo"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    return out / src.name


def judged(report):
    return [(f.rule, f.place, f.expected, f.severity) for f in report.findings]


@pytest.mark.parametrize("breaks", [frozenset(), frozenset({"h2_heiti", "h3_not_bold", "body_xiaosan"})])
def test_libreoffice_copy_checks_the_same(tmp_path, breaks):
    ours = build_docx(tmp_path / "report.docx", PROFILE, breaks=breaks)
    theirs = resave(ours, tmp_path)
    assert judged(check_file(theirs, PROFILE)) == judged(check_file(ours, PROFILE))
    assert len(check_file(theirs, PROFILE).errors) == (0 if not breaks else 4)
