"""Which font faces exist in a set of folders: scanned once, cached, rescanned per changed file.

The scan reads the name table of every font file (TTF, OTF, TTC). The result is kept in
``<cache dir>/font-scan.json`` keyed by each file's path, size and modification time, so a
warm build only lists the folders and stats the files; a new, changed or removed file is
noticed and only that file is read again.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Optional

from closure_app.cache import cache_dir  # noqa: F401  (the fonts' cache lives there)
from closure_app.fonts.names import FONT_SUFFIXES, FaceInfo, read_faces

SCAN_CACHE_NAME = "font-scan.json"
SCAN_CACHE_VERSION = 1


def system_font_dirs() -> list[Path]:
    """The system's font folders: CLOSURE_APP_FONT_DIRS (os.pathsep-separated; empty: none),
    else the usual folders of Windows, macOS and Linux that exist here."""
    env = os.environ.get("CLOSURE_APP_FONT_DIRS")
    if env is not None:
        return [Path(p) for p in env.split(os.pathsep) if p]
    home = Path.home()
    candidates: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR", r"C:\Windows")
        candidates += [Path(windir) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            candidates.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        candidates += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts",
                       Path("/System/Library/AssetsV2")]  # where macOS keeps downloadable fonts (Kaiti SC)
    else:
        candidates += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                       home / ".local" / "share" / "fonts", home / ".fonts"]
    return [p for p in candidates if p.is_dir()]


def font_files(folders: Iterable[Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Font files under the folders (recursively), sorted, skipping the excluded folders."""
    skip = {Path(p).resolve() for p in exclude}
    found: set[Path] = set()
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if (Path(root) / d).resolve() not in skip)
            found.update(Path(root) / f for f in files if f.lower().endswith(FONT_SUFFIXES))
    return sorted(found)


def _load_cache(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("files", {}) if data.get("version") == SCAN_CACHE_VERSION else {}


def _save_cache(path: Path, files: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": SCAN_CACHE_VERSION, "files": files}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # an unwritable cache only costs time


def scan(paths: list[Path], cache_file: Optional[Path] = None) -> list[FaceInfo]:
    """Every face in the given font files, reading only files the cache does not know as they are."""
    cache_file = cache_file or cache_dir() / SCAN_CACHE_NAME
    cached = _load_cache(cache_file)
    fresh: dict = {}
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        key = str(path)
        entry = cached.get(key)
        if not entry or entry["size"] != st.st_size or entry["mtime_ns"] != st.st_mtime_ns:
            entry = {"size": st.st_size, "mtime_ns": st.st_mtime_ns,
                     "faces": [asdict(f) for f in read_faces(path)]}
        fresh[key] = entry
    if any(entry is not cached.get(key) for key, entry in fresh.items()):
        _save_cache(cache_file, {**cached, **fresh})
    return [FaceInfo(**{**f, "names": tuple(f["names"])}) for e in fresh.values() for f in e["faces"]]
