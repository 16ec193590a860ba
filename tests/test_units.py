"""Values people write in a model: durations, rates, shares, dates, targets (SPEC §2.3)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procmap.model.units import (
    CANONICAL_UNITS,
    UNIT_SECONDS,
    Duration,
    Rate,
    Target,
    ValueProblem,
    check_fullwidth,
    exact_duration_text,
    format_duration,
    parse_date,
    parse_date_range,
    parse_datetime,
    parse_duration,
    parse_probability,
    parse_rate,
    parse_share,
    parse_target,
    parse_time_unit,
)

MIN, H, D, W = 60.0, 3600.0, 86400.0, 604800.0


def problem(func, *args) -> ValueProblem:
    with pytest.raises(ValueProblem) as info:
        func(*args)
    return info.value


# --- ValueProblem ---------------------------------------------------------------------------


def test_value_problem_carries_code_message_hint_and_path():
    exc = ValueProblem("E110", "'x' is not a duration", "write 5min", ("mean",))
    assert (exc.code, exc.message, exc.hint, exc.path) == (
        "E110",
        "'x' is not a duration",
        "write 5min",
        ("mean",),
    )
    assert str(exc) == "'x' is not a duration"
    assert isinstance(exc, ValueError)
    assert ValueProblem("E110", "m").path == ()
    assert ValueProblem("E110", "m").hint is None


# --- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "canonical"),
    [
        ("s", "s"),
        ("sec", "s"),
        ("seconds", "s"),
        ("秒", "s"),
        ("秒钟", "s"),
        ("min", "min"),
        ("Minutes", "min"),
        ("分", "min"),
        ("分钟", "min"),
        ("h", "h"),
        ("HR", "h"),
        ("hrs", "h"),
        ("hours", "h"),
        ("小时", "h"),
        ("时", "h"),
        ("d", "d"),
        ("Day", "d"),
        ("days", "d"),
        ("天", "d"),
        ("日", "d"),
        ("w", "w"),
        ("wk", "w"),
        ("weeks", "w"),
        ("周", "w"),
        ("星期", "w"),
        (" hours ", "h"),
    ],
)
def test_parse_time_unit(word, canonical):
    assert parse_time_unit(word) == canonical


def test_unit_table_covers_the_brief_and_agrees_with_canonical_units():
    words = [
        "s",
        "sec",
        "secs",
        "second",
        "seconds",
        "min",
        "mins",
        "minute",
        "minutes",
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "d",
        "day",
        "days",
        "w",
        "wk",
        "week",
        "weeks",
        "秒",
        "秒钟",
        "分",
        "分钟",
        "小时",
        "时",
        "天",
        "日",
        "周",
        "星期",
    ]
    assert set(words) <= set(UNIT_SECONDS)
    assert CANONICAL_UNITS == ("s", "min", "h", "d", "w")
    assert [UNIT_SECONDS[u] for u in CANONICAL_UNITS] == [1.0, MIN, H, D, W]


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("m", "E111", "write min"),
        ("M", "E111", "minutes or months"),
        ("months", "E113", "months"),
        ("hrz", "E113", "unknown time unit 'hrz'"),
        (3, "E113", "3 is not a time unit"),
        ("", "E113", "not a time unit"),
        ("ｈ", "E119", "U+FF48"),
    ],
)
def test_parse_time_unit_errors(value, code, fragment):
    exc = problem(parse_time_unit, value)
    assert exc.code == code
    assert fragment in exc.message


def test_unknown_unit_hint_suggests_and_lists_units():
    exc = problem(parse_duration, "5 hurs")
    assert exc.code == "E113"
    assert "did you mean hours?" in exc.hint
    assert "min" in exc.hint
    assert "小时" in exc.hint
    assert "no fixed length" in problem(parse_duration, "2 years").hint


# --- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds", "bare"),
    [
        ("30min", 30 * MIN, False),
        ("30 min", 30 * MIN, False),
        ("1.5h", 1.5 * H, False),
        ("2 hours", 2 * H, False),
        ("3天", 3 * D, False),
        ("45分钟", 45 * MIN, False),
        ("2小时", 2 * H, False),
        ("10秒", 10.0, False),
        ("1周", W, False),
        ("2w", 2 * W, False),
        ("1d", D, False),
        ("90s", 90.0, False),
        ("0", 0.0, True),
        (0, 0.0, True),
        (90, 90 * H, True),
        (1.5, 1.5 * H, True),
        ("2", 2 * H, True),
        (".5h", 0.5 * H, False),
        ("1e3s", 1000.0, False),
        ("+5min", 5 * MIN, False),
        ("  5 MIN ", 5 * MIN, False),
        ("1h 30min", 1.5 * H, False),
        ("1h30min", 1.5 * H, False),
        ("2d 3h", 2 * D + 3 * H, False),
        (timedelta(minutes=5), 5 * MIN, False),
    ],
)
def test_parse_duration(value, seconds, bare):
    d = parse_duration(value)
    assert d.seconds == pytest.approx(seconds, rel=1e-15)
    assert d.bare is bare
    assert isinstance(d.seconds, float)


@pytest.mark.parametrize(
    ("value", "time_unit", "seconds"),
    [
        (90, "min", 90 * MIN),
        (90, None, 90 * H),
        ("2", "d", 2 * D),
        (2, "hours", 2 * H),
        (3, "天", 3 * D),
        (1, "s", 1.0),
        ("5min", "d", 5 * MIN),
    ],
)
def test_bare_numbers_take_the_time_unit(value, time_unit, seconds):
    assert parse_duration(value, time_unit).seconds == seconds


def test_duration_text_keeps_the_users_words():
    assert parse_duration(" 30 min ") == Duration(1800.0, "30 min", False)
    assert parse_duration(90, "min") == Duration(5400.0, "90", True)
    assert parse_duration(1.5).text == "1.5"
    assert parse_duration(2.0).text == "2"
    d = parse_duration("45分钟")
    assert parse_duration(d) is d


@pytest.mark.parametrize(
    ("value", "code", "fragments"),
    [
        ("5m", "E111", ["'5m'", "write min", "minutes or months"]),
        ("5 m", "E111", ["write min"]),
        (5, "E111", ["write min"]),
        ("-5min", "E112", ["'-5min'", "negative"]),
        (-1, "E112", ["negative"]),
        ("- 5min", "E112", ["negative"]),
        (float("nan"), "E112", ["finite"]),
        (float("inf"), "E112", ["finite"]),
        ("nan", "E112", ["finite"]),
        ("inf h", "E112", ["finite"]),
        ("1e400h", "E112", ["too large"]),
        (True, "E112", ["true"]),
        (False, "E112", ["false"]),
        ("5 hrz", "E113", ["'hrz'", "'5 hrz'"]),
        ("5ms", "E113", ["'ms'"]),
        ("３０min", "E119", ["full-width digit three", "'３'", "U+FF13", "use '3'"]),
        ("1．5h", "E119", ["full-width full stop", "U+FF0E", "use '.'"]),
        ("30\u3000min", "E119", ["ideographic space", "U+3000"]),
        ("abc", "E110", ["'abc' is not a duration"]),
        ("", "E110", ["not a duration"]),
        ("1,5h", "E110", ["'1,5h'"]),
        ("1h30", "E110", ["'1h30'"]),
        ("h", "E110", ["'h'"]),
        (None, "E110", ["null"]),
        ([5], "E110", ["a list"]),
        ({"a": 1}, "E110", ["a mapping"]),
    ],
)
def test_parse_duration_errors(value, code, fragments):
    time_unit = "m" if value == 5 else None
    exc = problem(parse_duration, value, time_unit)
    assert exc.code == code
    for fragment in fragments:
        assert fragment in exc.message
    assert exc.hint


def test_duration_error_hints_say_how_to_fix():
    assert problem(parse_duration, "1,5h").hint == "write a decimal point: '1.5h'"
    assert "30min" in problem(parse_duration, "abc").hint
    assert "remove the '-'" in problem(parse_duration, "-5min").hint


@settings(max_examples=50, deadline=None, database=None)
@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_exact_duration_text_round_trips(seconds):
    text = exact_duration_text(seconds)
    assert parse_duration(text).seconds == seconds
    assert not parse_duration(text).bare


@settings(max_examples=50, deadline=None, database=None)
@given(
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(sorted(UNIT_SECONDS)),
    st.sampled_from(["", " "]),
)
def test_number_and_unit_round_trip(number, unit, space):
    text = f"{number}{space}{unit}"
    d = parse_duration(text)
    assert d.seconds == float(str(number)) * UNIT_SECONDS[unit]
    assert d.text == text
    assert parse_duration(d.text) == d


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (30, "30s"),
        (0.5, "0.5s"),
        (45 * MIN, "45min"),
        (90 * MIN, "1.5h"),
        (2 * D + 3 * H, "2d 3h"),
        (125, "2min 5s"),
        (100 * MIN, "1h 40min"),
        (H, "1h"),
        (1.5 * D, "1.5d"),
        (14 * D, "14d"),
        (-90, "-1.5min"),
        (float("inf"), "inf"),
    ],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0, "0s"),
        (300.0, "5min"),
        (7200.0, "2h"),
        (D, "1d"),
        (W, "1w"),
        (90.0, "90s"),
        (5400.0, "90min"),
        (0.1, "0.1s"),
        (1234.5678, "20.57613min"),
        (1 / 3, repr(1 / 3) + "s"),
    ],
)
def test_exact_duration_text(seconds, text):
    assert exact_duration_text(seconds) == text


# --- rates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "per_hour"),
    [
        ("6/h", 6.0),
        ("120/d", 5.0),
        ("15/w", 15 / 168),
        ("0.5/min", 30.0),
        ("6 per hour", 6.0),
        ("6/hour", 6.0),
        ("6 / h", 6.0),
        ("6 PER H", 6.0),
        ("6次/小时", 6.0),
        ("48/天", 2.0),
        ("3/2h", 1.5),
        ("6 per 2 hours", 3.0),
        (6, 6.0),
        ("6", 6.0),
        (0.25, 0.25),
    ],
)
def test_parse_rate(value, per_hour):
    rate = parse_rate(value)
    assert rate.per_second * 3600 == pytest.approx(per_hour, rel=1e-12)


def test_rate_bare_number_takes_the_time_unit_and_keeps_text():
    assert parse_rate(120, "d").per_second == pytest.approx(120 / 86400)
    assert parse_rate(" 6/h ") == Rate(6 / 3600, "6/h")
    assert parse_rate(6).text == "6"


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        (0, "E114", "zero"),
        ("0/h", "E114", "zero"),
        ("-3/h", "E112", "negative"),
        (-2, "E112", "negative"),
        ("6/m", "E111", "write min"),
        ("6/month", "E113", "month"),
        ("10min", "E114", "'10min' is not a rate"),
        ("abc", "E114", "'abc'"),
        ("6/0h", "E114", "above zero"),
        ("６/h", "E119", "U+FF16"),
        (True, "E112", "true"),
        (None, "E114", "null"),
        ("nan/h", "E114", "'nan/h'"),
        ("1e400/h", "E112", "finite"),
    ],
)
def test_parse_rate_errors(value, code, fragment):
    exc = problem(parse_rate, value)
    assert exc.code == code
    assert fragment in exc.message
    assert exc.hint


def test_rate_written_as_a_duration_points_at_interarrival():
    assert "interarrival: 10min" in problem(parse_rate, "10min").hint
    assert "6/h" in problem(parse_rate, "abc").hint


# --- shares and probabilities ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "share"),
    [
        ("95%", 0.95),
        ("95 %", 0.95),
        (0.95, 0.95),
        (1, 1.0),
        ("0%", 0.0),
        (0, 0.0),
        ("0.95", 0.95),
        ("100%", 1.0),
        ("12.5%", 0.125),
        (" 85% ", 0.85),
    ],
)
def test_parse_share(value, share):
    assert parse_share(value) == share
    assert parse_probability(value) == share


@pytest.mark.parametrize(
    ("value", "p"), [("1/3", 1 / 3), ("2 / 3", 2 / 3), ("0/5", 0.0), ("4/4", 1.0), ("60%", 0.6)]
)
def test_parse_probability_fractions(value, p):
    assert parse_probability(value) == p


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        (95, "E115", "write 95%"),
        ("95", "E115", "write 95%"),
        (1.5, "E115", "write 1.5%"),
        (150, "E116", "above 1"),
        ("150%", "E116", "above 100%"),
        (-0.1, "E112", "negative"),
        ("-5%", "E112", "negative"),
        ("abc", "E116", "'abc' is not a share"),
        ("1/3", "E116", "'1/3' is not a share"),
        ("９５％", "E119", "U+FF19"),
        (True, "E112", "true"),
        (None, "E116", "null"),
        (float("nan"), "E112", "finite"),
    ],
)
def test_parse_share_errors(value, code, fragment):
    exc = problem(parse_share, value)
    assert exc.code == code
    assert fragment in exc.message


def test_share_hints():
    assert problem(parse_share, 95).hint == "or the fraction 0.95"
    assert "probabilities" in problem(parse_share, "1/3").hint
    assert "%" in problem(parse_share, "95％").message


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("4/3", "E116", "above 1"),
        ("1/0", "E116", "divides by zero"),
        ("1.5/3", "E116", "'1.5/3'"),
        (95, "E115", "write 95%"),
        ("p", "E116", "not a probability"),
    ],
)
def test_parse_probability_errors(value, code, fragment):
    exc = problem(parse_probability, value)
    assert exc.code == code
    assert fragment in exc.message


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-05T09:00", datetime(2026, 1, 5, 9)),
        ("2026-01-05 09:00", datetime(2026, 1, 5, 9)),
        ("2026-01-05T09:00:30", datetime(2026, 1, 5, 9, 0, 30)),
        ("2026-01-05", datetime(2026, 1, 5)),
        ("2026-01-05t23:59", datetime(2026, 1, 5, 23, 59)),
        ("2028-02-29", datetime(2028, 2, 29)),
        (date(2026, 1, 5), datetime(2026, 1, 5)),
        (datetime(2026, 1, 5, 7), datetime(2026, 1, 5, 7)),
        ("2026-01-05T09:00:30.25", datetime(2026, 1, 5, 9, 0, 30, 250000)),
    ],
)
def test_parse_datetime(value, expected):
    got = parse_datetime(value)
    assert got == expected
    assert got.tzinfo is None


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("2026-01-05T09:00+08:00", "E118", "procmap uses local time"),
        ("2026-01-05T09:00Z", "E118", "procmap uses local time"),
        ("2026-01-05 09:00 -0500", "E118", "-0500"),
        (datetime(2026, 1, 5, tzinfo=UTC), "E118", "local time"),
        ("2026-02-30", "E117", "no such date '2026-02-30': February 2026 has 28 days"),
        ("2026-13-01", "E117", "month 13"),
        ("2026-01-05T24:00", "E117", "no such time"),
        ("2026-01-05T09:60", "E117", "no such time"),
        ("05/01/2026", "E117", "'05/01/2026'"),
        ("tomorrow", "E117", "'tomorrow'"),
        (20260105, "E117", "int"),
        ("2026-01-05T09：00", "E119", "full-width colon"),
    ],
)
def test_parse_datetime_errors(value, code, fragment):
    exc = problem(parse_datetime, value)
    assert exc.code == code
    assert fragment in exc.message
    assert exc.hint


def test_offset_hint_shows_the_value_without_it():
    hint = problem(parse_datetime, "2026-01-05T09:00+08:00").hint
    assert hint == "remove the offset: '2026-01-05T09:00'"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2026-01-05T09:00", "E117"),
        (datetime(2026, 1, 5), "E117"),
        ("2026-02-29", "E117"),
        ("x", "E117"),
        (None, "E117"),
        ("２026-01-05", "E119"),
    ],
)
def test_parse_date(value, code):
    assert parse_date("2026-10-01") == date(2026, 10, 1)
    assert parse_date(date(2026, 10, 1)) == date(2026, 10, 1)
    assert problem(parse_date, value).code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-01", (date(2026, 10, 1), date(2026, 10, 1))),
        ("2026-10-01..2026-10-07", (date(2026, 10, 1), date(2026, 10, 7))),
        (" 2026-10-01 .. 2026-10-07 ", (date(2026, 10, 1), date(2026, 10, 7))),
        ("2026-10-01..2026-10-01", (date(2026, 10, 1), date(2026, 10, 1))),
        (date(2026, 5, 1), (date(2026, 5, 1), date(2026, 5, 1))),
    ],
)
def test_parse_date_range(value, expected):
    assert parse_date_range(value) == expected


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("2026-10-07..2026-10-01", "E120", "ends before it starts"),
        ("2026-10-01 - 2026-10-07", "E120", "not a date range"),
        ("2026-10-01 to 2026-10-07", "E120", "not a date range"),
        ("2026-10-01...2026-10-07", "E120", "not a date range"),
        ("2026-10-01..2026-02-30", "E117", "no such date"),
        ("2026-10-01～2026-10-07", "E119", "full-width tilde"),
    ],
)
def test_parse_date_range_errors(value, code, fragment):
    exc = problem(parse_date_range, value)
    assert exc.code == code
    assert fragment in exc.message


def test_date_range_hints():
    assert "2026-10-01..2026-10-07" in problem(parse_date_range, "2026-10-07..2026-10-01").hint
    assert "use '..'" in problem(parse_date_range, "2026-10-01～2026-10-07").message


# --- targets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "op", "raw", "text"),
    [
        ({"at_most": "2d"}, "at_most", "2d", "<= 2d"),
        ({"at_least": "95%"}, "at_least", "95%", ">= 95%"),
        ({"equals": 3}, "equals", 3, "== 3"),
        ({"at_least": 4.5}, "at_least", 4.5, ">= 4.5"),
        ({"at_most": 0.85}, "at_most", 0.85, "<= 0.85"),
        ("<= 2d", "at_most", "2d", "<= 2d"),
        (">= 95%", "at_least", "95%", ">= 95%"),
        ("== 3", "equals", 3, "== 3"),
        ("= 3", "equals", 3, "== 3"),
        ("<2d", "at_most", "2d", "<= 2d"),
        ("> 4.5", "at_least", 4.5, ">= 4.5"),
        ("≤ 15min", "at_most", "15min", "<= 15min"),
        ("≥ 0.9", "at_least", 0.9, ">= 0.9"),
        ("  <=   1 h  ", "at_most", "1 h", "<= 1 h"),
    ],
)
def test_parse_target(value, op, raw, text):
    assert parse_target(value) == Target(op, raw, text)


@pytest.mark.parametrize(
    ("value", "code", "fragment", "path"),
    [
        ({}, "E121", "exactly one", ()),
        ({"at_most": "1d", "at_least": "1h"}, "E121", "exactly one", ()),
        ({"max": "2d"}, "E121", "unknown target key 'max'", ("max",)),
        ({"at_most": None}, "E121", "needs a value", ("at_most",)),
        ({"at_most": [1]}, "E121", "needs a value", ("at_most",)),
        ("2d", "E121", "does not say which way", ()),
        (5, "E121", "expected a target", ()),
        ("<=", "E121", "which way", ()),
        ("＜= 2d", "E119", "full-width less-than sign", ()),
    ],
)
def test_parse_target_errors(value, code, fragment, path):
    exc = problem(parse_target, value)
    assert (exc.code, exc.path) == (code, path)
    assert fragment in exc.message


def test_target_hints():
    assert problem(parse_target, {"max": "2d"}).hint.startswith("did you mean at_most?")
    assert problem(parse_target, {"at_mots": "2d"}).hint.startswith("did you mean at_most?")
    assert "'<= 2d'" in problem(parse_target, "2d").hint


# --- full-width characters ------------------------------------------------------------------


def test_check_fullwidth_names_the_character_and_says_what_to_use():
    exc = problem(check_fullwidth, "09：00-18:00", "time range")
    assert exc.code == "E119"
    assert exc.message == (
        "full-width colon '：' (U+FF1A) in the time range '09：00-18:00': use ':'"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("mon，tue", "full-width comma '，' (U+FF0C)"),
        ("09:00－18:00", "U+FF0D"),
        ("09:00～18:00", "full-width tilde '～' (U+FF5E) in the x '09:00～18:00': use '-'"),
        ("（1h）", "full-width left parenthesis"),
        ("０９:00", "full-width digit zero"),
        ("a\u3000b", "ideographic space"),
        ("a、b", "ideographic comma '、' (U+3001)"),
        ("09:00–18:00", "en dash '–' (U+2013)"),
        ("1\u00a0h", "no-break space"),
        ("：，", "(1 more such character)"),
        ("：，．", "(2 more such characters)"),
    ],
)
def test_check_fullwidth_catches(text, fragment):
    assert fragment in problem(check_fullwidth, text, "x").message


@pytest.mark.parametrize("text", ["09:00-18:00", "客户需求收集", "3天", "45分钟", "", "6次/小时"])
def test_check_fullwidth_lets_plain_text_through(text):
    check_fullwidth(text, "x")


def test_non_finite_numbers_never_slip_through():
    for func in (parse_duration, parse_rate, parse_share, parse_probability):
        for value in (math.nan, math.inf, -math.inf):
            assert problem(func, value).code == "E112"
