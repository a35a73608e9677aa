"""Titles and headings break as a reader and GB/T 9704 (7.3.1) expect: whole words, balanced
lines, a subtitle on its own line; checked on the lines decided and on the PDF's lines."""
from __future__ import annotations

import functools

import pytest
from display_text import (CASES, break_offsets, pdf_display_lines, report_of, rule_breaks,
                          squeeze, subtitle_start)
from hypothesis import given, settings, strategies as st

from closure_app.blocks import Heading, Paragraph, Text
from closure_app.fonts import load_fontset
from closure_app.layout.display_breaks import Metrics, broken_runs, with_display_lines
from closure_app.layout.display_lines import break_lines, display_lines
from closure_app.layout.segmenter import words
from closure_app.profile import load_profile
from closure_app.render.pdf import render_pdf

PROFILE = load_profile()
WIDTH = PROFILE.page("report").text_width_pt


@functools.lru_cache(maxsize=1)
def _fonts():
    return load_fontset(PROFILE)


@pytest.fixture(scope="module")
def fonts():
    return _fonts()


def decided(role: str, text: str, fonts) -> list[str]:
    """The lines the build decides for ``text`` set as ``role``."""
    doc = with_display_lines(report_of([(role, text)]), PROFILE, fonts)
    block = doc.blocks[0]
    runs = block.display_runs if isinstance(block, Heading) else block.runs
    return "".join(r.text for r in runs).split("\n")


def widths_of(role: str, text: str, fonts) -> list[float]:
    r = PROFILE.role(role)
    return Metrics(fonts).run_widths([Text(text)], r.family, r.size_pt)[1]


@pytest.mark.parametrize("role,text,expected", CASES, ids=[c[1][:14] for c in CASES])
def test_realistic_titles_and_headings(role, text, expected, fonts):
    lines = decided(role, text, fonts)
    assert rule_breaks(text, lines) == []
    r = PROFILE.role(role)
    for k, line in enumerate(lines):       # every line fits as the PDF measures it
        avail = WIDTH - (r.first_line_chars * r.size_pt if k == 0 else 0)
        assert sum(widths_of(role, line, fonts)) <= avail, line
    if expected is not None:
        assert lines == expected


SUBTITLED = [c[:2] for c in CASES if c[0] != "author" and subtitle_start(c[1]) is not None]


def test_the_cases_have_subtitles_of_every_shape():
    assert len(CASES) >= 30
    assert {"——", "："} <= {next(m for m in ("——", "：") if m in t) for _, t in SUBTITLED}


@pytest.mark.parametrize("role,text", SUBTITLED, ids=[c[1][:14] for c in SUBTITLED])
def test_a_subtitle_starts_its_own_line_when_the_main_part_fits_on_one(role, text, fonts):
    start = subtitle_start(text)
    r = PROFILE.role(role)
    main = squeeze(text)[:start]
    lines = decided(role, text, fonts)
    if sum(widths_of(role, main, fonts)) <= WIDTH - r.first_line_chars * r.size_pt:
        assert break_offsets(lines)[0] == start, lines
        assert squeeze(lines[0]) == main


