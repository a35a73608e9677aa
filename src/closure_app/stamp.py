"""Content-hash stamps: a rebuild with nothing changed does nothing.

Each document of a build (the form, the report) gets a stamp: SHA-256 over everything its
files depend on - the source's bytes (and the images a Markdown source points at), the
profile file, the font files that could be chosen (path, size, modification time: a font
added, removed or replaced changes it), the code (every module and profile of the package)
and the options that shape its files. The stamps of the last build into an output folder are
kept in the cache folder (one small JSON file per output folder, so the output folder holds
only what was asked for), with the size and time of each file written and its check report. A document
whose stamp is unchanged and whose files are still as they were written is not built again;
its check reports are taken from the stamp file.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable, Optional

STAMP_VERSION = 1
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_PACKAGE = Path(__file__).resolve().parent


@dataclass
class Previous:
    """What the stamp file says about one document's last build."""
    stamp: str
    files: dict[str, list[int]] = field(default_factory=dict)     # name -> [size, mtime_ns]
    reports: list[dict] = field(default_factory=list)              # its files' check reports


def _hash_file(h, path: Path) -> None:
    try:
        h.update(path.read_bytes())
    except OSError:
        h.update(b"<missing>")


def code_version() -> str:
    """Every module and data file of the package, by content."""
    h = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file()):
        h.update(str(path.relative_to(_PACKAGE)).encode("utf-8") + b"\0")
        _hash_file(h, path)
    return h.hexdigest()


def fonts_state(folders: Iterable[Path]) -> str:
    """The font files a build could choose from (and the shipped fonts' manifest): path, size
    and modification time of each."""
    h = hashlib.sha256()
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(FONT_SUFFIXES) or name == "manifest.yaml":   # + what is shipped
                    path = os.path.join(root, name)
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    h.update(f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode("utf-8"))
    return h.hexdigest()


def document_stamp(source: Path, *, common: str, options: str) -> str:
    """One document's stamp: its source (and the images it shows) on top of ``common``."""
    h = hashlib.sha256(f"{STAMP_VERSION}|{common}|{options}|".encode("utf-8"))
    data = source.read_bytes()
    h.update(data)
    if source.suffix.lower() in (".md", ".markdown"):
        for ref in sorted(set(_IMAGE.findall(data.decode("utf-8", "replace")))):
            if "://" not in ref:
                h.update(ref.encode("utf-8") + b"\0")
                _hash_file(h, source.parent / ref)
    return h.hexdigest()


def common_inputs(profile_path: Optional[Path], font_folders: Iterable[Path]) -> str:
    h = hashlib.sha256(code_version().encode("ascii"))
    if profile_path is not None:
        _hash_file(h, profile_path)
    h.update(fonts_state(font_folders).encode("ascii"))
    return h.hexdigest()


def stamp_file(out: Path) -> Path:
    from closure_app.cache import cache_dir

    name = hashlib.sha256(str(Path(out).resolve()).encode("utf-8")).hexdigest()[:24]
    return cache_dir() / "stamps" / f"{name}.json"


