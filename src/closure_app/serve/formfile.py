"""``forms/application.yaml`` as the page reads and writes it: a ruamel.yaml round trip.

The user's comments, key order, quoting and indentation survive a save; only the values the
page changed are written anew. A value is written so that the project's own reader (PyYAML,
YAML 1.1) reads back exactly the text typed: a phone number stays text, ``no`` stays a word.
Saving is atomic (a temporary file in the same folder, then ``os.replace``), keeps the previous
version as ``application.yaml.bak``, and refuses to overwrite a file that changed on disk since
the page read it.
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from closure_app.errors import InvalidInput, UserError, file_error
from closure_app.serve.schema import Field, ListOf, all_fields, dotted
from closure_app.sources.files import read_text
from closure_app.sources.yaml_positions import FormLoader, YamlSyntaxError, parse

BOM = b"\xef\xbb\xbf"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Conflict(Exception):
    """The file changed on disk since the page read it."""


class Unreadable(Exception):
    """The file on disk is not YAML the page can fill in; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Snapshot:
    text: str
    version: str      # sha256 of the bytes on disk; "" when there is no file yet
    exists: bool
    raw: bytes = b""  # the bytes on disk


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _yaml(text: str) -> tuple[YAML, Any]:
    """The round-trip loader (set to the file's own indentation) and the document."""
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096                      # never fold a long value onto a second line
    try:
        data, indent, offset = load_yaml_guess_indent(text, yaml=y)
    except YAMLError as exc:
        raise Unreadable(f"表单文件不是有效的 YAML：{getattr(exc, 'problem', None) or exc}") from None
    y.indent(mapping=indent or 2, sequence=indent or 2, offset=offset or 0)
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise Unreadable("表单应为若干栏目（栏目: 值），每行一栏")
    return y, data


def list_marker(spec: ListOf) -> str:
    """A hidden input that says a list was on the page, so a list with no rows left is saved empty."""
    return dotted(spec.path) + ".__rows"


# ---- reading values for the page ------------------------------------------------------------

def shown(value: Any) -> str:
    """A round-trip YAML value as the page's input shows it (the text written in the file)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def _node_at(node, path):
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def _text_of(node) -> str:
    """A scalar as written in the file (no, 13500000000, 2025年10月15日); '' for an empty or
    null value and for anything that is not a scalar."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        return ""
    return node.value


@lru_cache(maxsize=4)
def _parse(text: str):
    """The file's text read once per version (every check of a field starts from it); callers
    never change what this returns."""
    try:
        return parse(text)
    except YamlSyntaxError as exc:
        where = f"第 {exc.position.line} 行：" if exc.position else ""
        raise Unreadable(f"{where}{exc.message}") from None


def page_values(text: str) -> tuple[dict[str, str], dict[str, list[dict[str, str]]]]:
    """The inputs' values (by name) and the rows of each list, read from the file's text with the
    project's own YAML reader."""
    document = _parse(text)
    if document.data is not None and not isinstance(document.data, dict):
        raise Unreadable("表单应为若干栏目（栏目: 值），每行一栏")
    root = document.root
    values: dict[str, str] = {}
    rows: dict[str, list[dict[str, str]]] = {}
    for spec in all_fields():
        if isinstance(spec, ListOf):
            items = _node_at(root, spec.path)
            rows[spec.name] = [
                {c.name: _text_of(_node_at(item, c.path)) for c in spec.columns}
                for item in (items.value if isinstance(items, yaml.SequenceNode) else [])
            ]
        else:
            values[spec.name] = _text_of(_node_at(root, spec.path))
    return values, rows


# ---- what the page's values mean -------------------------------------------------------------

def _typed(text: str) -> Optional[str]:
    """The value a field holds once its text is in the file: None when empty."""
    text = text.replace("\r\n", "\n").strip()
    return text or None


def _row_value(columns: tuple[Field, ...], row: Mapping[str, str]) -> dict[str, Any]:
    """One participant as the file holds it: empty columns left out, an empty required one ''."""
    item = {}
    for column in columns:
        value = _typed(row.get(column.name, ""))
        if value is not None:
            item[column.path[-1]] = value
        elif column.required:
            item[column.path[-1]] = ""
    return item


def _filled_rows(rows: list[Mapping[str, str]]) -> list[Mapping[str, str]]:
    return [r for r in rows if any(v.strip() for v in r.values())]   # an empty row is no person


def _lists_in(values: Mapping[str, str]):
    for spec in all_fields():
        if isinstance(spec, ListOf) and (list_marker(spec) in values or any(n.startswith(spec.name + ".") for n in values)):
            yield spec


