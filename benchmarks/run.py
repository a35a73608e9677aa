"""`make bench`: median wall time per stage, on the sample.

Each ``benchmarks/bench_*.py`` module exposes ``STAGES``: a list of ``Stage``. A stage's
``setup`` runs once (untimed) and returns the argument its ``run`` takes; ``run`` is timed
``repeat`` times. A stage may name a ``baseline`` stage measured in the same run, so a speed-up
is always shown against numbers from this machine, now.

    python benchmarks/run.py [--repeat 5] [--only SUBSTRING]
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class Stage:
    name: str
    run: Callable[[Any], Any]
    setup: Optional[Callable[[], Any]] = None
    repeat: Optional[int] = None
    baseline: Optional[str] = None
    note: str = ""
    self_timed: bool = False   # ``run`` returns the seconds to count (a part of what it ran)


def discover() -> list[Stage]:
    stages: list[Stage] = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        stages.extend(getattr(mod, "STAGES", []))
    return stages


def measure(stage: Stage, repeat: int) -> list[float]:
    arg = stage.setup() if stage.setup else None
    times = []
    for _ in range(stage.repeat or repeat):
        t0 = time.perf_counter()
        counted = stage.run(arg)
        times.append(counted if stage.self_timed else time.perf_counter() - t0)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    stages = [s for s in discover() if args.only in s.name]
    medians: dict[str, float] = {}
    print(f"{'stage':44} {'median':>10} {'min':>10} {'max':>10}  n")
    for st in stages:
        t = measure(st, args.repeat)
        med = statistics.median(t)
        medians[st.name] = med
        extra = ""
        if st.baseline and st.baseline in medians:
            extra = f"  ({medians[st.baseline] / med:.1f}x faster than {st.baseline})"
        print(f"{st.name:44} {med*1000:8.1f}ms {min(t)*1000:8.1f}ms {max(t)*1000:8.1f}ms  {len(t)}{extra}")
        if st.note:
            print(f"    {st.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
