"""procmap's YAML dialect (SPEC §2.2): a safe loader that remembers where every node sits.

Why not ``yaml.safe_load``: it resolves YAML 1.1 scalars (``no`` -> False, ``1:30`` -> 90,
``010`` -> 8, dates -> ``datetime``), keeps the last of two duplicate keys, hands out alias bombs
that explode in whatever walks the data, and forgets line numbers.  Here libyaml's C parser (or
PyYAML's pure-Python parser when libyaml is missing) only yields *events*, and this module
composes them itself, in one flat loop, so that it can:

- resolve plain scalars by the YAML 1.2 core schema minus octal, hex, sexagesimal and
  timestamps: ``true|True|TRUE`` and ``false|False|FALSE`` are the only booleans, ``[-+]?[0-9]+``
  is a decimal int, ``no``/``0x1F``/``1:30``/``2026-01-05`` stay strings, as quoted and block
  scalars always do.  No constructor ever runs, so no Python object can be built;
- count nodes *as if* aliases were expanded, so an alias bomb is refused at the alias that
  crosses ``MAX_NODES`` before anything is expanded, and refuse nesting beyond ``MAX_DEPTH``
  when it opens (libyaml keeps an explicit stack: 5,000 ``[`` reach us without recursion);
- record a :class:`Mark` for every value and every mapping key, by path.

Decisions.  Allowed tags: ``!!str !!int !!float !!bool !!null !!map !!seq`` on a value of that
kind, and the non-specific ``!``; any other tag is E011, harmless or not, as no tag means anything
in a procmap file.  An unquoted value starting with ``<`` (``target: <= 2d``) is legal YAML and
loads as the string the schema accepts, so it is left alone; E010 only replaces a *syntax error*
on a line whose value starts with ``>`` or ``<`` (``target: >= 95%``: ``>`` opens a folded block).
The full-width colon (E014) is reported for plain scalars shaped ``key：value`` with an ASCII key
where YAML expected nested lines (a value starting below its key, a list item, the top level),
for a key with no value that contains it, and for a syntax error next to a line using it; prose
such as ``注意：请确认`` is left alone.  Aliases and merge keys give independent copies, marked at
the alias and, below it, at the anchored definition.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
import yaml.events as ev

from procmap.errors import Finding, ModelError

__all__ = ["MAX_DEPTH", "MAX_NODES", "LoadedYaml", "Locator", "Mark", "load_yaml"]

MAX_NODES = 100_000
MAX_DEPTH = 100

Path = tuple[str | int, ...]

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None  # type: ignore[assignment,misc]
_USE_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False)) and _CParser is not None
_STD = "tag:yaml.org,2002:"
_NONE = object()
_MERGE = object()  # name of a `<<` item in a mapping's items
_SCALARS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **{
        sign + w: -math.inf if sign == "-" else math.inf
        for sign in ("", "+", "-")
        for w in (".inf", ".Inf", ".INF")
    },
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_BAD_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEWLINE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SPLIT_PIECE = re.compile(r"\s*[-+]?\.?[0-9]|.*[()]")  # "10min", "30min)", "2" after a comma
_FW_KEY = re.compile(r"[A-Za-z_][\w-]*\s*：")  # plain scalar that looks like `owner：l1`
_FW_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?([^\s:：#'\"{}\[\],]+)[ \t]*(：)")
_ANGLE = re.compile(r"(?:^[ \t]*(?:-[ \t]+)*|:[ \t]+|[\[{,][ \t]*)([<>])")
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?[ \t]*(?:#.*)?\Z")
_SYNTAX_HINTS = (  # words in libyaml's problem -> what to do, in plain words
    ("tab", "indent with spaces: YAML does not allow tabs for indentation"),
    (
        "mapping values are not allowed",
        "quote a value that contains ': ', or fix the indentation of this line",
    ),
    (
        "expected ':'",
        "write `key: value` with an ASCII ':' and a space; a text continued on the "
        "next line must be indented more than its key",
    ),
    ("expected key", "this line does not line up with the keys above it: check its indentation"),
    ("'-' indicator", "this line does not line up with the '- ' items above it"),
    ("',' or ']'", "a [...] list is not closed, or an item with a comma or bracket needs quotes"),
    ("',' or '}'", "a {...} mapping is not closed, or a value with a comma needs quotes"),
    ("end of stream", "a quote or bracket is opened and never closed"),
    ("escape", "in double quotes a backslash starts an escape: use single quotes instead"),
    ("sequence entries are not allowed", "put the '- ' items on their own lines, indented"),
)


@dataclass(frozen=True, slots=True)
class Mark:
    """A position in the file, 1-based as editors count (column in characters)."""

    line: int
    col: int


class Locator:
    """Where each node of the loaded document sits.

    Paths are tuples of str keys and int list indices, e.g. ``("stages", "triage", "next", 1,
    "p")``.  ``values`` maps a path to the mark of the node at it, ``keys`` to the mark of the
    mapping key whose value is at it; both are plain dicts so scenario merging can combine them.
    """

    __slots__ = ("filename", "keys", "values")

    def __init__(
        self,
        filename: str = "<string>",
        values: dict[Path, Mark] | None = None,
        keys: dict[Path, Mark] | None = None,
    ) -> None:
        self.filename = filename
        self.values: dict[Path, Mark] = {} if values is None else values
        self.keys: dict[Path, Mark] = {} if keys is None else keys

    @classmethod
    def from_marks(cls, filename: str, values: dict[Path, Mark], keys: dict[Path, Mark]) -> Locator:
        """A locator over copies of the given marks (for tests and scenario merges)."""
        return cls(filename, dict(values), dict(keys))

    def value(self, path: Sequence[str | int]) -> Mark | None:
        """Mark of the node at exactly this path, or None."""
        return self.values.get(tuple(path))

    def key(self, path: Sequence[str | int]) -> Mark | None:
        """Mark of the mapping key whose value is at this path (None for list items and root)."""
        return self.keys.get(tuple(path))

    def has(self, path: Sequence[str | int]) -> bool:
        return tuple(path) in self.values

    def locate(self, path: Sequence[str | int], *, prefer_key: bool = False) -> Mark:
        """Best mark for a finding: the path itself, else its longest existing prefix, else 1:1.

        ``prefer_key`` points at ``key:`` rather than the value below it, which reads better
        for "missing key" findings about a nested mapping.
        """
        p = tuple(path)
        for n in range(len(p), -1, -1):
            sub = p[:n]
            mark = (prefer_key and self.keys.get(sub)) or self.values.get(sub)
            if mark is not None:
                return mark
        return Mark(1, 1)


@dataclass(frozen=True)
class LoadedYaml:
    """A document read as plain Python data, its locations, and its non-fatal warnings."""

    data: Any
    locator: Locator
    findings: tuple[Finding, ...]


class _Stop(Exception):  # noqa: N818 - internal control flow, never leaves this module
    """Reading cannot go on (size or depth cap); the findings so far are reported."""


class _Scalar:
    __slots__ = ("height", "mark", "plain", "size", "text", "value")

    def __init__(self, value: Any, text: str, plain: bool, mark: Mark) -> None:
        self.value, self.text, self.plain, self.mark, self.size, self.height = (
            value,
            text,
            plain,
            mark,
            1,
            0,
        )


class _Coll:
    """A list or mapping; while it is being read it is also its own stack frame."""

    __slots__ = (
        "anchor",
        "entries",
        "flow",
        "height",
        "is_map",
        "items",
        "key",
        "mark",
        "merge",
        "size",
        "trap",
    )

    def __init__(self, is_map: bool, flow: bool, mark: Mark, anchor: str | None) -> None:
        self.is_map, self.flow, self.mark, self.anchor = is_map, flow, mark, anchor
        self.items: Any = {} if is_map else []  # nodes, or {name: (key node, value node)}
        self.entries: dict[Any, tuple[Any, Any]] | None = None  # items with `<<` expanded
        self.key: Any = None  # a key node waiting for its value
        self.trap: list[Any] | None = None  # E009: [mark, cut key, its text, items, pieces...]
        self.merge, self.size, self.height = False, 1, 1


class _Alias:
    __slots__ = ("height", "mark", "size", "target")

    def __init__(self, target: Any, mark: Mark) -> None:
        self.target, self.mark, self.size, self.height = target, mark, target.size, target.height


def _resolve_plain(text: str) -> Any:
    value = _SCALARS.get(text, _NONE)
    if value is not _NONE:
        return value
    if text[0] in "0123456789+-.":
        if _INT.match(text):
            try:
                return int(text)
            except ValueError:  # more digits than Python converts: keep the text
                return text
        if _FLOAT.match(text):
            return float(text)
    return text


def _show(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mark(event: Any) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


def _deref(node: Any) -> Any:
    return node.target if node.__class__ is _Alias else node


class _Reader:
    """One load: text to nodes (collecting findings on the way), then nodes to data."""

    def __init__(self, filename: str) -> None:
        self.filename, self.text = filename, ""
        self.findings: list[Finding] = []
        self.anchors: dict[str, Any] = {}
        self.open_anchors: set[str] = set()

    def add(self, code: str, message: str, hint: str | None, mark: Mark, path: Path = ()) -> None:
        self.findings.append(
            Finding(
                "warning" if code[0] == "W" else "error",
                code,
                message,
                hint,
                self.filename,
                mark.line,
                mark.col,
                path,
            )
        )

    def decode(self, source: str | bytes) -> str | None:
        """Text of the file, or None after reporting why it is not UTF-8 YAML text."""
        if isinstance(source, str):
            text = source
        else:
            data = bytes(source).removeprefix(b"\xef\xbb\xbf")
            nuls = data.count(0)
            if data[:4] in (b"\xff\xfe\0\0", b"\0\0\xfe\xff"):
                kind: str | None = "UTF-32"
            elif data[:2] in (b"\xff\xfe", b"\xfe\xff") or (
                4 * nuls >= len(data) > 0 and data[::2].count(0) in (0, nuls)
            ):
                kind = "UTF-16"  # with a BOM, or every other byte of ASCII text is NUL
            else:
                kind = None
            if kind:
                return self.add(
                    "E001",
                    f"the file is not UTF-8 text (it looks like {kind})",
                    "save the file as UTF-8",
                    Mark(1, 1),
                )
            try:
                text = data.decode()
            except UnicodeDecodeError as exc:
                if not nuls:
                    pos, start = exc.start, data.rfind(b"\n", 0, exc.start) + 1
                    col = len(data[start:pos].decode(errors="replace")) + 1
                    return self.add(
                        "E001",
                        f"the file is not UTF-8 text (byte 0x{data[pos]:02X} is not UTF-8;"
                        " the file may be GBK, Latin-1 or Windows-1252)",
                        "save the file as UTF-8",
                        Mark(data.count(b"\n", 0, pos) + 1, col),
                    )
                text = data.decode(errors="replace")  # binary: reported below
        text = text.removeprefix("\ufeff")
        bad = _BAD_CHAR.search(text)
        if bad is None:
            return text
        pos = text.find("\0") if "\0" in text else bad.start()
        at = Mark(text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos))
        if text[pos] == "\0":
            return self.add(
                "E002",
                "the file is binary, not YAML text (it contains NUL bytes)",
                "procmap reads YAML text files saved as UTF-8: check the file",
                at,
            )
        return self.add(
            "E002",
            f"the character U+{ord(text[pos]):04X} is not allowed in YAML text",
            "delete it (control characters often come from copying out of a PDF or a spreadsheet)",
            at,
        )

    def compose(self, text: str) -> Any:
        """The document's root node, or None after reporting why there is none."""
        self.text = text
        parser = _CParser(text) if _USE_LIBYAML else _PyParser(text)
        try:
            return self._events(parser.get_event)
        except _Stop:
            return None
        except yaml.MarkedYAMLError as exc:
            return self._syntax(exc)
        except yaml.YAMLError as exc:
            return self.add("E006", f"YAML error: {_show(str(exc), 200)}", None, Mark(1, 1))
        finally:
            getattr(parser, "dispose", lambda: None)()

    def _events(self, get: Any) -> Any:  # the hot loop: kept flat on purpose
        scalar, alias, map_start, seq_start = (
            ev.ScalarEvent,
            ev.AliasEvent,
            ev.MappingStartEvent,
            ev.SequenceStartEvent,
        )
        stack: list[_Coll] = []
        top: Any = None
        total = 0
        get()  # StreamStartEvent
        if get().__class__ is ev.StreamEndEvent:
            return self.add("E003", "the file is empty", "start it with `procmap: 1`", Mark(1, 1))
        while True:
            event = get()
            cls = event.__class__
            if cls is scalar:
                text = event.value
                if event.tag is not None:
                    node = self._tagged(event, stack)
                else:
                    plain = not event.style
                    node = _Scalar(
                        _resolve_plain(text) if plain else text,
                        text,
                        plain,
                        Mark(event.start_mark.line + 1, event.start_mark.column + 1),
                    )
                total += 1
                if event.anchor is not None:
                    self.anchors[event.anchor] = node
                    self.open_anchors.discard(event.anchor)
            elif cls is map_start or cls is seq_start:
                is_map = cls is map_start
                top = _Coll(is_map, bool(event.flow_style), _mark(event), event.anchor)
                total += 1
                if len(stack) >= MAX_DEPTH:
                    self._too_deep(top.mark, stack)
                if event.tag not in (None, "!", _STD + ("map" if is_map else "seq")):
                    self._bad_tag(event.tag, top.mark, stack)
                self.open_anchors.add(event.anchor)
                stack.append(top)
                continue
            elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
                node = stack.pop()
                if node.trap:
                    self._comma_trap(node.trap, stack)
                if node.anchor is not None:
                    self.open_anchors.discard(node.anchor)
                    self.anchors[node.anchor] = node
                if not stack:
                    break
                top = stack[-1]
            elif cls is alias:
                node = self._alias(event, stack)
                total += node.size
            else:
                continue
            if total > MAX_NODES:
                self.add(
                    "E012",
                    f"the document is too large: more than {MAX_NODES:,} values once"
                    " aliases (*name) are expanded",
                    "a procmap model needs far fewer; check "
                    "for aliases that repeat each other (an 'alias bomb')",
                    node.mark,
                    self._path(stack),
                )
                raise _Stop
            if top is None:  # the document is a single scalar
                break
            top.size += node.size
            if node.height >= top.height:
                top.height = node.height + 1
            if not top.is_map:
                if node.__class__ is _Scalar and node.plain and node.value.__class__ is str:
                    self._item(node, top, stack)
                top.items.append(node)
            elif top.key is None:
                top.key = node
            else:
                key, top.key = top.key, None
                if (
                    key.__class__ is _Scalar
                    and key.value.__class__ is str
                    and "：" not in key.text
                    and key.value not in top.items
                    and key.text != "<<"
                    and not (
                        node.__class__ is _Scalar
                        and node.plain
                        and (not node.text or "：" in node.text)
                    )
                ):
                    top.items[key.value] = (key, node)  # the usual case, checked fast
                else:
                    self._pair(top, key, node, stack)
        get()  # DocumentEndEvent
        if (event := get()).__class__ is ev.DocumentStartEvent:
            self.add(
                "E004",
                "the file holds more than one YAML document (a second '---')",
                "keep one model per file: remove the '---' line or split the file",
                _mark(event),
            )
        return node

    def _path(self, stack: list[_Coll]) -> Path:
        out: list[str | int] = []
        for coll in stack:
            if not coll.is_map:
                out.append(len(coll.items))
            elif coll.key is not None:
                out.append(getattr(_deref(coll.key), "value", "?"))
        return tuple(out)

    def _too_deep(self, mark: Mark, stack: list[_Coll]) -> None:
        self.add(
            "E013",
            f"the document nests more than {MAX_DEPTH} levels deep",
            "a procmap "
            "model needs only a few levels: look for a runaway '[' or '{', or aliases "
            "nested in each other",
            mark,
            self._path(stack),
        )
        raise _Stop

    def _bad_tag(self, tag: str, mark: Mark, stack: list[_Coll], why: str = "") -> None:
        shown = "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag
        self.add(
            "E011",
            why or f"tags are not allowed: '{_show(shown)}'",
            "remove the tag; procmap reads plain text, numbers, lists and mappings only",
            mark,
            self._path(stack),
        )

    def _tagged(self, event: Any, stack: list[_Coll]) -> _Scalar:
        tag, text, mark = event.tag, event.value, _mark(event)
        kind = tag[len(_STD) :] if tag.startswith(_STD) else None
        value: Any = text
        if kind in ("int", "float", "bool", "null"):
            value = _resolve_plain(text) if text else None
            value = float(value) if kind == "float" and value.__class__ is int else value
            if value.__class__ is not {"int": int, "float": float, "bool": bool}.get(
                kind, type(None)
            ):
                self._bad_tag(tag, mark, stack, f"'{_show(text)}' is not a valid !!{kind}")
        elif tag != "!" and kind != "str":
            self._bad_tag(tag, mark, stack)
        return _Scalar(value, text, False, mark)

    def _alias(self, event: Any, stack: list[_Coll]) -> Any:
        name, mark = event.anchor, _mark(event)
        target = self.anchors.get(name)
        if target is None or name in self.open_anchors:
            why = (
                "refers to the list or mapping that contains it"
                if name in self.open_anchors
                else f"has no anchor &{name} above it"
            )
            self.add(
                "E016",
                f"the alias *{name} {why}",
                f"define &{name} on an earlier value, or quote a text that starts with '*'",
                mark,
                self._path(stack),
            )
            return _Scalar(None, "", False, mark)
        if len(stack) + target.height > MAX_DEPTH:
            self._too_deep(mark, stack)
        return _Alias(target, mark)

    def _item(self, node: _Scalar, seq: _Coll, stack: list[_Coll]) -> None:
        text = node.text
        if "：" in text and _FW_KEY.match(text):
            self._fw_colon(node.mark, text, self._path(stack))
        elif seq.flow and "，" in text:
            self.add(
                "W020",
                f"'{_show(text)}' contains a full-width comma '，' (U+FF0C): in "
                "[...] only ',' separates items, so this is one item",
                f"write [{_show(text.replace('，', ', '))}] for separate items, or quote "
                "the text to keep it as one",
                node.mark,
                self._path(stack),
            )

    def _fw_colon(self, mark: Mark, text: str, path: Path = (), shift: bool = True) -> None:
        key, _, rest = (part.strip() for part in text.partition("："))
        if shift:  # point at the colon itself (the key before it is short, on the same line)
            mark = Mark(mark.line, mark.col + text.index("："))
        self.add(
            "E014",
            f"full-width colon '：' (U+FF1A) after '{_show(key)}': use ':'",
            f"write `{_show(key)}: {_show(rest)}` with an ASCII ':' and a space "
            "(switch the input method to half-width)",
            mark,
            path,
        )

    def _pair(self, coll: _Coll, key: Any, value: Any, stack: list[_Coll]) -> None:
        """Add one key/value to a mapping, checking what the fast path in _events skipped."""
        path, key = self._path(stack), _deref(key)
        if key.__class__ is not _Scalar:
            return self.add(
                "E007",
                "keys must be text: a list or mapping is used as a key",
                "check for a stray '?', '[' or '{' before the ':'",
                key.mark,
                path,
            )
        if key.plain and value.__class__ is _Scalar and value.plain and not value.text:
            if coll.flow and _SPLIT_PIECE.match(key.text):  # {handoff: tri(5min, 10min, ...)}
                if coll.trap is None:
                    name, (_, cut) = next(reversed(coll.items.items()), (None, (None, None)))
                    coll.trap = [key.mark, name, getattr(cut, "text", None), len(coll.items)]
                if coll.trap[3] == len(coll.items):  # only the pieces of the first cut value
                    coll.trap.append(key.text)
                return None
            if "：" in key.text:
                return self._fw_colon(key.mark, key.text, (*path, key.text))
        if key.plain and key.text == "<<":
            name: Any = _MERGE
            self._check_merge(value, (*path, "<<"))
            coll.merge = True
        elif key.value.__class__ is str:
            name = key.value
        else:
            what = {bool: "a boolean", type(None): "empty (null)"}.get(type(key.value), "a number")
            return self.add(
                "E007",
                f"keys must be text; '{_show(key.text)}' is read as {what}; quote it",
                f'quote it: "{_show(key.text)}": …',
                key.mark,
                path,
            )
        shown = "<<" if name is _MERGE else name
        if name in coll.items:
            return self.add(
                "E008",
                f"duplicate key '{_show(shown)}' (first at line {coll.items[name][0].mark.line})",
                "keep one of them: YAML would silently use "
                "only one value" + (" (merge several with <<: [*a, *b])" if shown == "<<" else ""),
                key.mark,
                (*path, shown),
            )
        if (
            value.__class__ is _Scalar
            and value.plain
            and "：" in value.text
            and value.mark.line > key.mark.line
            and _FW_KEY.match(value.text)
        ):
            self._fw_colon(value.mark, value.text, (*path, shown))
        coll.items[name] = (key, value)
        return None

    def _check_merge(self, value: Any, path: Path) -> None:
        node = _deref(value)
        for item in node.items if node.__class__ is _Coll and not node.is_map else [node]:
            if _deref(item).__class__ is not _Coll or not _deref(item).is_map:
                return self.add(
                    "E015",
                    "'<<' (merge key) needs a mapping or a list of mappings",
                    "write <<: *base, or <<: [*base, *other], where &base marks a mapping",
                    value.mark,
                    path,
                )
        return None

    def _comma_trap(self, trap: list[Any], stack: list[_Coll]) -> None:
        mark, name, value, _, *pieces = trap
        listed = ", ".join(f"'{_show(p)}'" for p in pieces)
        message = f"{listed} read as key{'s' * (len(pieces) > 1)} with no value: "
        if isinstance(name, str) and value is not None:
            message += f"the value of '{_show(name)}' was cut at a comma inside {{…}}"
            example = f'{name}: "{", ".join([value, *pieces])}"'
        else:
            message += "a value was cut at a comma inside {…}"
            example = 'handoff: "tri(5min, 10min, 30min)"'
        self.add(
            "E009",
            message,
            f"quote a value that has commas inside {{…}}: {example}",
            mark,
            self._path(stack),
        )

    def _syntax(self, exc: yaml.MarkedYAMLError) -> None:
        """Report a scanner/parser error, as a trap (E010, E014, E017) when one explains it."""
        pm, cm = exc.problem_mark, exc.context_mark
        lines = _NEWLINE.split(self.text)
        near = sorted({m.line for m in (cm, pm) if m is not None and m.line < len(lines)})
        if any(self._angle_trap(lines, n) for n in near):
            return None
        last = near[-1] if near else 0
        for n in sorted({*near, last - 1, last - 2} - {-1, -2}, reverse=True):
            if hit := _FW_LINE.match(lines[n]):  # replaces an E014 the last events gave
                self.findings = [f for f in self.findings if (f.code, f.line) != ("E014", n + 1)]
                return self._fw_colon(
                    Mark(n + 1, hit.start(2) + 1), lines[n][hit.start(1) :].strip(), shift=False
                )
        for n in sorted({*near, last - 1} - {-1}, reverse=True):
            # a full-width comma typed between the items of {…} or […] (Chinese input methods)
            col = lines[n].find("，")
            if col >= 0 and re.search(r"[{\[]", lines[n][:col]):
                return self.add(
                    "E017",
                    "full-width comma '，' (U+FF0C) between the items of {…} or […]",
                    "use the ASCII comma ',' followed by a space (switch the input method to half-width)",
                    Mark(n + 1, col + 1),
                )
        at = pm or cm
        mark = Mark(at.line + 1, at.column + 1) if at else Mark(1, 1)
        problem = exc.problem or str(exc)
        message = f"YAML syntax error: {problem}"
        if exc.context:
            where = f" at line {cm.line + 1}" if cm and cm.line + 1 != mark.line else ""
            message += f" ({exc.context}{where})"
        char = (lines[mark.line - 1] if mark.line <= len(lines) else "")[mark.col - 1 : mark.col]
        hint = next((h for k, h in _SYNTAX_HINTS if k in problem), None)
        if char == "\t":
            hint = _SYNTAX_HINTS[0][1]
        elif hint is None and char and char in "@`%!&*|":
            hint = f"'{char}' cannot start an unquoted value: put the value in quotes"
        return self.add(
            "E006",
            message,
            hint or "check this line and the one above it; putting the value in quotes often helps",
            mark,
        )

    def _angle_trap(self, lines: list[str], n: int) -> bool:
        line = lines[n]
        hit = _ANGLE.search(line)
        if not hit or _BLOCK_HEADER.match(line, hit.start(1)):
            return False
        char, pos = hit.group(1), hit.start(1)
        value = re.split(r"\s#", line[pos:])[0].strip()
        if re.search(r"[\[{]", line[:pos]):
            value = re.split(r"[,}\]]", value)[0].strip()
        key = re.search(r"([^\s{,\[]+):\s*\Z", line[:pos])
        example = (f"{key.group(1)}: " if key else "") + f'"{value}"'
        why = "the start of a folded text block" if char == ">" else "a special character"
        self.add(
            "E010",
            f"'{_show(value)}' starts with '{char}', which YAML reads as {why}",
            f"quote it, or write {{{'at_least' if char == '>' else 'at_most'}: …}}: {example}",
            Mark(n + 1, pos + 1),
        )
        return True

    def build(self, node: Any, path: Path, values: dict[Path, Mark], keys: dict[Path, Mark]) -> Any:
        """Plain data for a node, recording marks; aliases are copied, marked at the alias."""
        node = _deref(node)
        if node.__class__ is _Scalar:
            return node.value
        if not node.is_map:
            out: list[Any] = []
            for i, item in enumerate(node.items):
                values[p := (*path, i)] = item.mark
                out.append(
                    item.value if item.__class__ is _Scalar else self.build(item, p, values, keys)
                )
            return out
        data: dict[str, Any] = {}
        for name, (key, value) in _entries(node).items():
            values[p := (*path, name)] = value.mark
            keys[p] = key.mark
            data[name] = (
                value.value if value.__class__ is _Scalar else self.build(value, p, values, keys)
            )
        return data


