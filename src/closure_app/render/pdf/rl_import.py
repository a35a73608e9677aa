"""reportlab's platypus, imported without compiling the one pattern it never uses here.

``reportlab.platypus.paragraph`` compiles, at import, a case-insensitive URL pattern whose
character classes run to U+FFFF (``uri_pat``, used only to hyphenate links inside a reportlab
``Paragraph``). Case-insensitive classes that wide make Python's ``re`` fold every character in
them: about 30 ms of every process that sets a PDF, for a pattern the PDF back end (our own
text flow, no ``Paragraph``) never matches. ``import_platypus`` imports platypus with that one
pattern compiled on its first use instead; every other pattern is compiled as usual.
"""
from __future__ import annotations

import re
import sys

# What makes a pattern worth deferring: case-insensitive, with a class reaching U+FFFF.
_WIDE = "\uffff"


class LazyPattern:
    """A compiled pattern made on first use; it answers as the ``re.Pattern`` does."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int):
        self._args = (pattern, flags)
        self._compiled = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = _real_compile(*self._args)
        return self._compiled

    def __getattr__(self, name):
        return getattr(self.compiled(), name)


_real_compile = re.compile


def _compile(pattern, flags=0):
    if isinstance(pattern, str) and flags & re.IGNORECASE and _WIDE in pattern:
        return LazyPattern(pattern, flags)
    return _real_compile(pattern, flags)


def import_platypus() -> None:
    """Import ``reportlab.platypus`` (once), deferring the wide case-insensitive pattern of its
    paragraph module."""
    if "reportlab.platypus" in sys.modules:
        return
    re.compile = _compile
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = _real_compile
