"""What the checker found: rules, findings and the report of one file."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, Optional

from closure_app.profile import zihao_name

Severity = Literal["error", "warning", "info"]

# Rule id -> what the rule asks, in Chinese (the heading of its group in the report).
RULES: dict[str, str] = {
    "font-family": "字体",
    "font-size": "字号",
    "font-bold": "加粗",
    "theme-font": "主题字体（应写明字体名）",
    "heading-style": "标题应使用标题样式或大纲级别",
    "unknown-font": "配置文件未列出的字体",
    "page-size": "纸张大小",
    "form-answer": "结项申请书：未填或填写有误的栏目",
    "page-margin": "页边距",
    "font-embedded": "PDF 字体须嵌入",
    "font-substitute": "以替代字体排版",
    "booklet-page-size": "A3 骑马订：页面须为 A3 横向",
    "booklet-page-count": "A3 骑马订：页数须合骑马订顺序",
    "could-not-check": "无法检查",
}

# Rule id -> the clause of the mandate it enforces. The ids are stable: reports, spreadsheets
# and CI jobs key on them. 填表说明第三条 is the form's own rule on the final report's type.
MANDATE_FONTS = ("《结项申请书》填表说明第三条：主标题 2 号方正小标宋简体，一级标题 3 号方正黑体-GBK，"
                 "二级标题 3 号方正楷体-GBK，三级标题 3 号方正仿宋-GBK 加粗，正文 3 号方正仿宋-GBK")
MANDATE_PRINT = "《结项申请书》填表说明第三条：A3 纸双面印制，中缝装订"
HOUSE_PAGE = "GB/T 9704-2012 版面（A4，版心 156×225 mm），A3 对折即为 A4"
CLAUSES: dict[str, str] = {
    "font-family": MANDATE_FONTS + "（字体）",
    "font-size": MANDATE_FONTS + "（字号）",
    "font-bold": MANDATE_FONTS + "（三级标题加粗，其余不加粗）",
    "theme-font": MANDATE_FONTS + "（字体须写明，不随主题改变）",
    "heading-style": MANDATE_FONTS + "（标题分一、二、三级）",
    "unknown-font": MANDATE_FONTS + "（只用规定的字体）",
    "page-size": f"{MANDATE_PRINT}；{HOUSE_PAGE}",
    "form-answer": "《结项申请书》填表说明第二条：认真如实填写表内栏目，凡选择性栏目请在选项上打“√”",
    "page-margin": f"{HOUSE_PAGE}（页边距是排版惯例，仅作提示）",
    "font-embedded": MANDATE_FONTS + "（PDF 须嵌入字体，打印才是规定的字体）",
    "font-substitute": MANDATE_FONTS + "（替代字体不是规定的字体）",
    "booklet-page-size": MANDATE_PRINT,
    "booklet-page-count": MANDATE_PRINT,
    "could-not-check": "（文件无法读取，未能对照任何条款检查）",
}


def rule_clause(rule: str) -> str:
    return CLAUSES.get(rule, MANDATE_FONTS)


SEVERITY_LABEL: dict[str, str] = {"error": "违规", "warning": "警告", "info": "提示"}
OPENING_CHARS = 16


def opening(text: str) -> str:
    """The opening words of a paragraph or line, to show where a finding is."""
    s = " ".join(text.split())
    return s if len(s) <= OPENING_CHARS else s[:OPENING_CHARS] + "…"


def size_label(pt: float) -> str:
    """16 -> '三号（16pt）'; a size with no 字号 name -> '15.5pt'."""
    name = zihao_name(pt)
    return name if name.endswith("pt") else f"{name}（{pt:g}pt）"


@dataclass(frozen=True)
class CheckFinding:
    rule: str                 # a key of RULES
    message: str              # Chinese, for people
    place: str                # 第 12 段「1.1 研究背景…」 / 第 3 页第 5 行「…」
    expected: str = ""
    found: str = ""
    severity: Severity = "error"
    # Where in the file, for tools: a DOCX finding's paragraph (1-based, in the order of
    # document.xml's w:p elements, tables included, as in 第 n 段), a PDF finding's page.
    paragraph: Optional[int] = None
    page: Optional[int] = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CheckReport:
    """The findings on one file. ``exit_code``: 0 clean, 1 violations, 2 could not check."""
    file: str
    kind: str = ""
    findings: list[CheckFinding] = field(default_factory=list)
    could_not_check: Optional[str] = None   # why the file could not be read, in Chinese

    @property
    def errors(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.could_not_check is None and not self.errors

    @property
    def exit_code(self) -> int:
        if self.could_not_check is not None:
            return 2
        return 0 if self.ok else 1

    def render_text(self) -> str:
        from closure_app.check.report import render_text
        return render_text([self])

    def to_json(self) -> str:
        import json

        from closure_app.check.report import report_dict
        return json.dumps(report_dict(self), ensure_ascii=False, indent=2)

    def to_junit(self) -> str:
        from closure_app.check.report import to_junit
        return to_junit([self])


def apply_strict(findings: list[CheckFinding], strict: bool) -> list[CheckFinding]:
    """Under --strict a warning is a failure."""
    if not strict:
        return findings
    return [CheckFinding(**{**f.as_dict(), "severity": "error"}) if f.severity == "warning" else f
            for f in findings]
