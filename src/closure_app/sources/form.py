"""Read ``forms/application.yaml`` into an ``ApplicationForm``, or say every problem and where.

Every finding names file:line:column and the field in the form's own labels, in Chinese:
``forms/application.yaml:14:7 项目变更情况数据表.现负责人.联系电话：不是有效的电话号码``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from closure_app.errors import Finding, InvalidInput
from closure_app.models.form import ApplicationForm, form_issues
from closure_app.sources.files import read_text
from closure_app.sources.validation import Wording, field_label, place_of, read_model
from closure_app.sources.yaml_positions import locate

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


def load_form(path: Path) -> LoadedForm:
    """Read and validate the form; raises ``InvalidInput`` listing every error."""
    return load_form_text(read_text(Path(path), "表单"), str(path))


def load_form_text(text: str, file: str) -> LoadedForm:
    """Validate the form's YAML ``text`` (findings name ``file``), as ``load_form`` does a file."""
    reading = read_model(text, ApplicationForm, file, FORM_WORDING)
    if reading.value is None:
        raise InvalidInput(in_reading_order(reading.findings))

    rule_findings = [
        Finding(place_of(file, locate(reading.root, issue.path)), issue.message, issue.severity,
                field_label(issue.path))
        for issue in form_issues(reading.value)
    ]
    if reading.findings or any(f.severity == "error" for f in rule_findings):
        raise InvalidInput(in_reading_order(reading.findings + rule_findings))
    return LoadedForm(reading.value, rule_findings)
