"""Command-line values are converted without pydantic, exactly as Typer's own conversion does."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from closure_app import cli  # noqa: F401  (installs the light conversion)


def _params():
    import typer.main
    from typer import core

    command = typer.main.get_command(cli.app)
    for name, sub in command.commands.items():
        for param in sub.params:
            yield f"{name} {param.name}", param
    assert core._TyperParameter.get_runtime_param.typer_own


WORDS = ["out", "a b/报告.docx", "", " 3 ", "3", "-1", "0", "2.5", "1e3", "x", "true", " yes ", "no", "PDF", "pdf",
         "report", "booklet", "all", "junit"]


def _convert(runtime, value, param):
    from typer._click import Context
    from typer._click.exceptions import BadParameter

    try:
        return ("ok", runtime.coerce(value, param=param, ctx=Context(param_command())))
    except BadParameter:
        return ("bad", None)


def param_command():
    import typer.main
    return typer.main.get_command(cli.app)


@pytest.mark.parametrize("label, param", list(_params()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_parameter_converts_as_typer_does(label, param):
    from typer import core

    typer_own = core._TyperParameter.get_runtime_param.typer_own
    light = param.get_runtime_param()
    param._runtime_param = None
    theirs = typer_own(param)
    param._runtime_param = None
    assert type(light).__name__ == "LightRuntimeParam", label
    values = [param.default, None] + ([tuple(WORDS[:3])] if param.nargs == -1 else WORDS)
    for value in values:
        assert _convert(light, value, param) == _convert(theirs, value, param), (label, value)


def test_bad_values_are_named_in_chinese(capsys, tmp_path):
    for argv, message in [
        (["check", "x.docx", "--jobs", "-1"], "错误：--jobs 的取值无效"),
        (["check", "x.docx", "--jobs", "two"], "错误：--jobs 的取值无效"),
        (["check", "x.docx", "--kind", "essay"], "错误：--kind 的取值无效：只能是 auto、report、form、booklet"),
        (["impose", "x.pdf", "--creep-mm", "1,5"], "错误：--creep-mm 的取值无效"),
    ]:
        assert cli.main(argv) == 2, argv
        assert message in capsys.readouterr().err, argv


def _modules(argv, tmp_path) -> set[str]:
    code = ("import sys, json\nfrom closure_app.launch import main\n"
            f"rc = main({argv!r})\nprint(json.dumps(sorted(sys.modules)))")
    env = {**os.environ, "CLOSURE_APP_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def test_check_and_impose_load_no_pydantic(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from pdf_fixtures import numbered_pdf

    (tmp_path / "in.pdf").write_bytes(numbered_pdf(4))
    for argv in (["check", "in.pdf", "--jobs", "1", "--format", "json"],
                 ["impose", "in.pdf", "-o", "a3.pdf", "--keep-last", "0"]):
        loaded = _modules(argv, tmp_path)
        assert "typer" in loaded and "pydantic" not in loaded, argv
    assert (tmp_path / "a3.pdf").is_file()


def test_each_command_runs_from_its_own_module_alone():
    import typer.main

    every = typer.main.get_command(cli.app).commands
    assert set(every) == set(cli.COMMAND_MODULE)
    for name, command in every.items():
        alone = typer.main.get_command(cli.make_app(name)).commands
        assert name in alone, name
        assert [p.name for p in alone[name].params] == [p.name for p in command.params]
        assert alone[name].help == command.help


def test_the_program_raises_the_collector_thresholds_only_for_itself(tmp_path):
    from closure_app import launch

    code = ("import atexit, gc, sys\nfrom closure_app.launch import main\nsys.argv = ['closure-app', *sys.argv[1:]]\n"
            "atexit.register(lambda: print(gc.get_threshold()))\nmain()")
    out = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, text=True).stdout
    assert out.splitlines()[-1] == str(launch.PROCESS_GC_THRESHOLDS)
    import gc

    before = gc.get_threshold()
    launch.main(["--version"])                 # called from Python (tests, scripts): left alone
    assert gc.get_threshold() == before


def test_the_program_ends_its_process_after_the_exit_handlers(tmp_path):
    """Run as its own process, the program flushes what it printed, runs the exit handlers and
    ends with the command's exit code, without the interpreter's teardown (launch.leave)."""
    code = ("import atexit, sys\nfrom closure_app.launch import main\nsys.argv = ['closure-app', *sys.argv[1:]]\n"
            "atexit.register(lambda: print('handlers ran', flush=True))\n"
            "class Noisy:\n    def __del__(self):\n        print('teardown ran', flush=True)\n"
            "keep = Noisy()\nmain()\nprint('main returned')")
    ok = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and "handlers ran" in ok.stdout
    assert "main returned" not in ok.stdout and "teardown ran" not in ok.stdout
    assert ok.stdout.index("closure-app") < ok.stdout.index("handlers ran")    # --version printed first
    bad = subprocess.run([sys.executable, "-c", code, "check", str(tmp_path / "none.pdf")], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "找不到文件" in bad.stdout + bad.stderr and "handlers ran" in bad.stdout
