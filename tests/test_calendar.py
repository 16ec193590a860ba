"""Business calendars: parsing weekly hours, and the interval arithmetic the simulator relies on.

Hand-worked cases pin the rules of SPEC §2.5 (overnight ranges belong to their start day, a
make-up workday opens with Monday's hours, a single day overrides a range); Hypothesis checks
the queries against a brute-force reference and the algebra the simulator assumes
(additivity, add_open inverting open_between, monotonicity).
"""

from __future__ import annotations

import math
import pickle
from datetime import UTC, date, datetime, timedelta
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procmap.model.calendar import (
    DAY_NAMES,
    Calendar,
    WeeklyHours,
    format_weekly,
    parse_weekly,
    validate_dates,
)
from procmap.model.units import ValueProblem

H = 3600
D = 86_400
W = 7 * D
ORIGIN = datetime(2026, 1, 5)  # a Monday, the spec's default simulation start


def at(when: datetime, origin: datetime = ORIGIN) -> float:
    """Simulation seconds of a wall-clock instant."""
    return (when - origin).total_seconds()


def wall(t: float, origin: datetime = ORIGIN) -> datetime:
    return origin + timedelta(seconds=t)


def cal(spec: dict[str, object], **kw: object) -> Calendar:
    kw.setdefault("origin", ORIGIN)
    return Calendar(parse_weekly(spec), **kw)  # type: ignore[arg-type]


OFFICE = {"mon-fri": "09:00-18:00"}
NATIONAL_DAY = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]  # 2026-10-01..07
MAKEUP = [date(2026, 10, 10)]  # a Saturday


# --- parse_weekly ----------------------------------------------------------------------------

NINE_SIX = ((9 * H, 18 * H),)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(OFFICE, {d: NINE_SIX if d < 5 else () for d in range(7)}, id="mon-fri"),
        pytest.param(
            {"MON-Fri": " 9:00 - 18:00 "},
            {d: NINE_SIX if d < 5 else () for d in range(7)},
            id="case-and-spaces",
        ),
        pytest.param(
            {"mon": ["13:00-18:00", "09:00-12:00"]},
            {0: ((9 * H, 12 * H), (13 * H, 18 * H))},
            id="split-day-sorted",
        ),
        pytest.param({"tue": "22:00-06:00"}, {1: ((22 * H, 30 * H),)}, id="overnight"),
        pytest.param({"tue": "18:00-00:00"}, {1: ((18 * H, 24 * H),)}, id="end-midnight"),
        pytest.param({"tue": "18:00-24:00"}, {1: ((18 * H, 24 * H),)}, id="end-24"),
        pytest.param({"sun": "00:00-24:00"}, {6: ((0, D),)}, id="whole-day"),
        pytest.param(
            {"fri-mon": "10:00-14:00"},
            dict.fromkeys((4, 5, 6, 0), ((10 * H, 14 * H),)),
            id="fri-mon-wraps",
        ),
        pytest.param(
            {"sat-sun": "10:00-16:00"}, {5: ((36000, 57600),), 6: ((36000, 57600),)}, id="sat-sun"
        ),
        pytest.param(
            {"daily": "08:00-20:00"}, dict.fromkeys(range(7), ((8 * H, 20 * H),)), id="daily"
        ),
        pytest.param(
            {"daily": "08:00-20:00", "sun": []},
            {d: ((8 * H, 20 * H),) if d < 6 else () for d in range(7)},
            id="closed-day-overrides-daily",
        ),
        pytest.param(
            {"mon-fri": "09:00-18:00", "fri": "09:00-15:00"},
            {d: NINE_SIX if d < 4 else ((9 * H, 15 * H),) if d == 4 else () for d in range(7)},
            id="single-overrides-range",
        ),
        pytest.param(
            {"fri": "09:00-15:00", "mon-fri": "09:00-18:00"},
            {d: NINE_SIX if d < 4 else ((9 * H, 15 * H),) if d == 4 else () for d in range(7)},
            id="override-order-free",
        ),
        pytest.param(
            {"mon-fri": "09:00-18:00", "sat-sun": "10:00-14:00", "daily": []},
            None,
            id="daily-overlaps-ranges",
        ),
        pytest.param(
            {"mon": ["09:00-12:00", "12:00-18:00"]},
            {0: ((9 * H, 12 * H), (12 * H, 18 * H))},
            id="touching-ranges",
        ),
        pytest.param(
            {"mon": "18:00-24:00", "tue": "00:00-06:00"},
            {0: ((18 * H, 24 * H),), 1: ((0, 6 * H),)},
            id="touching-across-midnight",
        ),
        pytest.param(
            {"sun": "22:00-06:00", "mon": "06:00-10:00"},
            {6: ((22 * H, 30 * H),), 0: ((6 * H, 10 * H),)},
            id="sunday-overnight-touches-monday",
        ),
        pytest.param({}, {}, id="empty"),
    ],
)
def test_parse_weekly(spec: dict[str, object], expected: dict[int, object] | None) -> None:
    if expected is None:
        with pytest.raises(ValueProblem) as info:
            parse_weekly(spec)
        assert info.value.code == "E135"
        return
    got = parse_weekly(spec)
    assert set(got) == set(range(7)), "every weekday is present; closed days are ()"
    assert got == {d: expected.get(d, ()) for d in range(7)}


