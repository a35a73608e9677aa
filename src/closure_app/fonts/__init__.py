"""Fonts: resolve each mandated family to a file, draw every character, report substitutions."""
from closure_app.fonts.coverage import CoverageReport, MissingChar
from closure_app.fonts.fontset import KIND_LABELS, FontSet, ResolvedFont, load_fontset
from closure_app.fonts.manifest import substitute_families

__all__ = ["CoverageReport", "FontSet", "KIND_LABELS", "MissingChar", "ResolvedFont", "load_fontset",
           "substitute_families"]
