"""Display text for the line-breaking tests: realistic report titles and headings, and readers
that judge the lines a PDF or DOCX sets them in, independently of the breaker."""
from __future__ import annotations

import io
import re

import pdfplumber
from pdf_lines import lines_at_size

from closure_app.blocks import Document, Heading, Paragraph, Text
from closure_app.layout import segmenter

DASHES = "—–"
CLOSERS = "，。、；：？！）》」』”’…,.;:?!)]}%"
OPENERS = "（《「『“‘([{"

# (role, text, lines a careful typesetter sets, or None where only the rules are checked)
CASES = [
    # the four
    ("title", "数字赋能县域特色产业高质量发展的路径研究——以通江银耳与南江黄羊为例",
     ["数字赋能县域特色产业高质量发展的路径研究", "——以通江银耳与南江黄羊为例"]),
    ("title", "乡村振兴背景下川陕革命老区红色文化资源保护与开发利用研究",
     ["乡村振兴背景下川陕革命老区", "红色文化资源保护与开发利用研究"]),
    ("title", "新时代基层党组织引领乡村治理现代化的实践逻辑与优化路径——基于巴中市三个县区的调查",
     ["新时代基层党组织引领乡村治理", "现代化的实践逻辑与优化路径", "——基于巴中市三个县区的调查"]),
    ("h1", "第一章 新质生产力视域下巴中市制造业数字化转型的障碍与对策",
     ["第一章 新质生产力视域下巴中市", "制造业数字化转型的障碍与对策"]),
    # the sample's title, with and without the space between its phrases
    ("title", "深度融合科技创新与产业创新 助推巴中新质生产力跨越发展",
     ["深度融合科技创新与产业创新", "助推巴中新质生产力跨越发展"]),
    ("title", "深度融合科技创新与产业创新助推巴中新质生产力跨越发展",
     ["深度融合科技创新与产业创新", "助推巴中新质生产力跨越发展"]),
    # years in brackets, Latin words, numbers
    ("title", "巴中市新质生产力发展水平测度与提升路径研究（2015—2024年）",
     ["巴中市新质生产力发展水平测度", "与提升路径研究（2015—2024年）"]),
    ("h2", "3.2 巴中市县域经济高质量发展水平的综合评价（2015—2024年）",
     ["3.2 巴中市县域经济高质量发展水平的综合评价", "（2015—2024年）"]),
    ("title", "基于DEA-Malmquist指数的四川省县域科技创新效率评价及影响因素分析",
     ["基于DEA-Malmquist指数的四川省", "县域科技创新效率评价及影响因素分析"]),
    ("title", "基于ChatGPT的高校思想政治理论课教学改革研究：以川东北地区五所高校为例", None),
    ("title", "人工智能（AI）技术在基层社会治理中的应用场景与风险防范研究", None),
    ("h1", "第四章 基于结构方程模型（SEM）的乡村居民数字素养影响因素实证检验",
     ["第四章 基于结构方程模型（SEM）的", "乡村居民数字素养影响因素实证检验"]),
    ("h3", "3. 5G网络、大数据中心与工业互联网平台等新型基础设施建设的短板", None),
    ("title", "县域医共体建设对基层医疗服务能力的影响研究——基于巴中市2019—2023年面板数据", None),
    ("h3", "2. 南江黄羊产业：良种繁育体系建设与GAP标准化养殖的推广经验",
     ["2. 南江黄羊产业：", "良种繁育体系建设与GAP标准化养殖的推广经验"]),
    # 《》 and “”
    ("title", "《论持久战》中的“人民战争”思想及其在新时代基层治理中的当代价值",
     ["《论持久战》中的“人民战争”思想", "及其在新时代基层治理中的当代价值"]),
    ("title", "“两山”理念引领下大巴山区生态产品价值实现机制研究",
     ["“两山”理念引领下大巴山区", "生态产品价值实现机制研究"]),
    ("title", "巴中市推进“五区共建”与成渝地区双城经济圈建设协同发展研究", None),
    ("h2", "5.1 《巴中市国民经济和社会发展第十四个五年规划纲要》实施情况评估", None),
    ("h3", "1. 通江银耳产业：从“小木耳”到“大产业”的品牌化发展之路",
     ["1. 通江银耳产业：", "从“小木耳”到“大产业”的品牌化发展之路"]),
    ("h2", "2.1 数字技术赋能农业全产业链升级的作用机理——基于“技术—组织—环境”框架",
     ["2.1 数字技术赋能农业全产业链升级的作用机理", "——基于“技术—组织—环境”框架"]),
    # subtitles after ： and ——
    ("title", "乡村治理数字化转型的现实困境与突破路径：来自巴中市恩阳区的经验证据",
     ["乡村治理数字化转型的现实困境与突破路径：", "来自巴中市恩阳区的经验证据"]),
    ("title", "数字经济赋能革命老区乡村产业振兴的内在机理与实现路径——以巴中为例", None),
    ("h2", "4.3 平台赋能型路径：以广东美的、上海烟机与江西忽米为代表的三类模式比较",
     ["4.3 平台赋能型路径：", "以广东美的、上海烟机与江西忽米为代表的三类模式比较"]),
    # enumerations with 、
    ("title", "红色文化资源融入高校思政课教学的价值意蕴、现实困境与实践路径",
     ["红色文化资源融入高校思政课教学的", "价值意蕴、现实困境与实践路径"]),
    ("title", "巴中市中小企业专精特新发展的现状、问题与对策研究", None),
    ("h1", "第三章 川陕革命老区红色文化资源保护利用的现状、问题及成因分析",
     ["第三章 川陕革命老区红色文化资源", "保护利用的现状、问题及成因分析"]),
    # plain long titles and headings
    ("title", "川陕革命老区振兴发展背景下巴中市文旅融合高质量发展对策研究",
     ["川陕革命老区振兴发展背景下", "巴中市文旅融合高质量发展对策研究"]),
    ("title", "习近平总书记关于革命老区振兴发展重要论述的理论内涵与实践要求", None),
    ("h1", "第二章 数字赋能县域特色产业高质量发展的理论基础与分析框架",
     ["第二章 数字赋能县域特色产业", "高质量发展的理论基础与分析框架"]),
    # a break the user wrote, and text that fits
    ("title", "新时代\n巴中市乡村人才振兴的路径探索", ["新时代", "巴中市乡村人才振兴的路径探索"]),
    ("title", "巴中市生态保护补偿机制研究", ["巴中市生态保护补偿机制研究"]),
    ("h1", "第五章 结论与展望", ["第五章 结论与展望"]),
    # the author block: its ： are labels, its spaces phrase boundaries
    ("author", "（作者单位：中共通江县委党校 职务职称：教务股股长，3级主任科员",
     ["（作者单位：中共通江县委党校", "职务职称：教务股股长，3级主任科员"]),
    ("author", "通讯地址：四川省巴中市巴州区江北大道中段188号中共巴中市委党校 邮编：636000", None),
]


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def word_boundaries(text: str) -> set[int]:
    """Offsets (in ``text`` without white space) where the segmenter ends a word or the text
    has a space or newline: the only places a display line may break."""
    found: set[int] = set()
    seen = 0
    for m in re.finditer(r"\S+", text):
        found.add(seen)
        for w in segmenter.words(m.group()):
            seen += len(w)
            found.add(seen)
    return found


