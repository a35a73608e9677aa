"""Run every case of a corpus made by ``make_corpus.py`` through the CLI, each in its own process.

    python tests/bad_inputs/run_corpus.py CORPUS_DIR [RESULTS.json]

The package is imported once; each command then runs in a forked child (so a case costs its own
work, not an interpreter start), with its output captured and its wall time and peak memory
measured by the kernel (``wait4``). A child that outlives ``HARD_LIMIT_S`` is killed. For every
case: validate, then (when the case says so) build into ``out/``; the case's files are hashed
before and after, and what is left in its folder afterwards is listed.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

HARD_LIMIT_S = 60            # a runaway case is killed here; the tests want far less
ADDRESS_SPACE = 3 << 30      # and cannot take the machine's memory down with it
WORKERS = 2


def _child(argv: list[str], cwd: Path, out: Path, err: Path) -> None:
    """In the forked child: run the CLI and leave with its exit code (97 for an escaped exception)."""
    code = 97
    try:
        os.chdir(cwd)
        for fd, path in ((1, out), (2, err)):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        signal.alarm(HARD_LIMIT_S)
        from closure_app.cli import main

        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - what escapes is what the tests look for
        traceback.print_exc()
        code = 97
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code if isinstance(code, int) else 1)


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Job:
    def __init__(self, case_dir: Path, command: str, argv: list[str]):
        self.case_dir, self.command, self.argv = case_dir, command, argv
        self.logs = case_dir.parent / f".{case_dir.name}.{command}"
        self.out, self.err = Path(f"{self.logs}.out"), Path(f"{self.logs}.err")

    def start(self) -> None:
        self.before = _snapshot(self.case_dir)
        self.names_before = set(os.listdir(self.case_dir))
        self.t0 = time.monotonic()
        self.pid = os.fork()
        if self.pid == 0:
            _child(self.argv, self.case_dir, self.out, self.err)

    def finish(self, status: int, usage) -> dict:
        seconds = time.monotonic() - self.t0
        code = os.waitstatus_to_exitcode(status)
        after = _snapshot(self.case_dir)
        result = {
            "command": self.command, "argv": self.argv, "exit": code, "seconds": round(seconds, 3),
            "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "stdout": self.out.read_text(encoding="utf-8", errors="replace"),
            "stderr": self.err.read_text(encoding="utf-8", errors="replace"),
            "changed": sorted(k for k in self.before if after.get(k) != self.before[k]),
            "left": sorted(set(os.listdir(self.case_dir)) - self.names_before),
        }
        self.out.unlink()
        self.err.unlink()
        return result


def jobs_for(case_dir: Path) -> list[Job]:
    case = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    jobs = [Job(case_dir, "validate", ["validate", *case["args"]])]
    if case["build"]:
        jobs.append(Job(case_dir, "build", ["build", *case["args"], "--out", "out", "--no-check"]))
    return jobs


def run(corpus: Path, workers: int = WORKERS) -> dict[str, list[dict]]:
    """Every case folder's results: one entry per command run, in order."""
    # Load the package once, before forking: children share it.
    import closure_app.cli  # noqa: F401
    import closure_app.commands.build  # noqa: F401
    import closure_app.layout.application  # noqa: F401
    import closure_app.sources.form  # noqa: F401
    import closure_app.sources.manuscript  # noqa: F401

    folders = sorted(p for p in corpus.iterdir() if p.is_dir() and (p / "case.json").exists())
    results: dict[str, list[dict]] = {p.name: [] for p in folders}
    # A case's build runs after its validate; cases run side by side.
    queues = [jobs_for(p) for p in folders]
    running: dict[int, tuple[Job, list[Job]]] = {}
    waiting = list(queues)
    while waiting or running:
        while waiting and len(running) < workers:
            queue = waiting.pop(0)
            job = queue.pop(0)
            job.start()
            running[job.pid] = (job, queue)
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        job, queue = running.pop(pid)
        results[job.case_dir.name].append(job.finish(status, usage))
        if queue:
            waiting.insert(0, queue)
    return results


if __name__ == "__main__":
    outcome = run(Path(sys.argv[1]))
    text = json.dumps(outcome, ensure_ascii=False, indent=1)
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(text, encoding="utf-8")
    else:
        print(text)
