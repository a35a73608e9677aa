"""What each paragraph of a DOCX is, as a person reads it: title, author line, TOC, abstract,
keywords, a heading of some level, body, caption, reference ...

Heading levels are relative to the document. The signals, strongest first: a heading style
(``Heading 2``, ``标题 2``, or a custom style whose ``basedOn`` chain reaches one), an outline
level, the numbering Word shows (automatic, from numbering.xml) or the text carries (第一章 /
一、/ 1.1 / （一）/ 1. / （1）/ 1)), and a short bold paragraph without end punctuation. Styled
levels are ranked among the styled levels the document uses (so a report whose chapters are
in ``Heading 2`` has them at level 1); unstyled headings take their place under the heading
above them by the usual order of Chinese numbering (第一章 > 一、 > （一）> 1. > （1）). A
``Heading 1`` that holds the title (the only one, above everything) is the title.

Every decision records how it was made (``how``), for ``import --explain`` and the checker's
messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from closure_app.numbering import classify_numbering
from closure_app.ooxml.document import DocxDocument, Para

HEADING_MAX_CHARS = 40
BOLD_HEADING_MAX_CHARS = 30
SENTENCE_END = tuple("。．.；;，,：:！？!?、")
TOC_ENTRY = re.compile(r"(?:[.．…·\-_]{2,}|\t)\s*[\dⅰ-ⅻivxIVX]+\s*$")
CAPTION = re.compile(r"^(?:图|表|Figure|Fig\.|Table)\s*\d+(?:\s*[-–—.．]\s*\d+)?(?=\s|[\u4e00-\u9fff：:]|$)")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,2}[ \t\u3000]+(?=[\u4e00-\u9fff])")
ABSTRACT = re.compile(r"^\s*[【\[［〔]?\s*(?:内容)?摘\s*要\s*[】\]］〕]?\s*[：:]?\s*")
KEYWORDS = re.compile(r"^\s*[【\[［〔]?\s*关\s*键\s*[词字]\s*[】\]］〕]?\s*[：:]?\s*")
REFERENCES = re.compile(r"^[【\[［〔]?\s*参\s*考\s*文\s*献\s*[】\]］〕]?$")
TOC_TITLE = re.compile(r"^目\s*录$")
TITLE_MIN_CHARS = 6
UNNUMBERED_SECTIONS = {"引言", "前言", "导言", "绪论", "序言", "结语", "结论", "结束语", "致谢", "后记", "附录"}
AUTHOR_FIELDS = ("作者单位", "职务职称", "通讯地址", "邮编", "电子邮箱", "联系电话", "作者")

# The usual order of Chinese heading numbers, highest first (lower rank = higher level).
_RANK = {"part": 5, "chapter": 10, "section_cn": 20, "cn_comma": 25, "cn_paren": 35, "dot": 45,
         "arabic_paren": 55, "paren_tail": 55, "circled": 65}
_BOLD_RANK = 99


@dataclass
class Decision:
    para: Para
    role: str                 # title | author | toc_title | toc | heading | body | abstract | keywords |
                              # caption | reference | figure | label | empty
    level: Optional[int] = None
    how: str = ""             # 样式「Heading 2」 / 大纲级别 2 / 自动编号「一、」 / 手写编号「（一）」 / 加粗短段 ...
    certain: bool = True      # False: a guess a careful reader might make differently


def shown_style_name(name: str) -> str:
    """A style's name as Word's style list shows it: the built-in names are stored in lower case
    (``heading 2``) and shown capitalised (``Heading 2``)."""
    m = _HEADING_STYLE.match(name.strip())
    if m and name.startswith("heading"):
        return f"Heading {m.group(1)}"
    return name


def heading_style_level(p: Para) -> Optional[tuple[int, str]]:
    """(level, how) from the paragraph's style chain or outline level."""
    for name in p.style_names:
        m = _HEADING_STYLE.match(name.strip())
        if m and m.group(1) != "0":
            via = "" if name == p.style_name else f"，基于「{shown_style_name(name)}」"
            return int(m.group(1)), f"样式「{shown_style_name(p.style_name)}」{via}"
    if p.outline_level is not None:
        return p.outline_level, f"大纲级别 {p.outline_level}"
    return None


