"""Whatever it is given, the form reader and the front-matter reader end in a result or in the
project's own error (UserError: a Chinese message and an exit code), never another exception."""
from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closure_app.errors import InvalidInput, UserError
from closure_app.models.manuscript import FrontMatter
from closure_app.sources.form import FORM_WORDING, load_form
from closure_app.sources.manuscript import FRONT_WORDING, parse_manuscript
from closure_app.sources.validation import read_model

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "forms" / "application.yaml").read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE.splitlines(keepends=True)

# The form's and the front matter's own keys, so random documents reach the models' fields.
LABELS = ["立项编号", "项目类别", "项目名称", "项目负责人", "所在单位", "填表日期", "声明", "涉及敏感问题", "涉密",
          "项目变更情况数据表", "立项项目名称", "结项成果名称", "是否变更", "变更的内容", "原负责人", "现负责人",
          "姓名", "性别", "出生日期", "联系电话", "原参与人员", "现参与人员", "单位", "职称", "所在单位审核意见",
          "意见", "日期", "实际完成时间", "title", "author", "name", "postcode", "phone", "abstract", "keywords"]
YAMLISH = ["&a ", "*a", "!!python/object:os.system ", "<<: ", "? ", "- ", ": ", "#", "'", '"', "[", "]", "{", "}",
           "|", ">", "\t", "\x0b", "\x00", "\u2028", "---\n", "...\n", "%YAML 1.1\n", "\r", "\ufeff", "\ue000"]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["01062345670", "no", "yes", "on", "2025-02-30", "2025-10-15", "1e5", "~", "是", "否", "BZ25ZC124"]),
)
keys = st.one_of(st.sampled_from(LABELS), st.text(min_size=1, max_size=8))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=25,
)


@st.composite
def yaml_texts(draw) -> str:
    """A random document written out as YAML (block or flow style), or the sample form with random
    lines swapped, inserted or cut, spliced with YAML's own punctuation."""
    if draw(st.booleans()):
        text = yaml.safe_dump(draw(documents), allow_unicode=True, default_flow_style=draw(st.booleans()))
    else:
        lines = list(SAMPLE_LINES)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(lines) - 1))
            noise = draw(st.one_of(st.sampled_from(YAMLISH), st.text(max_size=12)))
            action = draw(st.sampled_from(["insert", "replace", "splice", "cut"]))
            if action == "insert":
                lines.insert(at, noise + "\n")
            elif action == "replace":
                lines[at] = noise + "\n"
            elif action == "splice":
                cut = draw(st.integers(0, len(lines[at])))
                lines[at] = lines[at][:cut] + noise + lines[at][cut:]
            else:
                del lines[at]
        text = "".join(lines)
    return text


def load_form_text(tmp_path: Path, data: bytes):
    path = tmp_path / "application.yaml"
    path.write_bytes(data)
    try:
        return load_form(path)
    except UserError as exc:
        assert exc.message            # a message for people, never an empty one
        return exc


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_form(tmp_path, data):
    load_form_text(tmp_path, data)


@SETTINGS
@given(text=yaml_texts())
def test_random_yaml_as_a_form(tmp_path, text):
    outcome = load_form_text(tmp_path, text.encode("utf-8"))
    if isinstance(outcome, InvalidInput):
        assert all(f.place.file.endswith("application.yaml") for f in outcome.findings)


@SETTINGS
@given(text=st.one_of(yaml_texts(), st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace"))))
def test_random_yaml_as_front_matter(text):
    reading = read_model(text, FrontMatter, "m.md", FRONT_WORDING, first_line=2)
    assert reading.value is not None or reading.findings
    try:
        parse_manuscript("---\n" + text + "\n---\n\n# 第一章 绪论\n\n正文。\n", "m.md")
    except UserError:
        pass


@SETTINGS
@given(text=yaml_texts())
def test_random_yaml_through_the_form_model_directly(text):
    from closure_app.models.form import ApplicationForm

    reading = read_model(text, ApplicationForm, "f.yaml", FORM_WORDING)
    assert reading.value is not None or reading.findings


def test_a_key_written_as_a_bracket_is_named_not_dropped():
    """Found by the property test: a key '[' was taken for a Pydantic union tag and dropped."""
    reading = read_model("'[': null\nstr: 1\n", FrontMatter, "m.md", FRONT_WORDING, first_line=2)
    messages = [str(f) for f in reading.findings]
    assert "m.md:2:1 未知键「[」（可用的键：title、author、abstract、keywords）" in messages
    assert any(m.startswith("m.md:3:1 未知键「str」") for m in messages)


def _tree(node):
    """A node tree as plain data: kind, tag, value, style and where it starts and ends (flow or
    block: PyYAML gives None for a list not indented under its key, libyaml False; nothing reads
    which)."""
    if node is None:
        return None
    marks = tuple((m.line, m.column, m.index) for m in (node.start_mark, node.end_mark))
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("list", node.tag, bool(node.flow_style), marks, [_tree(item) for item in node.value])
    return ("mapping", node.tag, bool(node.flow_style), marks, [(_tree(k), _tree(v)) for k, v in node.value])


def _reading(text: str, fast: bool, first_line: int = 1):
    from closure_app.sources.yaml_positions import YamlSyntaxError, parse

    try:
        document = parse(text, first_line, fast=fast)
    except YamlSyntaxError as exc:
        return ("refused", exc.message, exc.position, [(p.message, p.position, p.path) for p in exc.problems])
    return ("read", document.data, _tree(document.root),
            [(w.message, w.position, w.path) for w in document.warnings])


@SETTINGS
@given(text=yaml_texts(), first_line=st.sampled_from([1, 2]))
def test_libyaml_reads_what_the_python_reader_reads(text, first_line):
    """The form is read by libyaml when it loads: the same data, nodes, styles, places and
    warnings as the pure-Python reader, and the same refusal (with its place) when it does not."""
    assert _reading(text, True, first_line) == _reading(text, False, first_line)


def test_libyaml_reads_the_sample_and_the_front_matter_as_the_python_reader():
    import closure_app.sources.yaml_positions as yp

    assert yp._fast_load(SAMPLE) is not None        # the fast path is taken, not fallen back from
    front = (ROOT / "manuscript" / "manuscript.md").read_text(encoding="utf-8").split("---\n")[1]
    for text, first_line in ((SAMPLE, 1), (front, 2), ("项目名称: 第 #1 号\n联系电话: '135\n  0000'\n", 1)):
        assert _reading(text, True, first_line) == _reading(text, False, first_line)
    assert _reading("项目名称: 第 #1 号\n", True)[3]     # the comment that cut the value is still said


def test_the_characters_named_are_those_pyyaml_refuses_and_the_hidden_line_breaks():
    """Every code point: named as unprintable exactly when PyYAML's reader refuses it, or it is
    one of the line breaks YAML sees and an editor does not show (NEL, U+2028, U+2029)."""
    from yaml.reader import Reader

    from closure_app.sources.yaml_positions import _UNPRINTABLE

    every = "".join(map(chr, range(0x110000)))
    named = [m.start() for m in _UNPRINTABLE.finditer(every)]
    refused = [m.start() for m in Reader.NON_PRINTABLE.finditer(every)]
    assert named == sorted(refused + [0x85, 0x2028, 0x2029])