def read(out: Path) -> dict[str, Previous]:
    try:
        data = json.loads(stamp_file(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != STAMP_VERSION:
        return {}
    try:
        return {stem: Previous(**entry) for stem, entry in data.get("documents", {}).items()}
    except TypeError:
        return {}


def still_fresh(previous: Optional[Previous], stamp: str, out: Path, want_reports: bool) -> bool:
    """The document's stamp is the one of its last build and its files are untouched since."""
    if previous is None or previous.stamp != stamp or not previous.files:
        return False
    if want_reports and not previous.reports:
        return False
    for name, (size, mtime_ns) in previous.files.items():
        try:
            st = (out / name).stat()
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime_ns:
            return False
    return True


def write(out: Path, entries: dict[str, Previous]) -> None:
    """Record the stamps, after the files are in place (a build that fails records nothing)."""
    data = {"version": STAMP_VERSION,
            "documents": {stem: {"stamp": e.stamp, "files": e.files, "reports": e.reports}
                          for stem, e in entries.items()}}
    target = stamp_file(out)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)   # no stamp only means the next build redoes the work


def file_state(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def report_entry(report) -> dict:
    """A check report as plain data, to stand in for checking the file again."""
    return {"file": report.file, "kind": report.kind, "could_not_check": report.could_not_check,
            "findings": [f.as_dict() for f in report.findings]}


def report_from(entry: dict):
    from closure_app.check.findings import CheckFinding, CheckReport

    names = {f.name for f in fields(CheckFinding)}
    return CheckReport(entry["file"], entry.get("kind", ""),
                       [CheckFinding(**{k: v for k, v in f.items() if k in names}) for f in entry["findings"]],
                       entry.get("could_not_check"))


def stem_of(file_name: str) -> str:
    """'manuscript-a3.pdf' -> 'manuscript'."""
    return Path(file_name).name.split(".")[0].removesuffix("-a3")


class BuildStamps:
    """The stamps of one build against those of the last build into the same folder."""

    def __init__(self, out: Path, sources: dict[str, Path], options: dict[str, str],
                 profile_path: Optional[Path], font_folders: Iterable[Path], want_reports: bool):
        self.out = out
        self.order = list(sources)
        self.previous = read(out)
        common = common_inputs(profile_path, font_folders)
        self.stamps = {stem: document_stamp(src, common=common, options=options[stem])
                       for stem, src in sources.items()}
        self.fresh = {stem for stem, s in self.stamps.items()
                      if still_fresh(self.previous.get(stem), s, out, want_reports)}

    def all_fresh(self) -> bool:
        return bool(self.stamps) and self.fresh == set(self.stamps)

    def merged_reports(self, new_reports: list) -> list:
        """The new reports and, for documents not built again, their last ones, in document order."""
        by_stem: dict[str, list] = {stem: [] for stem in self.order}
        for stem in self.fresh:
            by_stem[stem] = [report_from(e) for e in self.previous[stem].reports]
        for r in new_reports:
            by_stem.setdefault(stem_of(r.file), []).append(r)
        return [r for reports in by_stem.values() for r in reports]

    def save(self, published: list[Path], reports: list) -> None:
        entries = {stem: self.previous[stem] for stem in self.fresh}
        for stem in self.stamps:
            if stem in self.fresh:
                continue
            files = {p.name: file_state(p) for p in published if stem_of(p.name) == stem and p.is_file()}
            mine = [report_entry(r) for r in reports if stem_of(r.file) == stem]
            entries[stem] = Previous(self.stamps[stem], files, mine)
        write(self.out, {stem: entries[stem] for stem in self.order if stem in entries})


BOOKLET_STEMS = {"application": ("application",), "manuscript": ("manuscript",),
                 "all": ("application", "manuscript"), "none": ()}


def build_stamps(out: Path, form: Optional[Path], manuscript: Optional[Path], fmt: str, booklet: str,
                 strict: bool, check: bool, lof: bool = False, accept_changes: bool = False) -> BuildStamps:
    """The stamps of a build with these options (the one place they are put together)."""
    from closure_app.fonts.catalog import system_font_dirs
    from closure_app.profile import profile_source

    sources = {stem: src for stem, src in (("application", form), ("manuscript", manuscript)) if src}
    options = {stem: f"{fmt}|{stem in BOOKLET_STEMS[booklet]}|{strict}|{check}|{lof}"
                     + ("|accept-changes" if accept_changes and stem == "manuscript" else "") for stem in sources}
    fonts_dir = _PACKAGE.parents[1] / "fonts"       # as fonts.manifest.default_fonts_dir
    return BuildStamps(out, sources, options, profile_source(), [fonts_dir, *system_font_dirs()],
                       want_reports=check)


_VALUE_OPTIONS = {"--form", "--manuscript", "--out", "--format", "--booklet"}
_FLAGS = {"--strict": ("strict", True), "--check": ("check", True), "--no-check": ("check", False),
          "--lof": ("lof", True), "--no-lof": ("lof", False), "--accept-changes": ("accept_changes", True)}


def unchanged_message(out: Path) -> str:
    return f"源文件、配置、字体与选项均未改变，{out} 中的文件已是最新，未写入任何文件。"


def quick_unchanged(args: list[str]) -> Optional[str]:
    """For ``closure-app build ARGS`` before the command line library is even loaded: the
    message to print when nothing changed since the last build, else None (then the build
    runs as usual and finds out for itself). Anything unusual in ARGS also gives None."""
    opts: dict = {"strict": False, "check": True, "lof": False, "accept_changes": False, "--out": "out",
                  "--format": "all", "--booklet": "application"}
    k = 0
    while k < len(args):
        arg = args[k]
        name, eq, value = arg.partition("=")
        if name in _VALUE_OPTIONS:
            if not eq:
                if k + 1 >= len(args):
                    return None
                k += 1
                value = args[k]
            opts[name] = value
        elif arg in _FLAGS:
            key, flag = _FLAGS[arg]
            opts[key] = flag
        else:
            return None
        k += 1
    if opts["--format"] not in ("docx", "pdf", "all") or opts["--booklet"] not in BOOKLET_STEMS:
        return None
    from closure_app.sources import chosen

    form, manuscript = chosen(Path(opts["--form"]) if "--form" in opts else None,
                              Path(opts["--manuscript"]) if "--manuscript" in opts else None)
    if any(p is not None and not p.is_file() for p in (form, manuscript)):
        return None
    booklet = "none" if opts["--format"] == "docx" else opts["--booklet"]
    out = Path(opts["--out"])
    try:
        stamps = build_stamps(out, form, manuscript, opts["--format"], booklet, opts["strict"], opts["check"],
                              opts["lof"], opts["accept_changes"])
    except OSError:
        return None
    return unchanged_message(out) if stamps.all_fresh() else None
