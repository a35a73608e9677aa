"""Resolve every family a profile names to a font file, and draw every character from one.

Order of search for a mandated family (方正仿宋_GBK):
1. the family itself, by any name inside the file: ``fonts/`` first, then the system's font
   folders -> kind ``licensed``;
2. a near-equivalent people commonly have (FangSong, STFangsong ...) -> ``system-equivalent``;
3. the open font shipped in ``fonts/open/`` for the style -> ``substitute``.
A character the chosen font lacks is drawn from the shipped fallback chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Literal, Optional

from closure_app.errors import UserError
from closure_app.fonts import parsed
from closure_app.fonts.coverage import CoverageReport, coverage_report, describe_char, needs_glyph, snippet
from closure_app.fonts.catalog import font_files, scan, system_font_dirs
from closure_app.fonts.manifest import (
    SHIPPED_DIR_NAME, ShippedFont, default_fonts_dir, fallback_chain, shipped_fonts, substitute_for,
)
from closure_app.fonts.names import FaceInfo, normalize
from closure_app.fonts.styles import equivalent_names, exact_names, style_of
from closure_app.profile import Profile

if TYPE_CHECKING:
    from closure_app.blocks import Document

Kind = Literal["licensed", "system-equivalent", "substitute", "fallback"]

KIND_LABELS: dict[str, str] = {
    "licensed": "正版字体",
    "system-equivalent": "系统近似字体",
    "substitute": "随附替代字体",
    "fallback": "随附后备字体",
}


@dataclass(frozen=True)
class ResolvedFont:
    family: str            # the mandated family (方正仿宋_GBK), or "后备字体" for a fallback
    path: Path
    subfont_index: int
    kind: Kind
    font_name: str         # the font's own family name (FandolFang)
    postscript_name: str


class FontSet:
    """The fonts of one build: a resolved font per family, plus the fallback chain."""

    def __init__(self, profile: Profile, faces: list[tuple[int, FaceInfo]], fonts_dir: Path):
        """``faces``: (origin, face), origin 0 for fonts/, 1 for the system's folders."""
        self.profile = profile
        self._fonts_dir = fonts_dir
        self._by_name: dict[str, list[tuple[int, FaceInfo]]] = {}
        for origin, face in faces:
            for name in {normalize(n) for n in face.names}:
                self._by_name.setdefault(name, []).append((origin, face))
        self._resolved: dict[str, ResolvedFont] = {}
        self.notes: list[str] = []
        self.fallbacks: list[ResolvedFont] = [self._shipped(f, "后备字体", "fallback")
                                              for f in fallback_chain(fonts_dir)]

    # ---- resolution ----------------------------------------------------------------------

    def _find(self, names: Iterable[str]) -> Optional[FaceInfo]:
        """The best TrueType face carrying the first of the names found: fonts/ before system,
        upright before italic, weight nearest regular."""
        for name in names:
            found = self._by_name.get(normalize(name), [])
            usable = [(o, f) for o, f in found if f.truetype]
            for _, face in found:
                note = f"{face.path} 为 CFF（PostScript）轮廓，PDF 排版无法使用，已跳过。"
                if not face.truetype and note not in self.notes:
                    self.notes.append(note)
            if usable:
                return min(usable, key=lambda of: (of[0], of[1].italic, abs(of[1].weight - 400)))[1]
        return None

    def _shipped(self, font: ShippedFont, family: str, kind: Kind) -> ResolvedFont:
        if not font.path.is_file():
            raise UserError(f"随附字体文件缺失：{font.path}。请使用完整的项目检出。")
        return ResolvedFont(family, font.path, 0, kind, font.family, font.postscript_name)

    def resolve(self, family: str) -> ResolvedFont:
        if family not in self._resolved:
            self._resolved[family] = self._resolve(family)
        return self._resolved[family]

    def _resolve(self, family: str) -> ResolvedFont:
        for names, kind in ((exact_names(family), "licensed"), (equivalent_names(family), "system-equivalent")):
            face = self._find(names)
            if face:
                return ResolvedFont(family, Path(face.path), face.index, kind, face.family, face.postscript_name)
        shipped = substitute_for(self._fonts_dir, style_of(family)) or fallback_chain(self._fonts_dir)[0]
        return self._shipped(shipped, family, "substitute")

    # ---- drawing -------------------------------------------------------------------------

    def reportlab_font(self, family: str) -> str:
        """Register the family's font with reportlab (once) and return the name for setFont."""
        font = self.resolve(family)
        return parsed.register(font.path, font.subfont_index)

    def chain(self, family: str) -> list[ResolvedFont]:
        """The resolved font, then each fallback not the same file."""
        first = self.resolve(family)
        return [first] + [f for f in self.fallbacks if (f.path, f.subfont_index) != (first.path, first.subfont_index)]

    def font_for(self, ch: str, family: str) -> Optional[ResolvedFont]:
        """The first font of the family's chain that has the character; None if none has it."""
        return next((f for f in self.chain(family)
                     if ord(ch) in parsed.charset(f.path, f.subfont_index)), None)

    def missing(self, text: str, family: str) -> set[str]:
        """Characters of the text the family's resolved font lacks."""
        font = self.resolve(family)
        have = parsed.charset(font.path, font.subfont_index)
        return {ch for ch in set(text) if needs_glyph(ch) and ord(ch) not in have}

    def split_by_coverage(self, text: str, family: str) -> list[tuple[str, str]]:
        """Consecutive runs of (text, reportlab font name), each character drawn by the first font
        of the chain that has it. Raises UserError for a character no font has."""
        first = self.resolve(family)
        have = parsed.charset(first.path, first.subfont_index)
        main_name = self.reportlab_font(family)
        if not self.missing(text, family):         # the usual case: one run, no per-character work
            return [(text, main_name)] if text else []
        runs: list[tuple[str, str]] = []
        for i, ch in enumerate(text):
            if not needs_glyph(ch):
                name = runs[-1][1] if runs else main_name
            elif ord(ch) in have:
                name = main_name
            else:
                font = self.font_for(ch, family)
                if font is None:
                    raise UserError(f"字符{describe_char(ch)}在字体 {first.font_name} 及所有后备字体中都没有字形，"
                                    f"无法排版：所在文字「{snippet(text, i)}」。")
                name = parsed.register(font.path, font.subfont_index)
            if runs and runs[-1][1] == name:
                runs[-1] = (runs[-1][0] + ch, name)
            else:
                runs.append((ch, name))
        return runs

    def coverage_report(self, document: "Document") -> CoverageReport:
        """Per role of the profile: every character its font lacks, where it first occurs, and
        the fallback font that draws it (or none)."""
        return coverage_report(self, document)

    # ---- strictness ----------------------------------------------------------------------

    def substitutions(self) -> list[ResolvedFont]:
        return [f for f in self._resolved.values() if f.kind != "licensed"]

    def require_licensed(self) -> None:
        """--strict: any family not set in the font it names is a failure."""
        subs = self.substitutions()
        if subs:
            lines = [f"  {f.family} -> {f.font_name}（{KIND_LABELS[f.kind]}，{f.path}）" for f in subs]
            raise UserError("严格模式：以下字体未找到正版字体文件，使用了替代字体：\n" + "\n".join(lines)
                            + "\n请将正版字体文件放入 fonts/ 目录或安装到系统字体目录。")


def load_fontset(profile: Profile, *, project_dir: Optional[Path] = None, strict: bool = False) -> FontSet:
    """Resolve every family the profile names. ``project_dir``: the fonts/ folder of the checkout."""
    fonts_dir = Path(project_dir) if project_dir else default_fonts_dir()
    shipped_fonts(fonts_dir)  # a clear error now if the shipped fonts are missing
    user = scan(font_files([fonts_dir], exclude=[fonts_dir / SHIPPED_DIR_NAME]))
    system = scan(font_files(system_font_dirs()))
    fs = FontSet(profile, [(0, f) for f in user] + [(1, f) for f in system], fonts_dir)
    for family in profile.families():
        fs.resolve(family)
    if strict:
        fs.require_licensed()
    return fs