def checked_text(text: str, values: Mapping[str, str]) -> str:
    """The data of the file's ``text`` with the page's ``values`` in, as plain YAML for the
    form's validator: the same values ``apply`` writes (comments and layout aside), made with
    PyYAML's emitter, many times faster than a round trip, for a check on every field left."""
    document = _parse(text)
    data = copy.deepcopy(document.data) if isinstance(document.data, dict) else {}
    for spec in all_fields():
        if isinstance(spec, ListOf) or spec.name not in values:
            continue
        value = _typed(values[spec.name])
        holder = _plain_holder(data, spec.path[:-1], create=value is not None)
        if holder is None or (value is None and spec.path[-1] not in holder):
            continue                    # as apply: an empty value adds no key
        holder[spec.path[-1]] = value
    for spec in _lists_in(values):
        rows = [_row_value(spec.columns, r) for r in _filled_rows(submitted_rows(values, spec))]
        holder = _plain_holder(data, spec.path[:-1], create=bool(rows))
        if holder is not None and (rows or isinstance(holder.get(spec.path[-1]), list)):
            holder[spec.path[-1]] = rows
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=4096)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _plain_holder(data: dict, path, create: bool) -> Optional[dict]:
    for part in path:
        child = data.get(part)
        if not isinstance(child, dict):
            if not create:
                return None
            child = data[part] = {}
        data = child
    return data


# ---- writing values into the document ---------------------------------------------------------

def _reads_back_as_text(text: str) -> bool:
    """Written plain, does the form's own YAML reader give back exactly ``text``?"""
    try:
        return yaml.load(f"v: {text}", Loader=FormLoader) == {"v": text}
    except Exception:          # a YAML error, or a construct the form reader refuses (&, *, !tag)
        return False


def _scalar(spec: Field, text: str) -> Any:
    """What to put into the document for the input's ``text``: its ``_typed`` value, in a style
    that reads back as exactly that."""
    text = _typed(text)
    if text is None:
        return None
    if spec.kind == "date" and ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)   # written unquoted, as a person writes a date
        except ValueError:
            pass
    if "\n" in text:
        return LiteralScalarString(text + "\n")
    return text if _reads_back_as_text(text) else SingleQuotedScalarString(text)


def _holder(data: CommentedMap, path, create: bool) -> Optional[CommentedMap]:
    node = data
    for i, part in enumerate(path):
        child = node.get(part) if isinstance(node, Mapping) else None
        if not isinstance(child, CommentedMap):
            if not create or not isinstance(node, CommentedMap):
                return None
            child = CommentedMap()
            _put(node, part, child, tuple(path[:i]))
        node = child
    return node


@lru_cache(maxsize=1)
def _model_order() -> dict[tuple, list]:
    """For each mapping (by path), its keys in the model's order: where a missing key goes."""
    order: dict[tuple, list] = {}
    for spec in all_fields():
        for i in range(len(spec.path)):
            keys = order.setdefault(spec.path[:i], [])
            if spec.path[i] not in keys:
                keys.append(spec.path[i])
    return order


def _put(mapping: CommentedMap, key: str, value: Any, path: tuple = ()) -> None:
    """Set ``key``; a new key goes after the keys the model puts before it."""
    if key in mapping:
        mapping[key] = value
        return
    order = _model_order().get(path, [])
    before = order[: order.index(key)] if key in order else list(mapping)
    at = max((i + 1 for i, k in enumerate(mapping) if k in before), default=0 if key in order else len(mapping))
    mapping.insert(at, key, value)


def _same(old: Any, new_text: str) -> bool:
    return shown(old) == (_typed(new_text) or "")


def _set_field(data: CommentedMap, spec: Field, text: str) -> None:
    holder_path, key = spec.path[:-1], spec.path[-1]
    holder = _holder(data, holder_path, create=text.strip() != "")
    if holder is None:
        return
    if key in holder and _same(holder[key], text):
        return                         # untouched: keep it exactly as written
    if key not in holder and text.strip() == "":
        return
    _put(holder, key, _scalar(spec, text), holder_path)


def _row(columns: tuple[Field, ...], row: Mapping[str, str], old: Any) -> CommentedMap:
    """A participant's row: an unchanged column stays as written, the rest as ``_row_value``."""
    item = old if isinstance(old, CommentedMap) else CommentedMap()
    wanted = _row_value(columns, row)
    for column in columns:
        key = column.path[-1]
        if key in item and _same(item[key], row.get(column.name, "")):
            continue
        if key in wanted:
            item[key] = _scalar(column, wanted[key]) if wanted[key] else ""
        elif key in item:
            del item[key]
    if not isinstance(old, CommentedMap):
        item.fa.set_flow_style()
    return item


