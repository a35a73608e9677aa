"""Reading the sample report: Markdown -> Manuscript -> report blocks."""
from run import ROOT, Stage

from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.sources.manuscript import load_manuscript, parse_manuscript

SAMPLE = ROOT / "manuscript" / "manuscript.md"


def _text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


STAGES = [
    Stage("manuscript: parse sample (Markdown -> Manuscript)",
          run=lambda text: parse_manuscript(text, str(SAMPLE)), setup=_text),
    Stage("manuscript: load + layout (-> report Document)",
          run=lambda _: report_document(load_manuscript(SAMPLE).manuscript, load_profile())),
]
