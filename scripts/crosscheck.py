#!/usr/bin/env python3
"""Cross-check: does LibreOffice print our DOCX as our PDF is printed?

Converts each DOCX to PDF with LibreOffice (headless), the Founder family names mapped by a
fontconfig alias (mode="append" binding="strong") to the open substitutes in ``fonts/open``
(the fonts our PDF embeds when no licensed copy is installed), then compares the result with
our own PDF page by page and line by line:

- pages: does page n begin with the same line in both?
- lines: each line of our PDF, matched in order against LibreOffice's lines (text without
  white space or leader dots): a matched line begins and ends where ours does;
- tables (``--tables``): the x of every vertical rule and the y of every horizontal rule of
  each page's tables, and how far LibreOffice's lie from ours.

Usage::

    scripts/crosscheck.py out/manuscript.docx out/manuscript.pdf [--tables] [--json F]

Prints the pages and lines that differ and a summary; exit 0 when the thresholds
(``--min-pages``, ``--min-lines``, ``--max-edge``) are met, 1 when not, 2 when a file could
not be converted or read.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from closure_app.profile import load_profile  # noqa: E402

LEADER = re.compile(r"[.·…]{2,}")
HANGING = "，。、；：！？．"
SPACE = re.compile(r"\s+")


# ---- LibreOffice ----------------------------------------------------------------------

def file_family(path: Path, index: int = 0) -> str:
    """The family name fontconfig knows the font file by (name ID 1)."""
    from fontTools.ttLib import TTFont
    return TTFont(path, fontNumber=index, lazy=True)["name"].getDebugName(1)


def fontconfig_file(folder: Path, profile=None) -> Path:
    """A fonts.conf that keeps the system's setup and maps every family the profile names to
    the font our PDF draws it with (the build's own font resolution: licensed copies in
    fonts/, the system's, else the shipped substitutes), then to the fallback fonts.

    fontconfig's ``<edit>`` takes ``<string>`` values (``<family>`` belongs to ``<alias>``,
    and inside ``<edit>`` is silently ignored); a substitute that shares its family name with
    another weight (Noto Serif CJK SC Bold for 小标宋) is asked for by its weight too."""
    from closure_app.fonts import load_fontset
    profile = profile or load_profile()
    fonts = load_fontset(profile)
    fallbacks = [file_family(f.path, f.subfont_index) for f in fonts.fallbacks]
    rules, dirs = [], {str(ROOT / "fonts" / "open"), str(ROOT / "fonts")}
    for family in profile.families():
        resolved = fonts.resolve(family)
        dirs.add(str(resolved.path.parent))
        names = [file_family(resolved.path, resolved.subfont_index)] + fallbacks
        prefer = "".join(f"<string>{escape(n)}</string>" for n in dict.fromkeys(names))
        weight = _weight(resolved.path, resolved.subfont_index)
        rules.append(
            f'<match target="pattern"><test name="family"><string>{escape(family)}</string></test>'
            f'<edit name="family" mode="append" binding="strong">{prefer}</edit>'
            + (f'<edit name="weight" mode="assign" binding="strong"><int>{weight}</int></edit>'
               if weight is not None else "") + "</match>")
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        + "".join(f"<dir>{escape(d)}</dir>" for d in sorted(dirs))
        + f'<cachedir>{escape(str(folder / "cache"))}</cachedir>{"".join(rules)}</fontconfig>',
        encoding="utf-8")
    return conf


def _weight(path: Path, index: int):
    """fontconfig's weight of a bold file (200), None for a regular one."""
    from fontTools.ttLib import TTFont
    os2 = TTFont(path, fontNumber=index, lazy=True)["OS/2"]
    return 200 if os2.usWeightClass >= 600 else None


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("未找到 LibreOffice（soffice）：请先安装 libreoffice-writer-nogui")
    return exe


def as_word_sets_it(docx: Path, work: Path) -> Path:
    """A copy of ``docx`` that LibreOffice sets as Word does: LibreOffice reads
    ``w:overflowPunct`` inverted (writerfilter's DomainMapper: hanging punctuation = value is
    0), so the copy carries the opposite value; nothing else changes."""
    import zipfile
    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = work / "word-view" / docx.name
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in ("word/styles.xml", "word/document.xml"):
                root = etree.fromstring(data)
                for el in root.iter(f"{w}overflowPunct"):
                    on = el.get(f"{w}val", "1") not in ("0", "false", "off")
                    el.set(f"{w}val", "0" if on else "1")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out


