"""Child of speed.py, run with either tree's code: one build of a (scaled) report into OUT, as
`closure-app build --manuscript MD --out OUT` does it. ``default`` keeps Python's garbage
collector as it is, even where the code would tune it. Prints JSON: seconds (wall and
CPU), pages, GC seconds, peak RSS."""
import gc
import json
import resource
import sys
import time
from pathlib import Path

md, out, gc_mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if gc_mode == "default":
    try:
        import closure_app.gc_tuning as tuning
        tuning.tune_for_build = lambda: (lambda: None)
    except ImportError:
        pass     # code from before the tuning
from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build  # noqa: E402

spent = [0.0, 0.0]


def _timer(phase, info):
    if phase == "start":
        spent[1] = time.perf_counter()
    else:
        spent[0] += time.perf_counter() - spent[1]


gc.callbacks.append(_timer)
t0 = time.perf_counter()
c0 = time.process_time()
run_build(BuildPlan(None, md, out, Format.all, Booklet.none, check=True), Progress(0, quiet=True))
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
from pypdf import PdfReader  # noqa: E402

print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "pages": len(PdfReader(out / "manuscript.pdf").pages),
                  "gc_seconds": spent[0], "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
