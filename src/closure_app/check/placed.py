"""The build's self-check of a PDF it has just written: judged from what the renderer placed.

The renderer knows every string it showed (text, font, size, bold or not, where) and every
path it painted (render/pdf/record.py); from that the same facts the reader takes from a file
(pdf_reader.PdfFacts: lines, their tables, rules, fonts per page) are made with the reader's
own grouping, and judged by the same rules as any PDF (pdf_check.judge_pdf). What only the
file can tell is read back from it: that it opens, its page count and page sizes, and for
each font its name, whether it is embedded and its weight, as pdfium reports them.

A file whose read-back does not match the record (another page count, a font the record
names that the file lacks) is judged by the full read instead (``check_pdf``). ``closure-app
check`` of any file always reads it in full.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional

from closure_app.check.findings import CheckReport, apply_strict
from closure_app.check.pdf_reader import (
    BOLD_WEIGHT, PdfFacts, PdfFont, _rules, _Run, decode_font_name, group_lines, mark_tables, table_boxes,
)
from closure_app.check.safety import CannotCheck
from closure_app.profile import Profile

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _weight(descriptor) -> int:
    """The weight pdfium gives a font: from its descriptor's StemV (pdfium's CPDF_Font::
    GetFontWeight: 5 x StemV below 140, else 4 x StemV + 140)."""
    stem = int(descriptor.get("/StemV", 0)) if descriptor is not None else 0
    return stem * 5 if stem < 140 else stem * 4 + 140


def _pdf_font(font) -> PdfFont:
    raw_name = font.get("/BaseFont", "")
    name = decode_font_name(str(raw_name).lstrip("/").encode("latin-1", "replace"))
    holder = font
    if font.get("/Subtype") == "/Type0":
        holder = font["/DescendantFonts"][0].get_object()
    descriptor = holder.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    embedded = descriptor is not None and any(k in descriptor for k in _FONT_FILES)
    bold = _weight(descriptor) >= BOLD_WEIGHT or "bold" in name.lower()
    return PdfFont(name, embedded, bold)


def read_back(data: bytes) -> tuple[list[tuple[float, float]], dict[str, PdfFont]]:
    """(page sizes, font name -> font) of a PDF, read with pypdf without touching its text.
    Raises CannotCheck if it does not open."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        sizes: list[tuple[float, float]] = []
        fonts: dict[str, PdfFont] = {}
        seen: set = set()
        for page in reader.pages:
            box = page.mediabox
            sizes.append((float(box.width), float(box.height)))
            resources = page.get("/Resources")
            font_dict = resources.get_object().get("/Font") if resources is not None else None
            if font_dict is None:
                continue
            font_dict = font_dict.get_object()
            key = getattr(font_dict, "indirect_reference", None) or id(font_dict)
            if key in seen:
                continue
            seen.add(key)
            for ref in font_dict.values():
                font = _pdf_font(ref.get_object())
                fonts.setdefault(font.name, font)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise CannotCheck(f"PDF 已损坏，无法读取（{exc}）。") from None
    return sizes, fonts


def _normalize(threshold: float, t1: int, t2: int, t3: int) -> float:
    if threshold < t1:
        return threshold / 2
    if threshold < t2:
        return threshold / 4
    if threshold < t3:
        return threshold / 5
    return threshold / 6


def _new_line(prev, run, pos_x: float, pos_y: float, threshold: float) -> bool:
    """pdfium starts a new line of text between two text objects (upright pages)."""
    if (run.top - run.bottom > 4.5 and prev.top - prev.bottom > 4.5
            and max(run.bottom, prev.bottom) >= min(run.top, prev.top)):
        return True
    if not ((pos_y > threshold * 2 or pos_y < threshold * -3) and (abs(pos_y) >= 1 or abs(pos_y) > abs(pos_x))):
        return False
    if len(prev.text) > 1 and prev.last_x > prev.x:
        if 0 <= run.x <= 1000 and prev.bottom <= run.y <= prev.top:
            return False
        if 0 <= prev.x <= 1000 and run.bottom <= prev.y <= run.top:
            return False
    return True