def _style_is(p: Para, *names: str) -> bool:
    low = {n.strip().lower() for n in p.style_names}
    return any(n in low for n in names)


def _is_bold(p: Para) -> bool:
    inked = [r for r in p.runs if r.text.strip()]
    return bool(inked) and all(r.fmt.bold for r in inked)


def _size(p: Para) -> float:
    sizes: dict[float, int] = {}
    for r in p.runs:
        n = len(r.text.strip())
        if n:
            sizes[r.fmt.size_pt] = sizes.get(r.fmt.size_pt, 0) + n
    return max(sizes, key=sizes.get) if sizes else 0.0


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def heading_like(text: str, limit: int = HEADING_MAX_CHARS) -> bool:
    s = text.strip()
    return bool(s) and len(s) <= limit and not s.endswith(SENTENCE_END)


def numbering_key(p: Para) -> Optional[tuple[str, int, str]]:
    """(kind, depth, how) of the number a paragraph shows, automatic or typed."""
    shown = _clean(p.shown_text)
    m = classify_numbering(shown)
    auto = p.number is not None and not p.number.bullet and p.number.text
    source = "自动编号" if auto else "手写编号"
    if m is not None:
        after = shown[len(m.label):][:1]
        if after and not (after.isspace() or "\u3400" <= after <= "\u9fff" or after in "“《（(「"):
            return None                                # 23.4%, 4.0、: figures in a sentence
        depth = len(m.values) if m.kind == "decimal" else 1
        return m.kind, depth, f"{source}「{m.label}」"
    if shown[:1] in "①②③④⑤⑥⑦⑧⑨⑩":
        return "circled", 1, f"{source}「{shown[0]}」"
    if _BARE_NUMBER.match(shown):
        return "decimal", 1, f"{source}「{shown.split()[0]}」"
    return None


def _rank(kind: str, depth: int) -> int:
    if kind == "decimal":
        return 10 * depth
    return _RANK.get(kind, 60)


def analyse(doc: DocxDocument) -> list[Decision]:
    """A decision for every paragraph of the main story outside tables, in reading order."""
    paras = [p for p in doc.story() if p.where != "table"]
    decisions = [Decision(p, "empty") if not p.shown_text.strip() and not p.images else Decision(p, "body")
                 for p in paras]
    _front(decisions)
    _headings(decisions)
    _after_headings(decisions)
    return decisions