@pytest.mark.parametrize(
    ("spec", "code", "path"),
    [
        pytest.param({"monday": "09:00-18:00"}, "E130", ("monday",), id="long-day-name"),
        pytest.param({"mon-mon": "09:00-18:00"}, "E130", ("mon-mon",), id="range-to-itself"),
        pytest.param({"weekdays": "09:00-18:00"}, "E130", ("weekdays",), id="weekdays"),
        pytest.param({"mon-xyz": "09:00-18:00"}, "E130", ("mon-xyz",), id="bad-range-end"),
        pytest.param({"mon-wed-fri": "09:00-18:00"}, "E130", ("mon-wed-fri",), id="three-part"),
        pytest.param({"mon": "9-18"}, "E131", ("mon",), id="no-minutes"),
        pytest.param({"mon": "09:00–18:00"}, "E119", ("mon",), id="en-dash"),
        pytest.param({"mon": "09:00~18:00"}, "E131", ("mon",), id="tilde"),
        pytest.param({"mon": "09:00-12:00, 13:00-18:00"}, "E131", ("mon",), id="comma-list"),
        pytest.param({"mon": None}, "E131", ("mon",), id="null"),
        pytest.param({"mon": 9}, "E131", ("mon",), id="number"),
        pytest.param({"mon": ["09:00-12:00", "1pm-6pm"]}, "E131", ("mon", 1), id="list-item"),
        pytest.param({"mon": ["09:00-12:00", 13]}, "E131", ("mon", 1), id="list-item-number"),
        pytest.param({"mon": "25:00-26:00"}, "E132", ("mon",), id="hour-25"),
        pytest.param({"mon": "09:60-10:00"}, "E132", ("mon",), id="minute-60"),
        pytest.param({"mon": "24:00-06:00"}, "E132", ("mon",), id="start-24"),
        pytest.param({"mon": "22:00-24:30"}, "E132", ("mon",), id="end-24-30"),
        pytest.param({"mon": "09:00-09:00"}, "E133", ("mon",), id="empty-range"),
        pytest.param({"mon": "00:00-00:00"}, "E133", ("mon",), id="midnight-midnight"),
        pytest.param({"mon": ["09:00-13:00", "12:00-18:00"]}, "E134", ("mon", 1), id="overlap"),
        pytest.param({"mon": ["09:00-18:00", "09:00-18:00"]}, "E134", ("mon", 1), id="duplicate"),
        pytest.param({"mon": ["12:00-18:00", "09:00-13:00"]}, "E134", ("mon", 0), id="unsorted"),
        pytest.param(
            {"mon": "22:00-06:00", "tue": "05:00-12:00"}, "E134", ("mon",), id="overnight-into"
        ),
        pytest.param(
            {"sun": "20:00-08:00", "mon-fri": "07:00-12:00"}, "E134", ("sun",), id="sun-into-mon"
        ),
        pytest.param(
            {"daily": ["00:00-06:00", "22:00-08:00"]}, "E134", ("daily", 1), id="daily-into-itself"
        ),
        pytest.param(
            {"mon-fri": "09:00-18:00", "wed-sat": "10:00-12:00"},
            "E135",
            ("wed-sat",),
            id="two-ranges",
        ),
        pytest.param(
            {"daily": "09:00-18:00", "sat-sun": "10:00-12:00"},
            "E135",
            ("sat-sun",),
            id="daily-and-range",
        ),
        pytest.param(
            {"mon": "09:00-18:00", "Mon": "10:00-12:00"}, "E135", ("Mon",), id="same-day-twice"
        ),
        pytest.param({"mon": "09：00-18：00"}, "E119", ("mon",), id="fullwidth-colon"),
        pytest.param(
            {"mon": ["09:00-12:00", "13：00-18:00"]}, "E119", ("mon", 1), id="fullwidth-in-list"
        ),
        pytest.param({"mon－fri": "09:00-18:00"}, "E119", ("mon－fri",), id="fullwidth-key"),
    ],
)
def test_parse_weekly_errors(spec: dict[str, object], code: str, path: tuple) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_weekly(spec)
    assert (info.value.code, info.value.path) == (code, path)
    assert info.value.message
    assert info.value.hint