UNO_PYTHON = os.environ.get("UNO_PYTHON", "/usr/bin/python3")


def print_as_word(docx: Path, pdf: Path, work: Path, *, update_indexes: bool = False,
                  save_docx: Path | None = None) -> Path:
    """LibreOffice's PDF of ``docx``, set as Word sets it (scripts/lo_print.py, through UNO:
    the paragraph switches LibreOffice's import drops or inverts put back as Word reads them);
    ``update_indexes``: the TOC updated first. Without python3-uno, a plain conversion of
    the copy made by ``as_word_sets_it`` (CJK/Latin spacing then stays LibreOffice's)."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(work)), SOFFICE=soffice())
    has_uno = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    if not has_uno:
        if update_indexes or save_docx:
            raise RuntimeError("更新目录需要 python3-uno（apt-get install python3-uno）")
        print("提示：未安装 python3-uno，LibreOffice 仍在汉字与字母数字之间加空", file=sys.stderr)
        return convert(as_word_sets_it(docx, work), "pdf", pdf.parent, work)
    cmd = [UNO_PYTHON, str(ROOT / "scripts" / "lo_print.py"), str(docx), str(pdf)]
    if update_indexes:
        cmd.append("--update-indexes")
    if save_docx:
        cmd += ["--save-docx", str(save_docx)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice 未能打印 {docx}：{done.stderr or done.stdout}")
    return pdf


def convert(source: Path, fmt: str, outdir: Path, work: Path) -> Path:
    """``soffice --convert-to fmt`` with our fonts; the converted file's path."""
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(work)))
    done = subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{work}/profile", "--headless",
         "--convert-to", fmt, "--outdir", str(outdir), str(source)],
        env=env, capture_output=True, text=True, timeout=300)
    out = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"LibreOffice 未能转换 {source}：{done.stderr or done.stdout}")
    return out


# ---- lines ------------------------------------------------------------------------------

@dataclass
class Line:
    page: int          # 1-based
    top: float
    bottom: float
    size: float        # the largest character size on the line
    text: str          # without white space or leader dots
    raw: str = ""


def page_lines(page, page_no: int, foot_limit: float) -> list[Line]:
    """Lines of a page, top to bottom: characters grouped by vertical overlap, the largest
    first so that superscripts join the line they belong to. Lines below ``foot_limit`` (the
    page number) are left out."""
    lines: list[dict] = []
    for c in sorted(page.chars, key=lambda c: -c["size"]):
        centre = (c["top"] + c["bottom"]) / 2
        home = next((ln for ln in lines if ln["top"] - 0.5 <= centre <= ln["bottom"] + 0.5
                     and ln["size"] >= c["size"] - 0.01), None)
        if home is None:
            home = {"top": c["top"], "bottom": c["bottom"], "size": c["size"], "chars": []}
            lines.append(home)
        home["chars"].append(c)
    out = []
    for ln in sorted(lines, key=lambda ln: ln["top"]):
        if ln["top"] >= foot_limit:
            continue
        raw = "".join(c["text"] for c in sorted(ln["chars"], key=lambda c: c["x0"]))
        # A mark hanging at the end of a line is compared as absent: LibreOffice sometimes
        # leaves a hanging 。 out of its PDF while breaking the line where we do.
        text = LEADER.sub("", SPACE.sub("", raw)).rstrip(HANGING)
        if text:
            out.append(Line(page_no, ln["top"], ln["bottom"], ln["size"], text, raw))
    return out


def read_lines(pdf: Path, foot_limit_pt: float) -> list[list[Line]]:
    with pdfplumber.open(pdf) as doc:
        return [page_lines(p, n, foot_limit_pt) for n, p in enumerate(doc.pages, 1)]


# ---- table rules ---------------------------------------------------------------------------

