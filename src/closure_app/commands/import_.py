"""`closure-app import 报告.docx -o manuscript/manuscript.md`: a Word/WPS report -> an editable
Markdown source, with its images beside it; ``--explain`` shows how every heading level was
decided."""
from __future__ import annotations

from pathlib import Path

import typer

from closure_app.errors import UsageError


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        source: Path = typer.Argument(..., help="Word/WPS 文件（.docx、.docm、.doc、.wps） / the Word file"),
        output: Path = typer.Option(..., "--output", "-o", help="写入的 Markdown 文件 / the Markdown to write"),
        force: bool = typer.Option(False, "--force", help="覆盖已有文件 / overwrite"),
        accept_changes: bool = typer.Option(False, "--accept-changes", help="接受文中的修订后导入 / accept tracked changes"),
        explain: bool = typer.Option(False, "--explain", help="列出每个标题的级别及判断依据 / show how heading levels were decided"),
    ):
        """把 Word/WPS 成果稿转为 Markdown，或把填好的结项申请书转为 YAML。Import a Word report (-o x.md) or form (-o x.yaml)."""
        from closure_app.sources.docx_report import import_docx, is_word_file
        from closure_app.errors import Finding, Place
        from closure_app.sources.markdown_writer import markdown_losses, to_markdown

        if not source.is_file():
            raise UsageError(f"找不到文件：{source}")
        if not is_word_file(source):
            raise UsageError(f"{source} 不是 Word/WPS 文档（按文件内容判断）")
        if output.suffix.lower() in (".yaml", ".yml"):
            return _import_form(source, output, force)
        if output.suffix.lower() not in (".md", ".markdown"):
            raise UsageError(f"输出文件应以 .md（成果稿）或 .yaml（结项申请书）结尾：{output}")
        image_dir = output.parent / "images"
        report = import_docx(source, accept_changes=accept_changes, image_dir="images")
        clashes = [output] if output.exists() else []
        clashes += [image_dir / n for n in report.images if (image_dir / n).exists()]
        if clashes and not force:
            raise UsageError("不覆盖已有文件（加 --force 覆盖）：" + "、".join(str(c) for c in clashes[:5]))
        if output.resolve() == source.resolve():
            raise UsageError("输出文件不能是源文件本身")
        text = to_markdown(report.front, report.body, report.footnotes)
        output.parent.mkdir(parents=True, exist_ok=True)
        if report.images:
            image_dir.mkdir(parents=True, exist_ok=True)
            for name, data in report.images.items():
                (image_dir / name).write_bytes(data)
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
        if explain:
            typer.echo(explain_table(report.headings))
        levels = [h.level for h in report.headings]
        typer.echo(f"已导入 {source} → {output}")
        typer.echo(f"  标题 {len(levels)} 个（一级 {levels.count(1)}，二级 {levels.count(2)}，三级 {levels.count(3)}，"
                   f"四级 {levels.count(4)}），脚注 {len(report.footnotes)} 条，图片 {len(report.images)} 张")
        lost = [Finding(Place(str(source), paragraph=line), message, "warning")
                for line, message in markdown_losses(report.body)]
        for f in report.findings + lost:
            typer.echo(f"提示：{f}")
        missing = report.missing_front()
        if missing:
            typer.echo(f"待补写：文中找不到{'、'.join(missing)}，请在 {output} 开头的前言中填写", err=True)
        uncertain = [h for h in report.headings if not h.certain]
        if uncertain and not explain:
            typer.echo(f"有 {len(uncertain)} 个标题是按编号或加粗推断的，可用 --explain 查看每个标题的判断依据", err=True)


def explain_table(headings) -> str:
    lines = ["段落\t级别\t依据\t标题"]
    for h in headings:
        mark = "" if h.certain else "（推断）"
        lines.append(f"{h.paragraph or '—'}\t{h.level}\t{h.how}{mark}\t{h.text}")
    return "\n".join(lines)




def _import_form(source: Path, output: Path, force: bool) -> None:
    """A 结项申请书 filled in Word -> the commented YAML ``init`` writes, with every answer read."""
    from closure_app.sources.docx_form import read_form_docx
    from closure_app.sources.form_writer import form_yaml

    if output.exists() and not force:
        raise UsageError(f"不覆盖已有文件（加 --force 覆盖）：{output}")
    reading = read_form_docx(source)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(form_yaml(reading.data), encoding="utf-8")
    tmp.replace(output)
    typer.echo(f"已导入 {source} → {output}（读出 {len(reading.places)} 栏）")
    for f in reading.findings:
        typer.echo(f"待补写：{f}", err=True)
    typer.echo(f"下一步：closure-app validate --form {output}")