def _hyphen(line: list, cur: str) -> bool:
    """pdfium's IsHyphen: the line so far ends (spaces aside) in a hyphen after a letter, and
    the next line starts with a letter or digit."""
    k = len(line) - 1
    while k > 0 and line[k][0] == " ":
        k -= 1
    if k < 0 or line[k][0] not in ("-", "\xad"):
        return False
    return k > 0 and line[k - 1][0].isalpha() and cur.isalnum()


_NONE, _SPACE, _BREAK, _HYPHEN = range(4)


def _between(prev, run, line: list) -> int:
    """What pdfium's text page puts between two text objects (CPDF_TextPage::
    ProcessInsertObject): nothing, a space (they stand apart on one line), a line break, or
    a hyphen mark (the line ends in a hyphenated word)."""
    pos_x, pos_y = run.x - prev.x, run.y - prev.y
    last_width = prev.last_w * prev.size / 1000
    this_width = run.first_w * run.size / 1000
    cur = run.text[0]
    if _new_line(prev, run, pos_x, pos_y, max(last_width, this_width) / 4):
        return _HYPHEN if _hyphen(line, cur) else _BREAK
    if cur == " " or prev.text[-1] == " ":
        return _NONE
    wider = max(prev.last_w, run.first_w)
    threshold = _normalize(wider, 400, 700, 800) * (prev.size if prev.last_w >= run.first_w else run.size) / 1000
    if 1.4879 < threshold < 1.4881 or 1.38999 < threshold < 1.39001:
        threshold *= 1.5
    last_pos = prev.last_x - prev.x
    if abs(last_pos + last_width - pos_x) <= threshold:
        return _NONE
    threshold_pos = threshold + last_width
    difference = pos_x - last_pos
    if abs(difference) > threshold_pos or pos_x < 0 and -threshold_pos > difference:
        return _SPACE
    return _SPACE if difference > this_width + last_width else _NONE


def _close(line: list, out: list) -> None:
    """A finished line of characters: a space after a space is dropped."""
    for k, item in enumerate(line):
        if item[0] == " " and k and line[k - 1][0] == " ":
            continue
        out.append(item)
    line.clear()


def _order(runs) -> list[int]:
    """The runs as pdfium's text page takes them: in content order into lines (a run more than
    half a glyph above or below the line's last one starts the next), left to right within a
    line. A run of no width is left out."""
    order: list[int] = []
    group: list[int] = []
    for i, r in enumerate(runs):
        if r.right - r.left < 0.01 or not r.text:
            continue
        if group:
            last = runs[group[-1]]
            threshold = max(last.last_w * last.size, r.first_w * r.size) / 1000 / 4
            if abs(r.y - last.y) <= threshold * 2:
                at = len(group)
                while at > 0 and r.x < runs[group[at - 1]].x:
                    at -= 1
                group.insert(at, i)
                continue
            order += group
            group.clear()
        group.append(i)
    return order + group


def _texts(runs) -> list[str]:
    """Each run's text as pdfium gives it (FPDFTextObj_GetText through a text page): between
    runs a space, a line break or a hyphen mark is generated, and a run's text is its own
    characters and the space that follows them, if any."""
    chars: list = []          # (character, run index or None for a generated one)
    line: list = []
    prev = None
    for i in _order(runs):
        r = runs[i]
        if prev is not None:
            between = _between(runs[prev], r, line)
            if between == _SPACE:
                line.append((" ", None))
            elif between == _BREAK:
                _close(line, chars)
                if chars:
                    chars += [("\r", None), ("\n", None)]
            elif between == _HYPHEN:
                if len(r.text) == 1 and r.text in ("-", "\xad"):
                    continue
                while line and line[-1][0] == " ":
                    line.pop()
                if line:
                    line[-1] = ("\x02", line[-1][1])
        line += [(ch, i) for ch in r.text]
        prev = i
    _close(line, chars)

    texts = ["" for _ in runs]
    before = None
    for ch, owner in chars:
        if owner is not None:
            texts[owner] += ch
        if ch == " " and before is not None and before != owner:
            texts[before] += " "          # a space right after a run's characters is read with it
        before = owner
    return texts