def test_the_fewest_lines_or_one_more_for_a_phrase(fonts):
    """Balanced, but never longer than it need be: one line more only to keep a phrase whole."""
    for role, text, _ in CASES:
        lines = decided(role, text, fonts)
        widths = widths_of(role, text.replace("\n", ""), fonts)
        assert len(lines) <= -(-sum(widths) // WIDTH) + 1 + text.count("\n"), lines


def test_a_forced_break_always_wins(fonts):
    assert decided("title", "研究\n巴中", fonts) == ["研究", "巴中"]          # short lines the user wrote
    assert decided("h2", "1.1 背景\n与意义", fonts) == ["1.1 背景", "与意义"]


def test_heading_numbers_stay_with_their_first_word():
    text = "第一章 " + "新质生产力" * 5
    widths = [16.0 if ord(ch) > 127 else 8.0 for ch in text]
    lines = display_lines(text, widths, 16 * 14, words=words)
    assert lines[0].startswith("第一章 新质")


def test_no_line_of_one_or_two_characters_even_when_filling():
    text = "龙头企业链式赋能模式以广东美的和上海烟机为例"
    widths = [16.0] * len(text)
    for chars in range(6, 22):
        for fill in (False, True):
            lines = display_lines(text, widths, chars * 16 + 0.5, words=words, subtitle=False, fill=fill)
            assert all(len(line) >= 3 for line in lines), (chars, fill, lines)
            assert all(len(line) <= chars for line in lines)


def test_filling_fills_the_first_line_and_balancing_does_not():
    text = "龙头企业链式赋能模式以广东美的和上海烟机为例"       # 22 characters
    widths = [16.0] * len(text)
    filled = display_lines(text, widths, 18 * 16 + 0.5, words=words, subtitle=False, fill=True)
    balanced = display_lines(text, widths, 18 * 16 + 0.5, words=words, subtitle=False)
    assert len(filled[0]) >= 15 and 9 <= len(balanced[0]) <= 13


def test_a_word_too_wide_for_any_line_is_cut_where_it_must():
    text = "模型" + "A" * 40
    widths = [16.0, 16.0] + [8.0] * 40
    spans = break_lines(text, widths, 10 * 16, words=words)
    assert all(sum(widths[a:b]) <= 10 * 16 for a, b in spans)
    assert "".join(text[a:b] for a, b in spans) == text


def test_toc_entries_keep_words_whole_and_none_alone_before_the_leader(fonts):
    """As the sample's 4.3 cases: 「例」 and 「践」 were left alone before the leader."""
    r = PROFILE.role("toc")
    metrics = Metrics(fonts)
    for text in ["1. 龙头企业链式赋能模式：以广东美的和上海烟机为例",
                 "2. 区域级平台生态赋能模式：江西忽米与浙江丽水实践",
                 "3. 技术交易与服务赋能模式：上海技术交易所的创新实践"]:
        width = WIDTH - 4 * r.size_pt / 2 - 2 * r.size_pt      # the page number's room, level 3
        runs = broken_runs([Text(text)], metrics, r.family, r.size_pt, width, subtitle=False, fill=True)
        lines = "".join(x.text for x in runs).split("\n")
        assert len(lines) == 2 and rule_breaks(text, lines) == []


# ---- the PDF as a reader sees it --------------------------------------------------------------

def test_the_pdf_sets_every_case_on_the_lines_decided(fonts):
    cases = [(role, text) for role, text, _ in CASES]
    doc = with_display_lines(report_of(cases), PROFILE, fonts)
    got = pdf_display_lines(render_pdf(doc, PROFILE, fonts).data, doc, PROFILE)
    for (role, text), lines in zip(cases, got):
        assert [squeeze(x) for x in lines] == [squeeze(x) for x in decided(role, text, fonts)]
        assert rule_breaks(text, lines) == []


WORDS = ["巴中市", "通江县", "乡村振兴", "新质生产力", "数字化转型", "高质量发展", "红色文化", "资源",
         "保护", "开发利用", "路径", "研究", "机制", "县域经济", "特色产业", "实践逻辑", "优化",
         "协同发展", "基层治理", "现代化", "背景下", "视域下", "的", "与", "及其", "对策", "评价",
         "AI", "ChatGPT", "5G", "DEA模型", "2024年", "三个县区", "成渝地区", "双城经济圈"]
QUOTED = ["《论持久战》", "“两山”理念", "“五区共建”", "《乡村振兴促进法》"]


@st.composite
def titles(draw):
    main = "".join(draw(st.lists(st.sampled_from(WORDS + QUOTED), min_size=4, max_size=16)))
    if draw(st.booleans()):
        main += " " + "".join(draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=8)))
    tail = draw(st.sampled_from(["", "——以{}为例", "：基于{}的调查", "（2015—2024年）"]))
    place = draw(st.sampled_from(["通江银耳与南江黄羊", "巴中市三个县区", "川陕革命老区"]))
    return main + tail.format(place)


@settings(max_examples=50, deadline=None)
@given(titles(), st.sampled_from(["title", "h1", "h2", "h3"]))
def test_property_pdf_lines_break_between_words_and_keep_subtitles_apart(text, role):
    """Every break of display text in the PDF falls on a word boundary of the segmenter, no
    line is one or two characters, and a subtitle starts its own line when its main part fits
    on one."""
    fonts = _fonts()
    doc = with_display_lines(report_of([(role, text)]), PROFILE, fonts)
    (lines,) = pdf_display_lines(render_pdf(doc, PROFILE, fonts).data, doc, PROFILE)
    assert rule_breaks(text, lines) == []
    start = subtitle_start(text)
    r = PROFILE.role(role)
    if start is not None and len(lines) > 1:
        main = squeeze(text)[:start]
        if sum(widths_of(role, main, fonts)) <= WIDTH - r.first_line_chars * r.size_pt:
            assert break_offsets(lines)[0] == start, lines


