"""YAML text checked by a Pydantic model, every problem a Chinese ``Finding``.

Each finding names file:line:column and the field in the source's own labels:
``forms/application.yaml:14:7 项目变更情况数据表.现负责人.联系电话：不是有效的电话号码``.
An unknown key gets a did-you-mean (``未知栏目「项目负责」，是否指「项目负责人」？``).
"""
from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from typing import Optional

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from closure_app.errors import Finding, Place
from closure_app.sources.yaml_positions import (
    PathPart, Position, YamlDocument, YamlSyntaxError, duplicate_keys, locate, parse,
)

# A form is a few KB and front matter a few more; past this the file is not what was meant,
# and reading it would only take time and memory.
MAX_YAML_CHARS = 1_000_000

# Pydantic's own error types; any other type is a model's own error, already in Chinese.
PYDANTIC_ERROR_TYPES = frozenset(typing.get_args(ErrorType))

# Pydantic's error types in Chinese; {noun} is what the source calls its keys (栏目, 键).
MESSAGES = {
    "missing": "缺少此项",
    "string_type": "应为文字",
    "date_type": "不是有效的日期（应写作 2025-10-15 或 2025年10月15日）",
    "string_too_long": "太长了",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不对",
    "too_short": "至少要有一项",
    "list_type": "应为列表（每项一行，以「- 」开头；或写成 [甲, 乙]）",
    "model_type": "应为若干{noun}（{noun}: 值）",
    "model_attributes_type": "应为若干{noun}（{noun}: 值）",
    "dict_type": "应为若干{noun}（{noun}: 值）",
    "bool_type": "应为 是 或 否",
}


@dataclass(frozen=True)
class Wording:
    """What one source calls its keys and the file as a whole."""
    key_noun: str                  # 栏目 (the form), 键 (the front matter)
    empty: str                     # the YAML holds nothing
    not_mapping: str               # the YAML is not lines of key: value


@dataclass
class ModelReading:
    value: Optional[BaseModel]     # None when the model rejected the data
    root: Optional[yaml.Node]      # where everything stands, for later findings
    findings: list[Finding] = field(default_factory=list)  # errors


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


def place_of(file: str, position: Optional[Position]) -> Place:
    return Place(file, position.line, position.column) if position else Place(file)


def _fields(model: type[BaseModel]) -> dict:
    """The model's fields by the label the user writes (alias, else name)."""
    return {f.alias or name: f for name, f in model.model_fields.items()}


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
        fields = _fields(model)
        if part not in fields:
            return None
        model = _model_in(fields[part].annotation)
        if model is None:
            return None
    return model


def known_labels(model: type[BaseModel]) -> list[str]:
    return list(_fields(model))


def field_description(model: type[BaseModel], path: tuple[PathPart, ...]) -> Optional[str]:
    """The ``description`` of the field at ``path``, if it has one."""
    holder = model_at(model, path[:-1]) if path else None
    found = _fields(holder).get(path[-1]) if holder else None
    return found.description if found else None


def unknown_key_message(key: str, labels: list[str], noun: str) -> str:
    """未知栏目「项目负责」，是否指「项目负责人」？"""
    close = difflib.get_close_matches(key, labels, n=1, cutoff=0.5)
    hint = f"，是否指「{close[0]}」？" if close else f"（可用的{noun}：{'、'.join(labels)}）"
    return f"未知{noun}「{key}」{hint}"


def _choices(expected: str) -> str:
    return expected.replace(" or ", "、").replace(",", "、").replace("'", "").replace("、 ", "、")


def _path(loc: tuple, data=None) -> tuple[PathPart, ...]:
    """A Pydantic loc without the validator names Pydantic adds inside unions.

    With the validated ``data``, a part is kept when the data has it there (so a key the user
    wrote as ``[`` or ``str`` is kept), and the last part always (a missing field's name)."""
    if data is None:
        return tuple(p for p in loc if isinstance(p, int) or "[" not in p)
    path, here = [], data
    for i, part in enumerate(loc):
        if isinstance(here, dict) and part in here:
            path.append(part)
            here = here[part]
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            path.append(part)
            here = here[part]
        elif i == len(loc) - 1 and isinstance(here, dict):      # a missing field of this mapping
            path.append(part)
    return tuple(path)


def _typed(value) -> str:
    """What the user wrote, quoted back to them (shortened)."""
    text = str(value)
    return f"「{text[:20]}…」" if len(text) > 20 else f"「{text}」"