def test_unknown_day_lists_the_valid_specs() -> None:
    with pytest.raises(ValueProblem) as info:
        parse_weekly({"everyday": "09:00-18:00"})
    assert all(word in info.value.hint for word in ("mon", "sun", "mon-fri", "daily"))


def test_empty_range_hint_says_whole_day() -> None:
    with pytest.raises(ValueProblem) as info:
        parse_weekly({"sat": "00:00-00:00"})
    assert "00:00-24:00" in info.value.hint


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param(OFFICE, id="office"),
        pytest.param({"daily": "22:00-06:00"}, id="overnight"),
        pytest.param({"mon": ["09:00-12:00", "13:00-18:00"], "sat": "10:00-16:00"}, id="split"),
        pytest.param({"daily": "00:00-24:00"}, id="always"),
        pytest.param({"tue-thu": "08:00-12:00", "sun": "18:00-24:00"}, id="gaps"),
    ],
)
def test_format_weekly_round_trips(spec: dict[str, object]) -> None:
    weekly = parse_weekly(spec)
    assert parse_weekly(format_weekly(weekly)) == weekly


def test_format_weekly_groups_days() -> None:
    assert format_weekly(parse_weekly(OFFICE)) == {"mon-fri": "09:00-18:00"}
    assert format_weekly(parse_weekly({"daily": "22:00-06:00"})) == {"daily": "22:00-06:00"}


# --- hand-worked calendar cases ----------------------------------------------------------------


def test_friday_evening_plus_one_hour_is_monday_morning() -> None:
    office = cal(OFFICE)
    fri = at(datetime(2026, 1, 9, 17, 30))
    assert wall(office.add_open(fri, H)) == datetime(2026, 1, 12, 9, 30)
    holiday = cal(OFFICE, holidays=[date(2026, 1, 12)])
    assert wall(holiday.add_open(fri, H)) == datetime(2026, 1, 13, 9, 30)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        pytest.param(datetime(2026, 1, 9, 12), datetime(2026, 1, 12, 12), 9, id="weekend"),
        pytest.param(datetime(2026, 1, 10), datetime(2026, 1, 12), 0, id="only-weekend"),
        pytest.param(datetime(2026, 1, 5), datetime(2026, 1, 12), 45, id="week"),
        pytest.param(datetime(2026, 1, 5, 10), datetime(2026, 1, 5, 10, 30), 0.5, id="inside"),
        pytest.param(datetime(2026, 1, 5, 18), datetime(2026, 1, 6, 9), 0, id="night"),
        pytest.param(datetime(2026, 9, 28), datetime(2026, 10, 12), 54, id="national-day"),
        pytest.param(datetime(2026, 10, 1), datetime(2026, 10, 8), 0, id="holiday-range"),
        pytest.param(datetime(2026, 10, 10), datetime(2026, 10, 11), 9, id="makeup-saturday"),
        pytest.param(datetime(2026, 10, 10, 17), datetime(2026, 10, 12, 10), 2, id="around-makeup"),
    ],
)
def test_open_between_office(start: datetime, end: datetime, hours: float) -> None:
    office = cal(OFFICE, holidays=NATIONAL_DAY, workdays=MAKEUP, name="office")
    assert office.open_between(at(start), at(end)) == hours * H
    assert office.open_between(at(end), at(start)) == 0.0


