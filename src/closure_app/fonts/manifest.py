"""The open fonts shipped in ``fonts/open/``, as listed by its ``manifest.yaml``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from closure_app.errors import UserError

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when present: 10x faster

MANIFEST_NAME = "manifest.yaml"
SHIPPED_DIR_NAME = "open"


def default_fonts_dir() -> Path:
    """The checkout's ``fonts/`` folder, next to ``src/``."""
    return Path(__file__).resolve().parents[3] / "fonts"


@dataclass(frozen=True)
class ShippedFont:
    path: Path
    family: str
    postscript_name: str
    stands_for: tuple[str, ...]
    fallback_rank: Optional[int]
    licence: str


@lru_cache(maxsize=4)
def shipped_fonts(fonts_dir: Path) -> tuple[ShippedFont, ...]:
    shipped = fonts_dir / SHIPPED_DIR_NAME
    manifest = shipped / MANIFEST_NAME
    try:
        entries = yaml.load(manifest.read_text(encoding="utf-8"), Loader=SafeLoader)["fonts"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(f"找不到随附开源字体清单 {manifest}：请使用完整的项目检出。") from None
    return tuple(
        ShippedFont(
            path=shipped / e["file"],
            family=e["family"],
            postscript_name=e["postscript_name"],
            stands_for=tuple(e.get("stands_for") or ()),
            fallback_rank=e.get("fallback_rank"),
            licence=e["licence"],
        )
        for e in entries
    )


def substitute_for(fonts_dir: Path, style: Optional[str]) -> Optional[ShippedFont]:
    """The shipped font that stands in for a style (仿宋, 楷体 ...); None if there is none."""
    return next((f for f in shipped_fonts(fonts_dir) if style in f.stands_for), None)


def fallback_chain(fonts_dir: Path) -> list[ShippedFont]:
    """Shipped fonts that draw characters other fonts lack, in the order they are tried."""
    ranked = [f for f in shipped_fonts(fonts_dir) if f.fallback_rank is not None]
    return sorted(ranked, key=lambda f: f.fallback_rank)


def substitute_families(fonts_dir: Optional[Path] = None) -> dict[str, str]:
    """Family and PostScript names of the shipped fonts -> the style(s) each stands for
    ("后备" for a font only in the fallback chain). A PDF font named like this is a substitute."""
    out: dict[str, str] = {}
    for f in shipped_fonts(fonts_dir or default_fonts_dir()):
        what = "、".join(f.stands_for + (("后备",) if f.fallback_rank else ()))
        for name in (f.family, f.postscript_name):
            out[name] = "、".join(dict.fromkeys(filter(None, (out.get(name), what))))
    return out
