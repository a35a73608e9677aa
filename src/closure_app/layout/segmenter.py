"""Chinese word segmentation for display text: where a title or heading may break without
splitting a word.

The segmenter is rjieba (jieba-rs: jieba's dictionary and HMM for unknown words, in Rust). Its
dictionary takes about 0.1 s to load, holding the GIL, so a thread cannot hide it. ``prefetch``
starts a helper process that loads it while the build reads its sources and resolves its
fonts; ``words`` then asks that process (a round trip is well under a millisecond) instead of
loading the dictionary here. Without a helper (or should it fail) the dictionary is loaded in
this process, once. Only text that does not fit on one line is ever segmented.
"""
from __future__ import annotations

import atexit
import json
import subprocess
import sys
import threading
from functools import lru_cache
from typing import Optional

# The helper: one JSON string per line in, the JSON list of its words per line out.
_HELPER = (
    "import json, sys\n"
    "import rjieba\n"
    "for line in sys.stdin:\n"
    "    sys.stdout.write(json.dumps(rjieba.cut(json.loads(line)), ensure_ascii=False) + '\\n')\n"
    "    sys.stdout.flush()\n"
)

_lock = threading.Lock()
_helper: Optional[subprocess.Popen] = None
_local = None   # the rjieba module, once loaded in this process


def prefetch() -> None:
    """Start loading the dictionary in a helper process (no-op if it is loaded or loading)."""
    global _helper
    with _lock:
        if _local is not None or (_helper is not None and _helper.poll() is None):
            return
        try:
            _helper = subprocess.Popen(
                [sys.executable, "-c", _HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True, encoding="utf-8", bufsize=1)
        except OSError:
            _helper = None


def _close_helper() -> None:
    global _helper
    if _helper is not None:
        try:
            _helper.stdin.close()
            _helper.wait(timeout=2)
        except Exception:   # it is going away either way
            _helper.kill()
        _helper = None


atexit.register(_close_helper)


def forget_helper() -> None:
    """In a forked child: leave the parent's helper to the parent (neither closed nor asked);
    words not cut already are cut here."""
    global _helper
    _helper = None


def _ask_helper(text: str) -> Optional[list[str]]:
    if _helper is None or _helper.poll() is not None:
        return None
    try:
        _helper.stdin.write(json.dumps(text, ensure_ascii=False) + "\n")
        _helper.stdin.flush()
        answer = _helper.stdout.readline()
        return json.loads(answer) if answer else None
    except (OSError, ValueError):
        return None


def _cut_here(text: str) -> list[str]:
    global _local
    if _local is None:
        import rjieba
        _local = rjieba
    return _local.cut(text)


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    with _lock:
        found = _ask_helper(text)
        if found is None or "".join(found) != text:
            _close_helper()
            found = _cut_here(text)
    return tuple(found)


def words(text: str) -> list[str]:
    """``text`` cut into words (jieba's default mode with HMM); they join back to ``text``."""
    return list(_words(text)) if text else []