def placed_facts(placement, fonts: dict[str, PdfFont]) -> Optional[PdfFacts]:
    """The reader's facts from the renderer's record; None if the record names a font the
    file does not have."""
    facts = PdfFacts()
    for number, page in enumerate(placement.pages, 1):
        facts.page_sizes.append((page.width, page.height))
        runs = []
        used: dict[PdfFont, None] = {}
        for r, text in zip(page.runs, _texts(page.runs)):
            font = fonts.get(r.font)
            if font is None:
                return None
            used[font] = None
            runs.append(_Run(text, r.size, font, r.stroked, (r.bottom + r.top) / 2, r.left, r.right,
                             r.bottom, r.top))
        for font in used:
            facts.font_pages.setdefault(font, []).append(number)
        lines = group_lines(number, runs)
        mark_tables(lines, table_boxes(page.segments, page.height))
        facts.rules[number] = _rules(page.segments)[0]
        facts.lines += lines
    return facts


def booklet_facts(data: bytes, placement, fonts: dict[str, PdfFont]) -> Optional[PdfFacts]:
    """The facts of an A3 booklet imposed from a PDF whose record is ``placement``: its sheets
    read back (their sizes, and the source pages each one places, /P<n> in the order drawn),
    each sheet's fonts those of its source pages as the renderer placed them. None if a sheet
    places anything else."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    facts = PdfFacts()
    for number, sheet in enumerate(reader.pages, 1):
        box = sheet.mediabox
        facts.page_sizes.append((float(box.width), float(box.height)))
        resources = sheet.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        used: dict[PdfFont, None] = {}
        for name in (xobjects.get_object() if xobjects is not None else {}):
            source = int(name[2:]) if name[:2] == "/P" and name[2:].isdigit() else 0
            if not 0 < source <= len(placement.pages):
                return None
            for run in placement.pages[source - 1].runs:
                if run.font not in fonts:
                    return None
                used[fonts[run.font]] = None
        for font in used:
            facts.font_pages.setdefault(font, []).append(number)
    return facts


def check_placed_booklet(path: Path, data: bytes, placement, source: bytes, profile: Profile, *,
                         strict: bool = False) -> CheckReport:
    """The report of an A3 booklet the build imposed from the PDF ``source`` (bytes) whose
    record is ``placement``; any doubt and the file is read in full."""
    from closure_app.check import check_file
    from closure_app.check.pdf_check import judge_pdf

    try:
        _, fonts = read_back(source)
        facts = booklet_facts(data, placement, fonts)
    except (CannotCheck, ValueError, KeyError, TypeError, AttributeError):
        facts = None
    if facts is None:
        return check_file(path, profile, strict=strict)
    judged, findings = judge_pdf(facts, profile)
    return CheckReport(str(path), judged, apply_strict(findings, strict))


def check_placed(path: Path, data: bytes, placement, profile: Profile, *, strict: bool = False) -> CheckReport:
    """The report of a PDF the build wrote: ``data`` is the file's bytes, ``placement`` what the
    renderer placed on its pages."""
    from closure_app.check import check_file
    from closure_app.check.pdf_check import judge_pdf

    try:
        sizes, fonts = read_back(data)
    except CannotCheck as exc:
        return CheckReport(str(path), "auto", [], exc.message)
    facts = placed_facts(placement, fonts) if len(sizes) == len(placement.pages) else None
    if facts is None or any(abs(a - b) > 0.01 for s, p in zip(sizes, facts.page_sizes) for a, b in zip(s, p)):
        return check_file(path, profile, strict=strict)      # not what the renderer says: read it all
    judged, findings = judge_pdf(facts, profile)
    return CheckReport(str(path), judged, apply_strict(findings, strict))