def _front(ds: list[Decision]) -> None:
    """Title, author block, TOC, abstract and keywords."""
    in_toc_block = False
    for d in ds:
        p, text = d.para, _clean(d.para.shown_text)
        if d.role == "empty":
            continue
        # the title first: Word puts its TOC Heading inside the TOC's content control
        if TOC_TITLE.match(text) or _style_is(p, "toc heading", "目录标题"):
            d.role, d.how = "toc_title", "文字「目录」"
            in_toc_block = True
            continue
        if p.in_toc or _TOC_STYLE.match(p.style_name.strip()):
            d.role, d.how = "toc", "目录域" if p.in_toc else f"样式「{p.style_name}」"
            in_toc_block = True
            continue
        if in_toc_block and TOC_ENTRY.search(p.shown_text.rstrip()):
            d.role, d.how = "toc", "手工目录（点线或制表符后接页码）"
            continue
        in_toc_block = False
        if p.images and not text:
            d.role, d.how = "figure", "图片"
        elif KEYWORDS.match(text) and len(KEYWORDS.sub("", text, 1)) > 0:
            d.role, d.how = "keywords", "文字「关键词」"
        elif ABSTRACT.match(text) and len(text) < 400 or ABSTRACT.match(text) and text.startswith(("摘要", "【摘要", "摘 要")):
            d.role, d.how = "abstract", "文字「摘要」"
        elif _style_is(p, "caption", "题注") or CAPTION.match(text) and len(text) <= 60 and not text.endswith("。"):
            d.role, d.how = "caption", "样式「题注」" if _style_is(p, "caption", "题注") else "文字「图/表 + 编号」"

    # the title: a Title style, or the first paragraph set centred and large (or bold)
    first = next((d for d in ds if d.role == "body"), None)
    titles = [d for d in ds if d.role == "body" and _style_is(d.para, "title", "标题")]
    if titles:
        titles[0].role, titles[0].how = "title", f"样式「{titles[0].para.style_name}」"
    elif first is not None and _looks_like_title(first.para):
        first.role, first.how = "title", "位置（首段，居中，字号大）"
    _title_from_heading(ds)
    title = next((i for i, d in enumerate(ds) if d.role == "title"), None)
    if title is None:
        return
    # a long title typed on two or more paragraphs: the lines right below it set the same way
    # (centred, same style, size and weight) go on with it
    head = ds[title].para
    for d in ds[title + 1:]:
        if d.role == "empty":
            continue
        text = _clean(d.para.shown_text)
        if not (d.role == "body" and d.para.align == "center" and d.para.style_name == head.style_name
                and _size(d.para) == _size(head) and _is_bold(d.para) == _is_bold(head)
                and text and len(text) <= 80 and not text.endswith(("。", "；", "，"))
                and not any(k in text for k in AUTHOR_FIELDS) and not numbering_key(d.para)):
            break
        d.role, d.how = "title", "标题续行（紧接标题，格式相同）"
    last = max(i for i, d in enumerate(ds) if d.role == "title")
    # a second centred line of the same size starting with —— is the subtitle
    nxt = next((d for d in ds[last + 1:] if d.role != "empty"), None)
    if nxt is not None and nxt.role == "body" and nxt.para.align == "center" \
            and _clean(nxt.para.text).startswith(("——", "—", "－－")):
        nxt.role, nxt.how = "title", "副标题（紧接主标题，以破折号开头）"
    # the author block: what stands between the title and the TOC, abstract or first heading
    for d in ds[title + 1:]:
        if d.role in ("toc", "toc_title", "abstract", "keywords") or heading_style_level(d.para):
            break
        if d.role == "title" or d.role == "empty":
            continue
        text = _clean(d.para.shown_text)
        if d.role == "body" and (d.para.align == "center" or any(k in text for k in AUTHOR_FIELDS)) \
                and len(text) <= 120 and not numbering_key(d.para):
            d.role, d.how = "author", "位置（标题下方）"
        else:
            break


def _looks_like_title(p: Para) -> bool:
    text = _clean(p.shown_text)
    if not text or len(text) > 80 or text.endswith(("。", "；", "，")):
        return False
    if heading_style_level(p) is not None:
        return False
    m = classify_numbering(text)
    return p.align == "center" and (_size(p) >= 18 or _is_bold(p)) and (m is None or m.kind != "chapter")


def _title_from_heading(ds: list[Decision]) -> None:
    """A Heading 1 above everything, the only one of its level, with deeper headings below it."""
    if any(d.role == "title" for d in ds):
        return
    styled = [(d, heading_style_level(d.para)) for d in ds if d.role == "body" and not _is_references(d.para)]
    styled = [(d, lv) for d, lv in styled if lv is not None]
    if len(styled) < 2:
        return
    top = min(lv[0] for _, lv in styled)
    at_top = [d for d, lv in styled if lv[0] == top]
    first = styled[0][0]
    content_before = any(d.role == "body" for d in ds[:ds.index(first)])
    m = classify_numbering(_clean(first.para.shown_text))
    if content_before or m is not None or REFERENCES.match(_clean(first.para.text)):
        return
    if len(at_top) == 1 and at_top[0] is first:
        first.role, first.how = "title", f"{heading_style_level(first.para)[1]}（全文唯一、位于最前）"
        return
    # the title in the same style as the chapters: the only unnumbered one of them, set centred
    text = _clean(first.para.text)
    others = [d for d in at_top if d is not first]
    if first.para.align == "center" and len(text) >= TITLE_MIN_CHARS and text not in UNNUMBERED_SECTIONS \
            and all(classify_numbering(_clean(d.para.shown_text)) is not None for d in others):
        first.role, first.how = "title", f"{heading_style_level(first.para)[1]}（位于最前、居中、唯一不带编号）"


