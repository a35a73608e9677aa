"""Our DOCX through LibreOffice and back (DOCX -> ODT -> DOCX), as a file passed between Word,
WPS and LibreOffice users goes: every style we define survives with its font, size, weight,
indent and line pitch, and the checker still passes the result."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx_xml import NS, parts, q

from closure_app.check import check_file
from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.sources.manuscript import load_manuscript

ROOT = Path(__file__).resolve().parents[1]
PROFILE = load_profile()
SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice（soffice）未安装：跳过往返转换")


def convert(src: Path, fmt: str, out: Path, profile_dir: Path) -> Path:
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile_dir}",
                    "--convert-to", fmt, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=300)
    return out / f"{src.stem}.{fmt.split(':')[0]}"


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    doc = report_document(load_manuscript(ROOT / "manuscript" / "manuscript.md").manuscript, PROFILE)
    ours = folder / "manuscript.docx"
    ours.write_bytes(render_docx(doc, PROFILE))
    odt = convert(ours, "odt", folder / "odt", folder / "profile")
    back = convert(odt, "docx:MS Word 2007 XML", folder / "back", folder / "profile")
    return ours, back


def style_facts(xml: dict) -> dict[str, tuple]:
    """style name -> (East-Asian family, w:sz, bold, first-line indent, w:line, w:jc) of every
    paragraph style, each looked up through the basedOn chain."""
    styles = {el.get(q("styleId")): el for el in xml["word/styles.xml"].iterfind("w:style", NS)}

    def inherited(sid, path, attr):
        seen = set()
        while sid in styles and sid not in seen:
            seen.add(sid)
            found = styles[sid].find(path, NS)
            if found is not None and (attr is None or found.get(q(attr)) is not None):
                return found.get(q(attr)) if attr else found.get(q("val"), "1")
            based = styles[sid].find("w:basedOn", NS)
            sid = based.get(q("val")) if based is not None else None
        return None

    def first_line(sid):
        """The first line's indent in twips: w:firstLine, or minus w:hanging (as LibreOffice
        writes a zero indent)."""
        first, hanging = inherited(sid, "w:pPr/w:ind", "firstLine"), inherited(sid, "w:pPr/w:ind", "hanging")
        own = styles[sid].find("w:pPr/w:ind", NS)
        if own is not None and own.get(q("hanging")) is not None:
            return -int(own.get(q("hanging")))
        return int(first) if first is not None else -int(hanging or 0)

    facts = {}
    for sid, el in styles.items():
        if el.get(q("type")) != "paragraph":
            continue
        name = el.find("w:name", NS).get(q("val")).casefold()
        facts[name] = (inherited(sid, "w:rPr/w:rFonts", "eastAsia"), inherited(sid, "w:rPr/w:sz", None),
                       inherited(sid, "w:rPr/w:b", None) not in (None, "0", "false"),
                       first_line(sid), inherited(sid, "w:pPr/w:spacing", "line"),
                       inherited(sid, "w:pPr/w:jc", None))
    return facts


def test_every_style_survives_with_its_formatting(round_trip):
    ours, back = round_trip
    mine, theirs = style_facts(parts(ours.read_bytes())), style_facts(parts(back.read_bytes()))
    from closure_app.render.docx.styles import BUILTIN_STYLES
    defined = [name.casefold() for name in
               ["Normal", "toc 1", "toc 2", "toc 3", "footer"]
               + [BUILTIN_STYLES[k][0] if k in BUILTIN_STYLES else r.label for k, r in PROFILE.roles.items()]]
    defined = [n for n in defined if n in mine]        # (the caption style only where captions are)
    assert len(defined) >= len(PROFILE.roles)
    missing = [n for n in defined if n not in theirs]
    assert missing == []
    changed = {n: (mine[n], theirs[n]) for n in defined if mine[n] != theirs[n]}
    assert changed == {}


def test_the_checker_still_passes_the_round_trip(round_trip):
    _, back = round_trip
    report = check_file(back, PROFILE)
    assert [f"{f.rule} {f.place}" for f in report.errors] == []


@pytest.mark.xfail(strict=True, reason="LibreOffice 7.4 reads w:overflowPunct inverted and ignores "
                   "w:autoSpaceDE/DN, so its round trip writes hanging punctuation off and CJK/Latin "
                   "spacing on; Word users get the profile's switches back only from our file")
def test_the_shared_switches_survive_the_round_trip(round_trip):
    _, back = round_trip
    normal = parts(back.read_bytes())["word/styles.xml"].find("w:style[@w:styleId='Normal']/w:pPr", NS)
    values = {tag: normal.find(f"w:{tag}", NS).get(q("val")) for tag in ("overflowPunct", "autoSpaceDE")}
    assert values == {"overflowPunct": "true", "autoSpaceDE": "false"}