def test_national_day_add_open_and_next_open() -> None:
    office = cal(OFFICE, holidays=NATIONAL_DAY, workdays=MAKEUP)
    wed = at(datetime(2026, 9, 30, 17))
    assert wall(office.add_open(wed, 2 * H)) == datetime(2026, 10, 8, 10)
    assert wall(office.next_open(at(datetime(2026, 10, 1, 9)))) == datetime(2026, 10, 8, 9)
    assert office.is_open(at(datetime(2026, 10, 10, 9)))
    assert wall(office.next_close(at(datetime(2026, 10, 10, 9)))) == datetime(2026, 10, 10, 18)
    fri = at(datetime(2026, 10, 9, 17))  # Friday 17:00 + 2h lands on the make-up Saturday
    assert wall(office.add_open(fri, 2 * H)) == datetime(2026, 10, 10, 10)


def test_makeup_workday_replaces_the_days_own_hours_with_mondays() -> None:
    evening = cal(
        {"mon-fri": "18:00-22:00", "sat": "10:00-16:00"}, holidays=NATIONAL_DAY, workdays=MAKEUP
    )
    assert not evening.is_open(at(datetime(2026, 10, 10, 12)))
    assert evening.is_open(at(datetime(2026, 10, 10, 19)))
    assert evening.is_open(at(datetime(2026, 10, 17, 12)))  # an ordinary Saturday


def test_split_day() -> None:
    c = cal({"mon-fri": ["09:00-12:00", "13:00-18:00"]})
    mon = datetime(2026, 1, 5)
    assert wall(c.add_open(at(mon.replace(hour=11, minute=30)), H)) == mon.replace(
        hour=13, minute=30
    )
    assert c.open_between(at(mon.replace(hour=11)), at(mon.replace(hour=14))) == 2 * H
    assert wall(c.next_close(at(mon.replace(hour=10)))) == mon.replace(hour=12)
    assert wall(c.next_open(at(mon.replace(hour=12, minute=30)))) == mon.replace(hour=13)
    assert not c.is_open(at(mon.replace(hour=12)))
    assert c.is_open(at(mon.replace(hour=13)))
    assert c.weekly_open_seconds() == 40 * H


def test_add_open_ending_on_a_close_stays_there() -> None:
    office = cal(OFFICE)
    fri = at(datetime(2026, 1, 9, 17))
    assert wall(office.add_open(fri, H)) == datetime(2026, 1, 9, 18)  # not Monday 09:00
    assert office.add_open(fri, 0) == fri


@pytest.mark.parametrize(
    "t",
    [
        pytest.param(9 * H + 0.1, id="tenth"),
        pytest.param(32400.00000000091, id="nanosecond"),
        pytest.param(36000.0000000006, id="sub-nanosecond"),
        pytest.param(17 * H + 59 * 60 + 59.999999, id="just-before-close"),
        pytest.param(3 * H + 0.3, id="before-open"),
    ],
)
def test_round_trip_to_a_close_is_exact(t: float) -> None:
    """Rounding must not carry an end that falls on a close over the night to the next open."""
    office = cal(OFFICE)
    for end in (18 * H, D + 18 * H, 4 * D + 18 * H, 40 * W + 18 * H):
        assert office.add_open(t, office.open_between(t, end)) == end


