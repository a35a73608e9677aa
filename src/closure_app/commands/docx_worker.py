"""The build's DOCX files, written and checked in a second process while this one sets the PDFs.

A build has two back ends; the DOCX of a document needs only what the PDF's layout learnt of
it (the pages of its TOC entries and captions). On a machine with two cores or more, a build
run as its own program forks once its sources and fonts are loaded: the child renders each
document's DOCX as soon as its PDF is laid out, writes it into the build's scratch folder and
checks it, while the parent renders, imposes and checks the PDFs. Nothing is shared but what
the fork copied. What each sends the other is pickled into a file of the scratch folder, and
only the document's name goes through a pipe, a line each way: no pipe ever fills, so neither
process can wait on the other while the other waits on it.

The child is only a help: if it fails, dies or cannot send what it made, the parent does that
work itself, in its own process, as a build with one core does. A user's error is thus always
raised, with its own message, where it is raised without the child. Calls from Python (the
tests, ``serve``) build in one process unless ``CLOSURE_APP_JOBS`` asks otherwise:
``CLOSURE_APP_JOBS=1`` keeps every build in one process, ``=2`` forks even there.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Optional


def wanted() -> bool:
    """Whether this build forks a DOCX worker."""
    jobs = os.environ.get("CLOSURE_APP_JOBS", "").strip()
    if not hasattr(os, "fork"):
        return False
    if jobs:
        return jobs != "1"
    from closure_app.launch import OWN_PROCESS

    return OWN_PROCESS and (os.cpu_count() or 1) > 1


class DocxWorker:
    """A forked process that writes ``scratch/<stem>.docx`` for each document it is sent and,
    with ``check``, checks it. ``send`` gives it a document's PDF layout facts; ``result``
    waits for that document's DOCX: its path and report, or None when the parent must make it
    itself."""

    def __init__(self, docs: list, profile, fonts, scratch: Path, check: bool, strict: bool):
        self._docs = dict(docs)
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:                               # the child never returns
            os.close(self._to_child)
            os.close(self._from_child)
            _serve(to_child_r, from_child_w, self._docs, profile, fonts, scratch, check, strict)
        os.close(to_child_r)
        os.close(from_child_w)
        self._scratch = scratch
        self._out = os.fdopen(self._to_child, "w", encoding="utf-8")
        self._in = os.fdopen(self._from_child, "r", encoding="utf-8")
        self._failed = False
        self._results: dict[str, tuple] = {}

    def send(self, stem: str, toc_pages, caption_pages) -> None:
        if self._failed:
            return
        try:
            _put(self._scratch / f".{stem}.layout", (toc_pages, caption_pages))
            self._out.write(stem + "\n")
            self._out.flush()
        except Exception:               # the child is gone, or the facts cannot be sent
            self._failed = True

    def result(self, stem: str) -> Optional[tuple[Path, object]]:
        """(path, report or None) of ``stem``'s DOCX, or None when the child did not make it."""
        while stem not in self._results and not self._failed:
            got = self._in.readline().strip()
            if not got or got not in self._docs:   # the child ended, failed or died
                self._failed = True
                break
            try:
                self._results[got] = (self._scratch / f"{got}.docx", _take(self._scratch / f".{got}.report"))
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


def _serve(inp_fd: int, out_fd: int, docs: dict, profile, fonts, scratch: Path, check: bool,
           strict: bool) -> None:
    """The child: answers each document sent with its DOCX; ends at the end of its input, or at
    the first failure (saying so), always by ``os._exit`` (no atexit handler, no test runner's
    teardown runs twice)."""
    code = 0
    try:
        with os.fdopen(inp_fd, "r", encoding="utf-8") as inp, \
                os.fdopen(out_fd, "w", encoding="utf-8") as out:
            try:
                from closure_app.render.docx import render_docx

                if check:
                    from closure_app.check import check_file
                for line in inp:
                    stem = line.strip()
                    toc_pages, caption_pages = _take(scratch / f".{stem}.layout")
                    data = render_docx(docs[stem], profile, toc_pages=toc_pages, fonts=fonts,
                                       caption_pages=caption_pages)
                    path = scratch / f"{stem}.docx"
                    path.write_bytes(data)
                    report = check_file(path, profile, strict=strict) if check else None
                    _put(scratch / f".{stem}.report", report)
                    out.write(stem + "\n")
                    out.flush()
            except BaseException:       # the parent makes it again and says what went wrong
                code = 1
    finally:
        os._exit(code)


def _put(path: Path, value) -> None:
    path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _take(path: Path):
    value = pickle.loads(path.read_bytes())
    path.unlink()
    return value
