"""Font resolution, coverage and fallback, on a machine with no system CJK font.

Every test runs with CLOSURE_APP_FONT_DIRS pointing at an empty (or test-made) folder and a
private cache, so what it sees is what a fresh clone on a bare CI machine sees.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from closure_app.blocks import Document, Footnote, Heading, Paragraph, Text
from closure_app.cli import main
from closure_app.errors import UserError
from closure_app.fonts import load_fontset, substitute_families
from closure_app.fonts import catalog, parsed
from closure_app.fonts.manifest import shipped_fonts
from closure_app.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
SHIPPED = FONTS / "open"
RARE = "堃喆玥珺昇镕"
EXT_B = "𠀀𪚥"          # U+20000, U+2A6A5
NO_FONT = "\U0003134A"  # Extension G: outside every shipped repertoire


@pytest.fixture(autouse=True)
def bare_machine(tmp_path, monkeypatch):
    """No system font folder, a private cache."""
    system = tmp_path / "system-fonts"
    system.mkdir()
    monkeypatch.setenv("CLOSURE_APP_FONT_DIRS", str(system))
    monkeypatch.setenv("CLOSURE_APP_CACHE_DIR", str(tmp_path / "cache"))
    return system


@pytest.fixture
def project_fonts(tmp_path):
    """A fonts/ folder like the checkout's: the shipped fonts, and room for user-dropped ones."""
    d = tmp_path / "fonts"
    d.mkdir()
    (d / "open").symlink_to(SHIPPED, target_is_directory=True)
    return d


def renamed_font(dest: Path, family: str, text: str = "正文仿宋测试一二三", source: str = "FandolFang-Regular.ttf") -> Path:
    """A small open font whose name table says it is ``family`` (as a licensed file would)."""
    font = TTFont(SHIPPED / source)
    sub = subset.Subsetter()
    sub.populate(text=text)
    sub.subset(font)
    name = font["name"]
    name.names = []
    for nid, value in ((1, family), (2, "Regular"), (4, family), (6, "FZFSK--GBK1-0" if "仿宋" in family else "Test-Regular")):
        name.setName(value, nid, 3, 1, 0x804)
        name.setName(value, nid, 3, 1, 0x409)
    font.save(dest)
    return dest


def body_doc(text: str) -> Document:
    return Document(kind="report", title="t", blocks=[
        Heading(1, [Text("第一章 绪论")], line=5),
        Paragraph([Text(text)], line=7),
    ], footnotes={1: Footnote(1, [Text("注：" + RARE[:2])], line=20)})


# ---- the shipped fonts --------------------------------------------------------------------

def test_shipped_fonts_are_truetype_licensed_listed_and_small_enough():
    fonts = shipped_fonts(FONTS)
    assert {s for f in fonts for s in f.stands_for} >= {"仿宋", "楷体", "黑体", "小标宋", "宋体"}
    assert [f.fallback_rank for f in fonts if f.fallback_rank] == [1, 2]
    total = 0
    for f in fonts:
        assert f.path.is_file(), f.path
        assert "glyf" in TTFont(f.path, lazy=True), f"{f.path.name} has no TrueType outlines"
        total += f.path.stat().st_size
    licences = {p.name for p in (SHIPPED / "licences").iterdir()}
    assert len(licences) >= 5
    assert sum(p.stat().st_size for p in FONTS.rglob("*") if p.is_file()) < 80e6
    assert total > 0


