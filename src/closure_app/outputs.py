"""Putting finished files in place: written aside first, then renamed over the target, so a
reader never sees half a file and a failed run leaves the previous file as it was."""
from __future__ import annotations

import os
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(finished: Path, target: Path) -> Path:
    """Rename ``finished`` over ``target`` with the mode a new file gets here (temporary files
    are created private)."""
    os.chmod(finished, 0o666 & ~_umask())
    os.replace(finished, target)
    return target
