"""Errors meant for people: a Chinese message and an exit code, never a traceback."""
from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Optional


@dataclass
class Place:
    """Where in a source file: ``forms/application.yaml:14:7``."""
    file: str
    line: Optional[int] = None
    column: Optional[int] = None
    paragraph: Optional[int] = None   # a Word file has paragraphs, not lines: 报告.docx 第 12 段

    def __str__(self) -> str:
        s = self.file
        if self.paragraph is not None:
            return f"{s} 第 {self.paragraph} 段"
        if self.line is not None:
            s += f":{self.line}"
            if self.column is not None:
                s += f":{self.column}"
        return s


class UserError(Exception):
    """Bad input or an impossible request. ``exit_code`` 1: invalid input; 2: usage / could not run."""

    exit_code = 1

    def __init__(self, message: str, exit_code: Optional[int] = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(UserError):
    exit_code = 2


@dataclass
class Finding:
    """One message about a source: an error (input invalid) or a warning (allowed, shown)."""
    place: Place
    message: str               # Chinese, for people
    severity: str = "error"    # "error" | "warning"
    field: Optional[str] = None  # dotted field path in the source's own labels: 现负责人.联系电话

    def __str__(self) -> str:
        where = f"{self.place} " if self.place else ""
        what = f"{self.field}：" if self.field else ""
        tag = "" if self.severity == "error" else "（警告）"
        return f"{where}{what}{self.message}{tag}"


class InvalidInput(UserError):
    """A source failed validation; carries every finding, not only the first."""

    exit_code = 1

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        super().__init__("\n".join(str(f) for f in errors) or "输入无效")


# Why a file could not be read or written, in words people know (errno -> reason).
_OS_REASONS = {
    errno.ENOENT: "路径不存在",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EEXIST: "已有同名的文件",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
}


def file_error(exc: OSError) -> UsageError:
    """An operating-system error on a file as a Chinese message naming the file (exit 2)."""
    reason = _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
    where = exc.filename2 if exc.errno == errno.EISDIR and exc.filename2 else exc.filename
    return UsageError(f"无法读写 {where}：{reason}" if where else f"无法读写文件：{reason}")