def test_overnight_range_and_its_holidays() -> None:
    night = cal({"daily": "22:00-06:00"}, holidays=[date(2026, 1, 6)])
    mon, tue, wed = (datetime(2026, 1, d) for d in (5, 6, 7))
    assert night.is_open(at(mon.replace(hour=23)))
    assert night.is_open(at(tue.replace(hour=5, minute=59)))  # Monday's shift, Tuesday morning
    assert not night.is_open(at(tue.replace(hour=6)))
    assert wall(night.next_close(at(mon.replace(hour=23)))) == tue.replace(hour=6)
    assert not night.is_open(at(tue.replace(hour=23)))  # Tuesday's own shift is the holiday
    assert not night.is_open(at(wed.replace(hour=1)))
    assert wall(night.next_open(at(tue.replace(hour=7)))) == wed.replace(hour=22)
    # Sunday night spills 6 h into Monday, Monday night gives 8 h, Wednesday night 2 h by Thursday
    assert night.open_between(at(mon), at(datetime(2026, 1, 8))) == 6 * H + 8 * H + 2 * H
    assert night.week_intervals()[0] == (0.0, 6 * H)  # Sunday's shift wraps into Monday
    assert night.weekly_open_seconds() == 7 * 8 * H


def test_touching_intervals_merge() -> None:
    c = cal({"mon": "18:00-24:00", "tue": "00:00-06:00"})
    assert wall(c.next_close(at(datetime(2026, 1, 5, 20)))) == datetime(2026, 1, 6, 6)
    assert list(c.intervals(0, W)) == [(18 * H, 30 * H)]
    sunday = cal({"sun": "22:00-06:00", "mon": "06:00-10:00"})
    assert wall(sunday.next_close(at(datetime(2026, 1, 11, 23)))) == datetime(2026, 1, 12, 10)
    assert sunday.week_intervals() == ((0.0, 10 * H), (6 * D + 22 * H, float(W)))


def test_fri_mon_wraps_and_single_day_override() -> None:
    c = cal({"fri-mon": "10:00-14:00", "sat": "10:00-12:00"})
    assert c.weekly_open_seconds() == 3 * 4 * H + 2 * H
    assert not c.is_open(at(datetime(2026, 1, 6, 11)))  # Tuesday
    assert c.is_open(at(datetime(2026, 1, 11, 13)))  # Sunday
    assert not c.is_open(at(datetime(2026, 1, 10, 13)))  # Saturday, overridden
    assert c.week_intervals()[0] == (10 * H, 14 * H)


def test_whole_day_calendar_with_and_without_holidays() -> None:
    assert cal({"daily": "00:00-24:00"}).is_always
    c = cal({"daily": "00:00-24:00"}, holidays=[date(2026, 3, 2)])
    assert not c.is_always
    assert wall(c.next_close(0.0)) == datetime(2026, 3, 2)
    assert wall(c.next_open(at(datetime(2026, 3, 2, 12)))) == datetime(2026, 3, 3)
    assert c.next_close(at(datetime(2026, 3, 3))) == math.inf  # past the last holiday
    assert list(c.intervals(0, math.inf)) == [
        (0.0, at(datetime(2026, 3, 2))),
        (at(datetime(2026, 3, 3)), math.inf),
    ]
    assert c.add_open(0.0, 100 * D) == 101 * D


def test_always_calendar() -> None:
    c = Calendar.always(ORIGIN)
    assert (c.is_always, c.is_empty(), c.name) == (True, False, "always")
    assert c.is_open(-5.0)
    assert c.is_open(1e12)
    assert c.open_between(10.0, 25.5) == 15.5
    assert c.add_open(10.0, 5.0) == 15.0
    assert (c.next_open(7.0), c.next_close(7.0)) == (7.0, math.inf)
    assert list(c.intervals(1.0, 2.0)) == [(1.0, 2.0)]
    assert c.week_intervals() == ((0.0, float(W)),)
    assert c.weekly_open_seconds() == W


