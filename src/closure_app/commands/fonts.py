"""`closure-app fonts`: which font file sets each role, and whether every character has a glyph."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:  # reportlab and the font registry load when the command runs
    from closure_app.fonts import FontSet
    from closure_app.profile import Profile



def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def font_table(fs: FontSet, profile: Profile) -> str:
    """One line per role: role -> mandated family -> file used -> kind; then the fallback chain."""
    from closure_app.fonts import KIND_LABELS

    rows = [(f"{name}（{role.label}）", role.family) for name, role in profile.roles.items()]
    rows.append(("page_number（页码）", profile.page_number.family))
    lines = ["角色 -> 规定字体 -> 使用的字体文件 -> 类别"]
    for label, family in rows:
        font = fs.resolve(family)
        index = f"#{font.subfont_index}" if font.subfont_index else ""
        lines.append(f"  {label} -> {family} -> {font.font_name}（{shown(font.path)}{index}）-> {KIND_LABELS[font.kind]}")
    lines.append("后备字体（依次补缺字）：")
    lines += [f"  {i}. {f.font_name}（{shown(f.path)}）" for i, f in enumerate(fs.fallbacks, 1)]
    lines += [f"注意：{note}" for note in fs.notes]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("fonts")
    def fonts(
        check: bool = typer.Option(False, "--check", help="检查源文件每个字符都有字形 / check glyph coverage of the sources"),
        strict: bool = typer.Option(False, "--strict", help="任何替代字体都算失败 / any substitution fails"),
        form: Optional[Path] = typer.Option(None, "--form", help="申请书 YAML / application form"),
        manuscript: Optional[Path] = typer.Option(None, "--manuscript", help="书稿 Markdown / manuscript"),
    ):
        """列出各角色使用的字体文件；--check 检查缺字。 / Show the font file used for each role."""
        from closure_app.fonts import KIND_LABELS, load_fontset
        from closure_app.layout import documents
        from closure_app.profile import load_profile
        from closure_app.sources import chosen

        profile = load_profile()
        fs = load_fontset(profile)
        typer.echo(font_table(fs, profile))
        failed = False
        if check:
            for path, document in documents(profile, *chosen(form, manuscript)):
                report = fs.coverage_report(document)
                typer.echo(f"\n{path} 缺字检查：")
                typer.echo(str(report))
                failed |= not report.ok
        if strict and fs.substitutions():
            typer.echo("\n严格模式：" + "、".join(f"{f.family} 使用了{KIND_LABELS[f.kind]} {f.font_name}"
                                            for f in fs.substitutions()), err=True)
            failed = True
        if failed:
            raise typer.Exit(1)
