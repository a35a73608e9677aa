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
_owner = True   # False in a forked child: the helper is its parent's (not polled, closed or awaited)
_fork_lock = None   # a file the processes of a forked build lock around each question (lockf)


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
    if _helper is not None and not _owner:
        _helper = None          # the parent's to close
    elif _helper is not None:
        try:
            _helper.stdin.close()
            _helper.wait(timeout=2)
        except Exception:   # it is going away either way
            _helper.kill()
        _helper = None


def _release_helper() -> None:
    """At exit: the helper ends by itself once its input is closed; not waited for."""
    global _helper
    if _helper is not None and _owner:
        try:
            _helper.stdin.close()
        except OSError:
            pass
    _helper = None


atexit.register(_release_helper)


def share_across_fork(lock_path) -> None:
    """Before a fork: the helper is to be asked by both processes, one question at a time (a
    POSIX record lock on ``lock_path`` around each question and its answer)."""
    global _fork_lock
    _fork_lock = open(lock_path, "wb")


def stop_sharing() -> None:
    """After the fork's child has ended: questions need no lock again."""
    global _fork_lock
    if _fork_lock is not None:
        _fork_lock.close()
        _fork_lock = None


def in_forked_child() -> None:
    """In the child of that fork: ask the parent's helper, but leave it to the parent."""
    global _owner
    _owner = False


def _ask_helper(text: str) -> Optional[list[str]]:
    if _helper is None or (_owner and _helper.poll() is not None):
        return None
    if _fork_lock is not None:
        import fcntl

        fcntl.lockf(_fork_lock, fcntl.LOCK_EX)
    try:
        _helper.stdin.write(json.dumps(text, ensure_ascii=False) + "\n")
        _helper.stdin.flush()
        answer = _helper.stdout.readline()
        return json.loads(answer) if answer else None
    except (OSError, ValueError):
        return None
    finally:
        if _fork_lock is not None:
            fcntl.lockf(_fork_lock, fcntl.LOCK_UN)


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
