"""The build's second process: part of the work done on a second core while this one sets the
report's PDF.

On a machine with two cores or more, a build run as its own program forks once its sources and
fonts are loaded. The child, the worker, takes two kinds of job:

- ``whole <stem>``: all of one document (the form, when the report is built too): its PDF, its
  booklet, its DOCX, and the check of each;
- ``docx <stem>``: the DOCX of a document whose PDF the parent sets, and its check. It needs only
  what the PDF's layout learnt (the pages of the TOC entries and captions), which the parent
  sends as soon as the layout ends, before the PDF file is written.

Nothing is shared but what the fork copied. What each sends the other is pickled into a file of
the scratch folder, and only a short line goes through a pipe each way: no pipe ever fills, so
neither process can wait on the other while the other waits on it.

The child is only a help: if it fails, dies or cannot send what it made, the parent does that
work itself, as a build with one core does, so a user's error is raised with its own message,
in the order a build in one process raises it. Calls from Python (the tests, ``serve``) build
in one process unless ``CLOSURE_APP_JOBS`` asks otherwise: ``CLOSURE_APP_JOBS=1`` keeps every
build in one process, ``=2`` forks even there.
"""
from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional


def wanted() -> bool:
    """Whether this build forks a worker."""
    jobs = os.environ.get("CLOSURE_APP_JOBS", "").strip()
    if not hasattr(os, "fork"):
        return False
    if jobs:
        return jobs != "1"
    from closure_app.launch import OWN_PROCESS

    return OWN_PROCESS and (os.cpu_count() or 1) > 1


@dataclass
class Made:
    """What the worker made of one job: the report of each file it checked (by file name) and,
    for a whole document, the notes its PDF gave."""
    reports: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class BuildWorker:
    """The forked worker. ``whole``/``docx`` give it a job; ``result`` waits for a job's ``Made``,
    or None when the parent must do that job itself. ``make_whole(stem, doc)`` and
    ``make_docx(stem, doc, toc_pages, caption_pages)`` do the work in the child: each returns
    a ``Made``."""

    def __init__(self, docs: list, scratch: Path, make_whole: Callable, make_docx: Callable):
        self._docs = dict(docs)
        self._scratch = scratch
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:                               # the child never returns
            os.close(to_child_w)
            os.close(from_child_r)
            _serve(to_child_r, from_child_w, self._docs, scratch, make_whole, make_docx)
        os.close(to_child_r)
        os.close(from_child_w)
        self._out = os.fdopen(to_child_w, "w", encoding="utf-8")
        self._in = os.fdopen(from_child_r, "r", encoding="utf-8")
        self._failed = False
        self._results: dict[str, Made] = {}

    def whole(self, stem: str) -> None:
        self._send(f"whole {stem}")

    def docx(self, stem: str, toc_pages, caption_pages) -> None:
        if not self._failed:
            try:
                _put(self._scratch / f".{stem}.layout", (toc_pages, caption_pages))
            except Exception:           # the facts cannot be sent: the parent makes the DOCX
                self._failed = True
        self._send(f"docx {stem}")

    def _send(self, line: str) -> None:
        if self._failed:
            return
        try:
            self._out.write(line + "\n")
            self._out.flush()
        except OSError:                 # the child is gone
            self._failed = True

    def result(self, stem: str) -> Optional[Made]:
        """What the worker made of ``stem``'s job, once it is done; None when it did not make it."""
        while stem not in self._results and not self._failed:
            got = self._in.readline().strip()
            if not got or got not in self._docs:   # the child ended, failed or died
                self._failed = True
                break
            try:
                self._results[got] = _take(self._scratch / f".{got}.made")
            except Exception:           # what it wrote cannot be read: made again here
                self._failed = True
        return self._results.get(stem)

    def close(self) -> None:
        """Stop the child (it ends when its input ends) and wait for it."""
        for fh in (self._out, self._in):
            try:
                fh.close()
            except OSError:
                pass
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass


def _serve(inp_fd: int, out_fd: int, docs: dict, scratch: Path, make_whole, make_docx) -> None:
    """The child: does each job it is sent; ends at the end of its input or at its first failure
    (after which the parent does the rest), always by ``os._exit`` (no atexit handler, no test
    runner's teardown runs twice)."""
    code = 0
    try:
        from closure_app.layout import segmenter

        segmenter.forget_helper()    # the parent's: a question from here could cross its answers
        with os.fdopen(inp_fd, "r", encoding="utf-8") as inp, \
                os.fdopen(out_fd, "w", encoding="utf-8") as out:
            try:
                for line in inp:
                    kind, stem = line.split()
                    if kind == "whole":
                        made = make_whole(stem, docs[stem])
                    else:
                        made = make_docx(stem, docs[stem], *_take(scratch / f".{stem}.layout"))
                    _put(scratch / f".{stem}.made", made)
                    out.write(stem + "\n")
                    out.flush()
            except BaseException:       # the parent does it again and says what went wrong
                code = 1
    finally:
        os._exit(code)


def _put(path: Path, value) -> None:
    path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _take(path: Path):
    value = pickle.loads(path.read_bytes())
    path.unlink()
    return value
