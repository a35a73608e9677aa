"""The application form (结项申请书) as Pydantic models.

YAML keys are the form's own Chinese labels (the aliases below); Python code uses the English
attribute names. Each field checks its own format (phone numbers, 立项编号, dates); rules that
join several fields live in ``form_issues`` so that each finding can point at the field it is
about.

Date rules (the order a real submission happens in):
- 实际完成时间 is not after 填表日期: the work is finished before the form says so;
- 填表日期 is not before the year in 立项编号 (BZ25… was approved in 2025);
- 所在单位审核意见.日期 is not before 填表日期: the unit reviews a form already filled in;
- 出生日期 is not after 填表日期;
- 实际完成时间 and 原计划完成时间 are not before the year in 立项编号: nothing is finished before
  it is approved;
- 填表日期 and the review date are not in the future: a few weeks ahead is a warning (a form
  prepared for its day), further ahead an error (a mistyped year).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# ---- field formats ------------------------------------------------------------------------

PROJECT_ID = re.compile(r"^BZ(\d{2})[A-Z]{2}\d{3}$")
MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(?:\(?0\d{2,3}\)?)?[2-9]\d{6,7}(?:转\d{1,6})?$")
YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?$")
CN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")

# A 项目负责人 is a person; these words name organisations.
ORGANISATION_WORDS = (
    "党校", "大学", "学院", "学校", "委员会", "局", "公司", "中心", "研究院", "研究所",
    "研究会", "协会", "学会", "联合会", "政府", "办公室", "医院", "集团", "社科联", "合作社",
)


def is_phone(text: str) -> bool:
    """A Chinese mobile (13500000000, +86 135 0000 0000) or landline (0827-5221234)."""
    compact = re.sub(r"[\s-]", "", text)
    return bool(MOBILE.match(compact) or LANDLINE.match(compact))


def looks_like_organisation(name: str) -> bool:
    return any(word in name for word in ORGANISATION_WORDS)


def _empty_to_blank(value):
    return "" if value is None else value


def _blank_to_none(value):
    return None if value == "" else value


def _phone(value):
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads 13500000000 as a number
    if not isinstance(value, str):
        raise PydanticCustomError("phone_type", "应为电话号码（文字）")
    if not is_phone(value.strip()):
        raise PydanticCustomError("phone", "不是有效的电话号码（手机 13500000000，座机 0827-5221234）")
    return value.strip()


def _project_id(value):
    if not isinstance(value, str) or not PROJECT_ID.match(value.strip()):
        raise PydanticCustomError(
            "project_id", "立项编号格式应为 BZ + 两位年份 + 两个大写字母 + 三位数字，如 BZ25ZC124"
        )
    return value.strip()


def _date(value):
    """ISO dates (YAML reads 2025-10-15 as a date) and 2025年10月15日."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        m = CN_DATE.match(text)
        parts = m.groups() if m else text.split("-")
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            try:
                return dt.date(*(int(p) for p in parts))
            except ValueError:
                pass
    raise PydanticCustomError("date", "不是有效的日期（应写作 2025-10-15 或 2025年10月15日）")


