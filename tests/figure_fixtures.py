"""Images and a report with figures and captioned tables, made with Pillow for the tests.

    python tests/figure_fixtures.py DIR     # writes DIR/report.md and DIR/images/*

Six figures of the kinds a report carries: a PNG chart, a JPEG photo stored on its side with
EXIF orientation 6 (turn 90° clockwise to view), a CMYK JPEG, an SVG chart with Chinese text, a
4000-pixel photo and a tall narrow chart; and three captioned tables, one long enough to break
over pages. Each upright image has a red mark in its top-left corner, so a test can tell that
it is drawn the right way up.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

FRONT = """---
title: 图表测试报告
author:
  name: 张三
  unit: 某某大学
  position: 讲师
  address: 四川省巴中市某路 1 号
  postcode: "636000"
  email: zhang@example.com
  phone: "13500000000"
abstract: |
  本报告用于检验图、表与交叉引用。
keywords: [图表排版, 交叉引用]
---
"""

# (file name, caption, label, width attribute)
FIGURES = [
    ("chart.png", "各县区产值", "fig:chart", None),
    ("rotated.jpg", "旋转的照片", "fig:rotated", "width=40%"),
    ("cmyk.jpg", "印刷用图", "fig:cmyk", "width=60%"),
    ("vector.svg", "矢量示意图", "fig:vector", None),
    ("photo.jpg", "实地照片", "fig:photo", None),
    ("tall.png", "狭长的图", "fig:tall", None),
]
MARK = (220, 0, 0)


def _marked(size: tuple[int, int], background=(235, 240, 250)) -> Image.Image:
    img = Image.new("RGB", size, background)
    d = ImageDraw.Draw(img)
    w, h = size
    d.rectangle([0, 0, w // 5, h // 5], fill=MARK)
    return img


def bar_chart(size=(1500, 1000), dpi=300) -> Image.Image:
    img = _marked(size)
    d = ImageDraw.Draw(img)
    w, h = size
    for i, v in enumerate((0.3, 0.55, 0.8, 0.45, 0.65)):
        x = w * (0.3 + i * 0.13)
        d.rectangle([x, h * (0.9 - v * 0.8), x + w * 0.08, h * 0.9], fill=(40, 90, 160))
    img.info["dpi"] = (dpi, dpi)
    return img


def write_images(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    chart = bar_chart()
    paths["chart.png"] = folder / "chart.png"
    chart.save(paths["chart.png"], dpi=(300, 300))

    # Upright it is 900 x 1200 (portrait) with the mark top-left; stored turned 90° anticlockwise
    # (1200 x 900), EXIF orientation 6 says "turn clockwise to view".
    upright = _marked((900, 1200))
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    paths["rotated.jpg"] = folder / "rotated.jpg"
    stored.save(paths["rotated.jpg"], quality=90, exif=exif, dpi=(300, 300))

    paths["cmyk.jpg"] = folder / "cmyk.jpg"
    _marked((1200, 800)).convert("CMYK").save(paths["cmyk.jpg"], quality=90, dpi=(300, 300))

    paths["vector.svg"] = folder / "vector.svg"
    paths["vector.svg"].write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="250" viewBox="0 0 400 250">'
        '<rect x="0" y="0" width="80" height="50" fill="#dc0000"/>'
        '<rect x="100" y="120" width="60" height="110" fill="#285aa0"/>'
        '<rect x="200" y="60" width="60" height="170" fill="#285aa0"/>'
        '<text x="100" y="40" font-family="sans-serif" font-size="20">产值（亿元）</text>'
        '</svg>', encoding="utf-8")

    photo = Image.merge("RGB", [Image.effect_noise((400, 300), 60).point(lambda v, k=k: (v + k) % 256)
                                .resize((4000, 3000), Image.Resampling.BILINEAR) for k in (0, 60, 120)])
    ImageDraw.Draw(photo).rectangle([0, 0, 800, 600], fill=MARK)
    paths["photo.jpg"] = folder / "photo.jpg"
    photo.save(paths["photo.jpg"], quality=85, dpi=(72, 72))

    paths["tall.png"] = folder / "tall.png"
    bar_chart((300, 2400), dpi=150).save(paths["tall.png"], dpi=(150, 150))
    return paths


def report_text(figures=FIGURES, long_rows: int = 40) -> str:
    """The report: two chapters, the six figures and a table in the first, two tables in the
    second (so table numbers restart), and references to each."""
    refs = "、".join(f"@{label}" for _, _, label, _ in figures)
    out = [FRONT, "# 第一章 图\n", f"本章有六幅图：{refs}；数据见 @tbl:counts、[@tbl:long] 与 @tbl:short。\n"]
    for i, (name, caption, label, width) in enumerate(figures):
        attrs = " ".join(a for a in (f"#{label}", width) if a)
        out.append(f"![{caption}](images/{name}){{{attrs}}}\n")
        out.append(f"第 {i + 1} 幅图之后的正文，说明 @{label} 的内容。" * 3 + "\n")
    out.append("表：各县区样本数 {#tbl:counts}\n| 县区 | 样本数 |\n|---|---|\n| 巴州区 | 120 |\n| 通江县 | 98 |\n")
    out.append("# 第二章 表\n")
    out.append("如 @tbl:counts 所示，样本分布较均匀；长表见 @tbl:long。\n")
    rows = "".join(f"| 第 {k} 项 | {k * 3} | 说明文字{k} |\n" for k in range(1, long_rows + 1))
    out.append("Table: 逐项明细 {#tbl:long}\n| 项目 | 数值 | 说明 |\n|---|---|---|\n" + rows)
    out.append("表：小结 {#tbl:short}\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n")
    out.append("全文图 @fig:chart 至 @fig:tall，表 @tbl:counts 至 @tbl:short。\n")
    return "\n".join(out)


def write_report(folder: Path) -> Path:
    folder = Path(folder)
    write_images(folder / "images")
    path = folder / "report.md"
    path.write_text(report_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_report(Path(sys.argv[1] if len(sys.argv) > 1 else "figures-report")))
