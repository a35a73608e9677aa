#!/usr/bin/python3
"""Print a DOCX with LibreOffice as Word would set it (run with the Python that has ``uno``,
Debian's python3-uno; ``scripts/crosscheck.py`` calls it).

LibreOffice's DOCX import leaves out or inverts three paragraph switches that Word obeys
(writerfilter's DomainMapper): ``w:autoSpaceDE``/``w:autoSpaceDN`` are ignored (LibreOffice
keeps its own extra space between Chinese and Latin text), and ``w:overflowPunct`` is read
inverted; and in a file of compatibility mode 15 it drops text after a right tab that lies
past the paragraph's right indent (the TOC's page numbers), which Word sets; and it spaces the
notes' separator rule by its own defaults where Word gives it the separator note's paragraph.
This script loads the file, sets those three switches on every paragraph style and paragraph to
what the file's Normal style says (what Word reads), turns LibreOffice's TabOverMargin on and
gives the separator rule the separator paragraph's height, optionally
updates every index (the TOC, as Word's "update field" does), then exports a PDF and, on
request, saves the result as DOCX again.

    lo_print.py IN.docx OUT.pdf [--update-indexes] [--save-docx OUT.docx] [--as-is]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import uno  # noqa: F401 - Debian's python3-uno
from com.sun.star.beans import PropertyValue

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def word_switches(docx: Path) -> dict[str, bool]:
    """What Word reads from the file's Normal style (or docDefaults): CJK/Latin spacing and
    hanging punctuation; Word's defaults when neither says."""
    with zipfile.ZipFile(docx) as z:
        styles = ET.fromstring(z.read("word/styles.xml"))
    found = {"autoSpaceDE": True, "overflowPunct": True}
    places = [styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")]
    places += [s.find(f"{W}pPr") for s in styles.findall(f"{W}style")
               if s.get(f"{W}styleId") == "Normal"]
    for ppr in places:
        if ppr is None:
            continue
        for name in found:
            el = ppr.find(f"{W}{name}")
            if el is not None:
                found[name] = el.get(f"{W}val", "1") not in ("0", "false", "off")
    return {"ParaIsCharacterDistance": found["autoSpaceDE"],
            "ParaIsHangingPunctuation": found["overflowPunct"]}


def separator_room(docx: Path):
    """The room Word gives the notes' separator: the height of the separator note's paragraph
    (an exact line, in points), or None when the file does not fix it."""
    with zipfile.ZipFile(docx) as z:
        if "word/footnotes.xml" not in z.namelist():
            return None
        notes = ET.fromstring(z.read("word/footnotes.xml"))
    for note in notes.findall(f"{W}footnote"):
        if note.get(f"{W}type") == "separator":
            spacing = note.find(f"{W}p/{W}pPr/{W}spacing")
            if spacing is not None and spacing.get(f"{W}lineRule") == "exact" and spacing.get(f"{W}line"):
                return int(spacing.get(f"{W}line")) / 20
    return None


def apply_separator(doc, room_pt: float) -> None:
    """LibreOffice ignores the separator note's paragraph and spaces its page style's rule by
    its own defaults (about 6 pt with the rule); give the rule the separator paragraph's room,
    half above and half below, as Word lays that paragraph out."""
    pages = doc.getStyleFamilies().getByName("PageStyles")
    room = room_pt * 2540 / 72          # 1/100 mm
    for name in pages.getElementNames():
        style = pages.getByName(name)
        half = max(0, round((room - style.getPropertyValue("FootnoteLineWeight")) / 2))
        style.setPropertyValue("FootnoteLineDistance", half)
        style.setPropertyValue("FootnoteLineTextDistance", half)


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str, timeout: float = 60):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - NoConnectException until soffice listens
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def apply_switches(doc, switches: dict[str, bool]) -> None:
    families = doc.getStyleFamilies().getByName("ParagraphStyles")
    for name in families.getElementNames():
        style = families.getByName(name)
        for key, value in switches.items():
            style.setPropertyValue(key, value)
    paragraphs = doc.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        para = paragraphs.nextElement()
        if para.supportsService("com.sun.star.text.Paragraph"):
            for key, value in switches.items():
                para.setPropertyValue(key, value)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("docx", type=Path)
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--update-indexes", action="store_true")
    ap.add_argument("--save-docx", type=Path)
    ap.add_argument("--as-is", action="store_true", help="不模拟 Word 的三个段落开关")
    args = ap.parse_args(argv)
    soffice = os.environ.get("SOFFICE", "soffice")
    work = Path(tempfile.mkdtemp(prefix="lo-print-"))
    pipe = f"closure{os.getpid()}"
    proc = subprocess.Popen([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                             "--invisible", "--nologo", "--norestore",
                             f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(args.docx.resolve().as_uri(), "_blank", 0,
                                           (prop("Hidden", True),))
        if not args.as_is:
            apply_switches(doc, word_switches(args.docx))
            room = separator_room(args.docx)
            if room is not None:
                apply_separator(doc, room)
            # Word sets a right tab between a paragraph's right indent and the margin (the TOC's
            # page numbers); LibreOffice does so only with TabOverMargin, which its import
            # turns on for files in compatibility mode below 15 only.
            settings = doc.createInstance("com.sun.star.text.DocumentSettings")
            settings.setPropertyValue("TabOverMargin", True)
        if args.update_indexes:
            indexes = doc.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.refresh()
        doc.storeToURL(args.pdf.resolve().as_uri(), (prop("FilterName", "writer_pdf_Export"),))
        if args.save_docx:
            doc.storeToURL(args.save_docx.resolve().as_uri(), (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge drops as soffice exits
            pass
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
