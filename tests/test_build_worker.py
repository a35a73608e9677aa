"""The build's DOCX worker (commands.build_worker): a forked process writes and checks the DOCX
files while the parent sets the PDFs. The outputs are those of a build in one process; when the
worker fails or dies, the parent makes what it did not, and a user's error is the same error."""
import os
from pathlib import Path

import pytest

from closure_app.commands import build_worker
from closure_app.commands.build import BuildPlan, Progress, run_build
from closure_app.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
FORM, REPORT = ROOT / "forms" / "application.yaml", ROOT / "manuscript" / "manuscript.md"
PARENT = os.getpid()

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


def _build(out: Path, jobs: str, monkeypatch, form: Path = FORM, report: Path = REPORT, **kw):
    monkeypatch.setenv("CLOSURE_APP_JOBS", jobs)
    forks = []
    real = build_worker.BuildWorker.__init__

    def counted(self, *a, **k):
        forks.append(1)
        real(self, *a, **k)

    monkeypatch.setattr(build_worker.BuildWorker, "__init__", counted)
    result = run_build(BuildPlan(form, report, out, **kw), Progress(5, quiet=True))
    return result, len(forks)


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    out = tmp_path_factory.mktemp("one") / "out"
    try:
        result, forks = _build(out, "1", mp)
    finally:
        mp.undo()
    assert forks == 0
    return result, _outputs(out), _reports(out)


def _reports(out: Path) -> str:
    return (out / "check-report.txt").read_text(encoding="utf-8").replace(str(out), "OUT")


def test_the_worker_writes_what_one_process_writes(tmp_path, monkeypatch, one_process):
    out = tmp_path / "out"
    result, forks = _build(out, "2", monkeypatch)
    assert forks == 1
    assert result.check_ok and [p.name for p in result.files] == [p.name for p in one_process[0].files]
    _same_files(out, one_process)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".build-")]   # scratch removed


