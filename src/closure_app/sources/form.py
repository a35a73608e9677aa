"""Read ``forms/application.yaml`` into an ``ApplicationForm``, or say every problem and where.

Every finding names file:line:column and the field in the form's own labels, in Chinese:
``forms/application.yaml:14:7 项目变更情况数据表.现负责人.联系电话：不是有效的电话号码``.
"""
from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ValidationError

from closure_app.errors import Finding, InvalidInput, Place, UsageError
from closure_app.models.form import ApplicationForm, form_issues
from closure_app.sources.yaml_positions import (
    PathPart, Position, YamlSyntaxError, duplicate_keys, locate, parse,
)

# Pydantic's error types in Chinese; custom errors of models/form.py already speak Chinese.
PYDANTIC_MESSAGES = {
    "missing": "缺少此栏",
    "string_type": "应为文字（数字或日期样的文字请加引号）",
    "string_too_short": "不能为空",
    "model_type": "应为若干栏目（栏目: 值）",
    "model_attributes_type": "应为若干栏目（栏目: 值）",
    "dict_type": "应为若干栏目（栏目: 值）",
    "list_type": "应为列表（每项一行，以「- 」开头）",
    "bool_type": "应为 是 或 否",
}
CHINESE_ERROR_TYPES = {"phone", "phone_type", "project_id", "date", "year_month"}


@dataclass
class LoadedForm:
    form: ApplicationForm
    findings: list[Finding] = field(default_factory=list)  # warnings only: errors raise

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


# ---- pure helpers ---------------------------------------------------------------------------

def field_label(path: tuple[PathPart, ...]) -> str:
    """('项目变更情况数据表', '原参与人员', 1, '姓名') -> '项目变更情况数据表.原参与人员第2项.姓名'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"第{part + 1}项"
        else:
            text += ("." if text else "") + part
    return text


def _model_in(annotation) -> Optional[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        model = _model_in(arg)
        if model is not None:
            return model
    return None


def model_at(model: type[BaseModel], path: tuple[PathPart, ...]) -> Optional[type[BaseModel]]:
    """The model class that holds the fields under ``path`` (by alias), or None."""
    for part in path:
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        if part not in fields:
            return None
        model = _model_in(fields[part].annotation)
        if model is None:
            return None
    return model


def known_labels(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def unknown_key_message(key: str, labels: list[str]) -> str:
    """未知栏目「项目负责」，是否指「项目负责人」？"""
    close = difflib.get_close_matches(key, labels, n=1, cutoff=0.5)
    hint = f"，是否指「{close[0]}」？" if close else f"（可用的栏目：{'、'.join(labels)}）"
    return f"未知栏目「{key}」{hint}"


def _choices(expected: str) -> str:
    return expected.replace(" or ", "、").replace(",", "、").replace("'", "").replace("、 ", "、")


def error_message(error: dict) -> str:
    """One Pydantic error in Chinese."""
    kind = error["type"]
    if kind in CHINESE_ERROR_TYPES:
        return error["msg"]
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        model = model_at(ApplicationForm, tuple(error["loc"][:-1]))
        return unknown_key_message(key, known_labels(model) if model else [])
    if kind == "literal_error":
        return f"只能填写：{_choices(error['ctx']['expected'])}"
    return PYDANTIC_MESSAGES.get(kind, f"取值无效（{error['msg']}）")


def _path(loc: tuple) -> tuple[PathPart, ...]:
    """A Pydantic loc without the validator names Pydantic adds inside unions."""
    return tuple(p for p in loc if isinstance(p, int) or "[" not in p)


def _place(file: str, position: Optional[Position]) -> Place:
    return Place(file, position.line, position.column) if position else Place(file)


def validation_findings(exc: ValidationError, root, file: str) -> list[Finding]:
    findings = []
    for error in exc.errors():
        path = _path(error["loc"])
        if error["type"] == "extra_forbidden":
            position = locate(root, path, key=True)
        elif error["type"] == "missing":
            position = locate(root, path[:-1], key=True) if len(path) > 1 else Position(1, 1)
        else:
            position = locate(root, path)
        about = path[:-1] if error["type"] == "extra_forbidden" else path
        findings.append(Finding(_place(file, position), error_message(error), field=field_label(about) or None))
    return findings


def in_reading_order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity != "error", f.place.line or 0, f.place.column or 0))


# ---- reading the file -----------------------------------------------------------------------

def read_text(path: Path, file: str) -> str:
    """The file's text; a missing file is a usage error, a non-UTF-8 file invalid input."""
    if not path.exists():
        raise UsageError(f"找不到表单文件：{file}（可用 closure-app init 生成示例）")
    if not path.is_file():
        raise UsageError(f"不是文件：{file}")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = "（看起来是 GBK 编码）" if _is_gbk(raw) else ""
        raise InvalidInput([Finding(Place(file, line), f"文件不是 UTF-8 编码{guess}，请在编辑器中另存为 UTF-8")]) from None


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False


def load_form(path: Path) -> LoadedForm:
    """Read and validate the form; raises ``InvalidInput`` listing every error."""
    file = str(path)
    text = read_text(Path(path), file)
    try:
        document = parse(text)
    except YamlSyntaxError as exc:
        raise InvalidInput([Finding(_place(file, exc.position), exc.message)]) from None
    if document.data is None:
        raise InvalidInput([Finding(Place(file), "表单文件是空的（可用 closure-app init 生成示例）")])
    if not isinstance(document.data, dict):
        raise InvalidInput([Finding(Place(file, 1, 1), "表单应为若干栏目（栏目: 值），每行一栏")])

    errors = [
        Finding(_place(file, position), "栏目重复出现，只能写一次", field=field_label(dup))
        for dup, position in duplicate_keys(document.root)
    ]
    try:
        form = ApplicationForm.model_validate(document.data)
    except ValidationError as exc:
        raise InvalidInput(in_reading_order(errors + validation_findings(exc, document.root, file))) from None

    rule_findings = [
        Finding(_place(file, locate(document.root, issue.path)), issue.message, issue.severity,
                field_label(issue.path))
        for issue in form_issues(form)
    ]
    if errors or any(f.severity == "error" for f in rule_findings):
        raise InvalidInput(in_reading_order(errors + rule_findings))
    return LoadedForm(form, rule_findings)
