"""Arrival profiles: multipliers of an arrival rate by weekday and hour range.

``{mon: 1.3, fri: 0.8, "09-12": 1.5}``: the rate on Monday is 1.3×, between 09:00 and 12:00
1.5× (and on a Monday morning 1.3 × 1.5).  Unlisted factors are 1; nothing is normalised.  A
single-day key overrides a range key for its day; overlapping hour ranges multiply.  Make-up
workdays use Monday's factor (the simulator applies that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from procmap.model.units import ValueProblem, check_fullwidth

__all__ = ["DAY_KEYS", "Profile", "expand_days", "parse_profile"]

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$")


def expand_days(spec: str) -> tuple[int, ...] | None:
    """Weekdays (0 = Monday) of ``mon``, ``mon-fri``, wrapping ``fri-mon`` or ``daily``; None if not a day spec."""
    key = spec.strip().lower()
    if key == "daily":
        return tuple(range(7))
    if key in DAY_KEYS:
        return (DAY_KEYS.index(key),)
    first, dash, last = key.partition("-")
    if dash and first in DAY_KEYS and last in DAY_KEYS:
        a, b = DAY_KEYS.index(first), DAY_KEYS.index(last)
        return tuple((a + i) % 7 for i in range((b - a) % 7 + 1))
    return None


@dataclass(frozen=True)
class Profile:
    days: tuple[float, ...]
    """Factor per weekday, Monday first."""
    hours: tuple[tuple[float, float, float], ...]
    """(start s, end s, factor) within a day."""
    text: tuple[tuple[str, float], ...]
    """The keys and factors as written, for display and round trips."""

    def factor(self, weekday: int, second_of_day: float) -> float:
        f = self.days[weekday]
        for start, end, g in self.hours:
            if start <= second_of_day < end:
                f *= g
        return f

    def breakpoints(self) -> tuple[float, ...]:
        """Seconds of the day where the hour factor may change (0 and 86400 included)."""
        points = {0.0, 86400.0}
        for start, end, _ in self.hours:
            points.update((start, end))
        return tuple(sorted(points))

    def to_data(self) -> dict[str, float]:
        return dict(self.text)


def parse_profile(value: object) -> Profile:
    if not isinstance(value, dict):
        raise ValueProblem(
            "E102",
            "profile is a mapping of weekdays and hour ranges to factors",
            'e.g. profile: {mon: 1.3, "09-12": 1.5}',
        )
    range_days = [1.0] * 7
    single_days: dict[int, float] = {}
    covered: dict[int, str] = {}
    hours: list[tuple[float, float, float]] = []
    text: list[tuple[str, float]] = []
    for key, raw in value.items():
        name = str(key)
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0 or raw != raw:
            raise ValueProblem(
                "E114",
                f"profile factor for {name!r} must be a number ≥ 0, got {raw!r}",
                None,
                (name,),
            )
        factor = float(raw)
        text.append((name, raw))
        check_fullwidth(name, "profile key")
        days = expand_days(name)
        if days is not None:
            if len(days) == 1:
                if days[0] in single_days:
                    raise ValueProblem(
                        "E131", f"profile lists {DAY_KEYS[days[0]]} twice", None, (name,)
                    )
                single_days[days[0]] = factor
            else:
                for d in days:
                    if d in covered:
                        raise ValueProblem(
                            "E131",
                            f"profile keys {covered[d]!r} and {name!r} overlap on {DAY_KEYS[d]}",
                            "a single-day key may override a range; two ranges may not overlap",
                            (name,),
                        )
                    covered[d] = name
                    range_days[d] = factor
            continue
        match = _HOURS.match(name)
        if not match:
            raise ValueProblem(
                "E132",
                f"{name!r} is not a weekday or an hour range",
                'write mon…sun, mon-fri, daily, or an hour range such as "09-12" or "09:00-12:30"',
                (name,),
            )
        h1, m1, h2, m2 = match.groups()
        start = int(h1) * 3600 + int(m1 or 0) * 60
        end = int(h2) * 3600 + int(m2 or 0) * 60
        if not (0 <= start < end <= 86400) or int(m1 or 0) >= 60 or int(m2 or 0) >= 60:
            raise ValueProblem(
                "E132",
                f"hour range {name!r} must run forward within one day",
                'e.g. "09-12"; split a range that crosses midnight in two',
                (name,),
            )
        hours.append((float(start), float(end), factor))
    days_out = tuple(single_days.get(d, range_days[d]) for d in range(7))
    return Profile(days_out, tuple(hours), tuple(text))
