"""The sample manuscript is a faithful transcription of the real report in the seed text.

Independent of the package on purpose: only the standard library and PyYAML, so a
transcription error is caught even while the Markdown reader is broken.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

MANUSCRIPT = Path(__file__).resolve().parents[1] / "manuscript" / "manuscript.md"
SEED = Path(__file__).resolve().parents[2] / "shared/seed/000_090f710a03566b90.txt"

HAN = re.compile(r"[\u4e00-\u9fff]")  # CJK Unified Ideographs
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
CHAPTER_NUMERALS = "一二三四五六七"
REFERENCE_LABEL = re.compile(r"^(?:- )?\[\d+\]", re.M)
MIN_COVERAGE = 0.99
MAX_ADDED = 0.01


# ---------------------------------------------------------------- pure helpers


def han(text: str) -> str:
    """The Han characters of `text`, in order."""
    return "".join(HAN.findall(text))


def in_order_overlap(seed_han: str, manuscript_han: str) -> int:
    """How many characters of `seed_han` reappear in `manuscript_han` in the same order."""
    matcher = difflib.SequenceMatcher(None, seed_han, manuscript_han, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def coverage(seed_text: str, manuscript_text: str) -> tuple[float, float]:
    """(share of the seed's Han characters kept in order, Han characters added per seed character)."""
    seed_han, manuscript_han = han(seed_text), han(manuscript_text)
    kept = in_order_overlap(seed_han, manuscript_han)
    return kept / len(seed_han), (len(manuscript_han) - kept) / len(seed_han)


def split_front_matter(markdown: str) -> tuple[dict, str]:
    """The YAML front matter as a dict, and the Markdown body after it."""
    match = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    if match is None:
        raise ValueError("no YAML front matter")
    return yaml.safe_load(match.group(1)), markdown[match.end():]


def report_part(seed_text: str, title: str) -> str:
    """The seed from the report title to the end, without the hand-made 目录."""
    toc_start = seed_text.index("\n目录\n")
    report_start = seed_text.rindex(title, 0, toc_start)
    abstract_start = seed_text.index("\n摘要：", toc_start)
    return seed_text[report_start:toc_start] + seed_text[abstract_start:]


def seed_toc(seed_text: str) -> list[str]:
    """The entries of the seed's hand-made 目录, page numbers dropped."""
    toc = seed_text[seed_text.index("\n目录\n") : seed_text.index("\n摘要：")]
    entries = (re.sub(r"\s+\d+$", "", line).strip() for line in toc.splitlines()[2:])
    return [entry for entry in entries if entry]


def seed_notes(report: str) -> list[str]:
    """The footnote texts the seed prints at page feet (lines opening with superscript digits)."""
    return [
        line.lstrip(SUPERSCRIPT_DIGITS).strip()
        for line in report.splitlines()
        if line[:1] and line[0] in SUPERSCRIPT_DIGITS
    ]


def reference_listing(report: str) -> str:
    """The seed after its `[参考文献]` line."""
    return report[report.index("[参考文献]") + len("[参考文献]") :]


def seed_references(report: str) -> list[str]:
    """The seed's reference list, one string per `[n]` item (bulleted or not), its label dropped."""
    items = re.split(REFERENCE_LABEL, reference_listing(report))[1:]
    return ["".join(item.split()) for item in items]


def headings(body: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", body, re.M)


def footnote_definitions(body: str) -> dict[str, str]:
    return dict(re.findall(r"^\[\^([^\]]+)\]: (.*)$", body, re.M))


def footnote_references(body: str) -> list[str]:
    return re.findall(r"\[\^([^\]]+)\](?!:)", body)


def reference_items(body: str) -> list[str]:
    """The ordered-list items under `# 参考文献`, markers dropped."""
    section = body[body.index("\n# 参考文献\n") :]
    return re.findall(r"^\d+\. (.+)$", section, re.M)


def no_space(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed text not found at {SEED} (the shared folder sits beside the checkout)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def manuscript_text() -> str:
    return MANUSCRIPT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def front_matter(manuscript_text) -> dict:
    return split_front_matter(manuscript_text)[0]


@pytest.fixture(scope="module")
def body(manuscript_text) -> str:
    return split_front_matter(manuscript_text)[1]


@pytest.fixture(scope="module")
def report(seed_text, front_matter) -> str:
    return report_part(seed_text, front_matter["title"])


def longest_paragraph(markdown: str) -> str:
    return max(markdown.split("\n\n"), key=len)


# ---------------------------------------------------------------- helper unit tests


def test_han_keeps_only_ideographs():
    assert han("第一章 绪论 1.1 R&D，“创新”。") == "第一章绪论创新"
    assert han("2024-02-29 [EB/OL] ，。：") == ""


def test_in_order_overlap_counts_order_not_membership():
    assert in_order_overlap("甲乙丙丁", "甲乙丙丁") == 4
    assert in_order_overlap("甲乙丙丁", "丁丙乙甲") == 1
    assert in_order_overlap("甲乙丙丁", "甲丙") == 2


def test_split_front_matter_rejects_a_file_without_one():
    assert split_front_matter("---\ntitle: 题\n---\n# 第一章\n") == ({"title": "题"}, "# 第一章\n")
    with pytest.raises(ValueError):
        split_front_matter("# 第一章 绪论\n")


# ---------------------------------------------------------------- the text itself


def test_manuscript_keeps_the_seed_report_in_order(report, manuscript_text):
    kept, added = coverage(report, manuscript_text)
    assert kept >= MIN_COVERAGE, f"only {kept:.2%} of the seed's Han characters kept in order"
    assert added <= MAX_ADDED, f"{added:.2%} Han characters the seed lacks"


def test_coverage_catches_a_lost_paragraph(report, manuscript_text):
    without = manuscript_text.replace(longest_paragraph(manuscript_text), "")
    assert coverage(report, without)[0] < MIN_COVERAGE


def test_coverage_catches_a_duplicated_paragraph(report, manuscript_text):
    paragraph = longest_paragraph(manuscript_text)
    doubled = manuscript_text.replace(paragraph, paragraph + "\n\n" + paragraph)
    assert coverage(report, doubled)[1] > MAX_ADDED


def test_hand_made_toc_is_not_copied(body):
    assert "目录" not in headings(body, 1)
    assert not re.search(r"\t\d+$", body, re.M), "TOC lines with page numbers in the body"


def test_numbered_body_paragraphs_are_not_turned_into_lists(body):
    before_references = body[: body.index("\n# 参考文献\n")]
    assert not re.findall(r"^\d+[.)] .*$", before_references, re.M)
    assert "1\\. 畅通人员、技术和数据跨境流动。" in body


# ---------------------------------------------------------------- front matter


def test_front_matter_comes_from_the_seed(front_matter, report):
    author = front_matter["author"]
    assert report.startswith(front_matter["title"] + "\n")
    assert f"{author['unit']} {author['name']}" in report
    for field in ("unit", "address", "email"):
        assert author[field] in report, field
    assert han(author["position"]) in han(report)
    assert author["postcode"] == "636700" and f"邮编:{author['postcode']}" in report
    assert isinstance(author["phone"], str) and f"联系电话:{author['phone']}" in report


def test_abstract_and_keywords_match_the_seed(front_matter, report):
    abstract = report[report.index("摘要：") + len("摘要：") : report.index("关键词：")]
    assert no_space(front_matter["abstract"]) == no_space(abstract)
    keywords = report[report.index("关键词：") + len("关键词：") :].splitlines()[0]
    assert front_matter["keywords"] == keywords.split("；")


# ---------------------------------------------------------------- structure


def test_seven_chapters_then_references(body, report):
    chapters = headings(body, 1)
    assert [c.split()[0] for c in chapters] == [f"第{n}章" for n in CHAPTER_NUMERALS] + ["参考文献"]
    seed_chapters = re.findall(r"^第[一二三四五六七]章 .+$", report, re.M)
    assert chapters[:-1] == seed_chapters


def test_level_two_headings_match_the_seed(body, report):
    seed_sections = re.findall(r"^\d\.\d \S.*$", report, re.M)
    assert headings(body, 2) == seed_sections
    assert len(seed_sections) == 16


# Two case titles under 4.2 stand alone and numbered in the seed's text, like the case titles
# under 4.3, but the hand-made 目录 leaves them out; they are level-3 headings all the same.
CASE_TITLES_4_2 = ["1. 盐城绿色低碳科创园：全链条创新与国际化认证", "2. 扬州零碳园区：“能碳大脑”与系统化减排"]


def test_level_three_headings_follow_the_hand_made_toc(body, seed_text, report):
    numbered = [e for e in seed_toc(seed_text) if re.match(r"\d+\.\s", e)]
    found = [no_space(h) for h in headings(body, 3)]
    for title in CASE_TITLES_4_2:
        assert re.search(rf"^{re.escape(title)}$", report, re.M), title
        found.remove(no_space(title))
    assert found == [no_space(e) for e in numbered]


def test_level_four_headings_are_the_stages_of_industrial_innovation(body):
    assert headings(body, 4) == ["1)、技术创新", "2)、产品创新", "3)、市场创新", "4)、产业融合"]


def test_eleven_footnotes_each_referenced_once_in_order(body):
    definitions = footnote_definitions(body)
    references = footnote_references(body)
    labels = [str(n) for n in range(1, 12)]
    assert list(definitions) == labels
    assert references == labels


def test_footnote_texts_are_the_seed_page_foot_notes(body, report):
    notes = seed_notes(report)
    assert len(notes) == 11
    assert list(footnote_definitions(body).values()) == notes


def test_reference_list_matches_the_seed(body, report):
    expected = seed_references(report)
    assert len(expected) == len(REFERENCE_LABEL.findall(reference_listing(report))) == 5
    assert [no_space(item) for item in reference_items(body)] == expected
