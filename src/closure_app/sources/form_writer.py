"""Form answers -> the commented forms/application.yaml that ``init`` writes, filled in.

The template's comments and key order are kept; each value is put after its key, quoted where
YAML would otherwise read it as something else (a phone number, a 0-led postcode).
"""
from __future__ import annotations

import re
from importlib import resources

import yaml

_KEY = re.compile(r"^(?P<indent> *)(?P<key>[^\s#:][^:#]*):(?P<rest>.*)$")


def _scalar(value) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        value = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value                                  # a date, as the template writes them
    out = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9).strip()
    return out.removesuffix("...").strip()


def _members(people: list[dict], indent: str) -> list[str]:
    lines = []
    for person in people:
        parts = ", ".join(f"{k}: {_scalar(v) or chr(39) * 2}" for k, v in person.items())
        lines.append(f"{indent}  - {{{parts}}}")
    return lines


def template_text() -> str:
    return (resources.files("closure_app") / "templates" / "application.yaml").read_text(encoding="utf-8")


def form_yaml(data: dict) -> str:
    """The template with every value taken from ``data`` (label paths as in the YAML)."""
    out: list[str] = []
    path: list[tuple[int, str]] = []
    for line in template_text().splitlines():
        m = _KEY.match(line)
        if not m or line.lstrip().startswith("#"):
            out.append(line)
            continue
        indent = len(m.group("indent"))
        while path and path[-1][0] >= indent:
            path.pop()
        key = m.group("key").strip()
        keys = [k for _, k in path] + [key]
        path.append((indent, key))
        value = data
        for k in keys:
            value = value.get(k) if isinstance(value, dict) else None
        rest = m.group("rest")
        comment = ""
        if "#" in rest:
            column = line.index("#", len(m.group("indent")) + len(key) + 1)
            comment = "#" + rest.split("#", 1)[1]
        def with_comment(head: str) -> str:
            return head + " " * max(2, column - len(head)) + comment if comment else head

        if isinstance(value, dict) or value is None and rest.strip() == "":
            out.append(line)                          # a section heading, or nothing read
            continue
        if isinstance(value, list):
            if value:
                out.append(with_comment(f"{m.group('indent')}{key}:"))
                out += _members(value, m.group("indent"))
            else:
                out.append(with_comment(f"{m.group('indent')}{key}: []"))
            continue
        text = _scalar(value)
        out.append(with_comment(f"{m.group('indent')}{key}: {text}" if text else f"{m.group('indent')}{key}:"))
    return "\n".join(out).rstrip("\n") + "\n"
