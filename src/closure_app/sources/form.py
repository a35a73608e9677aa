"""Read ``forms/application.yaml`` into an ``ApplicationForm``, or say every problem and where.

Every finding names file:line:column and the field in the form's own labels, in Chinese:
``forms/application.yaml:14:7 项目变更情况数据表.现负责人.联系电话：不是有效的电话号码``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from closure_app.errors import Finding, InvalidInput, Place
from closure_app.models.form import ApplicationForm, form_issues
from closure_app.sources.files import read_text
from closure_app.sources.validation import Wording, field_label, place_of, read_model
from closure_app.sources.yaml_positions import locate, parse, value_spans

if TYPE_CHECKING:
    from closure_app.profile import Profile

# A form is a few KB; a file this large is not a form (and is not read into memory).
MAX_FORM_BYTES = 1_000_000

FORM_WORDING = Wording(
    key_noun="栏目",
    empty="表单文件是空的（可用 closure-app init 生成示例）",
    not_mapping="表单应为若干栏目（栏目: 值），每行一栏",
)


@dataclass
class LoadedForm:
    form: ApplicationForm
    findings: list[Finding] = field(default_factory=list)  # warnings only: errors raise

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def in_reading_order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity != "error", f.place.line or 0, f.place.column or 0))


def load_form(path: Path, profile: Optional[Profile] = None) -> LoadedForm:
    """Read and validate the form; raises ``InvalidInput`` listing every error.

    Besides each field's format and the rules across fields, every value must fit its box on
    the official form as ``profile`` (default: the built-in one) lays it out: what validate
    accepts, build can typeset.
    """
    file = str(path)
    path = Path(path)
    if path.is_file() and path.stat().st_size > MAX_FORM_BYTES:
        size = path.stat().st_size
        raise InvalidInput([Finding(Place(file), f"表单文件太大（{size / 1e6:.1f} MB）：表单通常只有几 KB，"
                                                 "请检查是否选错了文件")])
    return load_form_text(read_text(path, "表单"), file, profile)


def load_form_text(text: str, file: str, profile: Optional[Profile] = None) -> LoadedForm:
    """Validate the form's YAML ``text`` (findings name ``file``), as ``load_form`` does a file."""
    reading = read_model(text, ApplicationForm, file, FORM_WORDING)
    if reading.value is None:
        raise InvalidInput(in_reading_order(reading.findings))

    rule_findings = [
        Finding(place_of(file, locate(reading.root, issue.path)), issue.message, issue.severity,
                field_label(issue.path))
        for issue in form_issues(reading.value)
    ]
    # every value against its box, whatever else is wrong
    rule_findings += box_findings(reading.value, lambda p: place_of(file, locate(reading.root, p)), profile)
    if any(f.severity == "error" for f in reading.findings + rule_findings):
        raise InvalidInput(in_reading_order(reading.findings + rule_findings))
    return LoadedForm(reading.value, in_reading_order(reading.findings + rule_findings))


def box_findings(form: ApplicationForm, place, profile: Optional[Profile] = None) -> list[Finding]:
    """A finding for each value longer than its box on the official form; ``place(path)`` says
    where a field stands in the source."""
    from closure_app.layout.application import box_overflows
    from closure_app.profile import load_profile

    return [Finding(place(o.path), o.message, "error", field_label(o.path))
            for o in box_overflows(form, profile or load_profile())]


def text_locator(text: str):
    """For the form's ``text``: where a character first stands in a value, as
    (line, column, field label), or None. Comments are skipped: only values are typeset."""
    try:
        root = parse(text).root
    except Exception:  # noqa: BLE001 - a text that does not parse has no values to search
        root = None
    spans = [(path, node) for path, node in value_spans(root)]

    def locate_char(ch: str) -> Optional[tuple[int, int, Optional[str]]]:
        for path, node in spans:
            at = text.find(ch, node.start_mark.index, node.end_mark.index)
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                column = at - (text.rfind("\n", 0, at) + 1) + 1
                return line, column, field_label(path) or None
        return None

    return locate_char