def test_manifest_hashes_match_the_files():
    import hashlib

    import yaml

    for entry in yaml.safe_load((SHIPPED / "manifest.yaml").read_text(encoding="utf-8"))["fonts"]:
        data = (SHIPPED / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert (SHIPPED / entry["licence_file"]).is_file()
        assert entry["source"] and entry["licence"]


def test_substitute_families_names_family_and_postscript_names():
    subs = substitute_families()
    assert subs["FandolFang"] == "仿宋" and subs["FandolFang-Regular"] == "仿宋"
    assert subs["LXGW WenKai"] == "楷体"
    assert "小标宋" in subs["Noto Serif CJK SC"] and "后备" in subs["HanaMinB"]


# ---- resolution ---------------------------------------------------------------------------

def test_bare_machine_resolves_every_family_to_a_shipped_substitute(project_fonts):
    profile = load_profile()
    fs = load_fontset(profile, project_dir=project_fonts)
    for family in profile.families():
        font = fs.resolve(family)
        assert font.kind == "substitute", family
        assert font.path.parent.resolve() == SHIPPED.resolve()
    assert fs.resolve("方正仿宋_GBK").font_name == "FandolFang"
    assert fs.resolve("方正楷体_GBK").font_name == "LXGW WenKai"
    assert fs.resolve("方正黑体_GBK").font_name == "WenQuanYi Micro Hei"
    assert fs.resolve("方正小标宋简体").postscript_name == "NotoSerifCJKsc-Bold"


def test_licensed_font_dropped_in_fonts_wins_for_body_and_level_3(project_fonts):
    dropped = renamed_font(project_fonts / "FZFSK.TTF", "方正仿宋_GBK")
    profile = load_profile()
    fs = load_fontset(profile, project_dir=project_fonts)
    for role in ("body", "h3"):
        font = fs.resolve(profile.role(role).family)
        assert font.path == dropped and font.kind == "licensed"
    assert fs.resolve(profile.role("h1").family).kind == "substitute"


def test_licensed_font_matches_by_its_english_name_too(project_fonts):
    dropped = renamed_font(project_fonts / "whatever.ttf", "FZFangSong-Z02")
    assert load_fontset(load_profile(), project_dir=project_fonts).resolve("方正仿宋_GBK").path == dropped


def test_system_near_equivalent_beats_the_substitute(project_fonts, bare_machine):
    kaiti = renamed_font(bare_machine / "simkai.ttf", "KaiTi", source="LXGWWenKai-Regular.ttf")
    font = load_fontset(load_profile(), project_dir=project_fonts).resolve("方正楷体_GBK")
    assert (font.path, font.kind) == (kaiti, "system-equivalent")


def test_a_face_inside_a_ttc_resolves_with_its_index(project_fonts, tmp_path):
    from fontTools.ttLib import TTCollection
    from reportlab.pdfbase import pdfmetrics

    faces = [TTFont(renamed_font(tmp_path / f"{i}.ttf", name, text="黑体标题"))
             for i, name in enumerate(["其他字体", "方正黑体_GBK"])]
    ttc = TTCollection()
    ttc.fonts = faces
    ttc.save(project_fonts / "FZHTK.TTC")
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    font = fs.resolve("方正黑体_GBK")
    assert (font.path.name, font.subfont_index, font.kind) == ("FZHTK.TTC", 1, "licensed")
    assert pdfmetrics.stringWidth("黑体", fs.reportlab_font("方正黑体_GBK"), 10) == 20


def test_fonts_folder_beats_system_folder(project_fonts, bare_machine):
    renamed_font(bare_machine / "sys.ttf", "方正仿宋_GBK")
    mine = renamed_font(project_fonts / "mine.ttf", "方正仿宋_GBK")
    assert load_fontset(load_profile(), project_dir=project_fonts).resolve("方正仿宋_GBK").path == mine


def cff_font(dest: Path, family: str) -> Path:
    """A one-glyph OpenType font with CFF (PostScript) outlines, named ``family``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "uni9ED1"])
    fb.setupCharacterMap({0x9ED1: "uni9ED1"})
    pen = T2CharStringPen(1000, None)
    pen.moveTo((100, 0)), pen.lineTo((900, 0)), pen.lineTo((900, 800)), pen.closePath()
    box = pen.getCharString()
    fb.setupCFF("Test-CFF", {"FullName": "Test CFF"}, {".notdef": box, "uni9ED1": box}, {})
    fb.setupHorizontalMetrics({".notdef": (1000, 100), "uni9ED1": (1000, 100)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(dest)
    return dest


def test_cff_font_with_the_name_is_skipped_and_said(project_fonts, bare_machine):
    cff_font(bare_machine / "hei.otf", "方正黑体_GBK")
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    assert fs.resolve("方正黑体_GBK").kind == "substitute"
    assert any("hei.otf" in n and "CFF" in n for n in fs.notes)


def test_strict_refuses_substitutes_and_names_them(project_fonts):
    with pytest.raises(UserError) as err:
        load_fontset(load_profile(), project_dir=project_fonts, strict=True)
    assert "方正仿宋_GBK" in err.value.message and "FandolFang" in err.value.message


def test_missing_shipped_fonts_is_a_clear_error(tmp_path):
    with pytest.raises(UserError) as err:
        load_fontset(load_profile(), project_dir=tmp_path)
    assert "manifest.yaml" in err.value.message


# ---- the scan cache -------------------------------------------------------------------------

def test_scan_is_cached_and_rereads_only_changed_files(tmp_path, monkeypatch):
    folder = tmp_path / "f"
    folder.mkdir()
    a = renamed_font(folder / "a.ttf", "甲字体")
    renamed_font(folder / "b.ttf", "乙字体")
    reads = []
    real = catalog.read_faces
    monkeypatch.setattr(catalog, "read_faces", lambda p: reads.append(p.name) or real(p))
    first = catalog.scan(catalog.font_files([folder]))
    assert sorted(reads) == ["a.ttf", "b.ttf"] and {f.names[0] for f in first} == {"甲字体", "乙字体"}
    reads.clear()
    assert catalog.scan(catalog.font_files([folder])) == first and reads == []
    renamed_font(a, "丙字体")
    os.utime(a, ns=(1, 1))   # a changed file, whatever the clock's resolution
    again = catalog.scan(catalog.font_files([folder]))
    assert reads == ["a.ttf"] and {f.names[0] for f in again} == {"丙字体", "乙字体"}
    reads.clear()
    renamed_font(folder / "c.ttf", "丁字体")            # a font added to the folder is found
    assert {f.names[0] for f in catalog.scan(catalog.font_files([folder]))} == {"丙字体", "乙字体", "丁字体"}
    assert reads == ["c.ttf"]


def test_a_file_that_is_not_a_font_is_ignored(tmp_path):
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    assert catalog.scan(catalog.font_files([tmp_path])) == []


# ---- coverage and fallback ------------------------------------------------------------------

def test_rare_characters_come_from_the_fallback_chain(project_fonts):
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    text = f"人名{RARE}与{EXT_B}。"
    assert fs.missing(text, "方正仿宋_GBK") == set(RARE + EXT_B)
    runs = fs.split_by_coverage(text, "方正仿宋_GBK")
    assert "".join(t for t, _ in runs) == text
    body, noto, hana = (fs.reportlab_font("方正仿宋_GBK"),) + tuple(
        parsed.register(f.path) for f in fs.fallbacks)
    assert runs == [("人名", body), (RARE, noto), ("与", body), (EXT_B, hana), ("。", body)]


def test_a_character_no_font_has_is_an_error_naming_it(project_fonts):
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    with pytest.raises(UserError) as err:
        fs.split_by_coverage(f"前文{NO_FONT}后文", "方正仿宋_GBK")
    assert "U+3134A" in err.value.message and "前文" in err.value.message


def test_control_characters_ride_along_without_a_glyph(project_fonts):
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    runs = fs.split_by_coverage("第一行\n堃\u200b", "方正仿宋_GBK")
    assert [t for t, _ in runs] == ["第一行\n", "堃\u200b"]


def test_coverage_report_names_each_character_its_place_and_its_font(project_fonts):
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    report = fs.coverage_report(body_doc(f"作者王{RARE[0]}，引{EXT_B[0]}字，又见{RARE[0]}。"))
    body = {m.char: m for m in report.missing if m.role == "body"}
    assert set(body) == {RARE[0], EXT_B[0]}
    assert body[RARE[0]].drawn_by == "Noto Serif CJK SC" and body[EXT_B[0]].drawn_by == "HanaMinB"
    assert body[RARE[0]].where.startswith("第 7 行「作者王堃")
    assert {m.char for m in report.missing if m.role == "footnote"} == set(RARE[:2])
    assert report.ok and report.errors == []
    text = str(report)
    assert "「堃」(U+5803)" in text and "由 Noto Serif CJK SC 补字" in text and "第 7 行" in text


def test_coverage_report_errors_for_a_character_no_font_has(project_fonts):
    report = load_fontset(load_profile(), project_dir=project_fonts).coverage_report(body_doc(f"甲{NO_FONT}乙"))
    assert not report.ok
    assert [m.char for m in report.errors] == [NO_FONT]
    assert "U+3134A" in str(report) and "无法排版" in str(report)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils")
def test_pdf_drawn_with_the_runs_keeps_every_character_and_embeds_every_font(project_fonts, tmp_path, monkeypatch):
    from reportlab.pdfgen.canvas import Canvas
    import pdfplumber

    fs = load_fontset(load_profile(), project_dir=project_fonts)
    text = f"正文{RARE}{EXT_B}完"
    monkeypatch.setattr(parsed, "_REGISTERED", {})
    fs.split_by_coverage(text, "方正仿宋_GBK")             # parse and cache the fonts ...
    monkeypatch.setattr(parsed, "_REGISTERED", {})      # ... then draw from the cache, as a warm build does
    monkeypatch.setattr(parsed, "_parse", lambda *a: pytest.fail("parsed again instead of unpickled"))
    pdf = tmp_path / "rare.pdf"
    c = Canvas(str(pdf), initialFontName=fs.reportlab_font("方正仿宋_GBK"))
    x = 72
    for run, font in fs.split_by_coverage(text, "方正仿宋_GBK"):
        c.setFont(font, 16)
        c.drawString(x, 700, run)
        x += c.stringWidth(run, font, 16)
    c.save()
    with pdfplumber.open(pdf) as doc:
        assert doc.pages[0].extract_text().replace(" ", "") == text
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    for name in ("FandolFang-Regular", "NotoSerifCJKsc-Regular", "HanaMinB"):
        assert name in listing
    assert all(" yes " in line for line in listing.splitlines()[2:])   # every font embedded


def test_warm_reportlab_font_comes_from_the_cache_with_the_same_metrics(project_fonts, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    monkeypatch.setattr(parsed, "_REGISTERED", {})       # parse it here, whatever ran before
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    name = fs.reportlab_font("方正黑体_GBK")
    width = pdfmetrics.stringWidth("黑体标题", name, 16)
    font = fs.resolve("方正黑体_GBK")
    assert list((Path(os.environ["CLOSURE_APP_CACHE_DIR"]) / "parsed-fonts").glob("*.face"))
    monkeypatch.setattr(parsed, "_REGISTERED", {})       # a new process, as far as the cache can tell
    monkeypatch.setattr(parsed, "_KEY_OF", {})
    monkeypatch.setattr(parsed, "_parse", lambda *a: pytest.fail("parsed again instead of loaded"))
    again = parsed.register(font.path, font.subfont_index)
    assert again == name and pdfmetrics.stringWidth("黑体标题", again, 16) == width == 64


def test_a_copy_of_a_font_elsewhere_shares_its_cached_form(project_fonts, monkeypatch, tmp_path):
    """Another checkout (the same font at another path) is not parsed again."""
    from reportlab.pdfbase import pdfmetrics

    font = load_fontset(load_profile(), project_dir=project_fonts).resolve("方正黑体_GBK")
    first = parsed.register(font.path, font.subfont_index)
    copy = tmp_path / "elsewhere" / Path(font.path).name
    copy.parent.mkdir()
    copy.write_bytes(Path(font.path).read_bytes())
    monkeypatch.setattr(parsed, "_parse", lambda *a: pytest.fail("parsed again for a copy"))
    name = parsed.register(copy, font.subfont_index)
    assert name == first   # the same font, whichever file it came from
    assert pdfmetrics.stringWidth("黑体标题", name, 16) == pdfmetrics.stringWidth("黑体标题", first, 16)
    assert parsed.charset(copy, font.subfont_index) == parsed.charset(font.path, font.subfont_index)


# ---- the command ----------------------------------------------------------------------------

def test_fonts_command_lists_every_role_with_its_file_and_kind(capsys):
    assert main(["fonts"]) == 0
    out = capsys.readouterr().out
    for role in load_profile().roles:
        assert f"{role}（" in out
    assert "方正仿宋_GBK -> FandolFang" in out and "随附替代字体" in out and "HanaMinB" in out


def test_fonts_strict_fails_with_substitutes(capsys):
    assert main(["fonts", "--strict"]) == 1
    assert "严格模式" in capsys.readouterr().err


def test_fonts_check_on_the_sample_shows_all_roles_and_nothing_undrawable(capsys, monkeypatch):
    pytest.importorskip("closure_app.layout.report")
    monkeypatch.chdir(ROOT)
    assert main(["fonts", "--check"]) == 0
    out = capsys.readouterr().out
    assert "forms/application.yaml 缺字检查" in out and "manuscript/manuscript.md 缺字检查" in out
    for role in ("title", "h1", "h2", "h3", "body", "footnote"):
        assert f"\n{role}（" in out
    assert "没有任何字体" not in out


def test_strict_passes_when_every_family_is_licensed(project_fonts):
    profile = load_profile()
    for i, family in enumerate(profile.families()):
        renamed_font(project_fonts / f"licensed{i}.ttf", family)
    fs = load_fontset(profile, project_dir=project_fonts, strict=True)
    assert {fs.resolve(f).kind for f in profile.families()} == {"licensed"}
    assert fs.substitutions() == []


def test_fonts_check_on_given_sources_only(capsys, monkeypatch):
    pytest.importorskip("closure_app.layout.report")
    monkeypatch.chdir(ROOT)
    assert main(["fonts", "--check", "--manuscript", "manuscript/manuscript.md"]) == 0
    out = capsys.readouterr().out
    assert "manuscript/manuscript.md 缺字检查" in out and "application.yaml 缺字检查" not in out


def test_fonts_check_on_a_missing_source_is_a_chinese_error(capsys, tmp_path):
    assert main(["fonts", "--check", "--manuscript", str(tmp_path / "none.md")]) == 2   # a missing file is a usage error, as everywhere
    assert "找不到书稿文件" in capsys.readouterr().err


def test_a_font_that_cannot_be_cached_still_works_and_leaves_nothing_behind(project_fonts, monkeypatch):
    import pickle

    def refuse(*args, **kwargs):
        raise pickle.PicklingError("cannot pickle")

    monkeypatch.setattr(parsed, "_REGISTERED", {})
    monkeypatch.setattr(parsed.pickle, "dumps", refuse)
    fs = load_fontset(load_profile(), project_dir=project_fonts)
    assert fs.split_by_coverage("黑体", "方正黑体_GBK") == [("黑体", fs.reportlab_font("方正黑体_GBK"))]
    cache = Path(os.environ["CLOSURE_APP_CACHE_DIR"]) / "parsed-fonts"
    assert not list(cache.glob("*.face")) and not list(cache.glob("*.tmp"))   # no half-written cache
