"""The PDF line breaker on the sample report, against its previous implementation.

"previous" is ``render/pdf/linebreak.py`` as it was at ``BASE`` (read from git), loaded beside
the current module. The inputs are what the PDF of the sample report breaks: every paragraph's
items and widths (recorded from one render) and the text of every run it tokenizes. Each pair of
stages is timed interleaved in the first stage's setup (previous, current, previous, ...), so
both see the same machine; the stages then report those times. The last pair renders the report's
PDF warm, in-process, with textflow using either breaker.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import time

from run import ROOT, Stage

sys.path.insert(0, str(ROOT / "tests"))
from linebreak_calls import recorded_breaks  # noqa: E402

BASE = "967729a"          # the last commit of the previous line breaker
PATH = "src/closure_app/render/pdf/linebreak.py"
ROUNDS = 15               # interleaved rounds of the breaker stages
RENDERS = 7               # interleaved rounds of the render stages


def previous_module():
    source = subprocess.run(["git", "show", f"{BASE}:{PATH}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    name = "_linebreak_previous"
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module          # dataclasses look their module up
    exec(compile(source, f"{BASE}:{PATH}", "exec"), module.__dict__)
    return module


def sample():
    """The report's document, profile and fonts, and what its PDF breaks and tokenizes."""
    from closure_app.fonts import load_fontset
    from closure_app.layout.report import report_document
    from closure_app.profile import load_profile
    from closure_app.sources.manuscript import load_manuscript

    profile = load_profile()
    doc = report_document(load_manuscript(ROOT / "manuscript" / "manuscript.md").manuscript, profile)
    fonts = load_fontset(profile)
    calls, texts = recorded_breaks([doc], profile, fonts)
    return (doc, profile, fonts), calls, texts


def interleaved(rounds: int, previous, current) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"previous": [], "current": []}
    for _ in range(rounds):
        for key, work in (("previous", previous), ("current", current)):
            t0 = time.perf_counter()
            work()
            times[key].append(time.perf_counter() - t0)
    return times


_MEASURED: dict[str, dict[str, list[float]]] = {}


def measure_all() -> None:
    from closure_app.render.pdf import linebreak, render_pdf, textflow

    old = previous_module()
    report, calls, texts = sample()

    def breaking(module):
        return lambda: [module.break_lines(items, w, fw, squeeze=sq) for items, w, fw, sq in calls]

    def allowing(module):
        return lambda: [module.allowed_breaks(items) for items, *_ in calls]

    def tokenizing(module):
        return lambda: [module.tokenize(text) for text in texts]

    def rendering(module):
        def render():
            textflow.break_lines, textflow.tokenize = module.break_lines, module.tokenize
            try:
                render_pdf(*report)
            finally:
                textflow.break_lines, textflow.tokenize = linebreak.break_lines, linebreak.tokenize
        return render

    rendering(linebreak)()          # warm: fonts parsed, glyph widths cached, both breakers loaded
    rendering(old)()
    for name, make, rounds in (("allowed", allowing, ROUNDS), ("break", breaking, ROUNDS),
                               ("tokenize", tokenizing, ROUNDS), ("render", rendering, RENDERS)):
        _MEASURED[name] = interleaved(rounds, make(old), make(linebreak))


def _pair(name: str, what: str, rounds: int, note: str = "") -> list[Stage]:
    def setup(key):
        def make():
            if not _MEASURED:
                measure_all()
            return iter(_MEASURED[name][key])
        return make

    return [
        Stage(f"linebreak: {what}, previous", lambda it: next(it), setup=setup("previous"),
              repeat=rounds, self_timed=True),
        Stage(f"linebreak: {what}", lambda it: next(it), setup=setup("current"), repeat=rounds,
              self_timed=True, baseline=f"linebreak: {what}, previous", note=note),
    ]


STAGES = (
    _pair("allowed", "allowed_breaks", ROUNDS, "every paragraph the sample report's PDF breaks")
    + _pair("break", "break_lines", ROUNDS, "the same paragraphs at their widths (allowed_breaks included)")
    + _pair("tokenize", "tokenize", ROUNDS, "the text of every run the report's PDF sets")
    + _pair("render", "pdf report warm", RENDERS, "render_pdf of the report, textflow using either breaker")
)
