"""The ``closure-app`` program: a rebuild with nothing changed is answered here, before the
command-line library and the back ends are loaded (a few tens of milliseconds instead of a
few hundred); everything else goes to ``closure_app.cli``."""
from __future__ import annotations

import sys

OWN_PROCESS = False   # True when this process is the program itself (argv from the command line)

# What pypdf loads at import in case a document needs it, none of which rearranging the pages of
# an unencrypted PDF uses: the cryptography provider (encrypted files, ~46 ms), fontTools
# (embedding a font for a form field's appearance), Pillow (extracting images).
_PYPDF_EXTRAS = ("cryptography", "Crypto", "fontTools", "PIL")


# A command run as its own short process makes a few hundred thousand objects while its modules
# load and almost no reference cycles; the collector's default thresholds (700, 10, 10) walk them
# over and over (~4 % of a check or an imposition). Raised for such a process, cycles are still
# collected, only less often; ``serve`` (long-lived) and calls from Python keep the defaults.
PROCESS_GC_THRESHOLDS = (50_000, 20, 100)


def main(argv: list[str] | None = None) -> int:
    """The program. Run as its own process (``argv`` None), it ends the process itself when the
    command is done (``leave``); called from Python, it returns the exit code."""
    global OWN_PROCESS
    OWN_PROCESS = argv is None
    try:
        code = _command(argv)
    except SystemExit as exc:      # what Python would make of it
        code = exc.code
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        code = code or 0
        if not OWN_PROCESS:
            raise
    if OWN_PROCESS:
        leave(code)
    return code


def _command(argv: list[str] | None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if OWN_PROCESS and args[:1] != ["serve"]:
        import gc

        gc.set_threshold(*PROCESS_GC_THRESHOLDS)
    if args[:1] == ["build"]:
        from closure_app.stamp import quick_unchanged

        try:
            message = quick_unchanged(args[1:])
        except Exception:          # never worse than the full command: it will say what is wrong
            message = None
        if message:
            print(message)
            return 0
    from closure_app.cli import main as cli_main

    return cli_main(argv)


def leave(code: int) -> None:
    """End this process with ``code`` once the command is done: what is printed is flushed and
    the exit handlers run (helper processes closed, temporary folders removed), but the
    interpreter's teardown, which frees every object one by one (0.1-0.2 s after a build), is
    skipped: the system frees the memory at once. Every file the program writes is closed
    before the command returns."""
    import atexit
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):    # a closed or broken pipe: nothing more can be said
            pass
    atexit._run_exitfuncs()
    os._exit(code)


def lean_pypdf_for(*paths) -> bool:
    """Load pypdf without its optional helpers (``_PYPDF_EXTRAS``) for a command that only
    rearranges the pages of ``paths``, in a process of its own: they are not loaded later by
    anyone else there. Nothing is done (False) when pypdf is loaded already, outside such a
    process, or when a file may be encrypted (``/Encrypt`` anywhere in it) or cannot be read here
    (the command says why, with pypdf loaded as usual). Pillow and fontTools can still be
    imported afterwards; pypdf just does not use them."""
    if not OWN_PROCESS or "pypdf" in sys.modules:
        return False
    import mmap

    try:
        for path in paths:
            with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                if data.find(b"/Encrypt") != -1:
                    return False
    except (OSError, ValueError):
        return False
    blocked = [name for name in _PYPDF_EXTRAS if name not in sys.modules]
    try:
        for name in blocked:
            sys.modules[name] = None      # import of it raises ImportError: pypdf goes without
        import pypdf  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return True


if __name__ == "__main__":
    sys.exit(main())
