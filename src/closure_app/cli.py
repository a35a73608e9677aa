"""Command line: ``closure-app``. Each command lives in ``closure_app/commands/<name>.py``."""
from __future__ import annotations

import sys

import typer

from closure_app import __version__
from closure_app.commands import COMMAND_MODULES
from closure_app.errors import UserError, file_error

app = typer.Typer(
    name="closure-app",
    help="巴中市哲学社会科学规划项目结项材料：校验、排版（DOCX/PDF）、A3 骑马订拼版与格式检查。\n\n"
    "Validate, typeset, impose and check a closure submission.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,   # plain help: rich (and the Markdown parser it brings) is not loaded
)


def _version(value: bool):
    if value:
        typer.echo(f"closure-app {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本 / show version"),
):
    pass


for _module in COMMAND_MODULES:
    _module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: people see a Chinese message and an exit code, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    if not {"--help", "-h", "--version"} & set(args) and args:
        # pypdf logs its repairs of damaged files in English; what matters reaches people as
        # our own Chinese message. (Help needs no logging: it is not even imported.)
        import logging

        logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        rc = app(args=argv, standalone_mode=False)
    except UserError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("已中止。", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("已中止。", err=True)
        return 130
    except OSError as exc:
        error = file_error(exc)
        typer.echo(f"错误：{error.message}", err=True)
        return error.exit_code
    except Exception as exc:
        # Usage errors from Typer's bundled click carry show() and exit_code (2).
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return exc.exit_code
        raise
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
