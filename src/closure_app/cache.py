"""Where closure-app keeps what it can make again (parsed fonts, the profile as data)."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """CLOSURE_APP_CACHE_DIR, else $XDG_CACHE_HOME/closure-app, else ~/.cache/closure-app."""
    env = os.environ.get("CLOSURE_APP_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "closure-app"