def rules(page) -> tuple[list[float], list[float]]:
    """x of vertical and y of horizontal rules on a page (centre lines, rounded to 0.1 pt)."""
    xs, ys = set(), set()
    for e in page.edges:
        if e["orientation"] == "v" and e["height"] > 4:
            xs.add(round((e["x0"] + e["x1"]) / 2, 1))
        elif e["orientation"] == "h" and e["width"] > 4:
            ys.add(round((e["top"] + e["bottom"]) / 2, 1))
    for r in page.rects:   # a thin filled rectangle is a rule too
        if r["width"] <= 1.5 and r["height"] > 4:
            xs.add(round((r["x0"] + r["x1"]) / 2, 1))
        elif r["height"] <= 1.5 and r["width"] > 4:
            ys.add(round((r["top"] + r["bottom"]) / 2, 1))
    return sorted(_merge(xs)), sorted(_merge(ys))


def _merge(values: set[float], within: float = 1.0) -> list[float]:
    """Positions closer than ``within`` (a rectangle's two edges) as one, their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= within:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def rule_rects(page) -> list[dict]:
    return [r for r in page.rects if min(r["width"], r["height"]) <= 1.5]


def nearest(values: list[float], v: float) -> float:
    return min((abs(v - x) for x in values), default=float("inf"))


# ---- comparison ----------------------------------------------------------------------------

@dataclass
class Report:
    name: str
    pages_ours: int
    pages_lo: int
    pages_same_start: int = 0
    lines_ours: int = 0
    lines_same: int = 0
    page_diffs: list[str] = field(default_factory=list)
    line_diffs: list[str] = field(default_factory=list)
    edge_max: float | None = None
    edge_diffs: list[str] = field(default_factory=list)
    continued_captions: int = 0     # our （续表） captions compared without the mark

    @property
    def page_rate(self) -> float:
        return self.pages_same_start / self.pages_ours if self.pages_ours else 1.0

    @property
    def line_rate(self) -> float:
        return self.lines_same / self.lines_ours if self.lines_ours else 1.0

    def as_dict(self) -> dict:
        return {"name": self.name, "pages": self.pages_ours, "pages_libreoffice": self.pages_lo,
                "pages_same_start": self.pages_same_start, "page_rate": round(self.page_rate, 4),
                "lines": self.lines_ours, "lines_same": self.lines_same,
                "line_rate": round(self.line_rate, 4), "edge_max_pt": self.edge_max,
                "page_diffs": self.page_diffs, "line_diffs": self.line_diffs,
                "edge_diffs": self.edge_diffs, "continued_captions": self.continued_captions}


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[:n] + "…"


def continued_caption(text: str, mark: str, prefixes: tuple[str, ...]) -> str:
    """A table's caption repeated on a page it continues on, as the DOCX can print it: our PDF
    adds ``mark`` (（续表）), which a repeated header row of Word's cannot; else ``text``."""
    if mark and text.endswith(mark) and text.startswith(prefixes):
        return text[:-len(mark)]
    return text


