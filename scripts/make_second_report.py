#!/usr/bin/env python3
"""Write a second test report (Markdown) that stresses what the sample does not: headings too
long for one line (in the body and in the TOC), ordered and bulleted lists, a table that runs
over two pages, many footnotes (several on one page, long ones), Latin words and numbers
among the Chinese, and closing marks at line ends.

    scripts/make_second_report.py out/second/manuscript.md

The text is made from fixed phrases with a seeded generator: the same file every run.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

SUBJECTS = ["县域经济", "科技创新平台", "产业链协同", "数字化转型", "人才引育机制", "科技金融",
            "成果转化", "新型研发机构", "园区建设", "营商环境", "创新生态系统", "特色农业"]
VERBS = ["推动", "支撑", "带动", "促进", "保障", "引领", "激活", "完善"]
OBJECTS = ["高质量发展", "新质生产力", "协同创新", "要素集聚", "区域合作", "绿色低碳转型",
           "产学研融合", "供应链安全"]
TAILS = ["，形成了可复制、可推广的经验", "，成效初步显现", "，但仍存在短板和弱项",
         "（见表 1）", "，其中 2024 年增长 12.5%", "，投入资金 3.6 亿元", "；具体做法如下",
         "，被称为“巴中模式”", "，并通过 AI+5G 技术实现数据共享", "。与此同时，相关制度逐步健全"]
CHAPTERS = [
    "绪论",
    "川陕革命老区县域科技创新与产业创新深度融合的理论基础、历史演进与现实逻辑研究",
    "现状调查",
    "巴中市推进科技创新和产业创新融合发展中存在的主要问题、深层原因及其对新质生产力培育的制约",
    "对策建议",
]


def sentence(rng: random.Random) -> str:
    return (rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)
            + rng.choice(TAILS).rstrip("。") + "。")


def paragraph(rng: random.Random, n: int, notes: list[str]) -> str:
    parts = []
    for _ in range(n):
        s = sentence(rng)
        if rng.random() < 0.18:
            k = len(notes) + 1
            notes.append(footnote(rng, k))
            s = s[:-1] + f"[^{k}]。"
        parts.append(s)
    return "".join(parts)


def footnote(rng: random.Random, k: int) -> str:
    long = rng.random() < 0.3
    body = "".join(sentence(rng) for _ in range(3 if long else 1))
    return f"[^{k}]: 调研资料 {k}：{body}巴中市统计局. 2025-0{1 + k % 9}-1{k % 10}"


def table(rng: random.Random, rows: int) -> list[str]:
    out = ["表：各县（区）主要创新指标 {#tbl:indicators}", "",
           "| 序号 | 县（区）与园区 | 研发投入（亿元） | 高新技术企业（家） | 说明 |",
           "|---|---|---|---|---|"]
    for i in range(1, rows + 1):
        note = rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)
        out.append(f"| {i} | {rng.choice(['通江县', '南江县', '平昌县', '巴州区', '恩阳区'])}"
                   f"第{i}园区 | {rng.randint(10, 99) / 10:.1f} | {rng.randint(5, 120)} | {note} |")
    return out + [""]


def report(seed: int = 2025) -> str:
    rng = random.Random(seed)
    notes: list[str] = []
    lines = ["---", "title: 川陕革命老区县域科技创新与产业创新融合发展研究", "author:",
             "  name: 李明", "  unit: 巴中市社会科学界联合会", "  position: 研究员",
             "  address: 四川省巴中市巴州区", "  postcode: \"636000\"", "  email: li@example.com",
             "  phone: \"13800000000\"", "abstract: |",
             "  " + paragraph(rng, 6, []), "keywords: [县域经济, 科技创新, 产业创新]", "---", ""]
    cn = "一二三四五六七八九十"
    for c, title in enumerate(CHAPTERS, 1):
        lines += [f"# 第{cn[c - 1]}章 {title}", ""]
        for s in range(1, 4):
            long = (c + s) % 3 == 0
            head = (f"{c}.{s} " + ("关于" + "、".join(rng.sample(SUBJECTS, 4)) + "等方面相互作用的机制分析"
                                   if long else rng.choice(SUBJECTS) + "分析"))
            lines += [f"## {head}", ""]
            for p in range(3):
                lines += [paragraph(rng, rng.randint(3, 7), notes), ""]
            lines += [f"### {s}. " + rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS), ""]
            lines += [paragraph(rng, 4, notes), ""]
            if s == 2:
                lines += [f"{i}. " + sentence(rng) for i in range(1, 6)] + [""]
                lines += ["- " + sentence(rng) for _ in range(4)] + [""]
        if c == 3:
            lines += [paragraph(rng, 3, notes), ""] + table(rng, 34)
            lines += [paragraph(rng, 4, notes), ""]
    lines += ["# 参考文献", ""]
    lines += [f"{i}. 作者{i}. {rng.choice(SUBJECTS)}与{rng.choice(OBJECTS)}研究[J]. 社会科学研究, "
              f"20{10 + i}, {i}({i % 6 + 1}): {10 * i}-{10 * i + 9}." for i in range(1, 16)] + [""]
    return "\n".join(lines + notes) + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "out/second/manuscript.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(), encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
