"""Tests for procmap's YAML dialect loader (SPEC §2.2): values, locations, refusals and traps."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import procmap.model.yaml_io as yaml_io
from procmap.errors import Finding, ModelError
from procmap.model.yaml_io import MAX_DEPTH, MAX_NODES, LoadedYaml, Locator, Mark, load_yaml


def errors_of(source: str | bytes, filename: str = "m.yaml") -> list[Finding]:
    """The findings of a document that must fail to load."""
    with pytest.raises(ModelError) as info:
        load_yaml(source, filename)
    assert info.value.errors, "a ModelError must hold at least one error"
    for f in info.value.findings:
        assert f.file == filename
        assert f.line is not None
        assert f.line >= 1
        assert f.col is not None
        assert f.col >= 1
    return info.value.findings


def only(source: str | bytes, code: str) -> Finding:
    """The single finding of a failing document, which must have this code."""
    findings = errors_of(source)
    assert [f.code for f in findings] == [code], [f.format() for f in findings]
    return findings[0]


def value_of(text: str) -> object:
    return load_yaml(f"v: {text}\n").data["v"]


# -- scalars: YAML 1.2 core schema without octal, hex, sexagesimal or timestamps ----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no", "no"),
        ("No", "No"),
        ("NO", "NO"),
        ("on", "on"),
        ("off", "off"),
        ("yes", "yes"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("tRUE", "tRUE"),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("010", 10),
        ("0", 0),
        ("-3", -3),
        ("+5", 5),
        ("007", 7),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("0b101", "0b101"),
        ("1_000", "1_000"),
        ("1:30", "1:30"),
        ("190:20:30", "190:20:30"),
        ("2026-01-05", "2026-01-05"),
        ("2026-01-05T09:00", "2026-01-05T09:00"),
        ("2026-01-05 09:00", "2026-01-05 09:00"),
        ("2026-02-30", "2026-02-30"),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("-2.", -2.0),
        ("6.02E+23", 6.02e23),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("+.INF", math.inf),
        ("'true'", "true"),
        ('"010"', "010"),
        ("'null'", "null"),
        ("''", ""),
        ("6/h", "6/h"),
        ("95%", "95%"),
        ("5min", "5min"),
        ("<= 2d", "<= 2d"),
        ("客户", "客户"),
    ],
    ids=lambda v: repr(v),
)
def test_scalar_resolution(text: str, expected: object) -> None:
    got = value_of(text)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"], ids=str)
def test_nan(text: str) -> None:
    got = value_of(text)
    assert isinstance(got, float)
    assert math.isnan(got)


def test_block_scalars_are_strings() -> None:
    data = load_yaml("a: |\n  10\nb: >\n  true\n  false\nc: >-\n  no\n").data
    assert data == {"a": "10\n", "b": "true false\n", "c": "no"}


def test_norway_team_id_is_a_key() -> None:
    data = load_yaml("teams:\n  no: {staff: 1}\n  on: {staff: 2}\n").data
    assert data == {"teams": {"no": {"staff": 1}, "on": {"staff": 2}}}


def test_date_keys_are_strings() -> None:
    data = load_yaml("x: {2026-10-01: closed, 09-12: 2}\n").data
    assert data == {"x": {"2026-10-01": "closed", "09-12": 2}}


def test_huge_integer_stays_text() -> None:
    assert value_of("1" * 5000) == "1" * 5000


def test_data_is_plain_and_ordered() -> None:
    data = load_yaml("z: 1\na: [x, {k: v}]\nm: 2\n").data
    assert list(data) == ["z", "a", "m"]
    assert type(data) is dict
    assert type(data["a"]) is list
    assert type(data["a"][1]) is dict


# -- keys -----------------------------------------------------------------------------------


def test_duplicate_keys_all_reported_with_first_line() -> None:
    text = "a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\na: 4\n'b': 5\n"
    findings = errors_of(text)
    assert [(f.code, f.line, f.col, f.path) for f in findings] == [
        ("E008", 5, 3, ("b", "x")),
        ("E008", 6, 1, ("a",)),
        ("E008", 7, 1, ("b",)),
    ]
    assert findings[0].message == "duplicate key 'x' (first at line 3)"
    assert "first at line 1" in findings[1].message
    assert "first at line 2" in findings[2].message


def test_duplicate_key_in_flow_mapping() -> None:
    f = only("s: {to: a, p: 1, to: b}\n", "E008")
    assert (f.line, f.col) == (1, 18)


@pytest.mark.parametrize(
    ("text", "col", "words"),
    [
        ("1: foo\n", 1, "'1' is read as a number"),
        ("x:\n  1.5: foo\n", 3, "'1.5' is read as a number"),
        ("true: x\n", 1, "'true' is read as a boolean"),
        ("~: x\n", 1, "empty (null)"),
        ("x: {3: a}\n", 5, "'3' is read as a number"),
        ("[a, b]: x\n", 1, "a list or mapping is used as a key"),
        ("? {a: 1}\n: x\n", 3, "a list or mapping is used as a key"),
    ],
    ids=["int", "float", "bool", "null", "flow-int", "list", "mapping"],
)
def test_keys_must_be_text(text: str, col: int, words: str) -> None:
    f = only(text, "E007")
    assert f.message.startswith("keys must be text")
    assert words in f.message
    assert f.col == col


def test_int_key_hint_says_quote_it() -> None:
    f = only("1: foo\n", "E007")
    assert "quote it" in f.message
    assert f.hint is not None
    assert '"1"' in f.hint


# -- anchors, aliases, merge keys ---------------------------------------------------------------


def test_alias_gives_independent_copies() -> None:
    data = load_yaml("a: &x {k: [1, 2]}\nb: *x\n").data
    assert data["a"] == data["b"] == {"k": [1, 2]}
    data["b"]["k"].append(3)
    assert data["a"] == {"k": [1, 2]}


def test_merge_key_explicit_keys_win_and_keep_their_place() -> None:
    text = (
        "base: &base {owner: l1, duration: 5min, kind: task}\n"
        "stages:\n"
        "  a:\n"
        "    name: A\n"
        "    <<: *base\n"
        "    owner: l2\n"
    )
    loaded = load_yaml(text)
    a = loaded.data["stages"]["a"]
    assert a == {"name": "A", "duration": "5min", "kind": "task", "owner": "l2"}
    assert list(a) == ["name", "duration", "kind", "owner"]
    loc = loaded.locator
    assert loc.value(("stages", "a", "owner")) == Mark(6, 12)
    # a merged value is located at its definition
    assert loc.value(("stages", "a", "duration")) == Mark(1, 35)
    assert loc.key(("stages", "a", "duration")) == Mark(1, 25)


def test_merge_list_earlier_source_wins() -> None:
    text = "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n"
    assert load_yaml(text).data["z"] == {"a": 1, "b": 1, "c": 3}


def test_nested_merges() -> None:
    text = "a: &a {p: 1}\nb: &b {<<: *a, q: 2}\nc: {<<: *b, r: 3}\n"
    assert load_yaml(text).data["c"] == {"p": 1, "q": 2, "r": 3}


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load_yaml("a: {'<<': 1}\n").data == {"a": {"<<": 1}}


@pytest.mark.parametrize(
    "text",
    ["a: {<<: 5}\n", "a: &s [1]\nb: {<<: *s}\n", "x: &x 1\nb: {<<: [*x]}\n"],
    ids=["scalar", "list-alias", "list-of-scalar"],
)
def test_merge_of_non_mapping(text: str) -> None:
    f = only(text, "E015")
    assert "'<<'" in f.message
    assert f.path[-1] == "<<"


def test_two_merge_keys_are_duplicates() -> None:
    f = only("a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n", "E008")
    assert f.line == 4
    assert "<<: [*a, *b]" in (f.hint or "")


def test_undefined_and_recursive_alias() -> None:
    findings = errors_of("a: *nope\nb: &r [1, *r]\n")
    assert [(f.code, f.line, f.col) for f in findings] == [("E016", 1, 4), ("E016", 2, 11)]
    assert "*nope" in findings[0].message
    assert "contains it" in findings[1].message


def test_redefined_anchor_uses_the_latest() -> None:
    loaded = load_yaml("a: &x 1\nb: &x 2\nc: *x\nd: &y [&y 3, *y]\n")
    assert loaded.data == {"a": 1, "b": 2, "c": 2, "d": [3, 3]}
    assert loaded.findings == ()


# -- size and depth caps --------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_refused_early() -> None:
    # Refused while reading (no timing assertion: the line proves it stopped early).
    f = only(billion_laughs(), "E012")
    assert f"{MAX_NODES:,}" in f.message
    assert f.line == 6  # the first alias that crosses the cap (9**5 > 100,000)


def test_node_cap_boundary() -> None:
    # root mapping + key + list = 3 nodes, plus the items
    fits = "a: [" + ", ".join(["1"] * (MAX_NODES - 3)) + "]\n"
    assert len(load_yaml(fits).data["a"]) == MAX_NODES - 3
    only("a: [" + ", ".join(["1"] * (MAX_NODES - 2)) + "]\n", "E012")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        "a: " + "{a: " * 5000 + "}" * 5000 + "\n",
        "".join("  " * i + "a:\n" for i in range(5000)),
        "".join("  " * i + "- \n" for i in range(5000)),
        "[" * 200_000,
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings", "block-lists", "unclosed"],
)
def test_deep_nesting_is_a_clean_error(text: str) -> None:
    f = only(text, "E013")
    assert f"more than {MAX_DEPTH} levels" in f.message


def test_depth_boundary() -> None:
    # root mapping is level 1
    node = load_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n").data["a"]
    for _ in range(MAX_DEPTH - 2):
        assert len(node) == 1
        node = node[0]
    assert node == []
    f = only("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "E013")
    assert (f.line, f.col) == (1, 3 + MAX_DEPTH)


def test_depth_through_aliases() -> None:
    half = MAX_DEPTH // 2 + 1
    nested = "[" * half + "]" * half
    f = only(f"a: &d {nested}\nb: {'[' * half}*d{']' * half}\n", "E013")
    assert f.line == 2


# -- tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a: !!python/object/apply:os.system ['echo pwned']\n", "!!python/object/apply:os.system"),
        ("a: !!python/object:os.system {}\n", "!!python/object:os.system"),
        ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
        ("a: !foo x\n", "!foo"),
        ("a: !!binary aGk=\n", "!!binary"),
        ("a: !!timestamp 2026-01-01\n", "!!timestamp"),
        ("a: !!set {x, y}\n", "!!set"),
        ("a: !<tag:example.com,2026:x> y\n", "tag:example.com,2026:x"),
    ],
    ids=["apply", "object", "name", "local", "binary", "timestamp", "set", "verbatim"],
)
def test_tags_refused(text: str, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def boom(*_: object) -> int:
        raise AssertionError("os.system was called")

    monkeypatch.setattr(os, "system", boom)
    f = only(text, "E011")
    assert f.message == f"tags are not allowed: '{shown}'"
    assert (f.line, f.col, f.path) == (1, 4, ("a",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!str 12", "12"),
        ("! 12", "12"),
        ("!!int '7'", 7),
        ("!!float 1", 1.0),
        ("!!bool true", True),
        ("!!null ''", None),
        ("!!map {k: 1}", {"k": 1}),
        ("!!seq [1]", [1]),
        ("!<tag:yaml.org,2002:str> 5", "5"),
    ],
    ids=lambda v: repr(v),
)
def test_standard_tags_allowed(text: str, expected: object) -> None:
    assert value_of(text) == expected


@pytest.mark.parametrize(
    "text",
    ["a: !!int abc\n", "a: !!bool yes\n", "a: !!map [1]\n", "a: !!str {b: 1}\n"],
    ids=["int", "bool", "map-on-list", "str-on-map"],
)
def test_standard_tag_that_does_not_fit(text: str) -> None:
    only(text, "E011")


def test_all_findings_in_one_pass() -> None:
    text = "a: !foo 1\nb: 2\nb: 3\n1: x\nc: !!binary eA==\n"
    assert [(f.code, f.line) for f in errors_of(text)] == [
        ("E011", 1),
        ("E008", 3),
        ("E007", 4),
        ("E011", 5),
    ]


# -- encodings and odd files -----------------------------------------------------------------


def test_latin1_points_at_the_bad_byte() -> None:
    f = only("procmap: 1\nname: café\n".encode("latin-1"), "E001")
    assert f.message.startswith("the file is not UTF-8 text")
    assert f.hint == "save the file as UTF-8"
    assert (f.line, f.col) == (2, 10)


def test_gbk_column_counts_characters() -> None:
    text = "name: 客户 ".encode() + "服务".encode("gbk") + b"\n"
    f = only(text, "E001")
    assert (f.line, f.col) == (1, 10)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ("procmap: 1\n".encode("utf-16"), "UTF-16"),
        ("procmap: 1\n".encode("utf-16-le"), "UTF-16"),
        ("procmap: 1\n".encode("utf-16-be"), "UTF-16"),
        ("procmap: 1\n".encode("utf-32"), "UTF-32"),
    ],
    ids=["utf16-bom", "utf16le", "utf16be", "utf32"],
)
def test_utf16_and_utf32(data: bytes, kind: str) -> None:
    f = only(data, "E001")
    assert kind in f.message
    assert f.hint == "save the file as UTF-8"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\x00\x01\x02\x03\xff\xfe\xfd", "a: b\x00\n"],
    ids=["png", "random", "nul-in-str"],
)
def test_binary_is_refused(data: str | bytes) -> None:
    f = only(data, "E002")
    assert "binary" in f.message


def test_control_character_located() -> None:
    f = only("a: 1\nb: x\x07y\n", "E002")
    assert "U+0007" in f.message
    assert (f.line, f.col) == (2, 5)


def test_lone_surrogate_in_str() -> None:
    only("a: \ud800\n", "E002")


@pytest.mark.parametrize(
    "source",
    [b"\xef\xbb\xbfprocmap: 1\n", "\ufeffprocmap: 1\n", b"procmap: 1\r\n"],
    ids=["bom-bytes", "bom-str", "crlf"],
)
def test_bom_and_crlf_are_fine(source: str | bytes) -> None:
    loaded = load_yaml(source)
    assert loaded.data == {"procmap": 1}
    assert loaded.locator.value(("procmap",)) == Mark(1, 10)


def test_utf8_chinese_loads() -> None:
    assert load_yaml("名称: 客户服务\n".encode()).data == {"名称": "客户服务"}


@pytest.mark.parametrize(
    "source",
    ["", b"", "   \n\n", "# only a comment\n  # another\n", "---\n", "--- ~\n"],
    ids=["empty", "empty-bytes", "blank", "comments", "bare-marker", "null"],
)
def test_empty_file(source: str | bytes) -> None:
    f = only(source, "E003")
    assert f.message == "the file is empty"
    assert (f.line, f.col) == (1, 1)


def test_second_document_refused() -> None:
    f = only("procmap: 1\n---\nprocmap: 2\n", "E004")
    assert (f.line, f.col) == (2, 1)


def test_document_end_marker_alone_is_fine() -> None:
    assert load_yaml("---\na: 1\n...\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "words"),
    [("- a\n- b\n", "a list"), ("hello\n", "'hello'"), ("5\n", "'5'")],
    ids=["list", "text", "number"],
)
def test_top_level_must_be_a_mapping(text: str, words: str) -> None:
    f = only(text, "E005")
    assert words in f.message


# -- syntax errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "problem", "hint_words"),
    [
        ("a:\n  b: 1\n c: 2\n", 3, 2, "did not find expected key", "indentation"),
        ("a: 'open\nb: 2\n", 3, 1, "end of stream", "never closed"),
        ("a: [1, 2\nb: 3\n", 2, 2, "did not find expected ',' or ']'", "not closed"),
        ("a:\n\tb: 1\n", 2, 1, "cannot start any token", "tab"),
        ("a: b: c\n", 1, 5, "mapping values are not allowed", "quote"),
        ('a: "x\\qy"\n', 1, 6, "unknown escape", "single quotes"),
        ("a: @home\n", 1, 4, "cannot start any token", "'@'"),
    ],
    ids=["indent", "quote", "flow", "tab", "colon", "escape", "at-sign"],
)
def test_syntax_errors(text: str, line: int, col: int, problem: str, hint_words: str) -> None:
    f = only(text, "E006")
    assert f.message.startswith("YAML syntax error: ")
    assert problem in f.message
    assert (f.line, f.col) == (line, col)
    assert f.hint is not None
    assert hint_words in f.hint


def test_findings_before_a_syntax_error_are_kept() -> None:
    codes = [f.code for f in errors_of("a: 1\na: 2\nb: [\n")]
    assert codes == ["E008", "E006"]


# -- traps -------------------------------------------------------------------------------------


def test_comma_trap_names_the_cut_value() -> None:
    text = "stages:\n  triage:\n    next:\n      - {to: fix, handoff: tri(5min, 10min, 30min)}\n"
    f = only(text, "E009")
    assert (f.line, f.col) == (4, 38)
    assert "'10min', '30min)'" in f.message
    assert "'handoff'" in f.message
    assert f.hint == (
        'quote a value that has commas inside {…}: handoff: "tri(5min, 10min, 30min)"'
    )
    assert f.path == ("stages", "triage", "next", 0)


def test_comma_trap_with_number_keys_is_not_a_key_type_error() -> None:
    f = only("b: [{to: x, p: uniform(1, 2)}]\n", "E009")
    assert f.hint is not None
    assert f.hint.endswith('p: "uniform(1, 2)"')


def test_comma_trap_once_per_flow_mapping() -> None:
    findings = errors_of("a: {x: tri(1, 2, 3), y: tri(4, 5, 6)}\nb: {z: exp(1, 2)}\n")
    assert [(f.code, f.line) for f in findings] == [("E009", 1), ("E009", 2)]
    assert findings[0].message.startswith("'2', '3)' read as keys with no value")
    assert findings[0].hint is not None
    assert findings[0].hint.endswith('x: "tri(1, 2, 3)"')


@pytest.mark.parametrize(
    "text",
    [
        'a: {to: fix, handoff: "tri(5min, 10min, 30min)"}\n',
        "a:\n  handoff: tri(5min, 10min, 30min)\n",
        "a: {mon: 1.3, fri}\n",
        "a: [x]\nb: tri(1, 2, 3)\n",
    ],
    ids=["quoted", "block", "name-without-value", "block-value"],
)
def test_no_comma_trap(text: str) -> None:
    load_yaml(text)


@pytest.mark.parametrize(
    ("text", "line", "col", "bound"),
    [
        ("kpi:\n  target: >= 95%\n", 2, 11, "at_least"),
        ("target: > 95%  # goal\n", 1, 9, "at_least"),
        ("kpis:\n  - {id: x, target: >= 4.5}\n", 2, 21, "at_least"),
        ("- >= 3\n", 1, 3, "at_least"),
        ("target: < 1h: x\n", 1, 9, "at_most"),
    ],
    ids=["block", "space", "flow", "list-item", "less-than"],
)
def test_angle_trap(text: str, line: int, col: int, bound: str) -> None:
    f = only(text, "E010")
    assert (f.line, f.col) == (line, col)
    assert f.hint is not None
    assert f.hint.startswith(f"quote it, or write {{{bound}: …}}")


def test_angle_trap_hint_shows_the_quoted_line() -> None:
    f = only("kpi:\n  target: >= 95%   # of tickets\n", "E010")
    assert f.hint is not None
    assert f.hint.endswith('target: ">= 95%"')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('target: "<= 2d"\n', "<= 2d"),
        ("target: '>= 95%'\n", ">= 95%"),
        ("target: <= 2d\n", "<= 2d"),
        ("target: >\n  folded\n  text\n", "folded text\n"),
        ("target: >- # note\n  x\n", "x"),
    ],
    ids=["quoted-le", "quoted-ge", "plain-le", "folded", "folded-comment"],
)
def test_angle_values_that_are_fine(text: str, expected: str) -> None:
    assert load_yaml(text).data == {"target": expected}


@pytest.mark.parametrize(
    ("text", "line", "col", "key"),
    [
        ("process:\n  name：客户\n", 2, 7, "name"),
        ("stages:\n  a:\n    name: 受理\n    owner：l1\n", 4, 10, "owner"),
        ("process:\n  name：客户\n  id: x\n", 2, 7, "name"),
        ("teams:\n  l1: {owner：l1, staff: 6}\n", 2, 13, "owner"),
        ("next:\n  - to：fix\n", 2, 7, "to"),
        ("procmap：1\n", 1, 8, "procmap"),
        ("l1:\n  name：一线\n  staff：6\n", 2, 7, "name"),
    ],
    ids=[
        "value-below-key",
        "syntax-error",
        "syntax-error-next-line",
        "flow-key",
        "list-item",
        "top-level",
        "multi-line",
    ],
)
def test_full_width_colon(text: str, line: int, col: int, key: str) -> None:
    f = only(text, "E014")
    assert f.message == f"full-width colon '：' (U+FF1A) after '{key}': use ':'"
    assert (f.line, f.col) == (line, col)
    assert f.hint is not None
    assert f"`{key}: " in f.hint


@pytest.mark.parametrize(
    "text",
    [
        "description:\n  注意：客户需要确认\n",
        "note: 注意：确认\n",
        "x: '09：00-18：00'\n",
        "x: {mon-fri: 09：00-18：00}\n",
    ],
    ids=["prose-below-key", "prose", "quoted-time", "time-in-flow"],
)
def test_full_width_colon_left_alone(text: str) -> None:
    assert load_yaml(text).findings == ()


def test_full_width_comma_in_flow_list_warns() -> None:
    loaded = load_yaml("inputs: [需求说明，报价单, 合同]\nb:\n  - 甲，乙\nc: ['甲，乙']\n")
    assert loaded.data["inputs"] == ["需求说明，报价单", "合同"]
    assert [(f.code, f.severity, f.line, f.col, f.path) for f in loaded.findings] == [
        ("W020", "warning", 1, 10, ("inputs", 0)),
    ]
    f = loaded.findings[0]
    assert "'，' (U+FF0C)" in f.message
    assert f.hint is not None
    assert "[需求说明, 报价单]" in f.hint


def test_warnings_travel_with_errors() -> None:
    findings = errors_of("a: [甲，乙]\na: 1\n")
    assert [(f.code, f.severity) for f in findings] == [("W020", "warning"), ("E008", "error")]


# -- locations -------------------------------------------------------------------------------

DOC = """\
procmap: 1
stages:
  triage:
    owner: l1
    next:
      - {to: fix_l1, p: 0.6}
      - to: fix_l2
        p: 0.4
  fix_l1: {owner: l1}
