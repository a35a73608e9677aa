"""The mandate as data: load a profile file into a typed model.

Every size, family name, margin and line pitch the renderers and the checker use comes from
here. Other submission rules are another YAML file in ``profiles/``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional, Union

# 字号 -> points (Word points = PostScript points = reportlab units).
ZIHAO_PT: dict[str, float] = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
    "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5,
}
PT_ZIHAO: dict[float, str] = {v: k for k, v in ZIHAO_PT.items()}
MM_PT = 72 / 25.4

DEFAULT_PROFILE = "bazhong"


def size_to_pt(size: Union[str, float, int]) -> float:
    """'三号' -> 16.0, 12 -> 12.0."""
    if isinstance(size, (int, float)):
        return float(size)
    s = str(size).strip()
    if s in ZIHAO_PT:
        return float(ZIHAO_PT[s])
    try:
        return float(s.removesuffix("pt"))
    except ValueError as exc:  # pragma: no cover - guarded by validation
        raise ValueError(f"未知字号：{size}") from exc


def zihao_name(pt: float) -> str:
    """16 -> '三号'; a size with no 字号 name -> '15.5pt'."""
    return PT_ZIHAO.get(round(pt * 2) / 2, f"{pt:g}pt")


class ProfileError(ValueError):
    """A profile file that cannot be used: ``field`` is the dotted path of the bad value
    (empty for the file as a whole), ``line`` its line where known."""

    def __init__(self, message: str, field: str = "", line: Optional[int] = None):
        super().__init__(message)
        self.message, self.field, self.line = message, field, line


class _Strict:
    """Plain frozen data, built from the YAML by ``_build``: unknown keys are errors."""

    def model_copy(self, update: Optional[dict] = None):
        """A copy with some fields changed (the name pydantic gives it, kept for callers)."""
        return dataclasses.replace(self, **(update or {}))


@dataclass(frozen=True)
class RoleStyle(_Strict):
    label: str
    size: Union[str, float]
    family: str
    bold: bool = False
    align: Literal["left", "center", "right", "justify", "distribute"] = "justify"
    first_line_chars: float = 0
    outline_level: Optional[int] = None
    line_pitch_pt: Optional[float] = None  # None: the page's line pitch
    level_indent_chars: float = 0          # toc: each level indented this much more than the last
    hanging_chars: float = 0               # toc: an entry's wrapped lines this much further in
    right_chars: float = 0                 # toc: room kept at the right for the page number
    page_break_before: bool = False        # the report's layout starts each such heading on a new page
    mandated: bool = False

    def __post_init__(self):
        _check_size(self.size)

    @property
    def size_pt(self) -> float:
        return size_to_pt(self.size)

    @property
    def half_points(self) -> int:
        """DOCX w:sz."""
        return round(self.size_pt * 2)


@dataclass(frozen=True)
class Margins(_Strict):
    top: float
    bottom: float
    inner: float
    outer: float


@dataclass(frozen=True)
class PageGeometry(_Strict):
    size: str
    width_mm: float
    height_mm: float
    margin_mm: Margins
    line_pitch_pt: float
    mirror_margins: bool = False
    page_numbers: bool = True              # the form, like the official one, has none

    @property
    def width_pt(self) -> float:
        return self.width_mm * MM_PT

    @property
    def height_pt(self) -> float:
        return self.height_mm * MM_PT

    def margin_pt(self, side: str) -> float:
        return getattr(self.margin_mm, side) * MM_PT

    @property
    def text_width_pt(self) -> float:
        return (self.width_mm - self.margin_mm.inner - self.margin_mm.outer) * MM_PT

    @property
    def text_height_pt(self) -> float:
        return (self.height_mm - self.margin_mm.top - self.margin_mm.bottom) * MM_PT


@dataclass(frozen=True)
class PageNumberStyle(_Strict):
    family: str
    size: Union[str, float]
    template: str = "— {n} —"
    below_text_mm: float = 7
    odd: Literal["left", "center", "right"] = "right"
    even: Literal["left", "center", "right"] = "left"
    inset_chars: float = 1

    def __post_init__(self):
        _check_size(self.size)

    @property
    def size_pt(self) -> float:
        return size_to_pt(self.size)

    def text(self, n: int) -> str:
        return self.template.format(n=n)


@dataclass(frozen=True)
class Typesetting(_Strict):
    """Rules both back ends follow alike, so the DOCX reflows in Word as the PDF is set.

    ``cjk_latin_space``: extra space between Chinese and Latin letters or digits (Word's
    w:autoSpaceDE/w:autoSpaceDN); the PDF adds none, so both are off unless asked for.
    ``kinsoku``: no line begins with a closing mark or ends with an opening one (禁则).
    ``hanging_punctuation``: a mark of ，。、；：！？． that would begin a line stays at the end
    of the one before, when the text before it is Chinese (w:overflowPunct; Word and LibreOffice
    let it hang past the margin, the PDF tightens the line by at most the mark's width); after
    Latin text or digits, and off, the character before it goes down with it, as Word and
    LibreOffice then do.
    ``compress_punctuation``: full-width punctuation set at half width throughout
    (w:characterSpacingControl, w:topLinePunct); the PDF squeezes only where a closer needs it.
    (A character grid, GB/T 9704's 28 to a line, is not offered yet: neither back end sets one.)"""
    cjk_latin_space: bool = False
    kinsoku: bool = True
    hanging_punctuation: bool = False
    compress_punctuation: bool = False

    def __post_init__(self):
        """Only what the PDF back end sets too: a switch only Word would obey is refused."""
        unsupported = [name for name, value, can in (
            ("cjk_latin_space", self.cjk_latin_space, False), ("kinsoku", self.kinsoku, True),
            ("compress_punctuation", self.compress_punctuation, False)) if value != can]
        if unsupported:
            raise ProfileError(f"typesetting 中 {'、'.join(unsupported)} 的取值 PDF 排版尚不支持", unsupported[0])


@dataclass(frozen=True)
class BookletStyle(_Strict):
    sheet: str = "A3"
    duplex: Literal["short", "long"] = "short"


@dataclass(frozen=True)
class CaptionSettings(_Strict):
    """How figures and tables are numbered and their captions worded."""
    numbering: Literal["chapter", "document"] = "chapter"   # 图 1-1 per chapter, or 图 1 throughout
    figure: str = "图"
    table: str = "表"
    chapter_separator: str = "-"
    label_gap: str = " "          # 图 1-1: between the word and the number
    title_gap: str = "\u3000"     # 图 1-1　题: between the number and the caption text
    continued: str = "（续表）"     # after a table's caption on each page it continues on
    min_dpi: float = 150          # a raster image printing below this is reported


@dataclass(frozen=True)
class Profile(_Strict):
    name: str
    title: str
    pages: dict[str, PageGeometry]
    page_number: PageNumberStyle
    roles: dict[str, RoleStyle]
    booklet: BookletStyle = field(default_factory=BookletStyle)
    captions: CaptionSettings = field(default_factory=CaptionSettings)
    typesetting: Typesetting = field(default_factory=Typesetting)

    def role(self, name: str) -> RoleStyle:
        try:
            return self.roles[name]
        except KeyError:
            raise KeyError(f"配置文件 {self.name} 中没有角色 {name}") from None

    def page(self, name: str) -> PageGeometry:
        return self.pages[name]

    def line_pitch(self, role: str, page: str = "report") -> float:
        r = self.role(role)
        return r.line_pitch_pt if r.line_pitch_pt is not None else self.page(page).line_pitch_pt

    @property
    def mandated_roles(self) -> dict[str, RoleStyle]:
        return {k: v for k, v in self.roles.items() if v.mandated}

    def families(self) -> list[str]:
        """Every family the profile names, in first-use order."""
        seen: dict[str, None] = {}
        for r in self.roles.values():
            seen.setdefault(r.family, None)
        seen.setdefault(self.page_number.family, None)
        return list(seen)


def _check_size(size) -> None:
    try:
        size_to_pt(size)
    except ValueError:
        raise ProfileError(f"未知字号：{size}", "size") from None


def _build(cls, data, where: str):
    """``data`` (plain YAML values) as ``cls``, checked against the field types."""
    if dataclasses.is_dataclass(cls):
        if not isinstance(data, dict):
            raise ProfileError("应为键值表", where)
        hints, fields = _shape(cls)
        for name, f in fields.items():
            if name not in data and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ProfileError("缺少此项", _join(where, name))
        unknown = [k for k in data if k not in fields]
        if unknown:
            raise ProfileError(f"未知的键 {unknown[0]}", _join(where, str(unknown[0])))
        values = {name: _build(hints[name], data[name], _join(where, name)) for name in fields if name in data}
        try:
            return cls(**values)
        except ProfileError as exc:
            raise ProfileError(exc.message, _join(where, exc.field)) from None
    origin, args = typing.get_origin(cls), typing.get_args(cls)
    if origin is dict:
        if not isinstance(data, dict):
            raise ProfileError("应为键值表", where)
        return {str(k): _build(args[1], v, _join(where, str(k))) for k, v in data.items()}
    if origin is Union:
        if data is None and type(None) in args:
            return None
        for option in args:
            if option is not type(None):
                try:
                    return _build(option, data, where)
                except ProfileError:
                    continue
        raise ProfileError(f"取值无效：{data!r}", where)
    if origin is Literal:
        if data not in args:
            raise ProfileError(f"应为 {'、'.join(map(str, args))} 之一", where)
        return data
    if cls is bool:
        if not isinstance(data, bool):
            raise ProfileError("应为 true 或 false", where)
        return data
    if cls is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise ProfileError("应为数字", where)
        return float(data)
    if cls is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise ProfileError("应为整数", where)
        return data
    if cls is str:
        if not isinstance(data, str):
            raise ProfileError("应为文字", where)
        return data
    raise TypeError(cls)   # pragma: no cover - a field type this reader does not know


@lru_cache(maxsize=None)
def _shape(cls) -> tuple[dict, dict]:
    """A dataclass's field types and fields, worked out once (not once per value built)."""
    return typing.get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls)}


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where and name else where or name


