"""The build's second process: part of the work done on a second core while this one sets the
report's PDF.

On a machine with two cores or more, a build run as its own program forks once its profile and
its back ends' code are loaded. The child, the worker, takes two kinds of job:

- ``form <stem>``: the whole form, when the report is built too: reading and checking it (the
  fonts' coverage, the change table's fit), its PDF, its booklet, its DOCX, and the check of
  each, while the parent reads the report and sets its PDF;
- ``docx <stem>``: the DOCX of a document whose PDF the parent sets, and its check. It needs only
  what the PDF's layout learnt (the pages of the TOC entries and captions), which the parent
  sends with the document as soon as the layout ends, before the PDF file is written.

Nothing is shared but what the fork copied. What each sends the other is pickled into a file of
the scratch folder, and only a short line goes through a pipe each way: no pipe ever fills, so
neither process can wait on the other while the other waits on it.

The child is only a help: if it fails, dies or cannot send what it made, the parent does that
work itself, as a build with one core does: a DOCX it did not make is made by the parent; a form
it did not read or make sends the whole build back to one process, which raises the form's error
(if it has one) with its own message and in the order a build in one process raises it.

Calls from Python (the tests, ``serve``) build in one process unless ``CLOSURE_APP_JOBS`` asks
otherwise: ``CLOSURE_APP_JOBS=1`` keeps every build in one process, ``=2`` forks even there.
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
    for the form, the notes its PDF gave."""
    reports: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    """What reading the form told, sent as soon as it is read (before its files are made):
    the readers' warnings, the notes on its fonts, the roles it uses, whether it has page
    numbers."""
    warnings: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    used_roles: set[str] = field(default_factory=set)
    numbered: bool = False


class BuildWorker:
    """The forked worker, for documents named by ``stems``. ``form`` gives it the form to read
    and make whole, ``docx`` a document's DOCX to make; ``prepared`` and ``result`` wait for
    what it made (None when it did not: the parent then does that work itself). In the child,
    ``make_form(stem, prepared)`` (calling ``prepared(Prepared)`` once the form is read) and
    ``make_docx(stem, doc, toc_pages, caption_pages)`` do the work; each returns a ``Made``."""

    def __init__(self, stems: list[str], scratch: Path, make_form: Callable, make_docx: Callable):
        self._stems = set(stems)
        self._scratch = scratch
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        from closure_app.layout import segmenter

        segmenter.share_across_fork(scratch / ".segmenter.lock")
        self._pid = os.fork()
        if self._pid == 0:                               # the child never returns
            os.close(to_child_w)
            os.close(from_child_r)
            _serve(to_child_r, from_child_w, scratch, make_form, make_docx)
        os.close(to_child_r)
        os.close(from_child_w)
        self._out = os.fdopen(to_child_w, "w", encoding="utf-8")
        self._in = os.fdopen(from_child_r, "r", encoding="utf-8")
        self._failed = False
        self._got: dict[tuple[str, str], object] = {}   # (what, stem) -> what the child sent
        self._asked: set[str] = set()                      # the stems it was given a job for

    def form(self, stem: str) -> None:
        self._send(f"form {stem}")

    def docx(self, stem: str, doc, toc_pages, caption_pages) -> None:
        if not self._failed:
            try:
                _put(self._scratch / f".{stem}.layout", (doc, toc_pages, caption_pages))
            except Exception:           # it cannot be sent: the parent makes the DOCX
                self._failed = True
        self._send(f"docx {stem}")

    def prepared(self, stem: str) -> Optional[Prepared]:
        return self._wait("prepared", stem)

    def result(self, stem: str) -> Optional[Made]:
        return self._wait("made", stem)

    def _send(self, line: str) -> None:
        if self._failed:
            return
        self._asked.add(line.split()[1])
        try:
            self._out.write(line + "\n")
            self._out.flush()
        except OSError:                 # the child is gone
            self._failed = True

    def _wait(self, what: str, stem: str):
        while (what, stem) not in self._got and not self._failed:
            line = self._in.readline().split()
            if len(line) != 2 or line[0] not in ("prepared", "made") or line[1] not in self._stems:
                self._failed = True     # the child ended, failed or died
                break
            try:
                self._got[tuple(line)] = _take(self._scratch / f".{line[1]}.{line[0]}")
            except Exception:           # what it wrote cannot be read: made again here
                self._failed = True
        return self._got.get((what, stem))

    def close(self) -> None:
        """Stop the child and wait for it: it ends when its input ends, or at once if it still
        has work no one will wait for (the build failed or went back to one process)."""
        if not self._failed and any(("made", stem) not in self._got for stem in self._asked):
            import signal

            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for fh in (self._out, self._in):
            try:
                fh.close()
            except OSError:
                pass
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass
        from closure_app.layout import segmenter

        segmenter.stop_sharing()


def _serve(inp_fd: int, out_fd: int, scratch: Path, make_form, make_docx) -> None:
    """The child: does each job it is sent; ends at the end of its input or at its first failure
    (after which the parent does the rest), always by ``os._exit`` (no atexit handler, no test
    runner's teardown runs twice)."""
    code = 0
    try:
        from closure_app.layout import segmenter

        segmenter.in_forked_child()   # the parent's dictionary helper, asked in turn with the parent
        with os.fdopen(inp_fd, "r", encoding="utf-8") as inp, \
                os.fdopen(out_fd, "w", encoding="utf-8") as out:

            def say(what: str, stem: str, value) -> None:
                _put(scratch / f".{stem}.{what}", value)
                out.write(f"{what} {stem}\n")
                out.flush()

            try:
                for line in inp:
                    kind, stem = line.split()
                    if kind == "form":
                        made = make_form(stem, lambda ready, stem=stem: say("prepared", stem, ready))
                    else:
                        made = make_docx(stem, *_take(scratch / f".{stem}.layout"))
                    say("made", stem, made)
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
