"""The report's layout as blocks: title page, table of contents, abstract, body, references.

Order (as in the submitted report): title and author block; TOC; 摘要 and 关键词; then the
body, each heading whose role asks for it (``page_break_before``, the chapters) on a new page.
"""
from __future__ import annotations

from closure_app.blocks import Block, CaptionList, Document, Heading, PageBreak, Paragraph, Text, Toc
from closure_app.errors import InvalidInput
from closure_app.layout.captions import number_captions
from closure_app.layout.fit import too_tall
from closure_app.models.manuscript import Author, FrontMatter, Manuscript, is_references_heading
from closure_app.profile import Profile


def author_lines(author: Author) -> list[str]:
    """The author block under the title, one string per printed line."""
    return [
        f"{author.unit} {author.name}",
        f"（作者单位：{author.unit} 职务职称：{author.position}",
        f"通讯地址：{author.address} 邮编：{author.postcode}",
        f"电子邮箱：{author.email} 联系电话：{author.phone}）",
    ]


def front_pages(front: FrontMatter, profile: Profile) -> list[Block]:
    """Title page, table of contents, and the abstract page. The title and the author block are
    display text: where their lines break is decided with the fonts (layout/display_breaks)."""
    blocks: list[Block] = [Paragraph([Text(front.title)], role="title", display=True)]
    blocks += [Paragraph([Text(line)], role="author", display=True) for line in author_lines(front.author)]
    blocks += [PageBreak(), Toc(), PageBreak()]
    blocks.append(Paragraph([Text("摘要：", bold=True)], role="body", first_line_chars=0))
    blocks += [Paragraph([Text(p)], role="body") for p in front.abstract_paragraphs]
    blocks.append(Paragraph([Text("关键词：", bold=True), Text("；".join(front.keywords))],
                            role="body", first_line_chars=0))
    return blocks


def starts_new_page(heading: Heading, profile: Profile) -> bool:
    """Chapters start a new page; the reference list runs on after the last chapter."""
    return profile.role(heading.role).page_break_before and not is_references_heading(heading)


LIST_TITLES = {"fig": "插图目录", "tbl": "附表目录"}


def report_document(manuscript: Manuscript, profile: Profile, source: str = "书稿",
                    lof: bool = False) -> Document:
    """The report's blocks; captions numbered and references resolved (``source`` names the
    file in the messages of a reference to no label). ``lof``: lists of figures and of tables
    after the table of contents, each on a new page (when there is something to list)."""
    index = number_captions(manuscript.body, manuscript.footnotes, profile.captions, source)
    unsettable = too_tall(manuscript.body, manuscript.footnotes, profile, source)
    if unsettable:
        raise InvalidInput(unsettable)
    front = manuscript.front
    blocks = front_pages(front, profile)
    if lof:
        at = next(i for i, b in enumerate(blocks) if isinstance(b, Toc)) + 1
        lists: list[Block] = []
        for kind, numbered in (("fig", index.figures), ("tbl", index.tables)):
            if numbered:
                lists += [PageBreak(), CaptionList(kind, LIST_TITLES[kind])]
        blocks[at:at] = lists
    blocks += [PageBreak()]
    for block in manuscript.body:
        if isinstance(block, Heading) and starts_new_page(block, profile) \
                and not isinstance(blocks[-1], PageBreak):
            blocks.append(PageBreak())
        blocks.append(block)
    return Document(
        kind="report", title=front.title, blocks=blocks, footnotes=dict(manuscript.footnotes),
        author=front.author.name, keywords=list(front.keywords), page="report",
    )
