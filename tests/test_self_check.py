"""The build's self-check of its own PDFs (check.placed) judges what the renderer placed, reads
back only what the file alone can tell, and finds what the full read of the file finds."""
import json
import subprocess
import sys
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from closure_app.check import check_file
from closure_app.check.pdf_reader import read_pdf
from closure_app.check.placed import check_placed, placed_facts, read_back
from closure_app.commands.build import BuildPlan, Progress, resolve_sources, run_build
from closure_app.fonts import load_fontset
from closure_app.layout import documents
from closure_app.layout.display_breaks import with_display_lines
from closure_app.profile import load_profile
from closure_app.render.pdf import render_pdf, writer

PROFILE = load_profile()
ROOT = Path(__file__).resolve().parents[1]


def _render(tmp: Path, stem: str, kind: str):
    fonts = load_fontset(PROFILE)
    form, manuscript = resolve_sources(ROOT / "forms" / "application.yaml", ROOT / "manuscript" / "manuscript.md")
    doc = next(d for _, d in documents(PROFILE, form, manuscript, False) if d.kind == kind)
    pdf = render_pdf(with_display_lines(doc, PROFILE, fonts), PROFILE, fonts)
    path = tmp / f"{stem}.pdf"
    path.write_bytes(pdf.data)
    return path, pdf


@pytest.fixture(scope="module", params=[("application", "form"), ("manuscript", "report")], ids=["form", "report"])
def rendered(request, tmp_path_factory):
    return _render(tmp_path_factory.mktemp("placed"), *request.param)


def _findings(report):
    return [asdict(f) for f in report.findings]


def test_the_self_check_finds_what_the_full_check_finds(rendered):
    path, pdf = rendered
    full = check_file(path, PROFILE)
    fast = check_placed(path, pdf.data, pdf.placement, PROFILE)
    assert fast.kind == full.kind and fast.could_not_check is None
    assert _findings(fast) == _findings(full)
    assert full.findings         # the substitutes the sample is set in are named: nothing vacuous
    strict_full = check_file(path, PROFILE, strict=True)
    strict_fast = check_placed(path, pdf.data, pdf.placement, PROFILE, strict=True)
    assert _findings(strict_fast) == _findings(strict_full)


def test_the_renderer_places_lines_where_the_reader_finds_them(rendered):
    path, pdf = rendered
    read = read_pdf(path)
    _, fonts = read_back(pdf.data)
    placed = placed_facts(pdf.placement, fonts)
    assert len(placed.lines) == len(read.lines)
    for a, b in zip(read.lines, placed.lines):
        assert (a.page, a.number, a.text, round(a.size, 1), a.font, a.stroked, a.in_table) == \
               (b.page, b.number, b.text, round(b.size, 1), b.font, b.stroked, b.in_table)
        for edge in ("left", "right", "bottom", "top"):
            assert getattr(b, edge) == pytest.approx(getattr(a, edge), abs=0.6), (a.text, edge)
    assert placed.font_pages == read.font_pages
    assert {p: len(r) for p, r in placed.rules.items()} == {p: len(r) for p, r in read.rules.items()}


def test_the_fonts_read_back_are_those_pdfium_reads(rendered):
    path, pdf = rendered
    sizes, fonts = read_back(pdf.data)
    assert set(fonts.values()) == set(read_pdf(path).font_pages)
    assert len(sizes) == pdf.page_count


def test_a_role_set_in_the_wrong_size_is_caught(tmp_path, monkeypatch):
    """A broken renderer sets the level-2 headings 2 pt too small: the self-check says so, on
    the same lines as the full read."""
    real = writer._Styles.of

    def broken(self, role, **kw):
        style = real(self, role, **kw)
        return replace(style, size=style.size - 2) if role == "h2" else style

    monkeypatch.setattr(writer._Styles, "of", broken)
    path, pdf = _render(tmp_path, "manuscript", "report")
    fast = check_placed(path, pdf.data, pdf.placement, PROFILE)
    sizes = [f for f in fast.findings if f.rule == "font-size"]
    assert sizes and all(f.expected.startswith("三号") and f.found.startswith("四号") for f in sizes)
    assert any("1.1 研究背景与意义" in f.place for f in sizes)
    assert fast.exit_code == 1
    assert _findings(fast) == _findings(check_file(path, PROFILE))


