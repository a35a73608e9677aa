"""The change table (page 3 of the form) filled box by box to each box's own limit: validate and
build measure the table as the PDF sets it and refuse it exactly when it would push onto a fifth
page, naming the boxes that take the room."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from closure_app.fonts import load_fontset
from closure_app.layout.application import application_document, box_overflows
from closure_app.profile import load_profile
from closure_app.render.pdf import render_pdf
from closure_app.sources.form import load_form

ROOT = Path(__file__).resolve().parents[1]
PROFILE = load_profile()
# the boxes of the change table, in the order they are filled
BOXES = [("立项项目名称",), ("结项成果名称",), ("变更的内容",), ("原计划成果形式",), ("现成果形式",)] + [
    (who, label) for who in ("原负责人", "现负责人") for label in ("所在单位", "行政职务", "专业职务", "通讯地址")]


def _with(form, path, value):
    data = form.model_dump(by_alias=True)
    where = data["项目变更情况数据表"]
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return type(form).model_validate(data)


def _longest(form, path):
    """The form with the box at ``path`` holding the longest text its own limit allows."""
    lo, hi = 0, 200
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if box_overflows(_with(form, path, "中" * mid), PROFILE):
            hi = mid - 1
        else:
            lo = mid
    return _with(form, path, "中" * lo)


@pytest.fixture(scope="module")
def fonts():
    return load_fontset(PROFILE)


@pytest.fixture(scope="module")
def filled():
    """The sample form with 0, 1, 2 … of the boxes filled to their limits."""
    form = load_form(ROOT / "forms" / "application.yaml").form
    out = [form]
    for path in BOXES:
        form = _longest(form, path)
        out.append(form)
    return out


def test_the_check_says_too_full_exactly_when_the_pdf_runs_onto_a_fifth_page(filled, fonts):
    from closure_app.commands.validate import form_fit_findings

    verdicts = []
    for form in filled:
        doc = application_document(form, PROFILE)
        refused = bool(form_fit_findings(form, doc, PROFILE, fonts, ROOT / "forms" / "application.yaml"))
        pages = render_pdf(doc, PROFILE, fonts).page_count
        verdicts.append((refused, pages))
    assert all(pages == 4 for refused, pages in verdicts if not refused)
    assert all(pages > 4 for refused, pages in verdicts if refused)
    assert verdicts[0] == (False, 4) and verdicts[-1][0]     # the sample fits; all boxes full does not


def test_validate_and_build_refuse_a_full_table_with_its_line_and_the_long_boxes(filled, tmp_path):
    form = filled[-1]
    path = tmp_path / "application.yaml"
    path.write_text(yaml.safe_dump(form.model_dump(by_alias=True, mode="json"), allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("项目变更情况数据表"))
    app = [sys.executable, "-m", "closure_app"]
    for argv in (["validate", "--form", str(path)],
                 ["build", "--form", str(path), "--out", str(tmp_path / "out"), "--booklet", "none"]):
        run = subprocess.run(app + argv, capture_output=True, text=True, cwd=tmp_path)
        said = run.stdout + run.stderr
        assert run.returncode == 1, said
        assert f"{path}:{line} 项目变更情况数据表：填得太满" in said
        assert "超出第 3 页" in said and "变更的内容（4 行）" in said
    assert not (tmp_path / "out" / "application.pdf").exists()


def test_at_the_edge_one_character_more_is_what_moves_the_table_onto_a_fifth_page(filled, fonts):
    """Grow one box a character at a time from where the table still fits: the first length the
    check refuses is the first length whose PDF has five pages."""
    from closure_app.commands.validate import form_fit_findings

    base = filled[1]                       # 立项项目名称 full, the rest as the sample has them
    path = ("结项成果名称",)

    def refused(n):
        form = _with(base, path, "中" * n)
        return bool(form_fit_findings(form, application_document(form, PROFILE), PROFILE, fonts,
                                      ROOT / "forms" / "application.yaml"))

    lo, hi = 0, 56                        # 56: the box's own limit, which no longer fits
    assert not refused(lo) and refused(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if not refused(mid) else (lo, mid)
    pages = [render_pdf(application_document(_with(base, path, "中" * n), PROFILE), PROFILE, fonts).page_count
             for n in (lo, hi)]
    assert pages == [4, 5]
