"""`closure-app check FILE...`: judge DOCX and PDF files against the profile.

Exit code over all files: 0 clean, 1 violations, 2 a file could not be checked.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from closure_app.errors import UsageError, UserError


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"


class Kind(str, Enum):
    auto = "auto"
    report = "report"
    form = "form"
    booklet = "booklet"


def _profile(name: str):
    import yaml
    from pydantic import ValidationError

    from closure_app.profile import load_profile
    try:
        return load_profile(name)
    except (FileNotFoundError, OSError):
        raise UsageError(f"找不到配置文件：{name}") from None
    except UnicodeDecodeError:
        raise UsageError(f"配置文件 {name} 不是 UTF-8 编码的文本") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise UsageError(f"配置文件 {name} 不是有效的 YAML{where and '（' + where + '）'}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise UsageError(f"配置文件 {name} 无效：{field + '：' if field else ''}{first['msg']}") from None


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        files: list[Path] = typer.Argument(..., help="要检查的 DOCX / PDF 文件 / files to check"),
        format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text（中文报告）、json 或 junit"),
        output: Path = typer.Option(None, "--output", "-o", help="报告写入此文件 / write the report here"),
        strict: bool = typer.Option(False, "--strict", help="替代字体等警告也算不合格 / warnings fail"),
        profile: str = typer.Option("bazhong", "--profile", help="格式要求配置 / profile name or YAML file"),
        kind: Kind = typer.Option(Kind.auto, "--kind", help="auto、report（成果）、form（申请书）或 booklet（A3 拼版）"),
    ):
        """检查 DOCX/PDF 是否符合格式要求 / check DOCX and PDF files against the mandate."""
        from closure_app.check import check_file
        from closure_app.check.report import overall_exit_code, render_text, to_json, to_junit

        prof = _profile(profile)
        reports = [check_file(f, prof, strict=strict, kind=kind.value) for f in files]
        render = {OutputFormat.text: render_text, OutputFormat.json: to_json, OutputFormat.junit: to_junit}[format]
        text = render(reports)
        if output is not None:
            try:
                output.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"无法写入报告 {output}：{exc.strerror}") from None
            typer.echo(f"报告已写入 {output}")
        else:
            typer.echo(text)
        code = overall_exit_code(reports)
        if code:
            raise UserError(_verdict(reports), code)


def _verdict(reports) -> str:
    """One line for stderr under the report: how many files failed or could not be checked."""
    failed = sum(1 for r in reports if r.exit_code == 1)
    unreadable = sum(1 for r in reports if r.exit_code == 2)
    parts = ([f"{failed} 个文件不合格"] if failed else []) + ([f"{unreadable} 个文件无法检查"] if unreadable else [])
    return "，".join(parts) + f"（共检查 {len(reports)} 个）"
