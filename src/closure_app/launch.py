"""The ``closure-app`` program: a rebuild with nothing changed is answered here, before the
command-line library and the back ends are loaded (a few tens of milliseconds instead of a
few hundred); everything else goes to ``closure_app.cli``."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
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


if __name__ == "__main__":
    sys.exit(main())
