"""The checker's findings for people (Chinese text, grouped by rule) and for CI (JSON, JUnit XML)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from closure_app.check.findings import RULES, SEVERITY_LABEL, CheckFinding, CheckReport

SHOWN_PER_RULE = 20
KIND_LABEL = {"report": "最终成果", "form": "结项申请书", "booklet": "A3 骑马订拼版", "auto": "", "": ""}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def overall_exit_code(reports: list[CheckReport]) -> int:
    """2 if any file could not be checked, else 1 if any has a violation, else 0."""
    return max((r.exit_code for r in reports), default=0)


def _grouped(findings: list[CheckFinding]) -> list[tuple[str, list[CheckFinding]]]:
    """By rule, the rules with violations first, each in the order of RULES."""
    groups: dict[str, list[CheckFinding]] = {}
    for f in findings:
        groups.setdefault(f.rule, []).append(f)
    order = list(RULES)
    return sorted(groups.items(), key=lambda kv: (min(_SEVERITY_ORDER[f.severity] for f in kv[1]),
                                                  order.index(kv[0]) if kv[0] in order else len(order)))


def _line(f: CheckFinding) -> str:
    s = f"  [{SEVERITY_LABEL[f.severity]}] {f.place}：{f.message}"
    if f.expected or f.found:
        s += f"（应为 {f.expected or '—'}，实为 {f.found or '—'}）"
    return s


def _summary(report: CheckReport) -> str:
    kind = KIND_LABEL.get(report.kind, report.kind)
    head = f"检查 {report.file}" + (f"（{kind}）" if kind else "")
    if report.could_not_check is not None:
        return f"{head}：无法检查。{report.could_not_check}"
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITY_LABEL}
    parts = [f"{counts[s]} 处{SEVERITY_LABEL[s]}" for s in SEVERITY_LABEL if counts[s]]
    verdict = "合格" if report.ok else "不合格"
    return f"{head}：{verdict}" + (f"，{'，'.join(parts)}" if parts else "，未发现问题")


def render_text(reports: list[CheckReport]) -> str:
    out: list[str] = []
    for report in reports:
        out.append(_summary(report))
        for rule, findings in _grouped(report.findings):
            out.append(f"【{RULES.get(rule, rule)}】{len(findings)} 处")
            out += [_line(f) for f in findings[:SHOWN_PER_RULE]]
            if len(findings) > SHOWN_PER_RULE:
                out.append(f"  ……另有 {len(findings) - SHOWN_PER_RULE} 处（完整清单见 --format json）")
        out.append("")
    return "\n".join(out).rstrip()


def report_dict(report: CheckReport) -> dict:
    return {
        "file": report.file,
        "kind": report.kind,
        "ok": report.ok,
        "exit_code": report.exit_code,
        "could_not_check": report.could_not_check,
        "findings": [f.as_dict() | {"rule_title": RULES.get(f.rule, f.rule)} for f in report.findings],
    }


def to_json(reports: list[CheckReport]) -> str:
    data = {"exit_code": overall_exit_code(reports), "files": [report_dict(r) for r in reports]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def _suite(report: CheckReport) -> ET.Element:
    suite = ET.Element("testsuite", name=report.file)
    failures = errors = 0
    if report.could_not_check is not None:
        case = ET.SubElement(suite, "testcase", classname=report.file, name="could-not-check")
        ET.SubElement(case, "error", message=report.could_not_check)
        errors = 1
    else:
        by_rule = dict(_grouped(report.findings))
        for rule, title in RULES.items():
            if rule == "could-not-check":
                continue
            case = ET.SubElement(suite, "testcase", classname=report.file, name=f"{rule}：{title}")
            findings = by_rule.get(rule, [])
            bad = [f for f in findings if f.severity == "error"]
            if bad:
                failures += 1
                fail = ET.SubElement(case, "failure", message=f"{len(bad)} 处违规：{bad[0].message}")
                fail.text = "\n".join(_line(f) for f in bad)
            notes = [f for f in findings if f.severity != "error"]
            if notes:
                ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in notes)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    return suite


def to_junit(reports: list[CheckReport]) -> str:
    root = ET.Element("testsuites", name="closure-app check")
    for report in reports:
        root.append(_suite(report))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