def _entries(node: _Coll) -> dict[Any, tuple[Any, Any]]:
    """A mapping's items with merge keys expanded in place.

    As in YAML 1.1: explicit keys win wherever they appear, and among merged mappings the
    earlier one wins.  Cached because an anchored mapping may be merged many times.
    """
    if node.entries is None:
        out: dict[Any, tuple[Any, Any]] = {} if node.merge else node.items
        for name, (key, value) in node.items.items() if node.merge else ():
            if name is not _MERGE:
                out[name] = (key, value)
                continue
            source = _deref(value)
            for src in source.items if not source.is_map else [source]:
                for entry, pair in _entries(_deref(src)).items():
                    if entry not in node.items and entry not in out:
                        out[entry] = pair
        node.entries = out
    return node.entries


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python parser: the same events as libyaml, for machines without it."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def load_yaml(source: str | bytes, filename: str = "<string>") -> LoadedYaml:
    """Read ``source`` as procmap's YAML dialect (SPEC §2.2) into plain data with locations.

    Raises :class:`ModelError` holding every fatal finding (each with file, line and col) and
    any warnings when the text cannot be read; warnings alone are returned in ``findings``.
    No exception of the YAML library and no traceback ever reaches the caller.
    """
    reader = _Reader(filename)
    try:
        text = reader.decode(source)
        root = reader.compose(text) if text is not None else None
        if root is not None and not any(f.is_error for f in reader.findings):
            if root.__class__ is _Scalar and root.value is None:
                reader.add("E003", "the file is empty", "start it with `procmap: 1`", Mark(1, 1))
            elif root.__class__ is _Scalar and _FW_KEY.match(root.text):
                reader._fw_colon(root.mark, root.text)
            elif root.__class__ is not _Coll or not root.is_map:
                kind = "a list" if root.__class__ is _Coll else f"the value '{_show(root.text)}'"
                reader.add(
                    "E005",
                    f"the top level must be a mapping of keys, but the file holds {kind}",
                    "start the file with `procmap: 1` and write `key: value` "
                    "lines at the left margin",
                    root.mark,
                )
        if root is None or any(f.is_error for f in reader.findings):
            raise ModelError(reader.findings)
        values: dict[Path, Mark] = {(): root.mark}
        keys: dict[Path, Mark] = {}
        data = reader.build(root, (), values, keys)
    except ModelError:
        raise
    except Exception as exc:  # never a traceback: the library failed in a way not foreseen
        reader.add(
            "E019",
            f"the YAML could not be read ({type(exc).__name__}: {_show(str(exc), 120)})",
            "please report this file to the procmap maintainers",
            Mark(1, 1),
        )
        raise ModelError(reader.findings) from exc
    return LoadedYaml(data, Locator(filename, values, keys), tuple(reader.findings))