def test_a_file_unlike_its_record_is_read_in_full(rendered, monkeypatch):
    path, pdf = rendered
    full_reads = []

    import closure_app.check as check

    real = check.check_file
    monkeypatch.setattr(check, "check_file", lambda *a, **kw: full_reads.append(a) or real(*a, **kw))
    one_page_more = replace(pdf.placement, pages=pdf.placement.pages + pdf.placement.pages[-1:])
    report = check_placed(path, pdf.data, one_page_more, PROFILE)
    assert full_reads and _findings(report) == _findings(real(path, PROFILE))
    broken = check_placed(path, pdf.data[: len(pdf.data) // 3], pdf.placement, PROFILE)
    assert broken.exit_code == 2 and broken.could_not_check


def test_the_build_report_is_the_full_check_of_its_files(tmp_path):
    out = tmp_path / "out"
    form, manuscript = resolve_sources(ROOT / "forms" / "application.yaml", ROOT / "manuscript" / "manuscript.md")
    run_build(BuildPlan(form, manuscript, out), Progress(6, quiet=True))
    reports = json.loads((out / "check-report.json").read_text(encoding="utf-8"))["files"]
    assert {Path(r["file"]).name for r in reports} >= {"application.pdf", "manuscript.pdf"}
    for r in reports:
        full = check_file(Path(r["file"]), PROFILE)
        assert r["kind"] == full.kind
        assert [{k: v for k, v in f.items() if k != "rule_title"} for f in r["findings"]] == \
            [f.as_dict() for f in full.findings]


def _other_report(kind: str, folder: Path) -> Path:
    if kind == "second":       # long headings, lists, a table over two pages, many footnotes
        path = folder / "manuscript.md"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_second_report.py"), str(path)], check=True,
                       capture_output=True)
        return path
    sys.path.insert(0, str(ROOT / "tests"))
    from figure_fixtures import write_report    # rasters, a CMYK JPEG, an SVG chart, captions

    return write_report(folder)


@pytest.mark.parametrize("kind", ["second", "figures"])
def test_other_reports_read_alike_from_the_record_and_the_file(kind, tmp_path):
    fonts = load_fontset(PROFILE)
    doc = documents(PROFILE, None, _other_report(kind, tmp_path), True)[0][1]
    pdf = render_pdf(with_display_lines(doc, PROFILE, fonts), PROFILE, fonts)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.data)
    read = read_pdf(path)
    placed = placed_facts(pdf.placement, read_back(pdf.data)[1])
    assert [(ln.page, ln.text, round(ln.size, 1), ln.font, ln.in_table) for ln in placed.lines] == \
        [(ln.page, ln.text, round(ln.size, 1), ln.font, ln.in_table) for ln in read.lines]
    assert any(ln.in_table for ln in read.lines)
    assert {p: len(r) for p, r in placed.rules.items()} == {p: len(r) for p, r in read.rules.items()}
    assert _findings(check_placed(path, pdf.data, pdf.placement, PROFILE)) == _findings(check_file(path, PROFILE))


def test_the_booklet_is_judged_from_its_sheets_and_its_source_record(rendered, tmp_path):
    from closure_app.check.placed import check_placed_booklet
    from closure_app.impose import ImposeOptions, impose_pdf

    path, pdf = rendered
    a3 = tmp_path / "a3.pdf"
    impose_pdf(pdf.data, a3, ImposeOptions(duplex=PROFILE.booklet.duplex))
    fast = check_placed_booklet(a3, a3.read_bytes(), pdf.placement, pdf.data, PROFILE)
    full = check_file(a3, PROFILE)
    assert fast.kind == full.kind == "booklet"
    assert _findings(fast) == _findings(full)
    # a record of other pages than the booklet places: the file is read in full
    short = replace(pdf.placement, pages=pdf.placement.pages[:1])
    assert _findings(check_placed_booklet(a3, a3.read_bytes(), short, pdf.data, PROFILE)) == _findings(full)
