"""Rebuild the open substitute fonts in ``fonts/open/`` from Debian font packages.

Run once, offline, on a Debian machine; the result is committed, so nothing here runs at
build time and no system font is needed at run time:

    apt-get install -y --no-install-recommends texlive-lang-chinese fonts-lxgw-wenkai \\
        fonts-wqy-microhei fonts-noto-cjk fonts-hanazono
    .venv/bin/python scripts/fonts/build_open_fonts.py

For each font it subsets to a documented repertoire (see ``repertoire.py``), converts CFF
outlines to TrueType quadratics (reportlab reads only TrueType ``glyf`` outlines), copies the
licence text and writes ``fonts/open/manifest.yaml`` with every file's SHA-256. Output is
byte-reproducible: timestamps in the ``head`` table are kept from the source.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from repertoire import REPERTOIRES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "fonts" / "open"

FANDOL = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
FANDOL_DOC = Path("/usr/share/doc/texlive-doc/fonts/fandol")
NOTO = Path("/usr/share/fonts/opentype/noto")
COMMON_LICENCES = Path("/usr/share/common-licenses")

# The exception the Fandol README names ("GPL + GPL font exception"): the FSF's font exception.
GPL_FONT_EXCEPTION = """\
As a special exception, if you create a document which uses this font, and embed this font or
unaltered portions of this font into the document, this font does not by itself cause the
resulting document to be covered by the GNU General Public License. This exception does not
however invalidate any other reasons why the document might be covered by the GNU General Public
License. If you modify this font, you may extend this exception to your version of the font, but
you are not obligated to do so. If you do not wish to do so, delete this exception statement from
your version.
"""


@dataclass(frozen=True)
class Target:
    file: str                   # name under fonts/open/
    source: Path                # file in the Debian package
    package: str                # Debian package (name and version are recorded)
    stands_for: list[str]       # the styles it substitutes (仿宋, 楷体, 黑体, 小标宋, 宋体)
    licence: str                # SPDX-like identifier
    licence_file: str           # under fonts/open/licences/
    licence_sources: tuple      # files (or literal texts) whose contents make up the licence file
    family: str                 # the font's own family name, for the record
    subfont: Optional[str] = None     # PostScript name of the face inside a TTC
    repertoire: Optional[str] = None  # key of REPERTOIRES; None: the whole font, unchanged
    fallback_rank: Optional[int] = None  # 1, 2 ...: order in the fallback chain
    note: str = ""


TARGETS = [
    Target(
        file="FandolFang-Regular.ttf",
        source=FANDOL / "FandolFang-Regular.otf",
        package="texlive-lang-chinese",
        stands_for=["仿宋"],
        licence="GPL-3.0-or-later WITH Font-exception-2.0",
        licence_file="Fandol-GPL-3.0-with-font-exception.txt",
        licence_sources=(FANDOL_DOC / "README", GPL_FONT_EXCEPTION, FANDOL_DOC / "COPYING.gz"),
        family="FandolFang",
        repertoire="whole-cmap",
        note="CFF outlines converted to TrueType; GB2312 coverage only: other characters come from the fallback chain.",
    ),
    Target(
        file="LXGWWenKai-Regular.ttf",
        source=Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"),
        package="fonts-lxgw-wenkai",
        stands_for=["楷体"],
        licence="OFL-1.1 (Reserved Font Names 霞鹜, LXGW)",
        licence_file="LXGW-WenKai-OFL-1.1.txt",
        licence_sources=(Path("/usr/share/doc/fonts-lxgw-wenkai/copyright"),),
        family="LXGW WenKai",
        note="Shipped unmodified: the licence reserves its name for unmodified fonts.",
    ),
    Target(
        file="WenQuanYiMicroHei.ttf",
        source=Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        package="fonts-wqy-microhei",
        stands_for=["黑体"],
        licence="Apache-2.0 OR GPL-3.0-or-later WITH Font-exception-2.0",
        licence_file="WenQuanYi-Micro-Hei-Apache-2.0-or-GPL-3.0-with-font-exception.txt",
        licence_sources=(Path("/usr/share/doc/fonts-wqy-microhei/copyright"), COMMON_LICENCES / "Apache-2.0",
                         COMMON_LICENCES / "GPL-3"),
        family="WenQuanYi Micro Hei",
        subfont="WenQuanYiMicroHei",
        repertoire="whole-cmap",
        note="The proportional face extracted from the TTC.",
    ),
    Target(
        file="NotoSerifCJKsc-Bold-GB2312.ttf",
        source=NOTO / "NotoSerifCJK-Bold.ttc",
        package="fonts-noto-cjk",
        stands_for=["小标宋"],
        licence="OFL-1.1",
        licence_file="Noto-CJK-OFL-1.1.txt",
        licence_sources=(Path("/usr/share/doc/fonts-noto-cjk/copyright"),),
        family="Noto Serif CJK SC",
        subfont="NotoSerifCJKsc-Bold",
        repertoire="gb2312-report",
        note="Bold weight as a heavy Song, for titles; subset to GB2312 plus report punctuation and symbols "
             "(other characters come from the fallback chain); CFF converted to TrueType.",
    ),
    Target(
        file="NotoSerifCJKsc-Regular-CJK.ttf",
        source=NOTO / "NotoSerifCJK-Regular.ttc",
        package="fonts-noto-cjk",
        stands_for=["宋体"],
        licence="OFL-1.1",
        licence_file="Noto-CJK-OFL-1.1.txt",
        licence_sources=(Path("/usr/share/doc/fonts-noto-cjk/copyright"),),
        family="Noto Serif CJK SC",
        subfont="NotoSerifCJKsc-Regular",
        repertoire="bmp-han",
        fallback_rank=1,
        note="First fallback: every BMP Han ideograph (URO, Extension A, compatibility) plus GBK and report symbols; CFF converted to TrueType.",
    ),
    Target(
        file="HanaMinB-ExtB.ttf",
        source=Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
        package="fonts-hanazono",
        stands_for=[],
        licence="OFL-1.1 OR Hanazono-Font-License",
        licence_file="Hanazono-OFL-1.1-or-Hanazono-Font-License.txt",
        licence_sources=(Path("/usr/share/doc/fonts-hanazono/copyright"),),
        family="HanaMinB",
        repertoire="ext-b",
        fallback_rank=2,
        note="Second fallback: CJK Unified Ideographs Extension B (U+20000-U+2A6DF), all 42,711.",
    ),
]


def debian_version(package: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def open_face(target: Target) -> TTFont:
    if target.source.suffix.lower() in (".ttc", ".otc"):
        for face in TTCollection(target.source).fonts:
            if face["name"].getDebugName(6) == target.subfont:
                return face
        raise SystemExit(f"{target.source}: no face {target.subfont}")
    return TTFont(target.source)


def subset_to(font: TTFont, codepoints: set[int]) -> None:
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.desubroutinize = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=codepoints & set(font.getBestCmap()))
    sub.subset(font)


def cff_to_truetype(font: TTFont, max_err: float = 1.0) -> None:
    """Replace CFF outlines by TrueType quadratic ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        width, _ = hmtx[name]
        hmtx[name] = (width, getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def licence_text(source) -> str:
    if isinstance(source, str):
        return source
    if source.suffix == ".gz":
        return gzip.decompress(source.read_bytes()).decode("utf-8")
    return source.read_text(encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(target: Target) -> dict:
    dest = OUT / target.file
    t0 = time.perf_counter()
    if target.repertoire is None:
        shutil.copyfile(target.source, dest)
    else:
        font = open_face(target)
        cmap = set(font.getBestCmap())
        subset_to(font, REPERTOIRES[target.repertoire](cmap))
        if "CFF " in font:
            cff_to_truetype(font)
        font.recalcTimestamp = False
        font.save(dest)
    licences = OUT / "licences"
    licences.mkdir(exist_ok=True)
    text = "\n\n".join(licence_text(src) for src in target.licence_sources)
    (licences / target.licence_file).write_text(text, encoding="utf-8")
    check = TTFont(dest, fontNumber=0)
    entry = {
        "file": target.file,
        "family": target.family,
        "postscript_name": check["name"].getDebugName(6),
        "stands_for": target.stands_for,
        "fallback_rank": target.fallback_rank,
        "characters": len(check.getBestCmap()),
        "sha256": sha256(dest),
        "bytes": dest.stat().st_size,
        "licence": target.licence,
        "licence_file": f"licences/{target.licence_file}",
        "source": f"Debian {target.package} {debian_version(target.package)}: {target.source}"
        + (f" (face {target.subfont})" if target.subfont else ""),
        "repertoire": target.repertoire or "whole font, unmodified",
        "note": target.note,
    }
    print(f"{target.file}: {entry['characters']} chars, {entry['bytes'] / 1e6:.1f} MB, "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    return entry


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="rebuild only files whose name contains this")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    manifest_path = OUT / "manifest.yaml"
    old = {}
    if manifest_path.exists():
        old = {e["file"]: e for e in yaml.safe_load(manifest_path.read_text(encoding="utf-8"))["fonts"]}
    entries = [build(t) if args.only in t.file else old[t.file] for t in TARGETS]
    header = ("# Open fonts shipped with closure-app, written by scripts/fonts/build_open_fonts.py.\n"
              "# stands_for: the mandated styles each one substitutes; fallback_rank: order in the\n"
              "# chain that draws characters a font lacks. Repertoires: scripts/fonts/repertoire.py.\n")
    manifest_path.write_text(header + yaml.safe_dump({"fonts": entries}, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    total = sum(e["bytes"] for e in entries)
    print(f"total {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