@pytest.mark.parametrize(
    "calendar",
    [
        pytest.param(cal({}), id="no-hours"),
        pytest.param(cal({"sun": []}, workdays=[date(2026, 1, 10)]), id="workdays-only"),
    ],
)
def test_empty_calendar(calendar: Calendar) -> None:
    assert calendar.is_empty()
    assert not calendar.is_always
    assert not calendar.is_open(5.0)
    assert calendar.open_between(0.0, 1e9) == 0.0
    assert calendar.add_open(0.0, 1.0) == math.inf
    assert calendar.next_open(3.0) == math.inf
    assert calendar.next_close(3.0) == 3.0
    assert list(calendar.intervals(0.0, 1e9)) == []
    assert calendar.weekly_open_seconds() == 0
    assert calendar.week_intervals() == ()


def test_origin_not_at_midnight() -> None:
    origin = datetime(2026, 1, 5, 8, 30)
    office = cal(OFFICE, origin=origin)
    assert office.next_open(0.0) == 30 * 60
    assert office.add_open(0.0, H) == 90 * 60
    assert office.open_between(0.0, D) == 9 * H
    odd = cal(OFFICE, origin=datetime(2026, 1, 5, 8, 59, 59, 250_000))
    assert odd.next_open(0.0) == pytest.approx(0.75)
    assert odd.add_open(0.0, 9 * H) == pytest.approx(9 * H + 0.75)


def test_times_before_the_origin() -> None:
    office = cal(OFFICE)
    assert office.open_between(-W, 0.0) == 45 * H
    weekdays = sum((ORIGIN - timedelta(days=k)).weekday() < 5 for k in range(1, 401))
    assert office.open_between(-400 * D, 0.0) == weekdays * 9 * H
    assert wall(office.next_open(-D)) == datetime(2026, 1, 5, 9)  # from Sunday


def test_lazy_extension_far_beyond_the_first_year() -> None:
    office = cal(OFFICE, holidays=NATIONAL_DAY, workdays=MAKEUP)
    t = at(datetime(2076, 1, 6))  # fifty years on, a Monday
    assert office.open_between(t, t + W) == 45 * H
    assert wall(office.add_open(t, 10 * H)) == datetime(2076, 1, 7, 10)
    days = (datetime(2076, 1, 6) - ORIGIN).days
    weekdays = sum((ORIGIN + timedelta(days=k)).weekday() < 5 for k in range(days))
    expected = (weekdays - 5 + 1) * 9 * H  # National Day 2026 takes 5 weekdays, 10-10 gives one
    assert office.open_between(0.0, t) == expected
    assert office.add_open(0.0, expected) == at(datetime(2076, 1, 3, 18))  # the Friday before


def test_beyond_a_thousand_years_is_refused() -> None:
    with pytest.raises(ValueError, match="1000 years"):
        cal(OFFICE).is_open(1100 * 365 * D)


def test_intervals_clip_and_are_lazy() -> None:
    office = cal(OFFICE)
    got = list(office.intervals(at(datetime(2026, 1, 5, 12)), at(datetime(2026, 1, 7, 10))))
    assert got == [(12 * H, 18 * H), (D + 9 * H, D + 18 * H), (2 * D + 9 * H, 2 * D + 10 * H)]
    first = list(islice(office.intervals(0.0, math.inf), 3))
    assert first[2] == (2 * D + 9 * H, 2 * D + 18 * H)
    assert list(office.intervals(5.0, 5.0)) == []
    assert len(list(office.intervals(0.0, 3 * 365 * D))) > 700


def test_holiday_and_workday_on_one_date() -> None:
    clash = date(2026, 10, 3)
    assert validate_dates(NATIONAL_DAY, [date(2026, 10, 10), clash]) == (clash,)
    assert validate_dates(NATIONAL_DAY, MAKEUP) == ()
    with pytest.raises(ValueProblem) as info:
        cal(OFFICE, holidays=NATIONAL_DAY, workdays=[clash])
    assert info.value.code == "E136"
    assert "2026-10-03" in info.value.message