def _is_references(p: Para) -> bool:
    return bool(REFERENCES.match(_clean(p.text)) or REFERENCES.match(_clean(p.shown_text)))


def _headings(ds: list[Decision]) -> None:
    body = [d for d in ds if d.role == "body"]
    # candidates and their signals
    cands: list[tuple[Decision, Optional[int], Optional[tuple[str, int, str]]]] = []
    for d in body:
        p = d.para
        text = _clean(p.shown_text)
        styled = heading_style_level(p)
        key = numbering_key(p)
        if styled is not None and text and len(text) <= 80:
            cands.append((d, styled[0], key))
            d.how = styled[1]
        elif key is not None and heading_like(text):
            kind = key[0]
            strong = kind in ("part", "chapter", "section_cn") or kind == "decimal" and key[1] >= 2
            if strong or _is_bold(p) or kind in ("cn_comma", "cn_paren") and len(text) <= 25:
                cands.append((d, None, key))
                d.how = key[2] + ("，加粗" if _is_bold(p) else "")
                d.certain = strong or _is_bold(p)
        elif REFERENCES.match(text) or _is_bold(p) and heading_like(text, BOLD_HEADING_MAX_CHARS) \
                and not ABSTRACT.match(text) and not KEYWORDS.match(text):
            cands.append((d, None, None))
            d.how = "文字「参考文献」" if REFERENCES.match(text) else "加粗短段（无句末标点）"
            d.certain = bool(REFERENCES.match(text))
    # 参考文献 is level 1 whatever its style: it does not rank the styles the headings use
    styled_levels = sorted({lv for d, lv, _ in cands if lv is not None and not _is_references(d.para)})
    compress = {lv: i + 1 for i, lv in enumerate(styled_levels)}
    stack: list[tuple[tuple, int, int]] = []          # (key, rank, level)
    for d, styled, key in cands:
        text = _clean(d.para.text)
        if REFERENCES.match(text) or REFERENCES.match(_clean(d.para.shown_text)):
            d.role, d.level = "heading", 1
            stack = [(("refs",), 10, 1)]
            continue
        if styled is not None:
            level = compress[styled]
            k, rank = ("style", level), 10 * level
            stack = [s for s in stack if s[2] < level]
        else:
            k = ("n", key[0], key[1]) if key else ("bold",)
            rank = _rank(key[0], key[1]) if key else _BOLD_RANK
            pos = next((i for i, s in enumerate(stack) if s[0] == k), None)
            if pos is not None:
                stack = stack[:pos]
            else:
                while stack and stack[-1][1] >= rank:
                    stack.pop()
            level = (stack[-1][2] + 1) if stack else 1
        if level > 4:
            continue                                   # deeper than the report has: body text
        stack.append((k, rank, level))
        d.role, d.level = "heading", level


def _after_headings(ds: list[Decision]) -> None:
    """References after 参考文献; an abstract label alone takes the paragraphs up to 关键词."""
    in_refs = False
    abstract_open = False
    seen_heading = False
    for d in ds:
        if d.role in ("abstract", "keywords") and seen_heading:
            d.role, d.how = "body", ""          # the abstract stands before the body
        if d.role == "heading":
            seen_heading = True
            in_refs = REFERENCES.match(_clean(d.para.text)) is not None or \
                REFERENCES.match(_clean(d.para.shown_text)) is not None
            abstract_open = False
            continue
        if d.role == "abstract":
            abstract_open = not ABSTRACT.sub("", _clean(d.para.text), 1)
            continue
        if d.role == "keywords":
            abstract_open = False
            continue
        if abstract_open and d.role == "body":
            d.role, d.how = "abstract", "摘要标签之后、关键词之前"
            continue
        if in_refs and d.role == "body":
            d.role, d.how = "reference", "参考文献标题之后"
