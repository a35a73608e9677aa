"""Display text's line breaks (layout/display_breaks) on the sample, and what the word
dictionary costs a build.

The cold stages run a new process each time, as `closure-app build` does: it reads both sources,
resolves the fonts, checks their coverage and registers them (which the PDF does anyway), then
breaks the display text; only the breaking (and starting the helper) is counted: what it adds
to the build. With ``prefetch`` the dictionary loads in a helper process meanwhile; the
baseline loads it in the build's own process when the first text needs it.
"""
import json
import subprocess
import sys

from run import ROOT, Stage

_COLD = """
import json, sys, time
t_start = time.perf_counter()
from closure_app.layout import segmenter
t_spawn = time.perf_counter()
if sys.argv[1] == "prefetch":
    segmenter.prefetch()
spawn = time.perf_counter() - t_spawn
from pathlib import Path
from closure_app.fonts import load_fontset
from closure_app.layout import documents
from closure_app.layout.display_breaks import with_display_lines
from closure_app.profile import load_profile
profile = load_profile()
docs = documents(profile, Path("forms/application.yaml"), Path("manuscript/manuscript.md"))
fonts = load_fontset(profile)
for _, doc in docs:                       # as the build does before it lays out
    fonts.coverage_report(doc)
for family in profile.families():         # the PDF registers these whether or not text is broken
    fonts.reportlab_font(family)
t0 = time.perf_counter()
for _, doc in docs:
    with_display_lines(doc, profile, fonts)
print(json.dumps(time.perf_counter() - t0 + spawn))
"""

_LOAD = """
import json, time
t0 = time.perf_counter()
import rjieba
rjieba.cut("深度融合科技创新与产业创新")
print(json.dumps(time.perf_counter() - t0))
"""


def _run(script: str, *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _warm():
    from pathlib import Path

    from closure_app.fonts import load_fontset
    from closure_app.layout import documents
    from closure_app.layout.display_breaks import with_display_lines
    from closure_app.profile import load_profile

    profile = load_profile()
    docs = [d for _, d in documents(profile, ROOT / "forms" / "application.yaml",
                                    ROOT / "manuscript" / "manuscript.md")]
    fonts = load_fontset(profile)
    for doc in docs:
        with_display_lines(doc, profile, fonts)   # dictionary loaded, widths cached
    return docs, profile, fonts


STAGES = [
    Stage("display: rjieba dictionary load, new process", lambda _: _run(_LOAD), repeat=5,
          self_timed=True),
    Stage("display: cold build, dictionary in-process", lambda _: _run(_COLD, "local"), repeat=5,
          self_timed=True),
    Stage("display: cold build, dictionary prefetched", lambda _: _run(_COLD, "prefetch"), repeat=5,
          self_timed=True, baseline="display: cold build, dictionary in-process",
          note="issue 17 budget: under 30 ms of a build"),
    Stage("display: both sample documents (warm)",
          lambda a: [__import__("closure_app.layout.display_breaks", fromlist=["x"]).with_display_lines(
              d, a[1], a[2]) for d in a[0]], setup=_warm),
]
