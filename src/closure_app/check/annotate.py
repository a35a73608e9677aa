"""An annotated copy of a DOCX: a Word comment (批注) at every finding, for the office to send
back to the author. The original is never touched.

A DOCX finding carries ``paragraph``: the 1-based index of its paragraph among document.xml's
``w:p`` elements in document order (tables included), as 第 n 段 counts. Findings with no
paragraph (a section's page size, a footnote) are commented on the first paragraph with text,
naming their place.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from closure_app.check.findings import RULES, SEVERITY_LABEL, CheckFinding, rule_clause

AUTHOR = "closure-app 格式检查"
INITIALS = "格式"
_TEXT_RUNS = "./w:r[w:t] | ./w:hyperlink/w:r[w:t] | ./w:ins/w:r[w:t] | ./w:smartTag/w:r[w:t]"


def comment_text(f: CheckFinding, *, with_place: bool = False) -> str:
    s = f"【{SEVERITY_LABEL[f.severity]}】" + (f"{f.place}：" if with_place else "") + f.message
    if f.expected or f.found:
        s += f"（应为 {f.expected or '—'}，实为 {f.found or '—'}）"
    clause = rule_clause(f.rule).split("：")[0]      # the clause's name, not its whole text
    return s + f"\n规则 {f.rule}（{RULES.get(f.rule, f.rule)}），依据{clause}"


def _runs(p, paragraph):
    from docx.text.run import Run
    return [Run(r, paragraph) for r in p.xpath(_TEXT_RUNS)]


def annotate_docx(src: Path, dest: Path, findings: list[CheckFinding]) -> int:
    """Write ``dest``: ``src`` with one comment per finding; the number of comments added."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(src))
    body = document.element.body
    paragraphs = list(body.iter(qn("w:p")))
    first: Optional[tuple] = None
    for p in paragraphs:
        para = Paragraph(p, document._body)
        runs = _runs(p, para)
        if runs:
            first = (para, runs)
            break
    added = 0
    for f in findings:
        target = None
        if f.paragraph is not None and 1 <= f.paragraph <= len(paragraphs):
            p = paragraphs[f.paragraph - 1]
            para = Paragraph(p, document._body)
            runs = _runs(p, para) or [para.add_run("")]
            target = (runs, False)
        elif first is not None:
            target = (first[1], True)
        if target is None:
            para = document.add_paragraph()
            target = ([para.add_run("")], True)
        runs, with_place = target
        document.add_comment(runs, text=comment_text(f, with_place=with_place), author=AUTHOR, initials=INITIALS)
        added += 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(dest))
    return added
