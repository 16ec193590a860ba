"""Parsing the values people write in a process model: durations, rates, shares, dates, targets.

These are pure functions with no pydantic dependency: each one takes what YAML produced (a
string, a number, sometimes a date) and returns a plain value or raises :class:`ValueProblem`,
which the schema layer turns into a located finding.  Every message quotes the offending value
and says how to fix it, because the reader is a consultant in a workshop, not a programmer.

All times are float seconds.  ``d`` is 24 h and ``w`` is 7 d of *clock* time (SPEC §2.3).
Finding codes E110–E129 (see ``docs/errors.md``):

E110 not a duration · E111 ``m`` is ambiguous · E112 negative, NaN, infinite or boolean number ·
E113 unknown time unit · E114 not a rate · E115 share above 1 without ``%`` · E116 not a share or
probability · E117 not a date or datetime · E118 time-zone offset · E119 full-width or look-alike
character · E120 not a date range · E121 not a target · E122–E124 distributions (see
``distributions.py``).
"""

from __future__ import annotations

import calendar
import difflib
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

__all__ = [
    "CANONICAL_UNITS",
    "UNIT_SECONDS",
    "Duration",
    "Rate",
    "Target",
    "ValueProblem",
    "check_fullwidth",
    "exact_duration_text",
    "format_duration",
    "parse_date",
    "parse_date_range",
    "parse_datetime",
    "parse_duration",
    "parse_probability",
    "parse_rate",
    "parse_share",
    "parse_target",
    "parse_time_unit",
]


