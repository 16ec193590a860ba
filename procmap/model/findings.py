"""Turn pydantic's validation errors into located findings.

pydantic reports where a value failed as a ``loc`` tuple (``("stages", "triage", "owner")``);
the YAML loader recorded where each node sits.  Here the two meet: tags of discriminated unions
(``@list``) are dropped from ``loc``, the ``sub_path`` our validators attach is appended, and the
longest known prefix gives ``file:line:col``.  Unknown keys get "did you mean" from the fields
of the model they were found in.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from procmap.errors import Finding
from procmap.model.yaml_io import Locator

__all__ = ["did_you_mean", "schema_findings"]

_TYPE_WORDS = {
    "dict_type": "a mapping ({key: value})",
    "model_type": "a mapping ({key: value})",
    "model_attributes_type": "a mapping ({key: value})",
    "list_type": "a list ([a, b] or '- item' lines)",
    "tuple_type": "a list ([a, b] or '- item' lines)",
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "literal_error": None,
    "too_short": None,
}


_BOUNDS = {
    "greater_than_equal": ("≥", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("≤", "le"),
    "less_than": ("<", "lt"),
}


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str | None:
    """``"did you mean 'owner'?"`` when a close match exists."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and part.startswith("@"):
            continue  # the tag of a discriminated union, not a document key
        if part == "[key]":
            continue
        out.append(part)
    return tuple(out)


def _unwrap(tp: Any) -> list[Any]:
    """The model classes a field annotation may hold (through Optional, Annotated, containers)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(tp) for m in _unwrap(arg)]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    return [tp]


def _step(tp: Any, part: str | int) -> list[Any]:
    """Annotations reached from ``tp`` by one path element."""
    out: list[Any] = []
    for option in _unwrap(tp):
        origin = typing.get_origin(option)
        args = typing.get_args(option)
        if isinstance(option, type) and issubclass(option, BaseModel):
            if isinstance(part, str):
                for name, field in option.model_fields.items():
                    if part in (name, field.alias):
                        out.append(field.annotation)
                        # keep Annotated metadata-free annotation
        elif origin is dict and len(args) == 2:
            out.append(args[1])
        elif origin in (tuple, list) and args:
            out.append(args[0])
    return out


def allowed_keys(root: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The keys a mapping at ``path`` may hold, found by walking the schema's annotations."""
    current: list[Any] = [root]
    for part in path:
        current = [nxt for tp in current for nxt in _step(tp, part)]
        if not current:
            return []
    keys: list[str] = []
    for tp in current:
        for option in _unwrap(tp):
            if isinstance(option, type) and issubclass(option, BaseModel):
                keys.extend(f.alias or n for n, f in option.model_fields.items())
    return list(dict.fromkeys(keys))


def schema_findings(
    exc: ValidationError,
    locator: Locator,
    root: type[BaseModel],
    *,
    scenario: str | None = None,
    path_prefix: tuple[str | int, ...] = (),
) -> list[Finding]:
    """One finding per pydantic error, located in the YAML."""
    findings: list[Finding] = []
    seen: set[tuple[str, tuple[str | int, ...]]] = set()
    for err in exc.errors(include_url=False):
        kind = err["type"]
        loc = _clean_loc(tuple(err["loc"]))
        ctx = err.get("ctx") or {}
        sub = tuple(ctx.get("sub_path") or ())
        path = loc + sub
        hint = ctx.get("hint")
        value = err.get("input")
        prefer_key = False
        if kind.startswith(("E", "W")) and kind[1:].isdigit():
            code, message = kind, err["msg"]
            # a rule about a whole object (a stage, a team), or a key it lacks, points at the
            # object's name rather than at its first key
            prefer_key = isinstance(value, dict) and not (sub and locator.has(path_prefix + path))
        elif kind == "extra_forbidden":
            code = "E100"
            key = str(loc[-1]) if loc else "?"
            where = _owner_words(loc[:-1])
            message = f"unknown key {key!r}{where}"
            choices = allowed_keys(root, loc[:-1])
            hint = did_you_mean(key, choices)
            if choices:
                allowed = f"allowed keys: {', '.join(choices)}"
                hint = f"{hint} ({allowed})" if hint else allowed
            prefer_key = True
        elif kind == "missing":
            code = "E101"
            key = str(loc[-1]) if loc else "?"
            message = f"missing key {key!r}{_owner_words(loc[:-1])}"
            path = loc[:-1]
            prefer_key = True
        elif kind == "literal_error":
            code = "E102"
            expected = str(ctx.get("expected", "")).replace("True", "true")
            message = f"{_got(value)} is not allowed here: expected {expected}"
        elif _TYPE_WORDS.get(kind):
            code = "E102"
            message = f"expected {_TYPE_WORDS[kind]}, got {_got(value)}"
            if isinstance(value, str) and "：" in value:
                hint = "full-width colon '：' (U+FF1A): use ':' followed by a space"
        elif kind == "too_short":
            code = "E102"
            least = ctx.get("min_length", 1)
            message = (
                f"expected at least {least} item{'s' * (least != 1)}, "
                f"got {ctx.get('actual_length', 0)}"
            )
        elif kind in _BOUNDS:
            code = "E102"
            sign, key = _BOUNDS[kind]
            bound = ctx.get(key)
            shown = f"{bound:g}" if isinstance(bound, int | float) else bound
            message = f"expected a number {sign} {shown}, got {_got(value)}"
        else:
            code = "E102"
            message = f"{err['msg']} (got {_got(value)})"
        full = path_prefix + path
        if (code, full) in seen:
            continue
        seen.add((code, full))
        mark = locator.locate(full, prefer_key=prefer_key)
        findings.append(
            Finding(
                severity="warning" if code.startswith("W") else "error",
                code=code,
                message=message,
                hint=hint,
                file=locator.filename,
                line=mark.line,
                col=mark.col,
                path=full,
                scenario=scenario,
            )
        )
    return findings


def _owner_words(path: tuple[str | int, ...]) -> str:
    """' in stage 'triage'' etc.: say which object the key belongs to."""
    if len(path) >= 2 and path[0] in (
        "stages",
        "teams",
        "calendars",
        "slas",
        "segments",
        "scenarios",
    ):
        kind = {
            "stages": "stage",
            "teams": "team",
            "calendars": "calendar",
            "slas": "SLA",
            "segments": "segment",
            "scenarios": "scenario",
        }[str(path[0])]
        rest = ".".join(str(p) for p in path[2:])
        return f" in {kind} {path[1]!r}" + (f" ({rest})" if rest else "")
    if path:
        return " in " + ".".join(str(p) for p in path)
    return " at the top level"
