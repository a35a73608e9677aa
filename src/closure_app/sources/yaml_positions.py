"""Read YAML once and keep where every key and value stands (1-based line:column).

PyYAML composes a node tree whose nodes carry ``start_mark``; the same loader then builds the
plain Python data from that tree. ``locate`` walks the tree along a field path (mapping keys
and list indices) so a message about ``现负责人.联系电话`` can name its line and column.

The loader reads a form as its user sees it, not as YAML 1.1 would:

- every plain value is text (``01062345670`` stays the phone number typed, ``no`` stays
  ``no``, ``2025-10-15`` stays a date written as text); only an empty value, ``~`` and
  ``null`` are "nothing written";
- anchors, aliases and tags (``&a``, ``*a``, ``!!python/object``) are refused where they stand:
  a form has no use for them, and an alias bomb ends at its first anchor;
- characters YAML cannot hold (NUL, the vertical tab Word pastes for Shift+Enter, ...) are
  named by line, column and code point before PyYAML sees the text;
- nesting deeper than any form needs is refused (no recursion error on ``[[[[...``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

try:                        # libyaml's scanner and parser, where PyYAML was built with it
    from yaml._yaml import CParser
except ImportError:         # pragma: no cover - PyYAML without libyaml
    CParser = None

PathPart = Union[str, int]

MAX_DEPTH = 20                 # a form nests 4 deep; anything past this is not a form
MAX_CHARACTER_FINDINGS = 10    # control characters listed one by one, then counted

# PyYAML's problems in words a user can act on (matched at the start of PyYAML's text).
YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现「: 」（值里含冒号时请给整个值加引号）",
    "could not find expected ':'": "缺少冒号「:」（每行应写作 栏目: 值）",
    "found character '\\t' that cannot start any token": "不能用制表符（Tab）缩进，请改用空格",
    "found a tab character": "不能用制表符（Tab）缩进，请改用空格",
    "found character '@' that cannot start any token": "「@」不能作为值的开头：请给整个值加引号",
    "found character '`' that cannot start any token": "「`」不能作为值的开头：请给整个值加引号",
    "found character": "这个字符不能作为值的开头：请给整个值加引号",
    "found unexpected end of stream": "引号或括号没有闭合",
    "found unexpected document separator": "引号没有闭合（直到「---」行还没有结束引号）",
    "found undefined alias": "「*」开头的值须加引号（这里不使用锚点与引用）",
    "found undefined tag handle": "「!」开头的值须加引号（这里不使用 YAML 标签）",
    "expected alphabetic or numeric character": "「*」或「&」开头的值须加引号（这里不使用锚点与引用）",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '-'": "列表项「-」的缩进不一致",
    "expected <block end>, but found '<scalar>'": "缩进不一致",
    "expected <block end>": "缩进不一致",
    "block sequence entries are not allowed here": "此处不能出现列表项「- 」（若这是文字，请给整个值加引号）",
    "mapping keys are not allowed here": "此处不能出现「? 」（若这是文字，请给整个值加引号）",
    "found unknown escape character": "双引号内的转义字符「\\」无效（路径请改用单引号）",
    "expected escape sequence": "双引号内的转义字符「\\」无效（路径请改用单引号）",
    "expected ',' or ']'": "方括号列表没有闭合：缺少「]」或逗号",
    "expected ',' or '}'": "花括号没有闭合：缺少「}」或逗号",
    "expected ', ' or ']'": "方括号列表没有闭合：缺少「]」或逗号",
    "expected node content": "此处缺少值",
    "expected the node content": "此处缺少值",
    "expected '<document start>'": "此处多出了内容（一个文件只写一份；若这是文字，请给整个值加引号）",
    "expected a single document": "文件里有第二份内容（「---」之后）：一个文件只写一份",
    "but found another document": "文件里有第二份内容（「---」之后）：一个文件只写一份",
    "expected a comment or a line break": "「|」或「>」之后只能换行（若这是文字，请给整个值加引号）",
    "expected chomping or indentation indicators": "「|」或「>」之后只能换行（若这是文字，请给整个值加引号）",
    "expected indentation indicator": "「|」或「>」之后只能换行（若这是文字，请给整个值加引号）",
    "expected a directive name": "「%」开头的值须加引号",
    "expected '!'": "「!」开头的值须加引号（这里不使用 YAML 标签）",
    "expected ' '": "写法有误：若这是文字，请给整个值加引号",
    "expected URI": "「!」开头的值须加引号（这里不使用 YAML 标签）",
    "found incompatible YAML document": "「%YAML」指令无效：请删去这一行",
    "found duplicate YAML directive": "「%YAML」指令重复：请删去这一行",
}
GENERIC_PROBLEM = "此处写法无法识别：请对照示例检查缩进、冒号和引号"

# Characters YAML refuses or reads as a line break, and what people call them.
CHARACTER_NAMES = {
    0x00: "空字符 NUL", 0x07: "响铃符", 0x08: "退格符", 0x0B: "垂直制表符", 0x0C: "换页符",
    0x1B: "转义符 ESC", 0x7F: "删除符 DEL", 0x85: "下一行符 NEL", 0x2028: "行分隔符",
    0x2029: "段分隔符", 0xFFFE: "非字符", 0xFFFF: "非字符",
}
CHARACTER_FIXES = {
    0x0B: "这是 Word 的手动换行（Shift+Enter）粘贴过来的：请删去，或换成空格；要分行请直接回车",
    0x0C: "这是 Word 的分页符粘贴过来的：请删去",
    0x00: "文件里混入了空字符，可能是从其他程序复制或文件已损坏：请删去",
    0x2028: "这是从网页或 Word 粘贴来的换行：请删去，要分行请直接回车",
    0x2029: "这是从网页或 Word 粘贴来的分段：请删去，要分段请直接回车",
}
DEFAULT_FIX = "它看不见，常见于从 Word、网页或聊天软件复制的文字：请删去"

# What YAML cannot hold (as PyYAML's reader checks) plus the characters it reads as line breaks
# where an editor shows none. Written as the characters refused, not as the complement of those
# allowed: the same set, compiled in 1 ms instead of 7.
_UNPRINTABLE = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_KEY_LINE = re.compile(r"\n[ \t]*(?:-[ \t]+)?[^\s\"'#:\[\]{},][^\n:#]*:(?:[ \t]|$)", re.M)


def character_name(cp: int) -> str:
    if cp in CHARACTER_NAMES:
        return CHARACTER_NAMES[cp]
    if cp < 0x20:
        return "控制字符"
    if 0x80 <= cp <= 0x9F:
        return "C1 控制字符"
    if 0xD800 <= cp <= 0xDFFF:
        return "代理码位（无效字符）"
    return "不可打印字符"


def character_problem(ch: str) -> str:
    """含有看不见的字符 U+000B（垂直制表符）：……请删去"""
    cp = ord(ch)
    return f"含有看不见的字符 U+{cp:04X}（{character_name(cp)}）：{CHARACTER_FIXES.get(cp, DEFAULT_FIX)}"


@dataclass(frozen=True)
class Position:
    line: int    # 1-based
    column: int  # 1-based


@dataclass
class YamlDocument:
    data: Any
    root: Optional[yaml.Node]
    first_line: int = 1  # the file's line the YAML text starts on
    text: str = ""       # the YAML text, as given
    warnings: list = field(default_factory=list)   # Problems that do not stop the reading


@dataclass
class Problem:
    message: str
    position: Optional[Position]
    path: tuple = ()     # the field it stands in, when known


class YamlSyntaxError(Exception):
    """Bad YAML: a Chinese ``message`` and where it is; ``problems`` lists every one found
    (several when the text holds several characters YAML refuses)."""

    def __init__(self, message: str, position: Optional[Position], problems: Optional[list[Problem]] = None):
        super().__init__(message)
        self.message = message
        self.position = position
        self.problems = problems or [Problem(message, position)]


def _position(mark) -> Optional[Position]:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else None


def syntax_message(problem: str) -> str:
    for english, chinese in YAML_PROBLEMS.items():
        if problem.startswith(english):
            return f"YAML 格式错误：{chinese}"
    return f"YAML 格式错误：{GENERIC_PROBLEM}"


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Refused(Exception):
    def __init__(self, message: str, mark):
        self.message, self.mark = message, mark


_ALLOWED_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class _FormComposer(Composer):
    """Composes nodes, refusing anchors, aliases, tags, keys that are not text and deep nesting."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(f"不支持引用「*{event.anchor}」：这里不使用 YAML 锚点与引用，请把内容直接写出"
                           "（若这是以 * 开头的文字，请给整个值加引号）", event.start_mark)
        if event.anchor is not None:
            raise _Refused(f"不支持锚点「&{event.anchor}」：这里不使用 YAML 锚点与引用，请把内容直接写出"
                           "（若这是以 & 开头的文字，请给整个值加引号）", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag not in _ALLOWED_TAGS:
            raise _Refused(f"不支持 YAML 标签「{_shown_tag(tag)}」：只能填写文字（若这是以 ! 开头的文字，"
                           "请给整个值加引号）", event.start_mark)
        if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            if self._depth >= MAX_DEPTH:
                raise _Refused(f"嵌套超过 {MAX_DEPTH} 层：没有这么深的栏目，请检查括号与缩进", event.start_mark)
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        if isinstance(event, ScalarEvent) and event.style in ("'", '"') and event.start_mark.line != event.end_mark.line:
            if _KEY_LINE.search(self._written(event)):
                raise _Refused(f"引号没有闭合：第 {event.start_mark.line + 1} 行的「{event.style}」直到第 "
                               f"{event.end_mark.line + 1} 行才有结束引号，中间的栏目都被当成了这个值；"
                               "请在值的末尾补上引号", event.start_mark)
        return super().compose_node(parent, index)

    def _written(self, event) -> str:
        """The event's text as written in the stream."""
        mark = event.start_mark
        return mark.buffer[mark.pointer:event.end_mark.pointer] if mark.buffer else ""

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise _Refused("栏目名只能是文字（这里是列表或若干栏目）", key.start_mark)
        return node


class _TextResolver(BaseResolver):
    """Plain values are text; only an empty value, ~ and null are "nothing written"."""


_TextResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _TextConstructor(SafeConstructor):
    def construct_mapping(self, node, deep=False):
        # Keys are what was typed (the composer lets only text through), never null or a number.
        return {key.value: self.construct_object(value, deep=deep) for key, value in node.value}


class FormLoader(Reader, Scanner, Parser, _FormComposer, _TextConstructor, _TextResolver):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _FormComposer.__init__(self)
        _TextConstructor.__init__(self)
        _TextResolver.__init__(self)


if CParser is not None:
    class _CFormLoader(_FormComposer, CParser, _TextConstructor, _TextResolver):
        """``FormLoader`` with libyaml scanning and parsing the text (several times faster on a
        form); the same composer, so the same refusals, nodes and marks (line, column and index
        count characters in both). Only for text that loads: what does not is read again by
        ``FormLoader``, whose problems the messages are written for."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _FormComposer.__init__(self)
            _TextConstructor.__init__(self)
            _TextResolver.__init__(self)
            self._stream = stream

        def _written(self, event) -> str:
            return self._stream[event.start_mark.index:event.end_mark.index]

        def compose_scalar_node(self, anchor):
            node = super().compose_scalar_node(anchor)
            if node.style == "":       # libyaml's plain style; PyYAML's is None
                node.style = None
            return node
else:                       # pragma: no cover
    _CFormLoader = None


def _fast_load(padded: str) -> Optional[tuple[Optional[yaml.Node], Any]]:
    """(root, data) read by libyaml, or None when it is not there or the text does not load
    (then ``FormLoader`` reads it again and says why, in the words written for its problems)."""
    # A BOM: libyaml drops it, PyYAML counts it in its places. A tab: PyYAML refuses some that
    # libyaml reads (立\t项编号: ...), and the form's readers have always refused them.
    if _CFormLoader is None or "\ufeff" in padded or "\t" in padded:
        return None
    try:
        loader = _CFormLoader(padded)
    except Exception:  # noqa: BLE001 - the pure-Python reader decides
        return None
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except Exception:  # noqa: BLE001 - the pure-Python reader decides, and says what is wrong
        return None
    finally:
        loader.dispose()



# ---- characters YAML cannot hold ---------------------------------------------------------------

def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def position_at(starts: list[int], index: int, first_line: int = 1) -> Position:
    import bisect

    row = bisect.bisect_right(starts, index) - 1
    return Position(first_line + row, index - starts[row] + 1)


def unprintable_characters(text: str, skip_lines: range = range(0)) -> list[Problem]:
    """Characters no text should hold (as ``unprintable_problems``), for text that is not YAML
    (a report's body): by line, column and code point, lines in ``skip_lines`` left out."""
    starts = _line_starts(text)
    found = [(position_at(starts, m.start()), m.group()) for m in _UNPRINTABLE.finditer(text)]
    found = [(p, ch) for p, ch in found if p.line not in skip_lines]
    problems = [Problem(character_problem(ch), p) for p, ch in found[:MAX_CHARACTER_FINDINGS]]
    if len(found) > MAX_CHARACTER_FINDINGS:
        last = found[-1][0]
        problems.append(Problem(f"另有 {len(found) - MAX_CHARACTER_FINDINGS} 处同类字符（最后一处在第 {last.line} 行）；"
                                "这么多看不见的字符，可能选错了文件或文件不是纯文本", last))
    return problems


def unprintable_problems(text: str, first_line: int = 1) -> list[Problem]:
    """Every character YAML cannot hold, by line, column and code point, with the field it
    stands in when the rest of the text parses."""
    found = [(m.start(), m.group()) for m in _UNPRINTABLE.finditer(text)]
    if not found:
        return []
    starts = _line_starts(text)
    root = None
    try:       # the same text with each such character as a visible one: which field it is in
        cleaned = _UNPRINTABLE.sub("\uFFFD", text)
        root = _compose("\n" * (first_line - 1) + cleaned)
    except Exception:  # noqa: BLE001 - only for naming the field; the characters are reported anyway
        root = None
    problems = []
    for index, ch in found[:MAX_CHARACTER_FINDINGS]:
        position = position_at(starts, index, first_line)
        path = path_at(root, position) if root else ()
        # a key holding such a character is named without it (the stand-in is not what was typed)
        path = tuple(p.replace("\uFFFD", "") if isinstance(p, str) else p for p in path)
        problems.append(Problem(character_problem(ch), position, path))
    if len(found) > MAX_CHARACTER_FINDINGS:
        rest = len(found) - MAX_CHARACTER_FINDINGS
        last = position_at(starts, found[-1][0], first_line)
        problems.append(Problem(f"另有 {rest} 处同类字符（最后一处在第 {last.line} 行）；"
                                "这么多看不见的字符，可能选错了文件或文件不是纯文本", last))
    return problems


def _compose(text: str) -> Optional[yaml.Node]:
    loader = FormLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


# ---- parsing -------------------------------------------------------------------------------

def _unclosed_quote(text: str, before: Optional[Position]) -> Optional[Problem]:
    """A quoted value that swallowed the lines after it (its closing quote is missing, and a
    later quote, in a comment perhaps, closed it): the place where it opened."""
    loader = FormLoader(text)
    try:
        while True:
            token = loader.get_token()
            if token is None:
                return None
            if isinstance(token, yaml.ScalarToken) and not token.plain \
                    and token.start_mark.line != token.end_mark.line \
                    and _KEY_LINE.search(text[token.start_mark.index:token.end_mark.index]):
                if before is None or (token.start_mark.line + 1, token.start_mark.column + 1) <= (before.line, before.column):
                    return Problem(f"YAML 格式错误：引号没有闭合：第 {token.start_mark.line + 1} 行的引号没有对应的结束引号，"
                                   "后面的栏目都被当成了这个值；请在值的末尾补上引号", _position(token.start_mark))
    except yaml.YAMLError as exc:
        context = getattr(exc, "context", None) or ""
        problem = getattr(exc, "problem", None) or ""
        if "quoted scalar" in context and getattr(exc, "context_mark", None) is not None \
                and problem.startswith(("found unexpected end of stream", "found unexpected document separator")):
            mark = exc.context_mark
            return Problem("YAML 格式错误：引号没有闭合：这个值的开头有引号，但没有结束引号；请在值的末尾补上引号",
                           _position(mark))
        return None
    finally:
        loader.dispose()


# An anchor, alias or tag the scanner could not even read (a Chinese name: &类别): refused as such.
_SCANNED_MARKS = {
    "while scanning an alias": "不支持引用「*」：这里不使用 YAML 锚点与引用（若这是以 * 开头的文字，请给整个值加引号）",
    "while scanning an anchor": "不支持锚点「&」：这里不使用 YAML 锚点与引用（若这是以 & 开头的文字，请给整个值加引号）",
    "while scanning a tag": "不支持 YAML 标签「!」：只能填写文字（若这是以 ! 开头的文字，请给整个值加引号）",
    "while parsing a tag": "不支持 YAML 标签「!」：只能填写文字（若这是以 ! 开头的文字，请给整个值加引号）",
}


def parse(text: str, first_line: int = 1, *, fast: bool = True) -> YamlDocument:
    """Data and node tree of the one YAML document in ``text`` (plain values as text).

    ``first_line``: the line of its file ``text`` starts on (front matter starts after the
    opening ``---``). Blank lines put in front of the text make every position a line of that file.
    Raises ``YamlSyntaxError`` (its messages in Chinese, with the place) and nothing else.
    ``fast``: libyaml reads text that loads (the same nodes and data); ``False`` reads with the
    pure-Python reader only.
    """
    characters = unprintable_problems(text, first_line)
    if characters:
        raise YamlSyntaxError(characters[0].message, characters[0].position, characters)
    padded = "\n" * (first_line - 1) + text
    loaded = _fast_load(padded) if fast else None
    if loaded is not None:
        return YamlDocument(loaded[1], loaded[0], first_line, text, comment_cuts(padded, loaded[0]))
    loader = FormLoader(padded)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except _Refused as exc:
        raise YamlSyntaxError(f"YAML 格式错误：{exc.message}", _position(exc.mark)) from None
    except yaml.MarkedYAMLError as exc:
        context = exc.context or ""
        for scanning, refused in _SCANNED_MARKS.items():
            if context.startswith(scanning) and exc.context_mark is not None:
                raise YamlSyntaxError(f"YAML 格式错误：{refused}", _position(exc.context_mark)) from None
        mark = exc.problem_mark or exc.context_mark
        position = _position(mark)
        quote = _unclosed_quote(padded, position)
        if quote is not None:
            raise YamlSyntaxError(quote.message, quote.position) from None
        raise YamlSyntaxError(syntax_message(exc.problem or exc.context or ""), position) from None
    except yaml.YAMLError:
        raise YamlSyntaxError(f"YAML 格式错误：{GENERIC_PROBLEM}", None) from None
    except RecursionError:
        raise YamlSyntaxError(f"YAML 格式错误：嵌套过深：没有这么深的栏目，请检查括号与缩进", None) from None
    finally:
        loader.dispose()
    return YamlDocument(data, root, first_line, text, comment_cuts(padded, root))


# `项目名称: 第 #1 号` is the value 第: a # after a space starts a comment. Written `#1`, it was
# most likely meant as part of the value (a comment is written "# ...").
_CUT_BY_COMMENT = re.compile(r"[ \t]+#(?=[^\s#-])")


def comment_cuts(text: str, root: Optional[yaml.Node]) -> list[Problem]:
    """Plain values a comment seems to have cut short, as warnings at the ``#``."""
    lines = text.split("\n")
    found = []
    for path, node in value_spans(root):
        if node.style is not None or not node.value or node.start_mark.line != node.end_mark.line:
            continue
        line = lines[node.end_mark.line] if node.end_mark.line < len(lines) else ""
        cut = _CUT_BY_COMMENT.match(line, node.end_mark.column)
        if cut:
            found.append(Problem(f"「{line[cut.end() - 1:].strip()[:12]}」被当作注释（空格后的 # 开始注释），没有算进这个值"
                                 f"（现为「{node.value}」）：若它是值的一部分，请给整个值加引号",
                                 Position(node.end_mark.line + 1, cut.end()), path))
    return found


# ---- where things are -------------------------------------------------------------------------

def _child(node: yaml.Node, part: PathPart, key: bool) -> Optional[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return key_node if key else value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def locate(root: Optional[yaml.Node], path: tuple[PathPart, ...], key: bool = False) -> Optional[Position]:
    """Where ``path`` stands: its value (or, with ``key``, its key), else its nearest ancestor."""
    node, found = root, root
    for i, part in enumerate(path):
        node = _child(node, part, key=key and i == len(path) - 1) if node is not None else None
        if node is None:
            break
        found = node
    return _position(found.start_mark) if found is not None else None


def _spans(node: yaml.Node, at: tuple[int, int]) -> bool:
    start = (node.start_mark.line + 1, node.start_mark.column + 1)
    end = (node.end_mark.line + 1, node.end_mark.column + 1)
    return start <= at < end or (node.start_mark.line == node.end_mark.line and start <= at <= end and start == end)


def path_at(root: Optional[yaml.Node], position: Position) -> tuple[PathPart, ...]:
    """The field path whose key or value holds ``position`` (() when none does)."""
    at = (position.line, position.column)
    path: tuple[PathPart, ...] = ()
    node = root
    while node is not None:
        if isinstance(node, yaml.MappingNode):
            inner = None
            for key_node, value_node in node.value:
                if _spans(key_node, at):
                    return path + (key_node.value,)
                if _spans(value_node, at):
                    path, inner = path + (key_node.value,), value_node
                    break
            node = inner
        elif isinstance(node, yaml.SequenceNode):
            inner = None
            for i, item in enumerate(node.value):
                if _spans(item, at):
                    path, inner = path + (i,), item
                    break
            node = inner
        else:
            return path
    return path


def value_spans(root: Optional[yaml.Node]) -> list[tuple[tuple[PathPart, ...], yaml.ScalarNode]]:
    """Every scalar value with its path, in reading order."""
    found = []

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                walk(value_node, path + (key_node.value,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))
        elif isinstance(node, yaml.ScalarNode):
            found.append((path, node))

    walk(root, ())
    return found


def duplicate_keys(root: Optional[yaml.Node]) -> list[tuple[tuple[PathPart, ...], Position]]:
    """Keys written twice in one mapping (YAML would silently keep the last): path and place.
    The tree holds no aliases (the loader refuses them), so each node is walked once."""
    found = []

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                if key_node.value in seen:
                    found.append((path + (key_node.value,), _position(key_node.start_mark)))
                seen.add(key_node.value)
                walk(value_node, path + (key_node.value,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))

    walk(root, ())
    return found