def test_its_reports_are_the_reports_of_one_process(tmp_path, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    said_one, _ = _build(one, "1", monkeypatch)
    said_two, forks = _build(two, "2", monkeypatch)
    assert forks == 1
    assert _reports(one) == _reports(two)
    # what the build says: the fonts used for which roles, the notes, the readers' warnings
    assert said_two.fonts == said_one.fonts and len(said_one.fonts) == 5
    assert said_two.notes == said_one.notes
    assert [f.message for f in said_two.warnings] == [f.message for f in said_one.warnings]
    assert "application.docx" in _reports(two) and "manuscript.docx" in _reports(two)


def _breaks_in_the_child(monkeypatch, module, name: str, kind: str) -> None:
    """``module.name`` (a renderer) raises in the worker for a document of ``kind``."""
    real = getattr(module, name)

    def fails_in_the_child(doc, *a, **k):
        if os.getpid() != PARENT and doc.kind == kind:
            raise RuntimeError("the worker breaks")
        return real(doc, *a, **k)

    monkeypatch.setattr(module, name, fails_in_the_child)


def _same_files(out: Path, one_process) -> None:
    for name, data in one_process[1].items():
        if not name.startswith("check-report"):
            assert (out / name).read_bytes() == data, name
    assert _reports(out) == one_process[2]


@pytest.mark.parametrize("backend, renderer, kind", [
    ("docx", "render_docx", "report"),       # the report's DOCX: made by the parent
    ("pdf", "render_pdf", "form"),           # the form: the build again in one process
])
def test_a_failing_worker_leaves_its_work_to_the_parent(tmp_path, monkeypatch, one_process, backend, renderer, kind):
    import importlib

    _breaks_in_the_child(monkeypatch, importlib.import_module(f"closure_app.render.{backend}"), renderer, kind)
    out = tmp_path / "out"
    result, forks = _build(out, "2", monkeypatch)
    assert forks == 1 and result.check_ok
    _same_files(out, one_process)


def test_a_worker_that_dies_leaves_its_work_to_the_parent(tmp_path, monkeypatch, one_process):
    from closure_app.check import docx_check

    real = docx_check.check_docx
    checked_here = []

    def dies_in_the_child(path, *a, **k):
        if os.getpid() != PARENT:
            os._exit(9)                  # killed while checking the form's DOCX
        checked_here.append(Path(path).name)
        return real(path, *a, **k)

    monkeypatch.setattr(docx_check, "check_docx", dies_in_the_child)
    out = tmp_path / "out"
    result, forks = _build(out, "2", monkeypatch)
    assert forks == 1 and result.check_ok
    assert checked_here == ["application.docx", "manuscript.docx"]   # all done here again
    _same_files(out, one_process)


def test_a_users_error_is_the_same_with_the_worker(tmp_path, monkeypatch):
    from closure_app.render import docx as docx_backend

    def refuses(doc, *a, **k):
        raise UserError("书稿中有无法写入 DOCX 的内容")

    monkeypatch.setattr(docx_backend, "render_docx", refuses)
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        with pytest.raises(UserError, match="无法写入 DOCX"):
            _build(out, jobs, monkeypatch)
        assert not out.exists()          # nothing written, as without the worker


def test_a_build_called_from_python_stays_in_one_process(monkeypatch):
    monkeypatch.delenv("CLOSURE_APP_JOBS", raising=False)
    assert not build_worker.wanted()      # tests, serve: OWN_PROCESS is false
    monkeypatch.setenv("CLOSURE_APP_JOBS", "2")
    assert build_worker.wanted()


def test_the_forms_error_comes_first_with_the_worker_too(tmp_path, monkeypatch):
    """Both documents refused by the typesetter: the build names the form's error, as a build in
    one process does (the form is set first), though the worker sets the form."""
    from closure_app.render import pdf as pdf_backend

    def refuses(doc, *a, **k):
        raise UserError(f"{doc.kind} 排不下")

    monkeypatch.setattr(pdf_backend, "render_pdf", refuses)
    for jobs in ("1", "2"):
        with pytest.raises(UserError) as caught:
            _build(tmp_path / jobs, jobs, monkeypatch)
        assert "application.yaml：form 排不下" in caught.value.message


def _broken(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _error(tmp_path: Path, jobs: str, monkeypatch, **kw) -> str:
    out = tmp_path / f"out{jobs}"
    with pytest.raises(UserError) as caught:
        _build(out, jobs, monkeypatch, **kw)
    assert not out.exists()
    return str(caught.value.message if hasattr(caught.value, "message") else caught.value)


@pytest.mark.parametrize("which", ["form", "report", "both"])
def test_a_sources_error_is_the_error_of_one_process(tmp_path, monkeypatch, which):
    """The worker reads the form while this process reads the report: an invalid form, an invalid
    report, or both, give the error a build in one process gives (the form's first)."""
    form, report = FORM, REPORT
    if which in ("form", "both"):
        (tmp_path / "f").mkdir()
        form = _broken(tmp_path / "f", FORM, "\n", "\n\t:\n")       # a tab: YAML cannot hold it
    if which in ("report", "both"):
        (tmp_path / "r").mkdir()
        report = _broken(tmp_path / "r", REPORT, "---", "---\n\t:")
    one = _error(tmp_path, "1", monkeypatch, form=form, report=report)
    two = _error(tmp_path, "2", monkeypatch, form=form, report=report)
    assert one == two
    assert str(form if which != "report" else report) in one


def test_a_report_error_does_not_wait_for_the_form(tmp_path, monkeypatch):
    """The report cannot be read while the worker, the form read, is still making it: the error
    is the report's (the form's own errors would all have come first) and the worker is stopped,
    not waited for."""
    import time

    from closure_app.render import pdf as pdf_backend

    real = pdf_backend.render_pdf

    def slow(doc, *a, **k):
        time.sleep(30)                 # the worker, busy setting the form
        return real(doc, *a, **k)

    monkeypatch.setattr(pdf_backend, "render_pdf", slow)
    (tmp_path / "r").mkdir()
    report = _broken(tmp_path / "r", REPORT, "---", "---\n\t:")
    t0 = time.perf_counter()
    message = _error(tmp_path, "2", monkeypatch, report=report)
    assert time.perf_counter() - t0 < 20
    assert str(report) in message and "制表符" in message