def _year_month(value):
    """1980-05, 1980.5, 1980年5月 -> '1980-05'."""
    if value is None or value == "":
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    m = YEAR_MONTH.match(str(value).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PydanticCustomError("year_month", "不是有效的年月（应写作 1980-05 或 1980年5月）")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


Blank = Annotated[str, BeforeValidator(_empty_to_blank), WithJsonSchema({"type": ["string", "null"]})]
Phone = Annotated[
    str, BeforeValidator(_phone),
    WithJsonSchema({"type": ["string", "integer"], "description": "手机或座机号码"}),
]
ProjectId = Annotated[
    str, BeforeValidator(_project_id),
    WithJsonSchema({"type": "string", "pattern": PROJECT_ID.pattern, "description": "如 BZ25ZC124"}),
]
Date = Annotated[
    Optional[dt.date], BeforeValidator(_date),
    WithJsonSchema({"type": ["string", "null"], "description": "日期，如 2025-10-15"}),
]
RequiredDate = Annotated[
    dt.date, BeforeValidator(_date),
    WithJsonSchema({"type": "string", "description": "日期，如 2025-10-15"}),
]
YearMonth = Annotated[
    str, BeforeValidator(_year_month),
    WithJsonSchema({"type": ["string", "null"], "description": "年月，如 1980-05"}),
]
YesNo = Literal["是", "否"]


class _FormPart(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


# ---- the form -------------------------------------------------------------------------------

class Declaration(_FormPart):
    """声明：两个问题，只能填 是 或 否。"""
    sensitive: YesNo = Field(alias="涉及敏感问题", description="成果是否涉及敏感问题或其他不宜公开出版的内容")
    classified: YesNo = Field(alias="涉密", description="成果是否涉密")


class Leader(_FormPart):
    """原负责人 / 现负责人（项目变更情况数据表）。"""
    name: Blank = Field("", alias="姓名")
    sex: Annotated[Optional[Literal["男", "女"]], BeforeValidator(_blank_to_none)] = Field(None, alias="性别")
    ethnicity: Blank = Field("", alias="民族")
    birth: YearMonth = Field("", alias="出生日期")
    unit: Blank = Field("", alias="所在单位")
    admin_post: Blank = Field("", alias="行政职务")
    title: Blank = Field("", alias="专业职务")
    address: Blank = Field("", alias="通讯地址")
    phone: Phone = Field("", alias="联系电话")

    def is_blank(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


class Member(_FormPart):
    """原参与人员 / 现参与人员中的一人。"""
    name: Blank = Field(alias="姓名")
    unit: Blank = Field("", alias="单位")
    title: Blank = Field("", alias="职称")
    phone: Phone = Field("", alias="联系电话")


class ChangeTable(_FormPart):
    """一、项目变更情况数据表。是否变更为 否 时，变更各栏可以留空。"""
    approved_name: Blank = Field(alias="立项项目名称")
    result_name: Blank = Field(alias="结项成果名称")
    changed: YesNo = Field(alias="是否变更")
    change_content: Blank = Field("", alias="变更的内容")
    planned_form: Blank = Field("", alias="原计划成果形式")
    actual_form: Blank = Field("", alias="现成果形式")
    planned_finish: Date = Field(None, alias="原计划完成时间")
    actual_finish: Date = Field(None, alias="实际完成时间")
    old_leader: Leader = Field(default_factory=Leader, alias="原负责人")
    new_leader: Leader = Field(default_factory=Leader, alias="现负责人")
    old_members: list[Member] = Field(default_factory=list, alias="原参与人员")
    new_members: list[Member] = Field(default_factory=list, alias="现参与人员")


class UnitReview(_FormPart):
    """二、申请人所在单位审核意见。"""
    opinion: Blank = Field(alias="意见")
    date: Date = Field(None, alias="日期")


class ApplicationForm(_FormPart):
    """巴中市哲学社会科学规划项目结项申请书：申请人填写的全部内容。"""
    project_id: ProjectId = Field(alias="立项编号")
    category: str = Field(alias="项目类别", min_length=1, description="如 自筹课题、重点课题")
    project_name: str = Field(alias="项目名称", min_length=1)
    leader: str = Field(alias="项目负责人", min_length=1, description="负责人姓名（不是单位）")
    unit: str = Field(alias="所在单位", min_length=1)
    filled_on: RequiredDate = Field(alias="填表日期")
    declaration: Declaration = Field(alias="声明")
    changes: ChangeTable = Field(alias="项目变更情况数据表")
    unit_review: UnitReview = Field(alias="所在单位审核意见")

    @property
    def approval_year(self) -> int:
        return 2000 + int(PROJECT_ID.match(self.project_id).group(1))


# ---- rules across fields --------------------------------------------------------------------

@dataclass(frozen=True)
class Issue:
    """A rule broken; ``path`` is the field's path in the form's own labels."""
    path: tuple
    message: str
    severity: str = "error"  # "error" | "warning"


CHANGE_PAIRS = (
    ("planned_form", "actual_form"),
    ("planned_finish", "actual_finish"),
    ("old_leader", "new_leader"),
    ("old_members", "new_members"),
)


def label_of(model: type[BaseModel], name: str) -> str:
    """A field's label on the official form (its YAML key): label_of(Leader, "phone") == "联系电话"."""
    return model.model_fields[name].alias or name


def _filled(value) -> bool:
    if isinstance(value, Leader):
        return not value.is_blank()
    return bool(value)


def _change_issues(table: ChangeTable) -> list[Issue]:
    """是否变更 否: the change columns may stay empty. 是: 变更的内容 and the changed pairs are filled."""
    here = (label_of(ApplicationForm, "changes"),)
    label = lambda name: label_of(ChangeTable, name)  # noqa: E731
    if table.changed == "否":
        if table.change_content:
            return [Issue(here + (label("change_content"),), "是否变更为「否」，却填写了变更的内容", "warning")]
        return []
    issues = []
    if not table.change_content:
        issues.append(Issue(here + (label("change_content"),), "是否变更为「是」时须写明变更的内容"))
    complete_pairs, half_pairs = 0, []
    for old, new in CHANGE_PAIRS:
        has_old, has_new = _filled(getattr(table, old)), _filled(getattr(table, new))
        if has_old and has_new:
            complete_pairs += 1
        elif has_old or has_new:
            missing, given = (new, old) if has_old else (old, new)
            half_pairs.append(Issue(here + (label(missing),), f"填写了{label(given)}，也须填写{label(missing)}"))
    if complete_pairs == 0 and not half_pairs:
        issues.append(Issue(here + (label("changed"),), "是否变更为「是」，但没有填写任何一组变更前后的内容"))
    return issues + half_pairs


FUTURE_GRACE_DAYS = 31   # a date this far ahead is a form prepared early; further, a mistyped year


def _future_issue(path: tuple, what: str, day: dt.date, today: dt.date) -> list[Issue]:
    ahead = (day - today).days
    if ahead <= 0:
        return []
    if ahead <= FUTURE_GRACE_DAYS:
        return [Issue(path, f"{what} {day} 晚于今天（{today}）：若是预先填写，请在提交前核对", "warning")]
    return [Issue(path, f"{what} {day} 晚于今天（{today}）{ahead} 天：年份是否写错了？")]


def _date_issues(form: ApplicationForm, today: dt.date) -> list[Issue]:
    issues = []
    filled = form.filled_on
    filled_path = (label_of(ApplicationForm, "filled_on"),)
    issues += _future_issue(filled_path, "填表日期", filled, today)
    for name in ("planned_finish", "actual_finish"):
        day = getattr(form.changes, name)
        if day and day.year < form.approval_year:
            what = label_of(ChangeTable, name)
            issues.append(Issue((label_of(ApplicationForm, "changes"), what),
                                f"{what} {day} 早于立项年份 {form.approval_year}（立项编号 {form.project_id}）："
                                "项目立项之前不会完成"))
    if filled.year < form.approval_year:
        issues.append(Issue(filled_path, f"填表日期 {filled} 早于立项年份 {form.approval_year}"))
    actual = form.changes.actual_finish
    if actual and actual > filled:
        issues.append(Issue((label_of(ApplicationForm, "changes"), label_of(ChangeTable, "actual_finish")),
                            f"实际完成时间 {actual} 晚于填表日期 {filled}"))
    review = form.unit_review.date
    review_path = (label_of(ApplicationForm, "unit_review"), label_of(UnitReview, "date"))
    if review and review < filled:
        issues.append(Issue(review_path, f"审核意见日期 {review} 早于填表日期 {filled}"))
    if review:
        issues += _future_issue(review_path, "审核意见日期", review, today)
    for leader_name in ("old_leader", "new_leader"):
        birth = getattr(form.changes, leader_name).birth
        if birth and birth > f"{filled.year:04d}-{filled.month:02d}":
            issues.append(Issue((label_of(ApplicationForm, "changes"), label_of(ChangeTable, leader_name),
                                 label_of(Leader, "birth")), f"出生日期 {birth} 晚于填表日期"))
    return issues


def _leader_issues(form: ApplicationForm) -> list[Issue]:
    path = (label_of(ApplicationForm, "leader"),)
    if form.leader == form.unit:
        return [Issue(path, f"项目负责人「{form.leader}」与所在单位相同，应填写负责人姓名", "warning")]
    if looks_like_organisation(form.leader):
        return [Issue(path, f"项目负责人「{form.leader}」像是单位名称，应填写负责人姓名", "warning")]
    return []


def form_issues(form: ApplicationForm, today: Optional[dt.date] = None) -> list[Issue]:
    """Every rule across fields that ``form`` breaks: errors first, then warnings. ``today``
    (default: the computer's date) is what a date in the future is measured against."""
    today = today or dt.date.today()
    issues = _date_issues(form, today) + _change_issues(form.changes) + _leader_issues(form)
    return sorted(issues, key=lambda i: i.severity != "error")