def break_offsets(lines: list[str]) -> list[int]:
    """Where each line after the first begins, in the text without white space."""
    out, seen = [], 0
    for line in lines[:-1]:
        seen += len(squeeze(line))
        out.append(seen)
    return out


def subtitle_start(text: str) -> int | None:
    """Offset (without white space) of the first —— or after the first ： outside brackets."""
    depth = 0
    flat = squeeze(text)
    for i, ch in enumerate(flat):
        if ch in "（《“(":
            depth += 1
        elif ch in "）》”)":
            depth = max(0, depth - 1)
        elif depth == 0 and i > 0 and ch in DASHES:
            return i
        elif depth == 0 and ch in "：:" and i + 1 < len(flat):
            return i + 1
    return None


def rule_breaks(text: str, lines: list[str]) -> list[str]:
    """What a reader would object to in ``lines`` (the text as set): breaks inside words, lines
    of one or two characters, —— ending or ） beginning a line."""
    problems = []
    if squeeze("".join(lines)) != squeeze(text):
        return [f"lines {lines} do not spell {text!r}"]
    bounds = word_boundaries(text)
    for k in break_offsets(lines):
        if k not in bounds:
            problems.append(f"break inside a word at {k}: {lines}")
    for line in lines:
        if len(squeeze(line)) <= 2 and len(squeeze(text)) > 2 and "\n" not in text:
            problems.append(f"a line of {len(squeeze(line))} characters: {lines}")
    for a, b in zip(lines, lines[1:]):
        if a and (a[-1] in DASHES or a[-1] in OPENERS):
            problems.append(f"line ends with {a[-1]}: {lines}")
        if b and b[0] in CLOSERS:
            problems.append(f"line begins with {b[0]}: {lines}")
    return problems


def report_of(cases: list[tuple[str, str]]) -> Document:
    """A report of the display texts alone: titles as title paragraphs, headings as headings."""
    blocks = []
    for role, text in cases:
        if role.startswith("h"):
            blocks.append(Heading(int(role[1]), [Text(text)]))
        else:
            blocks.append(Paragraph([Text(text)], role=role, display=True))
    return Document(kind="report", title="t", blocks=blocks)


def pdf_display_lines(data: bytes, doc: Document, profile) -> list[list[str]]:
    """The lines each block of ``doc`` (a ``report_of``) is set in, read back from the PDF: lines
    at each role's size, in reading order, taken until they spell the block's text."""
    sizes = sorted({profile.role(_role(b)).size_pt for b in doc.blocks})
    by_size: dict[float, list[str]] = {s: [] for s in sizes}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for s in sizes:
                by_size[s] += ["".join(c["text"] for c in line) for line in lines_at_size(page.chars, s)]
    out = []
    for b in doc.blocks:
        queue = by_size[profile.role(_role(b)).size_pt]
        want, got = squeeze(b.text), []
        while queue and squeeze("".join(got)) != want:
            got.append(queue.pop(0).strip())
        out.append(got)
    return out


def _role(b) -> str:
    return b.role
