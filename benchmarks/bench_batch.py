"""`closure-app check DIR --report-dir R` on 100 files: the checker's real-file fixtures
(tests/real_files.py) and test DOCX files, repeated. Target: under 10 s on a 2-core machine.
Baseline: the same files checked one after another in one process."""
import os
import shutil
import sys
import tempfile
from pathlib import Path

from run import ROOT, Stage

sys.path.insert(0, str(ROOT / "tests"))

FILES = 100
LOAD = "load average at start: " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def inbox() -> Path:
    import real_files as rf
    from check_fixtures import build_docx

    from closure_app.profile import load_profile

    profile = load_profile()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    src = work / "made"
    src.mkdir()
    made = [rf.quartz_pdf(src, profile), rf.quartz_gbk_title_pdf(src, profile), rf.songti_pdf(src, profile),
            rf.windows_pdf(src, profile), rf.letter_pdf(src, profile), rf.landscape_pdf(src, profile)]
    made += [build_docx(src / f"report-{b or 'clean'}.docx", profile, breaks=frozenset([b] if b else []))
             for b in ("", "h2_heiti", "body_xiaosan", "h3_not_bold", "h2_as_normal")]
    try:
        made.append(rf.typst_pdf(src, profile))
    except ImportError:
        pass
    if rf.SOFFICE:
        made.append(rf.libreoffice_pdf(src, profile, frozenset({"h2_heiti"})))
    folder = work / "inbox"
    for n in range(FILES):
        f = made[n % len(made)]
        dest = folder / f"县区{n % 7 + 1}" / f"{n:03d}-{f.name}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, dest)
    return folder


def batch(folder: Path, jobs):
    from closure_app.check.batch import collect
    from closure_app.check.summary import run_batch
    from closure_app.profile import load_profile

    found = collect([folder])
    assert len(found) == FILES
    out = folder.parent / f"report-{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    return run_batch(found, load_profile(), out, jobs=jobs)


STAGES = [
    Stage(f"check DIR: {FILES} files, one process (baseline)", lambda d: batch(d, 1), setup=inbox, repeat=3),
    Stage(f"check DIR: {FILES} files, all cores", lambda d: batch(d, None), setup=inbox, repeat=3,
          baseline=f"check DIR: {FILES} files, one process (baseline)",
          note="collect + check and annotate in worker processes + summary.html/csv/json, junit.xml; " + LOAD),
]
