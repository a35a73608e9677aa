"""Command line: ``closure-app``. Each command lives in ``closure_app/commands/<name>.py``."""
from __future__ import annotations

import sys
from enum import Enum

import typer

from closure_app import __version__, cli_values
from closure_app.errors import InvalidInput, UserError, file_error

cli_values.install()   # values converted without loading pydantic (70-100 ms a command)

# The module of each command, so that running one loads only its own (the others, and the
# back ends they import, are loaded for --help, an unknown name, or ``cli.app``).
COMMAND_MODULE = {"validate": "validate", "schema": "validate", "init": "validate", "build": "build",
                  "check": "check", "impose": "impose", "fonts": "fonts", "import": "import_", "serve": "serve"}


def _version(value: bool):
    if value:
        typer.echo(f"closure-app {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本 / show version"),
):
    pass


def make_app(command: str | None = None) -> typer.Typer:
    """The program with every command, or with only ``command`` (a name in COMMAND_MODULE)."""
    from importlib import import_module

    from closure_app import commands

    made = typer.Typer(
        name="closure-app",
        help="巴中市哲学社会科学规划项目结项材料：校验、排版（DOCX/PDF）、A3 骑马订拼版与格式检查。\n\n"
        "Validate, typeset, impose and check a closure submission.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,   # plain help: rich (and the Markdown parser it brings) is not loaded
    )
    made.callback()(_root)
    modules = ([import_module(f"closure_app.commands.{COMMAND_MODULE[command]}")] if command
               else commands.COMMAND_MODULES)
    for module in modules:
        module.register(made)
    return made


def __getattr__(name: str):
    if name == "app":             # ``from closure_app.cli import app``: every command
        if "app" not in globals():
            globals()["app"] = make_app()
        return globals()["app"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def usage_message(exc: Exception) -> str | None:
    """Click's usage errors in Chinese; None for those best shown as click shows them (help)."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    named = (param.opts[0] if getattr(param, "opts", None) else getattr(param, "name", None)) or "参数"
    if kind == "NoSuchOption":
        close = getattr(exc, "possibilities", None)
        return f"没有选项 {exc.option_name}" + (f"，是否指 {'、'.join(close)}？" if close else "")
    if kind == "BadOptionUsage":
        return f"选项 {exc.option_name} 后面须跟一个值"
    if kind == "MissingParameter":
        return f"缺少 {named}"
    if kind == "BadParameter":
        choices = getattr(getattr(param, "type", None), "choices", None)
        bare = getattr(getattr(param, "type_descriptor", None), "annotation", None)   # Typer: the option's Enum
        if choices is None and isinstance(bare, type) and issubclass(bare, Enum):
            choices = [member.value for member in bare]
        return f"{named} 的取值无效" + (f"：只能是 {'、'.join(map(str, choices))}" if choices else "")
    text = getattr(exc, "message", "") or ""
    if text.startswith("No such command"):
        return f"没有命令 {text.split(chr(39))[1] if chr(39) in text else ''}".rstrip()
    if text.startswith("Got unexpected extra argument"):
        return "多出了参数（文件名含空格时请加引号）"
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point: people see a Chinese message and an exit code, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    if not {"--help", "-h", "--version"} & set(args) and args:
        # pypdf logs its repairs of damaged files in English; what matters reaches people as
        # our own Chinese message. (Help needs no logging: it is not even imported.)
        import logging

        logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        program = make_app(args[0]) if args and args[0] in COMMAND_MODULE else __getattr__("app")
        rc = program(args=argv, standalone_mode=False, prog_name="closure-app")
    except InvalidInput as exc:      # one line per error, each with its place
        for finding in [f for f in exc.findings if f.severity == "error"] or [exc.message]:
            typer.echo(f"错误：{finding}", err=True)
        return exc.exit_code
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
            message = usage_message(exc)
            if message is None:
                exc.show()
            else:
                command = getattr(getattr(exc, "ctx", None), "command_path", "closure-app")
                typer.echo(f"错误：{message}（用 {command} --help 查看用法）", err=True)
            return exc.exit_code
        raise
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