# English yes/no words YAML 1.1 would have read as true/false: the user meant 是/否.
_YES_NO = {"yes": "是", "y": "是", "true": "是", "on": "是", "no": "否", "n": "否", "false": "否", "off": "否"}


def error_message(error: dict, model: type[BaseModel], wording: Wording, path: Optional[tuple] = None) -> str:
    """One Pydantic error about ``model`` in Chinese (``path``: where, in the user's keys)."""
    kind = error["type"]
    path = _path(error["loc"]) if path is None else path
    given = error.get("input")
    if kind == "extra_forbidden":
        holder = model_at(model, path[:-1])
        return unknown_key_message(str(path[-1]), known_labels(holder) if holder else [], wording.key_noun)
    if kind != "missing" and (given is None or (isinstance(given, str) and not given.strip())):
        if kind == "literal_error":
            return f"不能为空：请填写 {_choices(error['ctx']['expected'])}"
        return "不能为空"
    if kind not in PYDANTIC_ERROR_TYPES:
        return error["msg"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "literal_error":
        choices = _choices(error["ctx"]["expected"])
        meant = _YES_NO.get(given.strip().lower()) if isinstance(given, str) else None
        hint = f"（写的是{_typed(given)}，应写「{meant}」）" if meant and meant in choices.split("、") else \
            f"（写的是{_typed(given)}）"
        return f"只能填写：{choices}{hint}"
    if kind == "string_type" and isinstance(given, (list, dict)):
        what = "列表" if isinstance(given, list) else "若干栏目"
        return (f"应为文字，这里被读成了{what}（值以「[」「{{」或「- 」开头，或下一行有缩进）："
                "若这是文字，请给整个值加引号")
    message = MESSAGES[kind].format(noun=wording.key_noun) if kind in MESSAGES else "取值无效：请对照示例填写"
    description = field_description(model, path) if kind == "string_pattern_mismatch" else None
    return f"{message}：应为{description}" if description else message


def validation_findings(exc: ValidationError, document: YamlDocument, file: str,
                        model: type[BaseModel], wording: Wording) -> list[Finding]:
    findings = []
    for error in exc.errors():
        path = _path(error["loc"], document.data)
        if error["type"] == "extra_forbidden":
            position = locate(document.root, path, key=True)
        elif error["type"] == "missing":
            position = (locate(document.root, path[:-1], key=True) if len(path) > 1
                        else Position(document.first_line, 1))
        else:
            position = locate(document.root, path)
        about = path[:-1] if error["type"] == "extra_forbidden" else path
        findings.append(Finding(place_of(file, position), error_message(error, model, wording, path),
                                field=field_label(about) or None))
    return findings


# ---- reading ------------------------------------------------------------------------------

def read_model(text: str, model: type[BaseModel], file: str, wording: Wording,
               first_line: int = 1) -> ModelReading:
    """``text`` (YAML starting on ``first_line`` of ``file``) checked by ``model``: every error
    found (syntax, keys written twice, each field), never only the first."""
    if len(text) > MAX_YAML_CHARS:
        return ModelReading(None, None, [Finding(
            Place(file, first_line, 1), f"内容太长（{len(text):,} 个字符，上限 {MAX_YAML_CHARS:,}）：请检查是否选错了文件")])
    try:
        document = parse(text, first_line)
    except YamlSyntaxError as exc:
        return ModelReading(None, None, [Finding(place_of(file, p.position), p.message, field=field_label(p.path) or None)
                                         for p in exc.problems])
    if document.data is None:
        return ModelReading(None, None, [Finding(Place(file, first_line, 1), wording.empty)])
    if not isinstance(document.data, dict):
        return ModelReading(None, None, [Finding(place_of(file, locate(document.root, ())), wording.not_mapping)])

    findings = [
        Finding(place_of(file, position), f"{wording.key_noun}重复出现，只能写一次", field=field_label(dup))
        for dup, position in duplicate_keys(document.root)
    ] + [Finding(place_of(file, w.position), w.message, "warning", field_label(w.path) or None)
         for w in document.warnings]
    try:
        value = model.model_validate(document.data)
    except ValidationError as exc:
        return ModelReading(None, document.root, findings + validation_findings(exc, document, file, model, wording))
    return ModelReading(value, document.root, findings)
