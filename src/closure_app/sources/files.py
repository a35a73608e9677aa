"""A source file's text, or a Chinese message a user can act on."""
from __future__ import annotations

from pathlib import Path

from closure_app.errors import Finding, InvalidInput, Place, UsageError


def read_text(path: Path, kind: str) -> str:
    """The text of the ``kind`` file (表单, 书稿) at ``path``, a UTF-8 BOM dropped.

    A missing or unreadable file is a usage error; a file not in UTF-8 is invalid input naming
    its first bad line (and GBK, the usual other encoding, by name).
    """
    file = str(path)
    if not path.exists():
        raise UsageError(f"找不到{kind}文件：{file}（可用 closure-app init 生成示例）")
    if path.is_dir():
        raise UsageError(f"{file} 是文件夹，不是{kind}文件")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取{kind}文件 {file}：{exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = "（看起来是 GBK 编码）" if _is_gbk(raw) else ""
        raise InvalidInput([Finding(Place(file, line), f"文件不是 UTF-8 编码{guess}，请在编辑器中另存为 UTF-8")]) from None


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False
