"""Check many files at once, on all cores: the receiving office's dozens of submissions.

Each file is checked in a worker process; a file that cannot be read, or that trips a bug in
the checker, or even kills its worker, becomes a could-not-check report for that file alone and
the batch goes on. Reports come back in the order the files were given.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from closure_app.check import CheckReport, Kind, check_file
from closure_app.profile import Profile

CHECKED_SUFFIXES = (".docx", ".pdf")
# Word and WPS formats the checker cannot read: listed all the same, as could-not-check with the
# reason (save as .docx), so no submission drops out of the office's summary unseen.
LISTED_SUFFIXES = CHECKED_SUFFIXES + (".doc", ".wps", ".docm", ".dotx", ".odt")
FILE_TIMEOUT_S = 300      # a worker gives up on one file after this long (a pathological file)
LOCK_PREFIX = "~$"        # Word's owner file beside an open document: not a document


@dataclass(frozen=True)
class Job:
    path: Path
    root: Optional[Path] = None    # the folder it was found in (for relative names in the summary)

    @property
    def name(self) -> str:
        """The file as the summary names it: relative to the folder it was found in."""
        if self.root is not None:
            try:
                return self.path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return self.path.as_posix()


def collect(paths: Iterable[Path]) -> list[Job]:
    """Files as given (whatever their suffix: the checker sniffs them), and every .docx and .pdf
    under the folders given (and .doc/.wps ..., to be reported as unreadable), at any depth, in
    name order; Word lock files and hidden files skipped.
    A path that does not exist is kept: it is reported as could not be checked."""
    jobs: list[Job] = []
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if given.is_dir():
            found = sorted(p for p in given.rglob("*")
                           if p.is_file() and p.suffix.lower() in LISTED_SUFFIXES
                           and not p.name.startswith((LOCK_PREFIX, "."))
                           and not any(part.startswith(".") for part in p.relative_to(given).parts))
            batch = [Job(p, given) for p in found]
        else:
            batch = [Job(given)]
        for job in batch:
            key = job.path.resolve()
            if key not in seen:
                seen.add(key)
                jobs.append(job)
    return jobs


@dataclass
class Checked:
    """One file's report, and its annotated copy when it is a failing DOCX and one was asked for."""
    report: CheckReport
    annotated: Optional[Path] = None
    annotate_error: Optional[str] = None


_PROFILE: Optional[Profile] = None


def _start_worker(profile: Profile) -> None:
    global _PROFILE
    _PROFILE = profile


def check_one(path: Path, profile: Profile, strict: bool, kind: Kind,
              annotate_to: Optional[Path] = None) -> Checked:
    """check_file, and a bug in the checker is this file's could-not-check, not the batch's end.
    ``annotate_to``: where a failing DOCX's annotated copy goes."""
    try:
        report = check_file(path, profile, strict=strict, kind=kind)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        report = CheckReport(str(path), kind, [], f"检查程序出错（{type(exc).__name__}：{exc}），请把此文件报告给维护者。")
    if annotate_to is None or report.exit_code != 1 or not _is_docx(path):
        return Checked(report)
    from closure_app.check.annotate import annotate_docx
    try:
        annotate_docx(path, annotate_to, report.findings)
    except Exception as exc:  # noqa: BLE001 - a DOCX python-docx cannot open still gets its summary
        return Checked(report, None, f"无法生成批注副本（{type(exc).__name__}：{exc}）")
    return Checked(report, annotate_to)


def _is_docx(path: Path) -> bool:
    from closure_app.check.safety import CannotCheck, sniff_kind
    try:
        return sniff_kind(path) == "docx"
    except CannotCheck:
        return False


class _TimedOut(BaseException):   # not an Exception: check_one must not swallow it
    pass


def _alarm(signum, frame):
    raise _TimedOut()


def _worker(path: Path, strict: bool, kind: Kind, annotate_to: Optional[Path]) -> Checked:
    """check_one in a worker, stopped after FILE_TIMEOUT_S (where the platform has SIGALRM)."""
    import signal

    assert _PROFILE is not None
    if not hasattr(signal, "SIGALRM"):
        return check_one(path, _PROFILE, strict, kind, annotate_to)
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, FILE_TIMEOUT_S)
    try:
        return check_one(path, _PROFILE, strict, kind, annotate_to)
    except _TimedOut:
        return Checked(CheckReport(str(path), kind, [], f"检查超过 {FILE_TIMEOUT_S:g} 秒仍未完成，已放弃（文件可能异常）。"))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _context():
    """Fork on Linux: workers start at once with the readers already imported (Python 3.14 would
    otherwise default to forkserver); the platform's default elsewhere."""
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def check_all(paths: list[Path], profile: Profile, *, strict: bool = False, kind: Kind = "auto",
              jobs: Optional[int] = None, annotate_to: Optional[list[Optional[Path]]] = None) -> list[Checked]:
    """One result per path, in order. ``jobs``: worker processes (default: every core); 1 checks
    in this process, one file after another. ``annotate_to``: per path, where its annotated copy
    goes if it is a failing DOCX (None: none)."""
    targets = annotate_to or [None] * len(paths)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(paths) <= 1:
        return [check_one(p, profile, strict, kind, t) for p, t in zip(paths, targets)]
    _warm(annotate_to is not None)
    results: list[Optional[Checked]] = [None] * len(paths)
    broken: list[int] = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=_context(),
                             initializer=_start_worker, initargs=(profile,)) as pool:
        futures = [pool.submit(_worker, p, strict, kind, t) for p, t in zip(paths, targets)]
        for i, future in enumerate(futures):
            try:
                results[i] = future.result()
            except BrokenProcessPool:
                broken.append(i)
    for i in broken:          # a worker died (a crash in a native library): each file again, alone
        results[i] = _alone(paths[i], profile, strict, kind, targets[i])
    return [r for r in results if r is not None]


def _warm(annotating: bool) -> None:
    """Import the readers once here, before the workers are forked, so no worker pays for it."""
    import closure_app.check.docx_check  # noqa: F401
    import closure_app.check.pdf_check  # noqa: F401
    if annotating:
        import closure_app.check.annotate  # noqa: F401
        import docx  # noqa: F401


def check_many(paths: list[Path], profile: Profile, *, strict: bool = False, kind: Kind = "auto",
               jobs: Optional[int] = None) -> list[CheckReport]:
    """The reports of check_all, without annotated copies."""
    return [c.report for c in check_all(paths, profile, strict=strict, kind=kind, jobs=jobs)]


def _alone(path: Path, profile: Profile, strict: bool, kind: Kind, annotate_to: Optional[Path]) -> Checked:
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_start_worker,
                                 initargs=(profile,)) as pool:
            return pool.submit(_worker, path, strict, kind, annotate_to).result()
    except BrokenProcessPool:
        return Checked(CheckReport(str(path), kind, [], "检查此文件时检查进程意外退出（文件可能已损坏），无法检查。"))