def compare_lines(name: str, ours: list[list[Line]], lo: list[list[Line]],
                  continued: str = "", prefixes: tuple[str, ...] = ("表",)) -> Report:
    """``continued``: the mark our PDF adds to a table's caption on each later page; such a line
    counts as the DOCX's repeated caption (said in the report, every other text must match)."""
    rep = Report(name, len(ours), len(lo))
    keys = [[continued_caption(ln.text, continued, prefixes) for ln in page] for page in ours]
    rep.continued_captions = sum(k != ln.text for page, ks in zip(ours, keys) for ln, k in zip(page, ks))
    ours = [[replace(ln, text=k) for ln, k in zip(page, ks)] for page, ks in zip(ours, keys)]
    for n, page in enumerate(ours):
        first = page[0].text if page else ""
        theirs = lo[n][0].text if n < len(lo) and lo[n] else ""
        if first == theirs:
            rep.pages_same_start += 1
        else:
            rep.page_diffs.append(f"第 {n + 1} 页：PDF 起于「{_short(first)}」，"
                                  f"LibreOffice 起于「{_short(theirs)}」")
    a = [ln for page in ours for ln in page]
    b = [ln for page in lo for ln in page]
    rep.lines_ours = len(a)
    matcher = difflib.SequenceMatcher(None, [ln.text for ln in a], [ln.text for ln in b],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rep.lines_same += i2 - i1
            continue
        left = "；".join(f"p{ln.page}「{_short(ln.text, 16)}」" for ln in a[i1:i2][:3]) or "（无）"
        right = "；".join(f"p{ln.page}「{_short(ln.text, 16)}」" for ln in b[j1:j2][:3]) or "（无）"
        more = "……" if max(i2 - i1, j2 - j1) > 3 else ""
        rep.line_diffs.append(f"PDF {i2 - i1} 行 {left}{more}  ≠  LibreOffice {j2 - j1} 行 {right}{more}")
    return rep


def compare_rules(rep: Report, ours_pdf: Path, lo_pdf: Path) -> None:
    worst = 0.0
    with pdfplumber.open(ours_pdf) as a, pdfplumber.open(lo_pdf) as b:
        for n, (pa, pb) in enumerate(zip(a.pages, b.pages), 1):
            xa, ya = rules(pa)
            xb, yb = rules(pb)
            if not xa and not xb:
                continue
            for axis, mine, theirs in (("x", xa, xb), ("y", ya, yb)):
                for v in mine:
                    d = nearest(theirs, v)
                    worst = max(worst, d)
                    if d > 0.5:
                        rep.edge_diffs.append(f"第 {n} 页：PDF 的表格线 {axis}={v:.1f} pt，"
                                              f"LibreOffice 最近的差 {d:.1f} pt")
    rep.edge_max = round(worst, 2)


def crosscheck(docx: Path, pdf: Path, *, page_key: str = "report", tables: bool = False,
               work: Path | None = None) -> tuple[Report, Path]:
    profile = load_profile()
    geometry = profile.page(page_key)
    foot_limit = (geometry.height_mm - geometry.margin_mm.bottom) * 72 / 25.4 + 1
    work = work or Path(tempfile.mkdtemp(prefix="crosscheck-"))
    lo_pdf = print_as_word(docx, work / "lo" / f"{docx.stem}.pdf", work)
    rep = compare_lines(docx.name, read_lines(pdf, foot_limit), read_lines(lo_pdf, foot_limit),
                        continued=profile.captions.continued,
                        prefixes=(profile.captions.table,))
    if tables:
        compare_rules(rep, pdf, lo_pdf)
    return rep, lo_pdf


PAGE_NUMBER = re.compile(r"^\s*[—-]\s*\d+\s*[—-]\s*$")
# An entry's page number after its leader: one dot is enough (an entry that runs into the number
# column leaves room for no more, and must still be read as an entry, not as part of the next).
TOC_ENTRY_END = re.compile(r"(?:[.·…]+|\s)(\d+)\s*$")


def toc_entries(pdf: Path) -> list[tuple[str, int]]:
    """(entry, page number) of every TOC line, read from the pages that carry leader dots; a
    wrapped entry's lines joined."""
    entries, pending = [], ""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            text = page.extract_text() or ""
            if not LEADER.search(text):
                if entries:
                    break
                continue
            for raw in text.splitlines():
                if PAGE_NUMBER.match(raw):       # the footer's — 2 —
                    continue
                m = TOC_ENTRY_END.search(raw)
                if m and (LEADER.search(raw) or re.search(r"[.·…]\d+\s*$", raw)):
                    title = LEADER.sub("", SPACE.sub("", pending + raw[:m.start()]))
                    entries.append((title, int(m.group(1))))
                    pending = ""
                elif entries or pending or raw.strip() != "目录":
                    pending += raw if raw.strip() != "目录" else ""
    return entries


def heading_pages(pdf: Path, titles: list[str]) -> dict[str, int]:
    """The page each title is printed on as a heading (a line that begins it, leaders excluded:
    not a TOC line), the first such page after the TOC's."""
    found: dict[str, int] = {}
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, 1):
            for raw in (page.extract_text() or "").splitlines():
                line = SPACE.sub("", raw)
                if len(line) < 2 or LEADER.search(line) or re.search(r"[.·…]\d+$", line):
                    continue
                for t in titles:
                    if t not in found and (line == t or len(line) >= 6 and t.startswith(line)):
                        found[t] = n
    return found


