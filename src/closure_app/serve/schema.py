"""The form page's fields, read off the Pydantic models of ``closure_app.models.form``.

Nothing about a field is written here a second time: its label (the YAML key), its order,
its choices (a ``Literal``), its kind (the model's ``Phone``, ``Date``, ``YearMonth``,
``ProjectId`` types) and its description come from the models. What this module adds is
presentation only: which text fields get several lines, and the title of the cover section
(the official form's 封面 holds the top-level fields).
"""
from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Union

from pydantic import BaseModel

from closure_app.models import form as models
from closure_app.sources.validation import PathPart, field_label

# Input kinds by the model's own annotated types.
_KIND_TYPES = {
    "phone": (models.Phone,),
    "project_id": (models.ProjectId,),
    "date": (models.Date, models.RequiredDate),
    "month": (models.YearMonth,),
}

# How each kind is written, shown next to the field (the model's messages say the same).
KIND_HINTS = {
    "phone": "手机如 13500000000（可写 +86），座机如 0827-5221234（可带「转」分机）",
    "project_id": "BZ + 两位年份 + 两个大写字母 + 三位数字，如 BZ25ZC124",
    "date": "日期，如 2025-10-15",
    "month": "年月，如 1980-05",
}

# Fields written over several lines on the official form.
MULTILINE = {"变更的内容", "意见"}

COVER_TITLE = "封面"


@dataclass(frozen=True)
class Field:
    label: str                   # the YAML key, the official form's label
    path: tuple[PathPart, ...]   # from the form's root (inside a list: from the item)
    kind: str                    # text, textarea, phone, project_id, date, month, choice
    choices: tuple[str, ...] = ()
    optional_choice: bool = False  # a choice that may stay blank
    hint: str = ""
    required: bool = False

    @property
    def name(self) -> str:
        return dotted(self.path)


@dataclass(frozen=True)
class ListOf:
    """A list of people (原参与人员, 现参与人员): rows to add, remove and reorder."""
    label: str
    path: tuple[PathPart, ...]
    columns: tuple[Field, ...]   # paths relative to one row
    hint: str = ""

    @property
    def name(self) -> str:
        return dotted(self.path)


@dataclass
class Group:
    title: str
    path: tuple[PathPart, ...]
    note: str = ""
    items: list[Union[Field, ListOf, "Group"]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return dotted(self.path)


def dotted(path: tuple[PathPart, ...]) -> str:
    """The name of an input: ('项目变更情况数据表', '现参与人员', 0, '姓名') -> '项目变更情况数据表.现参与人员.0.姓名'."""
    return ".".join(str(p) for p in path)


def undotted(name: str) -> tuple[PathPart, ...]:
    return tuple(int(p) if p.isdigit() else p for p in name.split("."))


def label_of_name(name: str) -> str:
    """The field as findings name it: '项目变更情况数据表.现参与人员第1项.姓名'."""
    return field_label(undotted(name))


def _kind(info) -> Optional[str]:
    for kind, aliases in _KIND_TYPES.items():
        for alias in aliases:
            marks = typing.get_args(alias)[1:]
            if any(any(m is mark for mark in marks) for m in info.metadata):
                return kind
    return None


def _literal_choices(annotation) -> tuple[tuple[str, ...], bool]:
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(typing.get_args(annotation)), False
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Union and type(None) in args:
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            choices, _ = _literal_choices(inner[0])
            return choices, bool(choices)
    return (), False


def _model_of(annotation) -> Optional[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _list_item_model(annotation) -> Optional[type[BaseModel]]:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return _model_of(item)
    return None


def _title_and_note(model: type[BaseModel]) -> tuple[str, str]:
    """'一、项目变更情况数据表。是否变更为 否 时……' -> ('一、项目变更情况数据表', '是否变更为 否 时……')."""
    doc = (model.__doc__ or model.__name__).strip()
    for stop in ("：", "。", "（"):
        if stop in doc:
            head, _, rest = doc.partition(stop)
            return head.strip(), rest.strip().rstrip("。") if stop != "（" else ""
    return doc, ""


def field_of(info, label: str, path: tuple[PathPart, ...]) -> Field:
    kind = _kind(info)
    choices, optional = _literal_choices(info.annotation)
    if choices:
        kind = "choice"
    elif kind is None:
        kind = "textarea" if label in MULTILINE else "text"
    hint = "；".join(h for h in (info.description or "", KIND_HINTS.get(kind, "")) if h)
    return Field(label, path, kind, choices, optional, hint, info.is_required())


def _items(model: type[BaseModel], path: tuple[PathPart, ...]) -> list:
    items: list = []
    for name, info in model.model_fields.items():
        label = info.alias or name
        here = path + (label,)
        sub = _model_of(info.annotation)
        row = _list_item_model(info.annotation)
        if sub is not None:
            title, note = _title_and_note(sub)
            items.append(Group(label if path else title, here, note if not path else "", _items(sub, here)))
        elif row is not None:
            columns = tuple(field_of(i, i.alias or n, (i.alias or n,)) for n, i in row.model_fields.items())
            items.append(ListOf(label, here, columns, _title_and_note(row)[1]))
        else:
            items.append(field_of(info, label, here))
    return items


@lru_cache(maxsize=1)
def form_sections() -> tuple[Group, ...]:
    """The page's sections in the official form's order: 封面 (the top-level fields), then one
    per part of the form (声明, 一、项目变更情况数据表, 二、所在单位审核意见)."""
    items = _items(models.ApplicationForm, ())
    cover = Group(COVER_TITLE, (), "", [i for i in items if isinstance(i, Field)])
    return (cover, *[i for i in items if isinstance(i, Group)])


def walk_fields(items) -> typing.Iterator[Union[Field, ListOf]]:
    for item in items:
        if isinstance(item, Group):
            yield from walk_fields(item.items)
        else:
            yield item


def all_fields() -> list[Union[Field, ListOf]]:
    return list(walk_fields(form_sections()))


def change_columns() -> set[str]:
    """Names of the inputs 是否变更 否 greys out: 变更的内容 and each pair of 原…/现… columns."""
    table = models.label_of(models.ApplicationForm, "changes")
    names = ["change_content"] + [n for pair in models.CHANGE_PAIRS for n in pair]
    return {dotted((table, models.label_of(models.ChangeTable, n))) for n in names}


def changed_switch() -> str:
    return dotted((models.label_of(models.ApplicationForm, "changes"), models.label_of(models.ChangeTable, "changed")))


def walk_containers(items) -> typing.Iterator[Union[Group, ListOf]]:
    for item in items:
        if isinstance(item, Group):
            if item.path:
                yield item
            yield from walk_containers(item.items)
        elif isinstance(item, ListOf):
            yield item


def container_names() -> list[str]:
    """Names of the groups and lists: findings about a whole 原负责人 or 现参与人员 go there."""
    return [c.name for c in walk_containers(form_sections())]