class ValueProblem(ValueError):  # noqa: N818 (the name others code against)
    """A value the user wrote cannot be used; carries a finding code, a fix and a sub-path.

    ``path`` is where inside the value the problem sits (a mapping key, a list index), so the
    finding can point at that node rather than at the whole value.
    """

    def __init__(self, code: str, message: str, hint: str | None = None, path: tuple = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.path = tuple(path)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ValueProblem({self.code!r}, {self.message!r}, hint={self.hint!r})"


# --- units ---------------------------------------------------------------------------------

CANONICAL_UNITS = ("s", "min", "h", "d", "w")
_CANONICAL_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_UNIT_WORDS = {
    "s": ("s", "sec", "secs", "second", "seconds", "秒", "秒钟"),
    "min": ("min", "mins", "minute", "minutes", "分", "分钟"),
    "h": ("h", "hr", "hrs", "hour", "hours", "小时", "时", "个小时"),
    "d": ("d", "day", "days", "天", "日"),
    "w": ("w", "wk", "wks", "week", "weeks", "周", "星期", "个星期"),
}
_CANONICAL_OF = {word: canon for canon, words in _UNIT_WORDS.items() for word in words}
UNIT_SECONDS: dict[str, float] = {w: _CANONICAL_SECONDS[c] for w, c in _CANONICAL_OF.items()}
"""Every accepted unit word (Latin words in lower case; lookups ignore case) -> seconds."""

_UNIT_HINT = (
    "units: s, min, h, d, w (also sec, second(s), minute(s), hr, hour(s), day(s), wk, week(s), "
    "秒, 分钟, 小时, 天, 周)"
)
_NO_FIXED_LENGTH = {"month", "months", "mo", "mon", "y", "yr", "yrs", "year", "years", "月", "年"}
_M_MESSAGE = "write min (m is ambiguous: minutes or months?)"


def _q(value: object) -> str:
    """Quote a value the way messages show it: strings in single quotes, the rest as-is."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def _unit(word: str, context: str) -> str:
    """The canonical unit for ``word``; ``context`` is the quoted value, for the message."""
    key = word.lower()
    if key in _CANONICAL_OF:
        return _CANONICAL_OF[key]
    if key == "m":
        raise ValueProblem("E111", f"unit 'm' in {context}: {_M_MESSAGE}", "min for minutes")
    if key in _NO_FIXED_LENGTH:
        hint = "months and years have no fixed length: write days or weeks (30d, 52w)"
    else:
        close = difflib.get_close_matches(key, list(_CANONICAL_OF), n=1, cutoff=0.6)
        hint = (f"did you mean {close[0]}? " if close else "") + _UNIT_HINT
    raise ValueProblem("E113", f"unknown time unit '{word}' in {context}", hint)


def parse_time_unit(value: object) -> str:
    """The canonical short name (``s``, ``min``, ``h``, ``d``, ``w``) of a unit word."""
    if not isinstance(value, str) or not value.strip():
        raise ValueProblem("E113", f"{_q(value)} is not a time unit", _UNIT_HINT)
    check_fullwidth(value, "time unit")
    return _unit(value.strip(), f"the time unit {_q(value)}")


# --- numbers -------------------------------------------------------------------------------

_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUM_RE = re.compile(rf"[+-]?{_NUM}")
_UNUM_RE = re.compile(_NUM)
_PART_RE = re.compile(rf"\s*({_NUM})\s*([^\W\d_]+)")
_NONFINITE_RE = re.compile(r"[+-]?(?:nan|inf|infinity)\s*[^\W\d_]*", re.IGNORECASE)
_DECIMAL_COMMA_RE = re.compile(r"\d+,\d+\s*[^\W\d_]*")


def _real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _fmt_num(x: float) -> str:
    """Shortest text that reads back as exactly ``x`` (``5`` rather than ``5.0``)."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e16:
        return str(int(x))
    return repr(float(x))


def _check_number(x: float, text: str, what: str) -> float:
    """Refuse NaN, infinities and negatives, which no duration, rate or share can be."""
    if math.isnan(x) or math.isinf(x):
        raise ValueProblem("E112", f"{what} {text} is not a finite number", "write a number")
    if x < 0:
        raise ValueProblem(
            "E112", f"{what} {text} is negative", f"a {what} cannot be negative: remove the '-'"
        )
    return x


def _refuse_bool(value: object, what: str) -> None:
    if isinstance(value, bool):
        raise ValueProblem(
            "E112", f"{_q(value)} is not a {what}", "write a number (true/false are booleans)"
        )


# --- durations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Duration:
    """A parsed duration: ``seconds``; ``text``, the user's words; ``bare``, no unit given.

    ``bare`` matters because a bare number takes ``process.time_unit``: the schema warns
    "add a unit" for a bare non-zero number when no ``time_unit`` is set.
    """

    seconds: float
    text: str
    bare: bool


def parse_duration(value: object, time_unit: str | None = None) -> Duration:
    """``"30min"``, ``"1.5h"``, ``"2 hours"``, ``"3天"``, ``"1h 30min"`` or a bare number.

    A bare number (or numeric string) is in ``time_unit`` (default ``h``); ``text`` keeps the
    user's words, so a bare ``90`` stays ``"90"`` and reads back the same in its document.
    """
    _refuse_bool(value, "duration")
    if isinstance(value, Duration):
        return value
    if isinstance(value, timedelta):
        secs = _check_number(value.total_seconds(), f"'{value}'", "duration")
        return Duration(secs, exact_duration_text(secs), False)
    if _real(value):
        x = _check_number(float(value), _q(value), "duration")  # type: ignore[arg-type]
        seconds = x * _CANONICAL_SECONDS[_bare_unit(time_unit)]
        return Duration(_finite(seconds, _q(value)), _fmt_num(x), True)
    if not isinstance(value, str):
        hint = "write a number and a unit: 30min, 2h"
        raise ValueProblem("E110", f"expected a duration, got {_kind(value)}", hint)
    text = value.strip()
    check_fullwidth(text, "duration")
    body = text[1:].strip() if text[:1] in "+-" else text
    parts = _PART_RE.findall(body)
    bare = _UNUM_RE.fullmatch(body) is not None
    if bare or (parts and "".join(n + u for n, u in parts) == re.sub(r"\s+", "", body)):
        if text.startswith("-"):
            _check_number(-1.0, f"'{text}'", "duration")
        if bare:
            seconds = float(body) * _CANONICAL_SECONDS[_bare_unit(time_unit)]
        else:
            quoted = f"the duration '{text}'"
            seconds = sum(float(n) * UNIT_SECONDS[_unit(u, quoted)] for n, u in parts)
        return Duration(_finite(seconds, f"'{text}'"), text, bare)
    if _NONFINITE_RE.fullmatch(text):
        raise ValueProblem("E112", f"duration '{text}' is not a finite number", "write a number")
    hint = "write a number and a unit: 30min, 1.5h, 2d; " + _UNIT_HINT
    if _DECIMAL_COMMA_RE.fullmatch(text):
        hint = f"write a decimal point: '{text.replace(',', '.')}'"
    raise ValueProblem("E110", f"'{text}' is not a duration", hint)


def _bare_unit(time_unit: str | None) -> str:
    return "h" if time_unit is None else parse_time_unit(time_unit)


def _finite(seconds: float, text: str) -> float:
    if math.isinf(seconds):  # e.g. '1e400h'; NaN cannot come out of the parsers above
        raise ValueProblem("E112", f"duration {text} is too large", "write a smaller number")
    return seconds


def _kind(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"{type(value).__name__} {value!r}"


_FORMAT_STEPS = (("d", 86400.0, "h", 24), ("h", 3600.0, "min", 60), ("min", 60.0, "s", 60))


def format_duration(seconds: float) -> str:
    """A short human form for messages and labels: ``45min``, ``1.5h``, ``2d 3h``, ``0s``.

    It rounds (at most one decimal, or two whole units); for an exact text use
    :func:`exact_duration_text`.
    """
    if math.isnan(seconds) or math.isinf(seconds):
        return str(seconds)
    if seconds < 0:
        return "-" + format_duration(-seconds)
    if seconds == 0:
        return "0s"
    for unit, size, sub, per in _FORMAT_STEPS:
        if seconds >= size * (1 - 1e-9):
            v = seconds / size
            if abs(v * 10 - round(v * 10)) < 1e-6 * max(1.0, v):
                return _fmt_num(round(v, 1)) + unit
            whole = math.floor(v + 1e-9)
            rest = round((seconds - whole * size) / (size / per))
            if rest >= per:
                whole, rest = whole + 1, 0
            return f"{whole}{unit}" + (f" {rest}{sub}" if rest else "")
    return f"{seconds:.3g}s".replace("e-0", "e-")


def exact_duration_text(seconds: float) -> str:
    """A text that :func:`parse_duration` reads back as exactly ``seconds`` (for round trips).

    It picks the unit with the fewest digits (``5min``, ``2h``, ``90s``), else plain seconds.
    """
    if seconds == 0:
        return "0s"
    best: tuple[int, str] | None = None
    for unit in ("w", "d", "h", "min", "s"):
        size = _CANONICAL_SECONDS[unit]
        num = _fmt_num(seconds / size)
        if float(num) * size == seconds and (best is None or len(num) < best[0]):
            best = (len(num), num + unit)
    assert best is not None  # "s" always reads back exactly
    return best[1]


# --- rates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """An arrival rate: ``per_second`` and ``text``, the user's words."""

    per_second: float
    text: str


_COUNTER = r"(?:次|个|件|单|例|人|位)?"
_RATE_RE = re.compile(
    rf"(?P<num>[+-]?{_NUM})\s*{_COUNTER}\s*(?:/|\bper\b)\s*(?P<per>{_NUM})?\s*(?P<unit>[^\W\d_]+)",
    re.IGNORECASE,
)
_RATE_HINT = "write a count per time: 6/h, 120/d, 15/w, 0.5/min or '6 per hour'"


def parse_rate(value: object, time_unit: str | None = None) -> Rate:
    """``"6/h"``, ``"120/d"``, ``"6 per hour"``, ``"6次/小时"``, ``"3/2h"``.

    A bare number is per ``time_unit`` (default ``h``).  Zero is refused: a source that never
    sends work should be removed, and a zero rate would divide by zero downstream.
    """
    _refuse_bool(value, "rate")
    if isinstance(value, str) and _NUM_RE.fullmatch(value.strip()):  # a quoted bare number
        return Rate(parse_rate(float(value), time_unit).per_second, value.strip())
    if _real(value):
        x = _check_number(float(value), _q(value), "rate")  # type: ignore[arg-type]
        per = _CANONICAL_SECONDS[_bare_unit(time_unit)]
        text = _fmt_num(x)
    elif isinstance(value, str):
        text = value.strip()
        check_fullwidth(text, "rate")
        m = _RATE_RE.fullmatch(text)
        if not m:
            hint = _RATE_HINT
            if _is_duration(text):
                hint = f"a rate is a count per time; for a time between cases: interarrival: {text}"
            raise ValueProblem("E114", f"'{text}' is not a rate", hint)
        x = _check_number(float(m["num"]), f"'{text}'", "rate")
        per = float(m["per"] or 1) * UNIT_SECONDS[_unit(m["unit"], f"the rate '{text}'")]
        if per <= 0 or math.isinf(per):
            raise ValueProblem(
                "E114", f"'{text}': the time in a rate must be above zero", _RATE_HINT
            )
    else:
        raise ValueProblem("E114", f"expected a rate, got {_kind(value)}", _RATE_HINT)
    if x == 0:
        raise ValueProblem(
            "E114",
            f"rate {_q(value)} is zero",
            "a rate must be above zero; remove a source that never sends work",
        )
    if math.isinf(x / per):
        raise ValueProblem("E112", f"rate {_q(value)} is too large", "write a smaller number")
    return Rate(x / per, text)


def _is_duration(text: str) -> bool:
    try:
        return not parse_duration(text).bare
    except ValueProblem:
        return False


# --- shares and probabilities --------------------------------------------------------------

_PCT_RE = re.compile(rf"(?P<num>[+-]?{_NUM})\s*%")
_FRACTION_RE = re.compile(r"(?P<a>\d+)\s*/\s*(?P<b>\d+)")


def parse_share(value: object) -> float:
    """``"95%"``, ``"95 %"``, ``0.95``, ``1``; above 1 without ``%`` is E115 ("write 95%")."""
    return _share(value, "share", fractions=False)


def parse_probability(value: object) -> float:
    """A share, or a fraction such as ``"1/3"``."""
    return _share(value, "probability", fractions=True)


def _share(value: object, what: str, *, fractions: bool) -> float:
    forms = "95% or 0.95" + (" or 1/3" if fractions else "")
    _refuse_bool(value, what)
    if _real(value):
        x = _check_number(float(value), _q(value), what)  # type: ignore[arg-type]
        return _unit_share(x, _q(value), what, form="number")
    if not isinstance(value, str):
        raise ValueProblem("E116", f"expected a {what}, got {_kind(value)}", f"write {forms}")
    text = value.strip()
    check_fullwidth(text, what)
    if m := _PCT_RE.fullmatch(text):
        x = _check_number(float(m["num"]), f"'{text}'", what)
        return _unit_share(x / 100, f"'{text}'", what, form="percent")
    if _NUM_RE.fullmatch(text):
        x = _check_number(float(text), f"'{text}'", what)
        return _unit_share(x, f"'{text}'", what, form="number")
    if fractions and (m := _FRACTION_RE.fullmatch(text)):
        a, b = int(m["a"]), int(m["b"])
        if b == 0:
            raise ValueProblem("E116", f"{what} '{text}' divides by zero", f"write {forms}")
        return _unit_share(a / b, f"'{text}'", what, form="fraction")
    if _NONFINITE_RE.fullmatch(text):
        raise ValueProblem("E112", f"{what} '{text}' is not a finite number", f"write {forms}")
    if text.startswith("-"):
        raise ValueProblem("E112", f"{what} '{text}' is negative", f"a {what} cannot be negative")
    if _FRACTION_RE.fullmatch(text):
        forms += " (fractions such as 1/3 are for branch probabilities p)"
    raise ValueProblem("E116", f"'{text}' is not a {what}", f"write {forms}")


def _unit_share(x: float, shown: str, what: str, *, form: str) -> float:
    """Check 0 <= x <= 1; a plain number up to 100 was surely meant as a percentage."""
    if x <= 1:
        return x
    if form == "number" and x <= 100:
        raise ValueProblem(
            "E115",
            f"{what} {shown} is above 1: write {_fmt_num(x)}%",
            f"or the fraction {x / 100:g}",
        )
    limit = "100%" if form == "percent" else "1"
    raise ValueProblem(
        "E116", f"{what} {shown} is above {limit}", f"a {what} lies between 0% and 100%"
    )


# --- dates and datetimes -------------------------------------------------------------------

_DT_RE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]\s*(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_DT_HINT = "write 2026-01-05T09:00, 2026-01-05 09:00 or 2026-01-05"


def parse_datetime(value: object) -> datetime:
    """A naive local datetime from ``2026-01-05T09:00``, ``2026-01-05 09:00[:30]`` or a date."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueProblem(
                "E118",
                f"{value.isoformat()} has a time zone: procmap uses local time",
                "remove the offset",
            )
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueProblem("E117", f"expected a date and time, got {_kind(value)}", _DT_HINT)
    text = value.strip()
    check_fullwidth(text, "datetime")
    m = _DT_RE.fullmatch(text)
    if not m:
        raise ValueProblem("E117", f"'{text}' is not a date and time", _DT_HINT)
    if m["tz"]:
        raise ValueProblem(
            "E118",
            f"'{text}' has a time-zone offset ({m['tz']}): procmap uses local time",
            f"remove the offset: '{text[: m.start('tz')].strip()}'",
        )
    day = _make_date(int(m["y"]), int(m["mo"]), int(m["d"]), text)
    if m["h"] is None:
        return datetime(day.year, day.month, day.day)
    h, mi, s = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
    if h > 23 or mi > 59 or s > 59:
        raise ValueProblem(
            "E117", f"no such time of day in '{text}'", "hours run 00–23, minutes and seconds 00–59"
        )
    micro = int((m["f"] or "").ljust(6, "0"))
    return datetime(day.year, day.month, day.day, h, mi, s, micro)


def _make_date(y: int, mo: int, d: int, text: str) -> date:
    if not 1 <= mo <= 12:
        raise ValueProblem(
            "E117",
            f"no such date '{text}': month {mo} is not 1–12",
            "write year-month-day, e.g. 2026-10-01",
        )
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        raise ValueProblem(
            "E117",
            f"no such date '{text}': {calendar.month_name[mo]} {y} has {last} days",
            "check the day of the month",
        )
    return date(y, mo, d)


def parse_date(value: object) -> date:
    """A calendar date, ``2026-10-01``."""
    if isinstance(value, datetime):
        raise ValueProblem(
            "E117", f"expected a date without a time, got {value.isoformat()}", "write 2026-10-01"
        )
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueProblem("E117", f"expected a date, got {_kind(value)}", "write 2026-10-01")
    text = value.strip()
    check_fullwidth(text, "date")
    m = _DT_RE.fullmatch(text)
    if not m or m["h"] is not None or m["tz"]:
        raise ValueProblem("E117", f"'{text}' is not a date", "write year-month-day: 2026-10-01")
    return _make_date(int(m["y"]), int(m["mo"]), int(m["d"]), text)


def parse_date_range(value: object) -> tuple[date, date]:
    """``2026-10-01`` (one day) or ``2026-10-01..2026-10-07`` (both ends included)."""
    if isinstance(value, str):
        check_fullwidth(value.strip(), "date range")
    if isinstance(value, str) and ".." in value:
        text = value.strip()
        first, _, last = text.partition("..")
        if last.startswith("."):
            raise ValueProblem(
                "E120", f"'{text}' is not a date range", "write 2026-10-01..2026-10-07"
            )
        start, end = parse_date(first), parse_date(last)
        if end < start:
            raise ValueProblem(
                "E120",
                f"date range '{text}' ends before it starts",
                f"write the earlier date first: {end.isoformat()}..{start.isoformat()}",
            )
        return start, end
    if isinstance(value, str) and _BAD_RANGE_RE.fullmatch(value):
        raise ValueProblem(
            "E120",
            f"'{value.strip()}' is not a date range",
            "write two dates joined by '..': 2026-10-01..2026-10-07",
        )
    day = parse_date(value)
    return day, day


_BAD_RANGE_RE = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*(?:-|~|to|\.)\s*\d{4}-\d{1,2}-\d{1,2}\s*")


# --- targets -------------------------------------------------------------------------------

TargetOp = Literal["at_most", "at_least", "equals"]
_OP_SYMBOL: dict[str, str] = {"at_most": "<=", "at_least": ">=", "equals": "=="}
_SYMBOL_OP: dict[str, TargetOp] = {
    "<=": "at_most",
    "≤": "at_most",
    "<": "at_most",
    ">=": "at_least",
    "≥": "at_least",
    ">": "at_least",
    "==": "equals",
    "=": "equals",
}
_TARGET_RE = re.compile(r"(?P<op><=|>=|==|≤|≥|<|>|=)\s*(?P<value>[^\s<>=≤≥].*)")
_KEY_GUESS = {
    "max": "at_most",
    "maximum": "at_most",
    "most": "at_most",
    "min": "at_least",
    "minimum": "at_least",
    "least": "at_least",
    "eq": "equals",
    "equal": "equals",
}
_TARGET_HINT = "write {at_most: 2d}, {at_least: 95%}, {equals: 3}, or quoted '<= 2d', '>= 95%'"


@dataclass(frozen=True)
class Target:
    """A KPI target: a direction and a RAW value (the caller parses it by the metric's type).

    ``text`` is the canonical short form, ``"<= 2d"``, used in results and labels.
    """

    op: TargetOp
    value: object
    text: str


def parse_target(value: object) -> Target:
    """``{at_most: 2d}``, ``{at_least: 95%}``, ``{equals: 3}``, or ``"<= 2d"``, ``">= 95%"``.

    The string form also takes ``<``/``>`` (read as at most / at least: figures are compared
    inclusively, and for measured figures the boundary has no practical weight), ``≤``, ``≥``
    and ``=``.  A number after the operator becomes an int or float, as YAML would have made
    it in the mapping form.
    """
    if isinstance(value, Target):
        return value
    if isinstance(value, dict):
        if len(value) != 1:
            got = ", ".join(map(str, value)) or "nothing"
            raise ValueProblem(
                "E121",
                f"a target has exactly one of at_most, at_least, equals; got {got}",
                _TARGET_HINT,
            )
        key, raw = next(iter(value.items()))
        if key not in _OP_SYMBOL:
            close = difflib.get_close_matches(str(key), list(_OP_SYMBOL), n=1, cutoff=0.5)
            close = [_KEY_GUESS[key]] if key in _KEY_GUESS else close
            hint = (f"did you mean {close[0]}? " if close else "") + _TARGET_HINT
            raise ValueProblem("E121", f"unknown target key '{key}'", hint, (key,))
        if raw is None or isinstance(raw, dict | list):
            raise ValueProblem(
                "E121", f"{key} needs a value, got {_kind(raw)}", _TARGET_HINT, (key,)
            )
        return Target(key, raw, f"{_OP_SYMBOL[key]} {_raw_text(raw)}")
    if isinstance(value, str):
        text = value.strip()
        check_fullwidth(text, "target")
        m = _TARGET_RE.fullmatch(text)
        if not m:
            raise ValueProblem(
                "E121",
                f"target '{text}' does not say which way",
                f"put <= or >= in front ('<= {text}'), or {_TARGET_HINT}",
            )
        op = _SYMBOL_OP[m["op"]]
        raw_text = m["value"].strip()
        raw: object = raw_text
        if re.fullmatch(r"[+-]?\d+", raw_text):
            raw = int(raw_text)
        elif _NUM_RE.fullmatch(raw_text):
            raw = float(raw_text)
        return Target(op, raw, f"{_OP_SYMBOL[op]} {raw_text}")
    raise ValueProblem("E121", f"expected a target, got {_kind(value)}", _TARGET_HINT)


def _raw_text(raw: object) -> str:
    if isinstance(raw, bool):
        return str(raw).lower()
    if isinstance(raw, float):
        return _fmt_num(raw)
    return str(raw)


# --- full-width characters ------------------------------------------------------------------

_LOOKALIKES = {
    "\u3001": ("ideographic comma", ","),
    "\u3002": ("ideographic full stop", "."),
    "\u301c": ("wave dash", "-"),
    "\u2013": ("en dash", "-"),
    "\u2014": ("em dash", "-"),
    "\u2212": ("minus sign", "-"),
    "\u2018": ("left single quotation mark", "'"),
    "\u2019": ("right single quotation mark", "'"),
    "\u201c": ("left double quotation mark", '"'),
    "\u201d": ("right double quotation mark", '"'),
}


def _fullwidth(ch: str) -> tuple[str, str] | None:
    """(name, ASCII replacement) for a full-width or look-alike character, else None."""
    if ch in _LOOKALIKES:
        return _LOOKALIKES[ch]
    if ch.isascii():
        return None
    ascii_form = unicodedata.normalize("NFKC", ch)
    if ascii_form == ch or not ascii_form.isascii():
        return None
    if ch in "\uff5e":  # a full-width tilde separates ranges in Chinese text
        ascii_form = "-"
    name = unicodedata.name(ch, "character").lower()
    if name.startswith("fullwidth "):
        name = "full-width " + name.removeprefix("fullwidth ")
    return name, ascii_form


def check_fullwidth(text: str, what: str) -> None:
    """Raise E119 if ``text`` has full-width punctuation, digits or spaces, naming the first.

    A Chinese input method types ``：``, ``，``, ``０``… that look right but parse as nothing
    (SPEC §2.2); naming the character and its code point makes the fix obvious.
    """
    bad = [(ch, info) for ch in text if (info := _fullwidth(ch)) is not None]
    if not bad:
        return
    ch, (name, fix) = bad[0]
    if ch in "～〜–—" and "date" in what:
        fix = ".."  # date ranges are joined by '..'
    n = len(bad) - 1
    more = f" ({n} more such character{'s' if n > 1 else ''})" if n else ""
    raise ValueProblem(
        "E119",
        f"{name} '{ch}' (U+{ord(ch):04X}) in the {what} '{text}': use '{fix}'{more}",
        "switch the input method to half-width (English) punctuation for values",
    )