def check_toc_update(docx: Path, pdf: Path, work: Path, printed: Path | None = None) -> list[str]:
    """LibreOffice updates the TOC field (as Word's "update field"); the numbers it finds,
    compared with the ones we cached (our PDF's). Empty when every number is unchanged.
    ``printed``: LibreOffice's print before the update; a changed number that is the page the
    heading is printed on there says the body runs differently, not the TOC."""
    updated = print_as_word(docx, work / "toc" / f"{docx.stem}.pdf", work, update_indexes=True)
    ours, theirs = toc_entries(pdf), toc_entries(updated)
    problems = []
    if len(ours) != len(theirs):
        problems.append(f"目录条数：PDF {len(ours)} 条，LibreOffice 更新后 {len(theirs)} 条")
    changed = [(a, b) for a, b in zip(ours, theirs) if a != b]
    where = heading_pages(printed, [b[0] for _, b in changed]) if printed and changed else {}
    for (title, n), (title2, n2) in changed:
        why = ""
        if where.get(title2) == n2 and title == title2:
            why = f"（更新前 LibreOffice 也把它印在第 {n2} 页：正文分页与 PDF 不同，不是目录的长度）"
        problems.append(f"「{_short(title)}」：PDF 第 {n} 页，更新后「{_short(title2)}」第 {n2} 页{why}")
    return problems


def print_report(rep: Report, limit: int = 40) -> None:
    print(f"== {rep.name}：PDF {rep.pages_ours} 页，LibreOffice {rep.pages_lo} 页")
    for line in rep.page_diffs[:limit]:
        print("  " + line)
    for line in rep.line_diffs[:limit]:
        print("  " + line)
    if len(rep.line_diffs) > limit:
        print(f"  ……另有 {len(rep.line_diffs) - limit} 处不同")
    for line in rep.edge_diffs[:limit]:
        print("  " + line)
    if rep.continued_captions:
        print(f"  PDF 续页上带（续表）的表题 {rep.continued_captions} 行，按 DOCX 重复的标题行（不带（续表））比较")
    print(f"  起始行相同的页：{rep.pages_same_start}/{rep.pages_ours}（{rep.page_rate:.1%}）")
    print(f"  断行相同的行：{rep.lines_same}/{rep.lines_ours}（{rep.line_rate:.1%}）")
    if rep.edge_max is not None:
        print(f"  表格线最大偏差：{rep.edge_max:.2f} pt")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="用 LibreOffice 打印 DOCX，与本工具的 PDF 逐页逐行比较")
    ap.add_argument("pairs", nargs="+", metavar="DOCX PDF",
                    help="成对的 DOCX 与 PDF（同一文档）")
    ap.add_argument("--page", default="report", help="版面（配置文件 pages 中的键）：report 或 form")
    ap.add_argument("--tables", action="store_true", help="也比较表格线的位置")
    ap.add_argument("--min-pages", type=float, default=0.95)
    ap.add_argument("--min-lines", type=float, default=0.90)
    ap.add_argument("--max-edge", type=float, default=0.5)
    ap.add_argument("--toc-update", action="store_true",
                    help="让 LibreOffice 更新目录域，检查每个页码是否不变（需要 python3-uno）")
    ap.add_argument("--json", type=Path, help="结果另存为 JSON")
    ap.add_argument("--keep", type=Path, help="把 LibreOffice 的 PDF 存到此目录")
    args = ap.parse_args(argv)
    if len(args.pairs) % 2:
        ap.error("DOCX 与 PDF 须成对给出")
    results, ok = [], True
    for docx, pdf in zip(args.pairs[::2], args.pairs[1::2]):
        try:
            rep, lo_pdf = crosscheck(Path(docx), Path(pdf), page_key=args.page, tables=args.tables)
        except (RuntimeError, OSError) as exc:
            print(exc, file=sys.stderr)
            return 2
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(lo_pdf, args.keep / f"{Path(docx).parent.name}-{Path(docx).stem}.libreoffice.pdf")
        print_report(rep)
        result = rep.as_dict()
        if args.toc_update:
            try:
                problems = check_toc_update(Path(docx), Path(pdf), lo_pdf.parent.parent, lo_pdf)
            except RuntimeError as exc:
                print(exc, file=sys.stderr)
                return 2
            if args.keep:
                shutil.copy(lo_pdf.parent.parent / "toc" / f"{Path(docx).stem}.pdf",
                            args.keep / f"{Path(docx).parent.name}-{Path(docx).stem}.toc-updated.pdf")
            for line in problems:
                print("  " + line)
            n = len(toc_entries(Path(pdf)))
            print(f"  目录更新后页码不变：{'是' if not problems else '否'}（{n} 条）")
            result["toc_update_problems"] = problems
            ok &= not problems
        results.append(result)
        ok &= rep.page_rate >= args.min_pages and rep.line_rate >= args.min_lines
        if rep.edge_max is not None:
            ok &= rep.edge_max <= args.max_edge
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
