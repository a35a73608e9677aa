"""reportlab's platypus imported with its one wide case-insensitive pattern compiled on first use
(render/pdf/rl_import.py): that pattern matches as the compiled one does, nothing else changes."""
import re
import subprocess
import sys

import closure_app.render.pdf  # noqa: F401  (imports platypus the deferred way)
from closure_app.render.pdf.rl_import import LazyPattern
from reportlab.platypus import paragraph


def test_only_the_wide_pattern_is_deferred_and_re_compile_is_restored():
    """In a new process, as the program imports it."""
    probe = (
        "import re\n"
        "import closure_app.render.pdf\n"
        "from closure_app.render.pdf.rl_import import LazyPattern\n"
        "from reportlab.platypus import paragraph\n"
        "kinds = {n: type(getattr(v, '__self__', v)).__name__ for n, v in vars(paragraph).items()\n"
        "         if isinstance(getattr(v, '__self__', v), (re.Pattern, LazyPattern))}\n"
        "print(sorted(n for n, k in kinds.items() if k == 'LazyPattern'), len(kinds),\n"
        "      re.compile is re._compile.__globals__['compile'], type(re.compile('b')).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "['uri_pat']"
    assert int(out[1]) > 3              # the paragraph module's other patterns: compiled as usual
    assert out[2:] == ["True", "Pattern"]


def test_the_deferred_pattern_matches_as_the_compiled_one():
    real = re.compile(paragraph.uri_pat.pattern, paragraph.uri_pat.flags)
    assert paragraph.uri_pat.flags & re.IGNORECASE
    for text in ("http://example.com/a/b?c=1", "HTTPS://例子.测试/路径", "ftp://10.0.0.1:21/x",
                 "mailto:someone", "www.example.com", "http://-bad-.com", "https://[::1]/x", ""):
        got, want = paragraph.uri_pat.match(text), real.match(text)
        assert (got and got.groups()) == (want and want.groups()), text
    assert paragraph.uri_pat.sub("", "http://a.bc") == real.sub("", "http://a.bc")