def _plain_data(path: Path) -> dict:
    """The file's YAML as plain data. Kept, by the file's content, as marshal beside the
    font cache: a warm run neither imports nor runs the YAML parser."""
    raw = path.read_bytes()
    key = hashlib.sha1(b"profile-1|" + raw).hexdigest()[:16]
    cached = _cache_dir() / "profiles" / f"{key}.marshal"
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError("不是 UTF-8 编码的文本") from None
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProfileError("不是有效的 YAML", line=mark.line + 1 if mark else None) from None
    try:
        blob = marshal.dumps(data)
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, cached)
    except (OSError, ValueError):
        pass   # dates or other values marshal cannot keep, or no cache: only costs time
    return data


def _cache_dir() -> Path:
    from closure_app.cache import cache_dir

    return cache_dir()


def load_profile_file(path: Path) -> Profile:
    """Raises ProfileError (file, field and reason in Chinese) for a file that cannot be used."""
    return _build(Profile, _plain_data(Path(path)), "")


_SHIPPED = Path(__file__).parent / "profiles"   # the package's own folder (importlib.resources
                                                # costs ~5 ms to import; used where it is no folder)


def profile_source(name_or_path: str = DEFAULT_PROFILE) -> Path:
    """The file a profile name or path stands for."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return p
    if _SHIPPED.is_dir():
        return _SHIPPED / f"{name_or_path}.yaml"
    from importlib import resources

    return Path(str(resources.files("closure_app") / "profiles" / f"{name_or_path}.yaml"))


@lru_cache(maxsize=8)
def load_profile(name_or_path: str = DEFAULT_PROFILE) -> Profile:
    """A profile shipped in the package by name, or any profile file by path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return load_profile_file(p)
    if _SHIPPED.is_dir():
        return load_profile_file(_SHIPPED / f"{name_or_path}.yaml")
    from importlib import resources

    ref = resources.files("closure_app") / "profiles" / f"{name_or_path}.yaml"
    with resources.as_file(ref) as f:
        return load_profile_file(Path(f))
