"""Child of speed.py, run with either tree's code: the report's PDF rendered and checked in one
warm process, and the check the build makes of its own PDF (that tree's way: the renderer's
record where there is one, else the full read). Prints JSON: median seconds of each, file size,
number of text objects."""
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from closure_app.check import check_file
from closure_app.fonts import load_fontset
from closure_app.layout import documents
from closure_app.profile import load_profile
from closure_app.render.pdf import render_pdf

ROOT = Path.cwd()
repeat = int(sys.argv[1])
profile = load_profile()
doc = documents(profile, None, ROOT / "manuscript" / "manuscript.md")[0][1]
fonts = load_fontset(profile)
result = render_pdf(doc, profile, fonts)
renders = []
for _ in range(repeat):
    t0 = time.perf_counter()
    result = render_pdf(doc, profile, fonts)
    renders.append(time.perf_counter() - t0)
data = result.data
path = Path(tempfile.mkdtemp()) / "manuscript.pdf"
path.write_bytes(data)
check_file(path, profile)
checks = []
for _ in range(repeat):
    t0 = time.perf_counter()
    check_file(path, profile)
    checks.append(time.perf_counter() - t0)
placement = getattr(result, "placement", None)
if placement is not None:
    from closure_app.check.placed import check_placed

    def self_check():
        check_placed(path, data, placement, profile)
else:
    def self_check():
        check_file(path, profile)
self_check()
self_checks = []
for _ in range(repeat):
    t0 = time.perf_counter()
    self_check()
    self_checks.append(time.perf_counter() - t0)
from pypdf import PdfReader  # noqa: E402

streams = [page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages]
shows = sum(s.count(b") Tj") + s.count(b"] TJ") for s in streams)    # show-text operators
switches = sum(s.count(b" Tf") for s in streams)                    # font switches
print(json.dumps({"render": statistics.median(renders), "check": statistics.median(checks),
                  "self_check": statistics.median(self_checks),
                  "size": len(data), "shows": shows, "switches": switches}))
