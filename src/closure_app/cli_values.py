"""Command-line values converted without pydantic.

Typer (0.2x) converts every value that is not a plain flag through a pydantic ``TypeAdapter``;
importing pydantic and building the adapters costs 70-100 ms of every command, more than some
commands take to do their work. The value types our commands use (a path, a list of paths, a
string, a flag, a whole or decimal number with optional bounds, a choice from an Enum) are converted
here instead, with Typer's own helpers for choices and paths, so the messages and the checks are
Typer's; any other annotation goes to Typer as before. With an older Typer (click types, no
pydantic) nothing is changed.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin


def install() -> bool:
    """Give Typer's parameters the light conversion; False where this Typer has no such layer."""
    try:
        from typer import core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
        from typer._param_types import coerce_cli_choice, coerce_cli_path
    except ImportError:
        return False
    base = getattr(core, "_TyperParameter", None)
    original = getattr(base, "get_runtime_param", None)
    if original is None or getattr(original, "_closure_app_light", False):
        return original is not None

    class LightRuntimeParam(RuntimeParam):
        """One parameter's conversion: ``leaf`` converts one command-line word."""

        def __init__(self, parameter_info, annotation, leaf, many):
            object.__setattr__(self, "parameter_info", parameter_info)
            object.__setattr__(self, "annotation", annotation)
            object.__setattr__(self, "leaf", leaf)
            object.__setattr__(self, "many", many)

        def _coerce_value(self, value, param, ctx):
            try:
                if self.many:
                    items = value if isinstance(value, (list, tuple)) else [value]
                    return [self.leaf(item, param, ctx) for item in items]
                return self.leaf(value, param, ctx)
            except (ValueError, TypeError) as exc:
                raise BadParameter(str(exc), ctx=ctx, param=param) from None

    def leaf_for(annotation, info):
        """The conversion of one word to ``annotation``, or None for Typer's own."""
        if info.parser is not None:
            return None
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            choices = list(annotation)
            return lambda value, param, ctx: coerce_cli_choice(
                value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx)
        if annotation is str:
            return lambda value, param, ctx: value if isinstance(value, str) else _text(value)
        if annotation is bool:
            return lambda value, param, ctx: _flag(value)
        if annotation in (int, float):
            return _number(annotation, info)
        if annotation is Path and getattr(info, "path_type", None) in (None, Path):
            def path(value, param, ctx):
                if not isinstance(value, Path):
                    value = Path(_text(value) if isinstance(value, bytes) else value)
                return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
            return path
        return None

    def get_runtime_param(self):
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            annotation, info = descriptor.annotation, descriptor.parameter_info
            light = None
            if descriptor.file_annotation is None:
                many = get_origin(annotation) is list
                inner = get_args(annotation)[0] if many and len(get_args(annotation)) == 1 else annotation
                leaf = None if many and inner is annotation else leaf_for(inner, info)
                if leaf is not None:
                    light = LightRuntimeParam(info, annotation, leaf, many)
            self._runtime_param = light if light is not None else original(self)
        return self._runtime_param

    get_runtime_param._closure_app_light = True
    get_runtime_param.typer_own = original        # the tests compare the two
    base.get_runtime_param = get_runtime_param
    return True


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        import os
        return os.fsdecode(value)
    if value is None:
        raise ValueError("None is not a valid string")
    return str(value)


_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"", "0", "false", "f", "no", "n", "off"}


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"{value!r} is not a valid boolean")


def _number(kind: type, info):
    low, high, clamp = info.min, info.max, info.clamp

    def number(value, param, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"{value!r} is not a valid {kind.__name__}")
        if isinstance(value, str):
            try:
                value = kind(value.strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a valid {kind.__name__}") from None
        elif kind is int and value != int(value):
            raise ValueError(f"{value!r} is not a valid integer")
        value = kind(value)
        if low is not None and value < low:
            if not clamp:
                raise ValueError(f"{value} is smaller than the minimum {low}")
            value = kind(low)
        if high is not None and value > high:
            if not clamp:
                raise ValueError(f"{value} is larger than the maximum {high}")
            value = kind(high)
        return value
    return number
