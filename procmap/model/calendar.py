"""Business calendars: when a team works, when arrivals come, when an SLA clock runs.

The simulator asks a calendar the same few questions millions of times ("how much open time
between these two instants?", "when will 40 minutes of working time have passed?"), so a
:class:`Calendar` turns its weekly hours, holidays and make-up workdays into *merged* open
intervals on the simulation's time axis, kept as sorted lists (start, end) plus a cumulative
open-time list, and answers every query with one or two ``bisect`` calls.  The lists cover about
a year at first and grow lazily, a year or more at a time, when a query reaches past them
(simulations run 30–365 days typically, up to 100 years in ``cases`` mode).

Times are float seconds since ``origin``.  Interval boundaries are computed in integer seconds
from the origin's midnight and rounded once when stored, so with a whole-second origin every
boundary, every cumulative sum and every answer that lands on a boundary is exact; elsewhere the
error is a few ulps (``add_open(t, open_between(t, t2)) == t2`` up to ~1e-9 s for a year-long
horizon).  Queries up to 1000 years either side of the origin are served; beyond that (only a
calendar open a few minutes a week could get there) ``ValueError``.

Rules (SPEC §2.5), with the decisions the spec leaves open:

* A range whose end ≤ start (``22:00-06:00``) crosses midnight and *belongs to its start day*:
  a holiday removes the ranges that start on its date, so the night before a holiday still runs
  into the holiday's morning, and the holiday's own night shift does not run.
* ``24:00`` is valid as an end only; ``00:00-24:00`` is a whole day.  A range with end == start
  (``09:00-09:00``) is an error (E133), not 24 hours: write ``00:00-24:00``.
* A single-day key (``fri``) overrides a range key (``mon-fri``, ``fri-mon``, ``daily``) for
  that day; two range keys covering one day, or one day spelt twice (``mon``, ``Mon``), is E135.
* An empty list (``sun: []``) is a closed day, handy to carve a day out of ``daily``.
* Ranges may not overlap within a day, nor an overnight range with the next day's hours (E134).
* A make-up workday opens with Monday's hours (including a Monday night shift), replacing that
  date's own hours.  A date that is both holiday and workday is E136: :func:`validate_dates`
  finds them so the schema can point at them, and :class:`Calendar` refuses them.
* ``is_always`` is true for :meth:`Calendar.always` and for any calendar open every second
  (24/7 weekly hours and no holidays): the two behave identically, in O(1).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time
from itertools import pairwise
from typing import NoReturn

from procmap.model.units import ValueProblem, check_fullwidth

__all__ = [
    "DAY_NAMES",
    "Calendar",
    "WeeklyHours",
    "format_weekly",
    "parse_weekly",
    "validate_dates",
]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = 86_400
WEEK = 7 * DAY

WeeklyHours = dict[int, tuple[tuple[int, int], ...]]
"""Weekday 0 = Monday … 6 = Sunday → sorted (start, end) in seconds from that day's midnight.
An end above 86400 is an overnight range that belongs to its start day."""

Path = tuple[str | int, ...]

_DAY_INDEX = {name: i for i, name in enumerate(DAY_NAMES)}
_VALID_SPECS = "mon … sun, a range such as mon-fri (fri-mon wraps round), or daily"
_RANGE_RE = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
_MAX_DAYS = 366_000  # about 1000 years each way: far beyond the simulator's 100-year cap


# --- parsing weekly hours -------------------------------------------------------------------


def _fail(code: str, message: str, hint: str | None, path: Path) -> NoReturn:
    raise ValueProblem(code, message, hint, path=path)


def _fullwidth(text: str, what: str, path: Path) -> None:
    """Full-width punctuation (：, －) is E119 from units; we only add where it was found."""
    try:
        check_fullwidth(text, what)
    except ValueProblem as exc:
        _fail(exc.code, exc.message, exc.hint, tuple(exc.path) or path)


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _fmt_range(start: int, end: int) -> str:
    """A (start, end) pair as the user writes it; an overnight end wraps, 24:00 stays."""
    return f"{_hhmm(start)}-{_hhmm(end if end <= DAY else end - DAY)}"


def _day_spec(key: object) -> tuple[tuple[int, ...], bool]:
    """The weekdays a key covers, and whether it is a single-day key (which overrides ranges)."""
    path: Path = (key,) if isinstance(key, str | int) else ()
    if not isinstance(key, str):
        _fail("E130", f"day spec {key!r} is not text", f"use {_VALID_SPECS}", path)
    _fullwidth(key, "day spec", path)
    k = key.strip().lower()
    if k == "daily":
        return tuple(range(7)), False
    if k in _DAY_INDEX:
        return (_DAY_INDEX[k],), True
    parts = [p.strip() for p in k.split("-")]
    if len(parts) == 2 and parts[0] in _DAY_INDEX and parts[1] in _DAY_INDEX:
        first, last = _DAY_INDEX[parts[0]], _DAY_INDEX[parts[1]]
        if first != last:
            return tuple((first + n) % 7 for n in range((last - first) % 7 + 1)), False
        hint = f"write {parts[0]} for one day, or daily for the whole week"
    elif k[:3] in _DAY_INDEX and len(parts) == 1:
        hint = f"write {k[:3]!r}; days are spelt with three letters"
    elif k in ("weekday", "weekdays", "workdays"):
        hint = "write mon-fri"
    elif k in ("weekend", "weekends"):
        hint = "write sat-sun"
    else:
        hint = f"use {_VALID_SPECS}"
    _fail("E130", f"unknown day spec {key!r}", hint, path)


def _time_range(text: object, path: Path) -> tuple[int, int]:
    """``"HH:MM-HH:MM"`` → seconds; an end ≤ start moves to the next day."""
    if not isinstance(text, str):
        hint = (
            'e.g. {mon-fri: "09:00-18:00"}; split days: ["09:00-12:00", "13:00-18:00"]; closed: []'
        )
        _fail("E131", f'expected "HH:MM-HH:MM" or a list of them, got {text!r}', hint, path)
    _fullwidth(text, "time range", path)
    m = _RANGE_RE.fullmatch(text)
    if m is None:
        if "~" in text:  # en dashes and full-width tildes are E119 already
            hint = 'separate the times with a plain hyphen: "09:00-18:00"'
        elif re.fullmatch(r"\s*\d{1,2}\s*-\s*\d{1,2}\s*", text):
            hint = 'write the minutes too: "09:00-18:00"'
        elif "," in text:
            hint = 'write split hours as a list: ["09:00-12:00", "13:00-18:00"]'
        else:
            hint = 'write "HH:MM-HH:MM", e.g. "09:00-18:00"; overnight: "22:00-06:00"'
        _fail("E131", f"{text!r} is not a time range HH:MM-HH:MM", hint, path)
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        hint = "24:00 is allowed as an end only: 00:00-24:00 is a whole day"
        _fail("E132", f"{text!r}: hours go 00–23 and minutes 00–59", hint, path)
    start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
    if end == start:
        hint = 'write "00:00-24:00" for a whole day; an end before the start crosses midnight'
        _fail("E133", f"{text!r} is empty (or 24 hours?)", hint, path)
    return start, end if end > start else end + DAY


def _ranges(key: str, value: object) -> list[tuple[int, int, Path]]:
    """The ranges under one key, with the path of each (for precise findings)."""
    if isinstance(value, list | tuple):
        return [(*_time_range(v, (key, i)), (key, i)) for i, v in enumerate(value)]
    return [(*_time_range(value, (key,)), (key,))]


def parse_weekly(spec: Mapping[str, object]) -> WeeklyHours:
    """The ``weekly`` mapping of a calendar → :data:`WeeklyHours` (all seven days; [] = closed).

    Raises :class:`~procmap.model.units.ValueProblem` (E130–E135, E119) whose ``path`` is the
    key, or (key, index) for an item of a list, so the finding points at the exact YAML node.
    """
    single: dict[int, str] = {}
    ranged: dict[int, str] = {}
    parsed: dict[str, list[tuple[int, int, Path]]] = {}
    for key, value in spec.items():
        days, is_single = _day_spec(key)
        owners = single if is_single else ranged
        for d in days:
            other = owners.get(d)
            if other is not None:
                hint = (
                    f"{other!r} and {key!r} are the same day: keep one"
                    if is_single
                    else "ranges may not overlap (a single day such as fri may override one): "
                    "split them, e.g. mon-wed and thu-fri"
                )
                message = f"{other!r} and {key!r} both give hours for {DAY_NAMES[d]}"
                _fail("E135", message, hint, (key,))
            owners[d] = key
        parsed[key] = _ranges(key, value)

    per_day: list[list[tuple[int, int, Path]]] = []
    for d in range(7):
        key = single.get(d, ranged.get(d))
        items = sorted(parsed[key]) if key is not None else []
        for (s0, e0, _), (s1, e1, p1) in pairwise(items):
            if s1 < e0:
                message = f"{DAY_NAMES[d]}: {_fmt_range(s0, e0)} and {_fmt_range(s1, e1)} overlap"
                hint = 'make the ranges follow each other, e.g. ["09:00-12:00", "13:00-18:00"]'
                _fail("E134", message, hint, p1)
        per_day.append(items)

    for d in range(7):  # an overnight range must end before the next day's hours begin
        nxt = per_day[(d + 1) % 7]
        if per_day[d] and nxt:
            s0, e0, p0 = per_day[d][-1]
            s1, e1, _ = nxt[0]
            if e0 - DAY > s1:
                _fail(
                    "E134",
                    f"{DAY_NAMES[d]} {_fmt_range(s0, e0)} runs past midnight into "
                    f"{DAY_NAMES[(d + 1) % 7]} {_fmt_range(s1, e1)}",
                    "an overnight range belongs to the day it starts; end it when the next "
                    "day's hours begin",
                    p0,
                )
    return {d: tuple((s, e) for s, e, _ in items) for d, items in enumerate(per_day)}


def format_weekly(weekly: WeeklyHours) -> dict[str, str | list[str]]:
    """WeeklyHours back to the YAML form (consecutive equal days grouped: ``mon-fri``)."""
    out: dict[str, str | list[str]] = {}
    d = 0
    while d < 7:
        hours = tuple(weekly.get(d, ()))
        last = d
        while last + 1 < 7 and tuple(weekly.get(last + 1, ())) == hours:
            last += 1
        if hours:
            key = DAY_NAMES[d] if last == d else f"{DAY_NAMES[d]}-{DAY_NAMES[last]}"
            if d == 0 and last == 6:
                key = "daily"
            texts = [_fmt_range(s, e) for s, e in hours]
            out[key] = texts[0] if len(texts) == 1 else texts
        d = last + 1
    return out


def validate_dates(holidays: Iterable[date], workdays: Iterable[date]) -> tuple[date, ...]:
    """Dates listed both as holiday and as make-up workday (sorted): the schema reports E136."""
    return tuple(sorted(set(map(_as_date, holidays)) & set(map(_as_date, workdays))))


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


# --- the calendar ---------------------------------------------------------------------------


def _normalise(
    weekly: Mapping[int, Iterable[tuple[int, int]]],
) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Check hand-built weekly hours (parse_weekly's output always passes) → 7 sorted tuples."""
    days: list[tuple[tuple[int, int], ...]] = [()] * 7
    for d, ranges in weekly.items():
        if d not in range(7):
            raise ValueError(f"weekday {d!r} is not 0 (Monday) … 6 (Sunday)")
        checked = []
        for s, e in ranges:
            if not (0 <= s < DAY and s < e <= s + DAY):
                raise ValueError(
                    f"bad range ({s}, {e}) on {DAY_NAMES[d]}: need 0 ≤ start < 86400, "
                    "start < end ≤ start + 86400"
                )
            checked.append((int(s), int(e)))
        days[d] = tuple(sorted(checked))
    return tuple(days)


