"""The bad-input corpus (tests/bad_inputs/make_corpus.py) through the CLI, as a user would run it.

Every case: the exit code the README's table gives its class, its message (place, field,
cause) printed, no traceback, no output folder or scratch folder left after a failed build, no
source changed, under 10 s and 500 MB. The cases run in forked children of one fresh interpreter
(run_corpus.py), which measures each one's time and peak memory.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "bad_inputs"))

import make_corpus  # noqa: E402

CASES = {case.name: case for case in make_corpus.cases()}
MAX_SECONDS = 10
MAX_MB = 500


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, list[dict]]:
    corpus = tmp_path_factory.mktemp("corpus")
    folders = make_corpus.write_all(corpus)
    system_fonts = tmp_path_factory.mktemp("no-system-fonts")   # only the shipped fonts: the same everywhere
    env = dict(os.environ, CLOSURE_APP_FONT_DIRS=str(system_fonts),
               CLOSURE_APP_CACHE_DIR=str(tmp_path_factory.mktemp("font-cache")))
    out = corpus.parent / "results.json"
    subprocess.run([sys.executable, str(HERE / "bad_inputs" / "run_corpus.py"), str(corpus), str(out)],
                   env=env, check=True, timeout=600)
    by_folder = json.loads(out.read_text(encoding="utf-8"))
    return {folder.name.split("-", 1)[1]: by_folder[folder.name] for folder in folders}


def test_the_corpus_is_large_and_covers_every_class():
    assert len(CASES) >= 80
    kinds = {case.kind for case in CASES.values()}
    assert kinds == set(readme_exit_codes())


def readme_exit_codes() -> dict[str, int]:
    """The README's table of what happens to each class of bad input: class -> exit code."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Bad input"):]
    rows = re.findall(r"^\| ([^|]+?) \| (\d) \|", table, re.M)
    return {name: int(code) for name, code in rows}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(results, name):
    case = CASES[name]
    runs = results[name]
    assert runs, "the case did not run"
    # exit 0: read as typed or only warned about (a BOM, 01062345670 unquoted, a date days ahead)
    assert case.exit in (0, readme_exit_codes()[case.kind]), "the case disagrees with the README's table"
    for run in runs:
        said = run["stdout"] + run["stderr"]
        where = f"{run['command']}: {said[-800:]}"
        assert run["exit"] == case.exit, where
        assert "Traceback" not in said and "Error:" not in said, where
        assert run["changed"] == [], where
        assert run["left"] == [], where                    # no out/, no .build-* scratch folder
        assert run["seconds"] < MAX_SECONDS, where
        assert run["max_rss_mb"] < MAX_MB, where
        if run["command"] == "validate":
            for expected in case.expect:
                assert expected in said, where
            for refused in case.absent:
                assert refused not in said, where
    if case.build:
        build = runs[-1]
        assert build["command"] == "build"
        for expected in case.expect:     # build names the same place, field and cause as validate
            assert expected in build["stdout"] + build["stderr"], build["stderr"][-800:]


@pytest.mark.parametrize("argv, message", [
    (["build", "--format", "pdff"], "错误：--format 的取值无效：只能是 docx、pdf、all（用 closure-app build --help 查看用法）"),
    (["validate", "--from", "x"], "错误：没有选项 --from，是否指 --form？"),
    (["validate", "--form"], "错误：选项 --form 后面须跟一个值"),
    (["nope"], "错误：没有命令 nope"),
])
def test_usage_errors_are_chinese_and_exit_2(capsys, argv, message):
    from closure_app.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Error" not in err and "Usage" not in err
