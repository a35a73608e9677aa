"""`closure-app impose IN.pdf -o OUT.pdf`: any PDF as an A3 saddle-stitch booklet."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from closure_app.errors import UsageError

if TYPE_CHECKING:  # pypdf and pypdfium2 load when the command runs, not with every command
    from closure_app.impose import ImposeOptions, ImposeResult


def page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 5, 7, 8] -> '1–3、5、7–8' (sorted, 1-based)."""
    runs: list[list[int]] = []
    for p in sorted(pages):
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def summary(result: ImposeResult, options: ImposeOptions) -> str:
    """One line for people: pages, sheets, blanks, scaling, where it went."""
    edge = "短边翻转" if options.duplex == "short" else "长边翻转"
    mode = "手动双面" if options.manual_duplex else f"双面{edge}"
    scaled = "无缩放"
    if result.scaled_pages:
        scaled = f"第 {page_ranges(result.scaled_pages)} 页尺寸与半张 {options.sheet} 不同，已缩放居中"
    where = "、".join(str(p) for p in result.outputs)
    return (f"已拼版：{result.source_pages} 页 → {result.sheets} 张 {options.sheet}（{mode}），"
            f"补空白页 {result.blanks_added} 页，{scaled} → {where}")


def default_output(src: Path) -> Path:
    return src.with_name(f"{src.stem}-a3.pdf")


def register(app):
    @app.command("impose")
    def impose(
        src: Path = typer.Argument(..., help="输入 PDF（任意页面尺寸）/ input PDF"),
        out: Optional[Path] = typer.Option(None, "-o", "--output", help="输出 PDF（默认：输入名-a3.pdf）/ output PDF"),
        duplex: Optional[str] = typer.Option(
            None, "--duplex", help="short：短边翻转（默认，背面正放）；long：长边翻转（背面倒置）"),
        keep_last: int = typer.Option(0, "--keep-last", help="最后 N 页保持在最后（封底），空白页补在它们之前"),
        manual_duplex: bool = typer.Option(False, "--manual-duplex", help="单面打印机：正面、背面各写一个文件"),
        marks: bool = typer.Option(False, "--marks", help="在页边画折线与订书钉位置（细、浅灰）"),
        creep_mm: float = typer.Option(0.0, "--creep-mm", help="爬移补偿：最内一张的页面向中缝移动的毫米数"),
        preview: bool = typer.Option(False, "--preview", help="为每张纸的每一面写一张 PNG 预览"),
    ):
        """把 PDF 拼成 A3 骑马订小册子（双面、中缝装订）。 Impose a PDF as an A3 saddle-stitch booklet."""
        from closure_app.launch import lean_pypdf_for

        lean_pypdf_for(src)           # a lone imposition needs no decryption, font or image helpers
        from closure_app.impose import ImposeOptions, impose_pdf
        from closure_app.impose.preview import preview_dir, write_previews

        out = out or default_output(src)
        if src.exists() and out.exists() and out.resolve() == src.resolve():
            raise UsageError("输出文件不能覆盖输入文件")
        fields = dict(keep_last=keep_last, manual_duplex=manual_duplex, marks=marks, creep_mm=creep_mm)
        options = ImposeOptions(**fields, **({"duplex": duplex} if duplex else {}))
        result = impose_pdf(src, out, options, progress=lambda m: typer.echo(f"… {m}", err=True))
        if preview:
            folder = preview_dir(out)
            typer.echo(f"… 预览 → {folder}", err=True)
            write_previews(result, folder)
        typer.echo(summary(result, options))
        if result.instruction:
            typer.echo(result.instruction)
