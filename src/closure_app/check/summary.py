"""What a batch check writes for the receiving office, into one folder (``--report-dir``):

- ``summary.html``: one self-contained page (no network): each file pass / warn / fail /
  could-not-check, counts by rule, each file's findings folded under it, sortable columns;
- ``summary.csv``: one row per finding (and one per file without findings), UTF-8 with a BOM
  so Excel shows the Chinese;
- ``summary.json``: the same, for programs;
- ``junit.xml``: one testcase per file, for CI dashboards;
- ``annotated/``: for each failing DOCX, a copy with a Word comment (批注) at every finding.
"""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from closure_app.check.findings import RULES, SEVERITY_LABEL, CheckReport, rule_clause
from closure_app.check.report import KIND_LABEL, _line

STATUS_LABEL = {"pass": "合格", "warn": "合格（有警告）", "fail": "不合格", "could-not-check": "无法检查"}
STATUS_ORDER = ("fail", "could-not-check", "warn", "pass")
CSV_COLUMNS = ("文件", "结果", "类型", "规则", "规则名称", "条款", "级别", "位置", "问题", "应为", "实为", "批注副本")


def status(report: CheckReport) -> str:
    if report.could_not_check is not None:
        return "could-not-check"
    if report.errors:
        return "fail"
    return "warn" if any(f.severity == "warning" for f in report.findings) else "pass"


@dataclass
class Entry:
    """One file of the batch, as the summary shows it."""
    name: str                      # relative to the folder it was found in
    report: CheckReport
    annotated: Optional[str] = None       # path of the annotated copy, relative to the report folder
    annotate_error: Optional[str] = None  # why no annotated copy could be made

    @property
    def status(self) -> str:
        return status(self.report)

    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.report.findings)
        return {s: c.get(s, 0) for s in SEVERITY_LABEL}


@dataclass
class Summary:
    entries: list[Entry]
    profile: str = ""
    seconds: float = 0.0
    files_by_status: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.files_by_status = Counter(e.status for e in self.entries)

    def rule_counts(self) -> list[dict]:
        """Per rule: findings by severity and files touched, rules with errors first."""
        rows: dict[str, dict] = {}
        for e in self.entries:
            for f in e.report.findings:
                row = rows.setdefault(f.rule, {"rule": f.rule, "title": RULES.get(f.rule, f.rule),
                                               "clause": rule_clause(f.rule), "error": 0, "warning": 0,
                                               "info": 0, "files": set()})
                row[f.severity] += 1
                row["files"].add(e.name)
            if e.report.could_not_check is not None:
                row = rows.setdefault("could-not-check", {"rule": "could-not-check", "title": RULES["could-not-check"],
                                                          "clause": rule_clause("could-not-check"), "error": 0,
                                                          "warning": 0, "info": 0, "files": set()})
                row["error"] += 1
                row["files"].add(e.name)
        out = [{**r, "files": len(r["files"])} for r in rows.values()]
        order = list(RULES)
        return sorted(out, key=lambda r: (-r["error"], -r["warning"], order.index(r["rule"]) if r["rule"] in order
                                          else len(order)))