@pytest.mark.parametrize(
    "weekly",
    [
        pytest.param({7: ((0, 10),)}, id="weekday-7"),
        pytest.param({0: ((10, 10),)}, id="empty"),
        pytest.param({0: ((D, D + 10),)}, id="start-at-24"),
        pytest.param({0: ((10, D + 20),)}, id="longer-than-a-day"),
    ],
)
def test_hand_built_weekly_hours_are_checked(weekly: WeeklyHours) -> None:
    with pytest.raises(ValueError, match=r"weekday|range"):
        Calendar(weekly, origin=ORIGIN)


def test_origin_with_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        Calendar({}, origin=datetime(2026, 1, 5, tzinfo=UTC))


def test_pickles_and_repr() -> None:
    office = cal(OFFICE, holidays=NATIONAL_DAY, name="office")
    office.is_open(3 * 365 * D)  # grown lists travel too
    copy = pickle.loads(pickle.dumps(office))
    assert copy.add_open(100.0, 50 * H) == office.add_open(100.0, 50 * H)
    assert repr(office) == "Calendar('office', 45 h/week, 7 holidays, 0 workdays)"
    assert DAY_NAMES[office.origin.weekday()] == "mon"


# --- properties against a brute-force reference -------------------------------------------------

SPAN_DAYS = 60  # queries stay within this many days of the origin; the reference covers more


def reference(weekly: WeeklyHours, holidays: set[int], workdays: set[int], origin: datetime):
    """Merged open intervals, the slow obvious way: day by day, then sort and merge."""
    tod = (origin - datetime.combine(origin.date(), datetime.min.time())).total_seconds()
    raw = []
    for k in range(-5, SPAN_DAYS * 2 + 10):
        day = origin.date() + timedelta(days=k)
        if k in workdays:
            ranges = weekly.get(0, ())
        elif k in holidays:
            ranges = ()
        else:
            ranges = weekly.get(day.weekday(), ())
        raw += [(k * D + s - tod, k * D + e - tod) for s, e in ranges]
    merged: list[list[float]] = []
    for s, e in sorted(raw):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


HALF_HOURS = st.integers(0, 47).map(lambda n: n * 1800)


@st.composite
def calendars(draw: st.DrawFn) -> tuple[Calendar, list[tuple[float, float]]]:
    """Random weekly hours (overlaps allowed: a Calendar must merge them), holidays, workdays."""
    weekly: WeeklyHours = {}
    for d in range(7):
        ranges = []
        for _ in range(draw(st.integers(0, 2))):
            s = draw(HALF_HOURS)
            length = draw(st.integers(1, 48)) * 1800
            ranges.append((s, s + length))
        weekly[d] = tuple(sorted(ranges))
    specials = draw(st.lists(st.integers(-2, SPAN_DAYS), max_size=12, unique=True))
    cut = draw(st.integers(0, len(specials)))
    holidays, workdays = set(specials[:cut]), set(specials[cut:])
    origin = datetime(2026, 1, 1) + timedelta(
        days=draw(st.integers(0, 6)), seconds=draw(st.sampled_from([0, 1800, 12345.5, 86399]))
    )
    c = Calendar(
        weekly,
        holidays=[origin.date() + timedelta(days=k) for k in holidays],
        workdays=[origin.date() + timedelta(days=k) for k in workdays],
        origin=origin,
    )
    return c, reference(weekly, holidays, workdays, origin)


TIMES = st.floats(-D, SPAN_DAYS * D, allow_nan=False)
DURATIONS = st.just(0.0) | st.floats(1e-3, 10 * D)  # a float below 1e-3 s vanishes at 1e9 s
PROPS = settings(max_examples=150, deadline=None)


def ref_open(ref: list[tuple[float, float]], t1: float, t2: float) -> float:
    return sum(max(0.0, min(e, t2) - max(s, t1)) for s, e in ref)