def _set_list(data: CommentedMap, spec: ListOf, rows: list[Mapping[str, str]]) -> None:
    rows = _filled_rows(rows)
    holder = _holder(data, spec.path[:-1], create=bool(rows))
    if holder is None:
        return
    key = spec.path[-1]
    old = holder.get(key)
    if not rows and (old is None or old == [] or not isinstance(old, list)):
        return          # nothing to write; a value that is no list stays for the check to point at
    seq = old if isinstance(old, CommentedSeq) else CommentedSeq()
    # Rows keep their own written form (and their end-of-line comment) when the same person is
    # still there, wherever moved.
    previous = list(seq)
    comments = {id(seq[i]): c for i, c in seq.ca.items.items() if i < len(seq)}
    kept = []
    for row in rows:
        match = next((p for p in previous if isinstance(p, Mapping)
                      and all(_same(p.get(c.path[-1]), row.get(c.name, "")) for c in spec.columns)), None)
        if match is not None:
            previous.remove(match)
        kept.append(_row(spec.columns, row, match))
    seq.clear()
    seq.extend(kept)
    seq.ca.items.clear()
    seq.ca.items.update({i: comments[id(item)] for i, item in enumerate(kept) if id(item) in comments})
    if kept:
        seq.fa.set_block_style()
    else:
        seq.fa.set_flow_style()
        if seq.ca.end:
            # The lines after the list (the next part's heading comment) now follow the key's `[]`.
            after = "".join(token.value for token in seq.ca.end)
            seq.ca.end = None
            slot = holder.ca.items.setdefault(key, [None, None, None, None])
            if slot[2] is None:
                slot[2] = CommentToken(after, CommentMark(0), None)
    if old is not seq:
        _put(holder, key, seq, spec.path[:-1])


def submitted_rows(values: Mapping[str, str], spec: ListOf) -> list[dict[str, str]]:
    """The rows of ``spec`` in a submission (names like 现参与人员.0.姓名), in index order."""
    prefix = spec.name + "."
    by_index: dict[int, dict[str, str]] = {}
    for name, value in values.items():
        if not name.startswith(prefix):
            continue
        index, _, column = name[len(prefix):].partition(".")
        if index.isdigit() and any(c.name == column for c in spec.columns):
            by_index.setdefault(int(index), {})[column] = value
    return [by_index[i] for i in sorted(by_index)]


def apply(text: str, values: Mapping[str, str]) -> str:
    """The file's ``text`` with the page's ``values`` written in; comments and order kept.

    Fields not among ``values`` are left as they are."""
    y, data = _yaml(text.replace("\r\n", "\n"))
    for spec in all_fields():
        if not isinstance(spec, ListOf) and spec.name in values:
            _set_field(data, spec, values[spec.name])
    for spec in _lists_in(values):
        _set_list(data, spec, submitted_rows(values, spec))
    out = io.StringIO()
    y.dump(data, out)
    result = out.getvalue()
    if "\r\n" in text:             # a file written on Windows keeps its line endings
        result = result.replace("\r\n", "\n").replace("\n", "\r\n")
    return result




# ---- the file on disk ---------------------------------------------------------------------------

class FormFile:
    """The form file in the project folder; one writer at a time."""

    def __init__(self, path: Path, template: str, root: Optional[Path] = None):
        self.path = path
        self.root = root
        self.backup = path.with_name(path.name + ".bak")
        self.template = template
        self._lock = threading.Lock()

    def read(self) -> Snapshot:
        """The file as it is now; ``Unreadable`` for a file the page must not fill in (not UTF-8,
        or a link to somewhere outside the project folder)."""
        if self.root is not None and self.path.is_symlink() and not self.path.resolve().is_relative_to(self.root):
            raise Unreadable("这个文件是指向项目文件夹之外的链接，页面不读也不写项目文件夹之外的文件")
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Snapshot(self.template, "", False)
        except OSError as exc:
            raise Unreadable(file_error(exc).message) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                read_text(self.path, "表单")          # the CLI's own words for it
            except InvalidInput as exc:
                first = exc.findings[0]
                raise Unreadable(f"{first.message}（第 {first.place.line} 行起）") from None
            except UserError as exc:
                raise Unreadable(exc.message) from None
            raise
        return Snapshot(text, version_of(data), True, data)

    def save(self, text: str, base_version: str) -> Snapshot:
        """Write ``text`` if the file is still the version the page read; raise ``Conflict`` if not."""
        with self._lock:
            current = self.read()
            if current.version != base_version:
                raise Conflict()
            data = (BOM if current.raw.startswith(BOM) else b"") + text.encode("utf-8")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if current.exists:
                atomic_write(self.backup, current.raw, like=self.path)
            atomic_write(self.path, data, like=self.path if current.exists else None)
            return Snapshot(text, version_of(data), True, data)


def atomic_write(path: Path, data: bytes, like: Optional[Path] = None) -> None:
    mode = (like.stat().st_mode & 0o777) if like is not None and like.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
