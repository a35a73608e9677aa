"""Fonts: resolve each mandated family to a file, draw every character, report substitutions.

The names below are loaded on first use: a command that only needs one small part (the
checker asks for the names of the shipped substitutes) does not load reportlab with it."""
from __future__ import annotations

import importlib

_WHERE = {
    "CoverageReport": "coverage", "MissingChar": "coverage",
    "KIND_LABELS": "fontset", "FontSet": "fontset", "ResolvedFont": "fontset", "load_fontset": "fontset",
    "substitute_families": "manifest",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"closure_app.fonts.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