@PROPS
@given(calendars(), TIMES, TIMES)
def test_matches_reference(cr: tuple[Calendar, list], t1: float, t2: float) -> None:
    c, ref = cr
    assert c.open_between(t1, t2) == pytest.approx(ref_open(ref, t1, t2), abs=1e-6)
    for t in (t1, t2):
        inside = [(s, e) for s, e in ref if s <= t < e]
        assert c.is_open(t) == bool(inside)
        if inside:
            assert c.next_open(t) == t
            if inside[0][1] < SPAN_DAYS * 2 * D:
                assert c.next_close(t) == pytest.approx(inside[0][1], abs=1e-6)
        else:
            assert c.next_close(t) == t
            later = [s for s, _ in ref if s > t]
            if later and later[0] < SPAN_DAYS * 2 * D:
                assert c.next_open(t) == pytest.approx(later[0], abs=1e-6)
    lo, hi = min(t1, t2), max(t1, t2)
    clipped = [(max(s, lo), min(e, hi)) for s, e in ref]
    expected = [(a, b) for a, b in clipped if a < b]
    got = list(c.intervals(lo, hi))
    assert len(got) == len(expected)
    for (a, b), (x, y) in zip(got, expected, strict=True):
        assert (a, b) == (pytest.approx(x, abs=1e-6), pytest.approx(y, abs=1e-6))


@PROPS
@given(calendars(), TIMES, TIMES, TIMES)
def test_open_between_is_additive(cr: tuple[Calendar, list], a: float, b: float, x: float) -> None:
    c = cr[0]
    a, b, x = sorted((a, b, x))
    assert c.open_between(a, b) + c.open_between(b, x) == pytest.approx(
        c.open_between(a, x), abs=1e-6
    )
    assert c.open_between(a, b) <= c.open_between(a, x) + 1e-9  # monotone in the end


@PROPS
@given(calendars(), TIMES, DURATIONS)
def test_add_open_inverts_open_between(cr: tuple[Calendar, list], t: float, d: float) -> None:
    c, ref = cr
    if c.is_empty():
        assert c.add_open(t, d) == (t if d == 0 else math.inf)
        return
    end = c.add_open(t, d)
    assert end >= t
    assert c.open_between(t, end) == pytest.approx(d, abs=1e-6)
    if end > t:  # the earliest such instant: it ends an open stretch (s, e] of the reference
        assert any(s - 1e-6 < end <= e + 1e-6 for s, e in ref) or end > SPAN_DAYS * 2 * D
    back = c.add_open(t, c.open_between(t, end))
    assert back == pytest.approx(end, abs=1e-6)


@PROPS
@given(calendars(), TIMES, TIMES)
def test_add_open_lands_on_open_times(cr: tuple[Calendar, list], t: float, t2: float) -> None:
    c = cr[0]
    t, t2 = min(t, t2), max(t, t2)
    got = c.add_open(t, c.open_between(t, t2))
    assert got <= t2 + 1e-6
    assert c.open_between(got, t2) == pytest.approx(0.0, abs=1e-6)
    if c.is_open(t2) and c.open_between(t, t2) > 0:
        assert got == pytest.approx(t2, abs=1e-6)


@PROPS
@given(calendars(), TIMES, TIMES, DURATIONS, DURATIONS)
def test_monotonicity(
    cr: tuple[Calendar, list], t1: float, t2: float, d1: float, d2: float
) -> None:
    c = cr[0]
    t1, t2 = min(t1, t2), max(t1, t2)
    d1, d2 = min(d1, d2), max(d1, d2)
    assert c.add_open(t1, d1) <= c.add_open(t2, d1) + 1e-6
    assert c.add_open(t1, d1) <= c.add_open(t1, d2) + 1e-6
    assert c.next_open(t1) <= c.next_open(t2)


@PROPS
@given(calendars(), TIMES)
def test_next_open_and_next_close_agree_with_is_open(cr: tuple[Calendar, list], t: float) -> None:
    c = cr[0]
    n = c.next_open(t)
    assert n >= t
    if math.isfinite(n):
        assert c.is_open(n)
        assert c.open_between(t, n) == 0.0
        close = c.next_close(n)
        assert close > n
        assert c.open_between(n, min(close, n + 30 * D)) == pytest.approx(
            min(close, n + 30 * D) - n, abs=1e-6
        )
        if math.isfinite(close):
            assert not c.is_open(close)
    else:
        assert c.is_empty()
