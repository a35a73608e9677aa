"""`closure-app check FILE|DIR...`: judge DOCX and PDF files against the profile.

A folder is searched for every .docx and .pdf under it; many files are checked in parallel, on
every core. ``--report-dir R`` writes the office's summary there (summary.html/.csv/.json,
junit.xml, annotated copies of failing DOCX files).

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
    from closure_app.profile import ProfileError, load_profile
    try:
        return load_profile(name)
    except (FileNotFoundError, OSError):
        raise UsageError(f"找不到配置文件：{name}") from None
    except ProfileError as exc:
        if exc.line:
            raise UsageError(f"配置文件 {name} {exc.message}（第 {exc.line} 行）") from None
        if not exc.field:
            raise UsageError(f"配置文件 {name} {exc.message}") from None
        raise UsageError(f"配置文件 {name} 无效：{exc.field}：{exc.message}") from None


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        files: list[Path] = typer.Argument(..., help="要检查的 DOCX / PDF 文件或文件夹 / files or folders to check"),
        format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text（中文报告）、json 或 junit"),
        output: Path = typer.Option(None, "--output", "-o", help="报告写入此文件 / write the report here"),
        strict: bool = typer.Option(False, "--strict", help="替代字体等警告也算不合格 / warnings fail"),
        profile: str = typer.Option("bazhong", "--profile", help="格式要求配置 / profile name or YAML file"),
        kind: Kind = typer.Option(Kind.auto, "--kind", help="auto、report（成果）、form（申请书）或 booklet（A3 拼版）"),
        report_dir: Path = typer.Option(None, "--report-dir",
                                        help="汇总报告（HTML/CSV/JSON/JUnit 与批注副本）写入此文件夹 / write the batch summary here"),
        jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数，0 为全部核心 / worker processes, 0: every core"),
    ):
        """检查 DOCX/PDF 是否符合格式要求 / check DOCX and PDF files against the mandate."""
        from closure_app.check.batch import collect
        from closure_app.check.summary import run_batch
        from closure_app.check.report import overall_exit_code, render_text, to_json, to_junit

        prof = _profile(profile)
        found = collect(files)
        if report_dir is not None:      # a report folder inside the inbox: its annotated copies are not submissions
            inside = report_dir.resolve()
            found = [j for j in found if inside not in j.path.resolve().parents]
        if not found:
            raise UsageError("所给文件夹中没有 DOCX 或 PDF 文件：" + "、".join(str(f) for f in files))
        summary = run_batch(found, prof, report_dir, strict=strict, kind=kind.value, jobs=jobs or None,
                            profile_label=f"{prof.title}（{profile}）")
        reports = [e.report for e in summary.entries]
        if report_dir is not None:
            _say_summary(summary, report_dir)
        if report_dir is None or output is not None or format is not OutputFormat.text:
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


def _say_summary(summary, folder: Path) -> None:
    from closure_app.check.summary import STATUS_LABEL, STATUS_ORDER

    counts = "，".join(f"{STATUS_LABEL[s]} {summary.files_by_status.get(s, 0)}" for s in STATUS_ORDER)
    annotated = sum(1 for e in summary.entries if e.annotated)
    typer.echo(f"共检查 {len(summary.entries)} 个文件（{summary.seconds:.1f} 秒）：{counts}。")
    typer.echo(f"汇总报告：{folder / 'summary.html'}（另有 summary.csv、summary.json、junit.xml"
               + (f"，{annotated} 份批注副本在 {folder / 'annotated'}" if annotated else "") + "）")


def _verdict(reports) -> str:
    """One line for stderr under the report: how many files failed or could not be checked."""
    failed = sum(1 for r in reports if r.exit_code == 1)
    unreadable = sum(1 for r in reports if r.exit_code == 2)
    parts = ([f"{failed} 个文件不合格"] if failed else []) + ([f"{unreadable} 个文件无法检查"] if unreadable else [])
    return "，".join(parts) + f"（共检查 {len(reports)} 个）"
