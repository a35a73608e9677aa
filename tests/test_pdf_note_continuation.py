"""A note too long for what is left of its page continues at the next page's foot, as Word sets
it: its first part stays on the page of its reference, the rest comes first on the next page
under a rule the text's width; the text after a reference never takes its note's room."""
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from closure_app.profile import load_profile

PROFILE = load_profile()
ROOT = Path(__file__).resolve().parents[1]
SPACE = re.compile(r"\s+")


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    from closure_app.fonts import load_fontset
    from closure_app.layout.report import report_document
    from closure_app.render.pdf import render_pdf
    from closure_app.sources.manuscript import load_manuscript

    out = tmp_path_factory.mktemp("second")
    md = out / "second.md"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_second_report.py"), str(md)],
                   check=True, capture_output=True)
    doc = report_document(load_manuscript(md).manuscript, PROFILE)
    result = render_pdf(doc, PROFILE, load_fontset(PROFILE))
    (out / "second.pdf").write_bytes(result.data)
    with pdfplumber.open(out / "second.pdf") as pdf:
        pages = [(SPACE.sub("", p.extract_text() or ""),
                  [ln for ln in p.lines if abs(ln["top"] - ln["bottom"]) < 0.1]) for p in pdf.pages]
    return doc, result, pages


def _foot_rules(rules, width_pt):
    return [ln for ln in rules if abs((ln["x1"] - ln["x0"]) - width_pt) < 1.0]


def test_each_note_starts_on_the_page_of_its_reference(second):
    doc, result, pages = second
    assert len(result.footnote_pages) == len(doc.footnotes) > 20
    for n, page in result.footnote_pages.items():
        text, _ = pages[page - 1]
        assert f"{n}调研资料{n}：" in text, f"note {n} does not start on page {page}"


def test_a_long_note_continues_under_a_full_width_rule_on_the_next_page(second):
    doc, result, pages = second
    width = PROFILE.page("report").text_width_pt
    continued = 0
    for n, page in result.footnote_pages.items():
        note = SPACE.sub("", f"{n} " + "".join(getattr(r, "text", "") for r in doc.footnotes[n].runs))
        here, _ = pages[page - 1]
        if note in here:
            continue
        # the note's first part (one line at least) ends its page; the rest opens the next page's foot
        following, rules = pages[page]
        shared = next(k for k in range(len(note), 0, -1) if note[:k] in here)
        assert shared > 12, f"note {n}: no line of it on page {page}"
        rest = note[shared:]
        assert rest and rest in following, f"note {n}: 「{rest}」 not on page {page + 1}"
        assert _foot_rules(rules, width), f"page {page + 1} has no continuation rule"
        continued += 1
    assert continued >= 1


NOTE = "调研资料：" + "科技创新平台推动协同创新与产学研融合，形成了可复制、可推广的经验。" * 6


def test_a_note_continued_from_the_last_page_gets_a_page_of_its_own(tmp_path):
    """The reference in the last line of the last page: the rest of its note is not lost."""
    import io

    from closure_app.fonts import load_fontset
    from closure_app.layout.report import report_document
    from closure_app.render.pdf import render_pdf
    from closure_app.sources.manuscript import load_manuscript

    from test_table_caption_row import MANUSCRIPT
    front = MANUSCRIPT.split("# 第一章")[0]
    fonts = load_fontset(PROFILE)
    whole = SPACE.sub("", NOTE)
    tails = 0
    for k in range(34, 52, 3):       # the reference line moves down the last page and past it
        body = ("# 第一章 结尾\n\n" + ("县域经济推动高质量发展，成效初步显现。" * 20 + "\n\n") * 3
                + "园区建设保障要素集聚。" * k + "见注[^1]。\n\n[^1]: " + NOTE + "\n")
        (tmp_path / "m.md").write_text(front + body, encoding="utf-8")
        result = render_pdf(report_document(load_manuscript(tmp_path / "m.md").manuscript, PROFILE),
                            PROFILE, fonts)
        with pdfplumber.open(io.BytesIO(result.data)) as pdf:
            texts = [SPACE.sub("", p.extract_text() or "") for p in pdf.pages]
        notes = "".join(texts[result.footnote_pages[1] - 1:])
        assert whole[-30:] in notes, f"k={k}: the end of the note is lost"
        if result.footnote_pages[1] < len(texts):
            tails += 1
            assert "见注1" in texts[result.footnote_pages[1] - 1]
            # the checker takes the lines under the full-width rule, with no mark, as the note
            from closure_app.check import check_file
            (tmp_path / "m.pdf").write_bytes(result.data)
            report = check_file(tmp_path / "m.pdf", PROFILE)
            assert report.errors == [], report.render_text()
    assert tails >= 1