def test_a_table_header_and_a_cover_value_break_between_words(fonts):
    from closure_app.blocks import Cell, Row, Table

    header = "县域特色产业高质量发展综合评价指标"
    table = Table([Row([Cell([Paragraph([Text(header)], role="table")]),
                        Cell([Paragraph([Text("数值")], role="table")])], header=True),
                   Row([Cell([Paragraph([Text("新质生产力发展水平测度与提升路径")], role="table", display=True)]),
                        Cell([Paragraph([Text("1")], role="table")])])],
                  col_widths=[1, 3])
    doc = with_display_lines(report_of([]), PROFILE, fonts)
    doc.blocks = [table]
    out = with_display_lines(doc, PROFILE, fonts).blocks[0]
    head = out.rows[0].cells[0].paragraphs[0].text.split("\n")
    value = out.rows[1].cells[0].paragraphs[0].text.split("\n")
    assert len(head) > 1 and rule_breaks(header, head) == []
    assert len(value) > 1 and rule_breaks("新质生产力发展水平测度与提升路径", value) == []
    assert out.rows[1].cells[1].paragraphs[0].text == "1"


def test_emails_and_urls_stay_whole_unless_wider_than_a_line():
    def w(text):
        return [16.0 if ord(ch) > 127 else 8.0 for ch in text]

    text = "电子邮箱：someone.with.a.long.name@example-university.edu.cn 联系电话：13500000000）"
    lines = display_lines(text, w(text), 16 * 32, words=words, subtitle=False)
    assert "someone.with.a.long.name@example-university.edu.cn" in lines[0] + lines[-1]
    assert any(line.startswith("联系电话") for line in lines)
    url = "https://example.com/a/very/long/path/segment/that/is/far/too/long/for/one/line"
    text = "调查与" + url + "的分析"
    lines = display_lines(text, w(text), 16 * 14, words=words)
    assert all(sum(w(line)) <= 16 * 14 for line in lines)
    assert all(line[-1] in "/.-" for line in lines[:-1] if line[-1].isascii())


def test_lines_are_balanced_a_trapezoid_or_a_diamond(fonts):
    """Where no phrase boundary decides, two lines differ by at most a few ems, and the middle
    of three is never clearly the shortest (an hourglass)."""
    for role, text, _ in CASES:
        if "\n" in text:
            continue
        lines = decided(role, text, fonts)
        size = PROFILE.role(role).size_pt
        lengths = [sum(widths_of(role, x, fonts)) / size for x in lines]     # in ems
        phrased = any(x.startswith(("——", "（")) or x.endswith("：") for x in lines) or " " in text
        if len(lines) == 2 and not phrased:
            assert abs(lengths[0] - lengths[1]) <= 4, lines
        if len(lines) >= 3:
            for k in range(1, len(lines) - 1):
                assert lengths[k] >= min(lengths[k - 1], lengths[k + 1]) - 1, lines


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="数字赋能县域特色产业的研究与路径——：（）《》“”、，AI5G 2024年\n", max_size=60),
       st.integers(min_value=6, max_value=30), st.booleans(), st.booleans())
def test_property_any_text_any_width_every_line_fits_and_nothing_is_lost(text, chars, subtitle, fill):
    widths = [8.0 if ch.isascii() else 16.0 for ch in text]
    spans = break_lines(text, widths, chars * 16 + 0.5, words=words, subtitle=subtitle, fill=fill)
    kept = "".join(text[a:b] for a, b in spans)
    assert squeeze(kept) == squeeze(text)                      # only spaces and newlines dropped
    assert all(a <= b for a, b in spans) and all(b <= c for (_, b), (c, _) in zip(spans, spans[1:]))
    for a, b in spans:
        if b - a > 1:
            assert sum(widths[a:b]) <= chars * 16 + 0.5, text[a:b]