def _merge(pairs: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s, e in sorted(pairs):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class Calendar:
    """Open hours on a time axis of float seconds since ``origin`` (naive local time, normally
    the simulation start).  Intervals are half-open: open at a start, closed at an end.

    Not safe to share between threads that query it concurrently (it grows lazily); processes
    each get their own copy (it pickles).
    """

    __slots__ = (
        "_cum", "_d_hi", "_d_lo", "_empty", "_ends", "_holidays", "_last_special", "_starts",
        "_t_hi", "_t_lo", "_tail", "_tod", "_week", "_weekday0", "_weekly", "_weekly_open",
        "_workdays", "is_always", "name", "origin",
    )  # fmt: skip

    def __init__(
        self,
        weekly: Mapping[int, Iterable[tuple[int, int]]],
        *,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        origin: datetime,
        name: str = "",
    ) -> None:
        if not isinstance(origin, datetime):  # a plain date means its midnight
            origin = datetime.combine(origin, time())
        if origin.tzinfo is not None:
            raise ValueError("procmap uses naive local time: origin must have no time zone")
        hol = frozenset(map(_as_date, holidays))
        wd = frozenset(map(_as_date, workdays))
        clash = validate_dates(hol, wd)
        if clash:
            dates = ", ".join(map(str, clash))
            hint = "a date is either closed or a make-up working day; remove it from one list"
            raise ValueProblem("E136", f"listed both as holiday and as workday: {dates}", hint)
        self.name = name
        self.origin = origin
        self._weekly = _normalise(weekly)
        day0 = origin.date()
        self._weekday0 = day0.weekday()
        self._tod = (origin - datetime.combine(day0, time())).total_seconds()
        self._holidays = frozenset((d - day0).days for d in hol)
        self._workdays = frozenset((d - day0).days for d in wd)
        self._last_special = max(self._holidays | self._workdays, default=None)

        pairs: list[tuple[float, float]] = []
        for d, ranges in enumerate(self._weekly):
            for s, e in ranges:
                s, e = float(d * DAY + s), float(d * DAY + e)
                pairs.extend([(s, WEEK), (0.0, e - WEEK)] if e > WEEK else [(s, e)])
        self._week = tuple(_merge(pairs))
        self._weekly_open = sum(e - s for s, e in self._week)
        self._empty = self._weekly_open == 0
        self.is_always = self._weekly_open == WEEK and not hol

        self._starts: list[float] = []
        self._ends: list[float] = []
        self._cum: list[float] = [0.0]
        self._tail = (0, -1)
        self._d_lo = self._d_hi = -2
        self._t_lo = self._t_hi = 0.0
        if not (self.is_always or self._empty):
            self._rebuild(-2, 366)

    @classmethod
    def always(cls, origin: datetime) -> Calendar:
        """Open every second: every query is O(1)."""
        return cls(dict.fromkeys(range(7), ((0, DAY),)), origin=origin, name="always")

    def __repr__(self) -> str:
        return (
            f"Calendar({self.name!r}, {self._weekly_open / 3600:g} h/week, "
            f"{len(self._holidays)} holidays, {len(self._workdays)} workdays)"
        )

    # -- the precomputed intervals ------------------------------------------------------------
    # Boundaries are stored on the public axis (one rounding when built, none per query); the
    # merging and the cumulative open time are done in integer seconds from the origin's
    # midnight, so they are exact.

    def _rebuild(self, d_lo: int, d_hi: int) -> None:
        self._starts, self._ends, self._cum = [], [], [0.0]
        self._tail = (0, -1)
        self._d_lo = self._d_hi = d_lo
        self._t_lo = (d_lo + 1) * DAY - self._tod  # day d_lo - 1 may spill into d_lo
        self._extend(d_hi)

    def _extend(self, d_hi: int) -> None:
        """Append the intervals of days [_d_hi, d_hi), merging any that touch or overlap."""
        if d_hi - self._d_lo > 2 * _MAX_DAYS or d_hi > _MAX_DAYS:
            raise ValueError(f"calendar {self.name!r}: query more than 1000 years from its origin")
        starts, ends, cum, tod = self._starts, self._ends, self._cum, self._tod
        weekly, hol, wd, wd0 = self._weekly, self._holidays, self._workdays, self._weekday0
        tail_s, tail_e = self._tail  # the last interval, in integer seconds
        for k in range(self._d_hi, d_hi):
            if k in wd:
                ranges = weekly[0]
            elif k in hol:
                continue
            else:
                ranges = weekly[(wd0 + k) % 7]
            base = k * DAY
            for s, e in ranges:
                s, e = base + s, base + e
                if starts and s <= tail_e:
                    if e > tail_e:
                        tail_e = e
                        ends[-1] = e - tod
                        cum[-1] = cum[-2] + (e - tail_s)
                else:
                    tail_s, tail_e = s, e
                    starts.append(s - tod)
                    ends.append(e - tod)
                    cum.append(cum[-1] + (e - s))
        self._tail = (tail_s, tail_e)
        self._d_hi = d_hi
        self._t_hi = d_hi * DAY - tod

    def _cover(self, t: float) -> None:
        """Make the lists exact around t (called only when t is outside them)."""
        if not math.isfinite(t):
            raise ValueError(f"calendar {self.name!r}: time {t!r} is not finite")
        k = math.floor((t + self._tod) / DAY)
        if abs(k) > _MAX_DAYS:
            raise ValueError(f"calendar {self.name!r}: {t!r} s is over 1000 years away")
        if t < self._t_lo:
            self._rebuild(k - 31, self._d_hi)
        if t >= self._t_hi:
            self._extend(max(k + 8, self._d_hi + 365))

    def _grow(self) -> None:
        self._extend(self._d_hi + 365)

    def _open_forever(self, t: float) -> bool:
        """Open all week and past every holiday: the stretch open at t never closes."""
        last = self._last_special
        return self._weekly_open == WEEK and (last is None or t >= (last + 2) * DAY - self._tod)

    def _index(self, t: float) -> int:
        """The last interval starting at or before t (-1 if none)."""
        if not self._t_lo <= t < self._t_hi:
            self._cover(t)
        return bisect_right(self._starts, t) - 1

    # -- queries ------------------------------------------------------------------------------

    def is_open(self, t: float) -> bool:
        if self.is_always:
            return True
        if self._empty:
            return False
        i = self._index(t)
        return i >= 0 and t < self._ends[i]

    def open_between(self, t1: float, t2: float) -> float:
        """Open seconds in [t1, t2] (0 when t2 ≤ t1)."""
        if not t2 > t1:
            return 0.0
        if self.is_always:
            return t2 - t1
        if self._empty:
            return 0.0
        if t2 == math.inf:
            return math.inf
        if not self._t_lo <= t1 < self._t_hi:
            self._cover(t1)
        if t2 >= self._t_hi:
            self._cover(t2)
        starts, ends, cum = self._starts, self._ends, self._cum
        i = bisect_right(starts, t1) - 1
        j = bisect_right(starts, t2) - 1
        if i == j:
            if i < 0 or t1 >= ends[i]:
                return 0.0
            return t2 - t1 if t2 <= ends[i] else ends[i] - t1
        first = ends[i] - t1 if i >= 0 and t1 < ends[i] else 0.0
        last = (t2 if t2 < ends[j] else ends[j]) - starts[j]
        return first + (cum[j] - cum[i + 1]) + last

    def add_open(self, t: float, d: float) -> float:
        """Earliest t' ≥ t with open_between(t, t') == d: when d seconds of open time have passed
        (a task's working time, an SLA target in business hours).  d == 0 gives t."""
        if not d > 0:
            if d == 0:
                return t
            raise ValueError(f"add_open needs an open time ≥ 0, got {d!r}")
        if self.is_always:
            return t + d
        if self._empty or d == math.inf:
            return math.inf
        if not self._t_lo <= t < self._t_hi:
            self._cover(t)
        starts, ends, cum = self._starts, self._ends, self._cum
        i = bisect_right(starts, t) - 1
        inside = i >= 0 and t < ends[i]
        if inside:
            while ends[i] >= self._t_hi:  # make the current stretch final before measuring it
                if self._open_forever(ends[i]):
                    return t + d
                self._grow()
            room = ends[i] - t
            if d <= room:
                return t + d
            d -= room
        k = i + 1  # the first interval wholly after t; open time from cum[k] on
        base = cum[k]
        target = base + d
        while cum[-1] < target:
            self._grow()
        j = bisect_left(cum, target, k + 1) - 1  # cum[j] < target <= cum[j + 1]
        rem = d - (cum[j] - base)
        while rem > ends[j] - starts[j] and j + 1 < len(starts):  # rounding at a boundary
            j += 1
            rem = d - (cum[j] - base)
        while rem <= 0 and j > k:
            j -= 1
            rem = d - (cum[j] - base)
        # Rounding (d - room, cum + d) can push an end that falls on a close a hair into the
        # next interval; within that hair, take the close: the earliest instant, as promised.
        if rem <= 1e-13 * (abs(t) + target + DAY) and (j > k or inside):
            return ends[j - 1]
        return min(starts[j] + rem, ends[j])

    def next_open(self, t: float) -> float:
        """t if open at t, else the start of the next open interval (inf if there is none)."""
        if self.is_always:
            return t
        if self._empty or t == math.inf:
            return math.inf
        i = self._index(t)
        if i >= 0 and t < self._ends[i]:
            return t
        while i + 1 >= len(self._starts):
            self._grow()
        return self._starts[i + 1]

    def next_close(self, t: float) -> float:
        """If open at t, the end of the open stretch (back-to-back intervals are one); else t."""
        if self.is_always:
            return math.inf
        if self._empty:
            return t
        i = self._index(t)
        if not (i >= 0 and t < self._ends[i]):
            return t
        while self._ends[i] >= self._t_hi:  # the stretch may go on into days not built yet
            if self._open_forever(self._ends[i]):
                return math.inf
            self._grow()
        return self._ends[i]

    def intervals(self, t1: float, t2: float) -> Iterator[tuple[float, float]]:
        """The open intervals (merged) clipped to [t1, t2], in order; lazy, so t2 may be inf."""
        if not t2 > t1:
            return
        t1, t2 = float(t1), float(t2)
        if self.is_always:
            yield (t1, t2)
            return
        if self._empty:
            return
        i = max(self._index(t1), 0)
        while True:
            while self._t_hi <= t2 and (i >= len(self._starts) or self._ends[i] >= self._t_hi):
                if i < len(self._starts) and self._open_forever(self._ends[i]):
                    yield (max(self._starts[i], t1), t2)
                    return
                self._grow()
            if i >= len(self._starts):
                return
            s, e = self._starts[i], self._ends[i]
            if s >= t2:
                return
            if e > t1:
                yield (max(s, t1), min(e, t2))
            i += 1

    def week_intervals(self) -> tuple[tuple[float, float], ...]:
        """A typical week without holidays: open intervals in seconds from Monday 00:00, within
        [0, 604800); Sunday's overnight hours wrap round to Monday morning."""
        return self._week

    def weekly_open_seconds(self) -> float:
        """Open seconds in a typical week (no holidays): the analytic check's staff on duty."""
        return self._weekly_open

    def is_workday(self, t: float) -> bool:
        """Whether the date at time t is a make-up working day (it opens with Monday's hours)."""
        if not self._workdays:
            return False
        return math.floor((t + self._tod) / DAY) in self._workdays

    def is_empty(self) -> bool:
        """Never open at all (workdays open with Monday's hours, so they cannot help)."""
        return self._empty
