"""A3 saddle-stitch booklets: page order (``order``), PDF writing (``pdf``), previews."""
from closure_app.impose.order import Sheet, Side, plan_booklet, printed_sides
from closure_app.impose.pdf import ImposeOptions, ImposeResult, impose_pdf

__all__ = ["ImposeOptions", "ImposeResult", "Sheet", "Side", "impose_pdf", "plan_booklet", "printed_sides"]