def to_json(summary: Summary) -> str:
    files = []
    for e in summary.entries:
        r = e.report
        files.append({
            "file": e.name, "path": r.file, "status": e.status, "kind": r.kind, "exit_code": r.exit_code,
            "could_not_check": r.could_not_check, "counts": e.counts(), "annotated": e.annotated,
            "annotate_error": e.annotate_error,
            "findings": [f.as_dict() | {"rule_title": RULES.get(f.rule, f.rule), "clause": rule_clause(f.rule)}
                         for f in r.findings],
        })
    data = {"profile": summary.profile, "seconds": round(summary.seconds, 3),
            "files": len(summary.entries), "by_status": {s: summary.files_by_status.get(s, 0) for s in STATUS_ORDER},
            "rules": summary.rule_counts(), "results": files}
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(summary: Summary) -> str:
    """UTF-8 text with a BOM (Excel reads Chinese CSV correctly only then)."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(CSV_COLUMNS)
    for e in summary.entries:
        r = e.report
        head = [e.name, STATUS_LABEL[e.status], KIND_LABEL.get(r.kind, r.kind)]
        if r.could_not_check is not None:
            out.writerow(head + ["could-not-check", RULES["could-not-check"], rule_clause("could-not-check"),
                                 "违规", "全文", r.could_not_check, "", "", ""])
        elif not r.findings:
            out.writerow(head + [""] * 8 + [""])
        for f in r.findings:
            out.writerow(head + [f.rule, RULES.get(f.rule, f.rule), rule_clause(f.rule), SEVERITY_LABEL[f.severity],
                                 f.place, f.message, f.expected, f.found, e.annotated or ""])
    return "\ufeff" + buf.getvalue()


def to_junit(summary: Summary) -> str:
    """One testcase per file: a failure for violations, an error for a file that could not be checked."""
    suite = ET.Element("testsuite", name="closure-app check", tests=str(len(summary.entries)))
    failures = errors = 0
    for e in summary.entries:
        r = e.report
        case = ET.SubElement(suite, "testcase", classname="closure-app.check", name=e.name)
        if r.could_not_check is not None:
            ET.SubElement(case, "error", message=r.could_not_check)
            errors += 1
            continue
        bad = r.errors
        if bad:
            failures += 1
            rules = Counter(f.rule for f in bad)
            fail = ET.SubElement(case, "failure", message=f"{len(bad)} 处违规（" + "，".join(
                f"{RULES.get(k, k)} {n}" for k, n in rules.items()) + "）", type=",".join(rules))
            fail.text = "\n".join(_line(f) for f in bad)
        notes = [f for f in r.findings if f.severity != "error"]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in notes)
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("time", f"{summary.seconds:.3f}")
    root = ET.Element("testsuites", name="closure-app check")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


ANNOTATED_DIR = "annotated"


def annotated_names(names: list[str]) -> list[str]:
    """Where each file's annotated copy would go, relative to the report folder: its path with
    folders joined by '__' (two counties may both send 报告.docx), each name once."""
    taken: set[str] = set()
    out = []
    for name in names:
        stem = Path(name).with_suffix("").as_posix().lstrip("/").replace("/", "__")
        candidate, n = f"{stem}.批注.docx", 2
        while candidate in taken:
            candidate, n = f"{stem}-{n}.批注.docx", n + 1
        taken.add(candidate)
        out.append(f"{ANNOTATED_DIR}/{candidate}")
    return out


def run_batch(jobs_found, profile, folder: Optional[Path], *, strict: bool = False, kind: str = "auto",
              jobs: Optional[int] = None, profile_label: str = "") -> Summary:
    """Check every file found (batch.collect), annotated copies of failing DOCX files made in the
    workers, and write the summary into ``folder`` (None: only the summary object)."""
    import time

    from closure_app.check.batch import check_all

    names = [j.name for j in jobs_found]
    targets = [folder / n for n in annotated_names(names)] if folder is not None else None
    if folder is not None:
        (folder / ANNOTATED_DIR).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    checked = check_all([j.path for j in jobs_found], profile, strict=strict, kind=kind, jobs=jobs,
                        annotate_to=targets)
    entries = [Entry(name, c.report, c.annotated.relative_to(folder).as_posix() if c.annotated else None,
                     c.annotate_error) for name, c in zip(names, checked)]
    summary = Summary(entries, profile_label, time.perf_counter() - started)
    if folder is not None:
        write_summary(summary, folder)
    return summary


def write_summary(summary: Summary, folder: Path) -> list[Path]:
    """summary.json, summary.csv (with a BOM), junit.xml and summary.html into ``folder``."""
    from closure_app.check.summary_html import to_html

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("summary.json", to_json(summary)), ("summary.csv", to_csv(summary)),
                       ("junit.xml", to_junit(summary)), ("summary.html", to_html(summary))):
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="" if name.endswith(".csv") else None)
        written.append(path)
    annotated = folder / ANNOTATED_DIR
    if annotated.is_dir() and not any(annotated.iterdir()):
        annotated.rmdir()
    return written
