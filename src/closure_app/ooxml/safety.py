"""Open untrusted DOCX packages safely: cap zip sizes, parse XML without entities or DTDs.

Anything that cannot be read raises ``CannotRead`` with a Chinese message. Nothing here
follows a link, loads a DTD or inflates without a cap. The checker and the importers both
read DOCX through this module.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024   # bytes, over every member of a DOCX
MAX_MEMBER_RATIO = 200                       # uncompressed / compressed, for members over 1 MiB
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 10_000

from closure_app.word_file import OLE_MAGIC, ZIP_MAGIC  # noqa: F401 - the package's first bytes


class CannotRead(Exception):
    """The file cannot be read; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SafeZip:
    """A DOCX package whose members are read only after the sizes pass the caps."""

    def __init__(self, path: Path):
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise CannotRead("文件已损坏：不是有效的 DOCX（ZIP）文件。") from None
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise CannotRead(f"DOCX 内含 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}，拒绝检查。")
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise CannotRead(f"DOCX 解压后共 {total // 2**20} MiB，超过上限 "
                              f"{MAX_TOTAL_UNCOMPRESSED // 2**20} MiB（疑似压缩炸弹），拒绝检查。")
        for i in infos:
            if i.file_size > RATIO_FLOOR and i.file_size > MAX_MEMBER_RATIO * max(i.compress_size, 1):
                raise CannotRead(f"DOCX 部件 {i.filename} 压缩比异常（疑似压缩炸弹），拒绝检查。")
        self._sizes = {i.filename: i.file_size for i in infos}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._sizes

    def read(self, name: str) -> bytes:
        """A member's bytes; never more than its declared size (a lying header stops there)."""
        limit = self._sizes[name]
        try:
            with self._zip.open(name) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            raise CannotRead(f"文件已损坏：无法解压 {name}。") from None
        except Exception as exc:  # zlib.error and friends from a damaged stream
            raise CannotRead(f"文件已损坏：无法解压 {name}（{type(exc).__name__}）。") from None
        if len(data) > limit:
            raise CannotRead(f"DOCX 部件 {name} 的实际大小与声明不符（疑似压缩炸弹），拒绝检查。")
        return data


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False)


_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one XML part; a DOCTYPE (entities, external DTDs) is refused before parsing."""
    start = _FIRST_ELEMENT.search(data)
    if b"<!DOCTYPE" in data[: start.start() if start else len(data)]:
        raise CannotRead(f"{name} 含有 DOCTYPE 声明（可能引用外部实体），为安全起见拒绝检查。")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CannotRead(f"文件已损坏：{name} 不是有效的 XML（{exc.msg}）。") from None
