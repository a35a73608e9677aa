"""Check any DOCX or PDF against the profile: ``check_file(path, profile) -> CheckReport``."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from closure_app.check.findings import CheckFinding, CheckReport, apply_strict
from closure_app.check.safety import CannotCheck, sniff_kind
from closure_app.profile import Profile

Kind = Literal["auto", "report", "form", "booklet"]

__all__ = ["check_file", "CheckReport", "CheckFinding"]


def check_file(path: Path, profile: Profile, *, strict: bool = False, kind: Kind = "auto") -> CheckReport:
    """Judge one file; a file that cannot be read gives a report with exit code 2, never an exception."""
    path = Path(path)
    try:
        file_type = sniff_kind(path)
        if file_type == "docx":
            if kind == "booklet":
                raise CannotCheck("A3 骑马订拼版只能检查 PDF 文件。")
            from closure_app.check.docx_check import check_docx
            judged, findings = check_docx(path, profile, kind)
        else:
            from closure_app.check.pdf_check import check_pdf
            judged, findings = check_pdf(path, profile, kind)
    except CannotCheck as exc:
        return CheckReport(str(path), kind, [], exc.message)
    return CheckReport(str(path), judged, apply_strict(findings, strict))
