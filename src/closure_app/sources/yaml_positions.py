"""Read YAML once and keep where every key and value stands (1-based line:column).

PyYAML composes a node tree whose nodes carry ``start_mark``; the same loader then builds the
plain Python data from that tree. ``locate`` walks the tree along a field path (mapping keys
and list indices) so a message about ``现负责人.联系电话`` can name its line and column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

import yaml

PathPart = Union[str, int]

# PyYAML's problems in words a user can act on; anything else is shown as PyYAML says it.
YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现「: 」（值里含冒号时请给整个值加引号）",
    "could not find expected ':'": "缺少冒号「:」（每行应写作 栏目: 值）",
    "found character '\\t' that cannot start any token": "不能用制表符（Tab）缩进，请改用空格",
    "found unexpected end of stream": "引号或括号没有闭合",
    "found undefined alias": "引用了未定义的锚点",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '-'": "列表项「-」的缩进不一致",
    "expected <block end>, but found '<scalar>'": "缩进不一致",
    "found unknown escape character": "双引号内的转义字符「\\」无效（路径请改用单引号）",
    "expected ',' or ']'": "方括号列表没有闭合：缺少「]」或逗号",
    "expected ',' or '}'": "花括号没有闭合：缺少「}」或逗号",
}


@dataclass(frozen=True)
class Position:
    line: int    # 1-based
    column: int  # 1-based


@dataclass
class YamlDocument:
    data: Any
    root: Optional[yaml.Node]
    first_line: int = 1  # the file's line the YAML text starts on


class YamlSyntaxError(Exception):
    """Bad YAML: a Chinese ``message`` and where it is."""

    def __init__(self, message: str, position: Optional[Position]):
        super().__init__(message)
        self.message = message
        self.position = position


def _position(mark) -> Optional[Position]:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else None


def syntax_message(problem: str) -> str:
    for english, chinese in YAML_PROBLEMS.items():
        if problem.startswith(english):
            return f"YAML 格式错误：{chinese}"
    return f"YAML 格式错误：{problem}"


class TextDateLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so the model judges them field by field
    (PyYAML itself fails on the whole file at 2025-02-30)."""


TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse(text: str, first_line: int = 1) -> YamlDocument:
    """Data and node tree of the one YAML document in ``text`` (safe types, dates as text).

    ``first_line``: the line of its file ``text`` starts on (front matter starts after the
    opening ``---``). Blank lines put in front of the text make every position a line of that file.
    """
    loader = TextDateLoader("\n" * (first_line - 1) + text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(syntax_message(exc.problem or exc.context or str(exc)), _position(mark)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(syntax_message(str(exc)), None) from None
    finally:
        loader.dispose()
    return YamlDocument(data, root, first_line)


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


def duplicate_keys(root: Optional[yaml.Node]) -> list[tuple[tuple[PathPart, ...], Position]]:
    """Keys written twice in one mapping (YAML would silently keep the last): path and place."""
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