sipoc:
  inputs: [Request, Ticket]
"""


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        ((), (1, 1), None),
        (("procmap",), (1, 10), (1, 1)),
        (("stages",), (3, 3), (2, 1)),
        (("stages", "triage"), (4, 5), (3, 3)),
        (("stages", "triage", "owner"), (4, 12), (4, 5)),
        (("stages", "triage", "next"), (6, 7), (5, 5)),
        (("stages", "triage", "next", 0), (6, 9), None),
        (("stages", "triage", "next", 0, "p"), (6, 25), (6, 22)),
        (("stages", "triage", "next", 1), (7, 9), None),
        (("stages", "triage", "next", 1, "to"), (7, 13), (7, 9)),
        (("stages", "triage", "next", 1, "p"), (8, 12), (8, 9)),
        (("stages", "fix_l1", "owner"), (9, 19), (9, 12)),
        (("sipoc", "inputs", 1), (11, 21), None),
    ],
    ids=lambda v: repr(v),
)
def test_marks_are_exact(path: tuple, value: tuple, key: tuple | None) -> None:
    loc = load_yaml(DOC, "doc.yaml").locator
    assert loc.filename == "doc.yaml"
    assert loc.value(path) == Mark(*value)
    assert loc.key(path) == (Mark(*key) if key else None)
    assert loc.has(path)


def test_locate_falls_back_to_longest_prefix() -> None:
    loc = load_yaml(DOC).locator
    assert loc.locate(("stages", "triage", "owner")) == Mark(4, 12)
    assert loc.locate(["stages", "triage", "duration"]) == Mark(4, 5)
    assert loc.locate(("stages", "triage", "duration"), prefer_key=True) == Mark(3, 3)
    assert loc.locate(("stages", "triage", "owner"), prefer_key=True) == Mark(4, 5)
    assert loc.locate(("nope", "deeper")) == Mark(1, 1)
    assert not loc.has(("stages", "triage", "duration"))
    assert loc.value(("nope",)) is None
    assert loc.key(("nope",)) is None


def test_locator_from_marks_copies() -> None:
    values = {(): Mark(1, 1), ("a",): Mark(2, 4)}
    keys = {("a",): Mark(2, 1)}
    loc = Locator.from_marks("x.yaml", values, keys)
    values[("b",)] = Mark(9, 9)
    assert not loc.has(("b",))
    assert loc.locate(("a", "b"), prefer_key=True) == Mark(2, 1)
    assert loc.values == {(): Mark(1, 1), ("a",): Mark(2, 4)}
    assert loc.keys == {("a",): Mark(2, 1)}


def test_alias_marks_point_at_the_alias_then_the_definition() -> None:
    loc = load_yaml("a: &x\n  k: 1\nb: *x\n").locator
    assert loc.value(("b",)) == Mark(3, 4)
    assert loc.value(("b", "k")) == Mark(2, 6)
    assert loc.key(("b", "k")) == Mark(2, 3)


def test_column_counts_characters_not_bytes() -> None:
    loc = load_yaml("名称: {客户: 服务}\n").locator
    assert loc.value(("名称", "客户")) == Mark(1, 10)


def test_loaded_yaml_shape() -> None:
    loaded = load_yaml("a: 1\n", "f.yaml")
    assert isinstance(loaded, LoadedYaml)
    assert loaded.findings == ()
    assert loaded.locator.filename == "f.yaml"


# -- robustness and the pure-Python fallback ------------------------------------------------


def test_unexpected_library_failure_becomes_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def __init__(self, text: str) -> None:
            raise RuntimeError("boom")

    monkeypatch.setattr(yaml_io, "_CParser", Broken)
    monkeypatch.setattr(yaml_io, "_USE_LIBYAML", True)
    f = only("a: 1\n", "E019")
    assert "RuntimeError: boom" in f.message


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (DOC, []),
        ("a: no\nb: 010\nc: 1:30\n", []),
        ("a: 1\na: 2\n", ["E008"]),
        ("a:\n  b: 1\n c: 2\n", ["E006"]),
        ("kpi:\n  target: >= 95%\n", ["E010"]),
        ("[" * 5000, ["E013"]),
        (billion_laughs(), ["E012"]),
    ],
    ids=["doc", "scalars", "duplicate", "syntax", "angle", "deep", "bomb"],
)
def test_pure_python_fallback(text: str, codes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with_c = None if codes else load_yaml(text)
    monkeypatch.setattr(yaml_io, "_USE_LIBYAML", False)
    if codes:
        assert [f.code for f in errors_of(text)] == codes
    else:
        pure = load_yaml(text)
        assert with_c is not None
        assert pure.data == with_c.data
        assert pure.locator.values == with_c.locator.values
        assert pure.locator.keys == with_c.locator.keys


YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab01: -[]{},'\"&*!|>#\n\t?<%@：，\x00é")), max_size=60
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(YAMLISH, st.text(max_size=60), st.binary(max_size=60)))
def test_never_a_traceback(source: str | bytes) -> None:
    failure: ModelError | None = None
    try:
        loaded = load_yaml(source)
    except ModelError as exc:
        failure = exc
    if failure is None:
        assert isinstance(loaded.data, dict)
    else:
        assert failure.errors
        assert all(f.line is not None and f.col is not None for f in failure.findings)


def test_two_thousand_stages_keep_exact_marks() -> None:
    # Speed is measured by benchmarks/bench_load.py, not here.
    lines = ["procmap: 1", "stages:"]
    for i in range(2000):
        lines += [
            f"  s{i}:",
            "    owner: l1",
            "    duration: tri(2min, 5min, 15min)",
            "    inputs: [a, b]",
            f"    next: s{i + 1}",
        ]
    text = "\n".join(lines) + "\n"
    loaded = load_yaml(text)
    assert len(loaded.data["stages"]) == 2000
    assert loaded.locator.value(("stages", "s1999", "next")) == Mark(5 * 1999 + 7, 11)
