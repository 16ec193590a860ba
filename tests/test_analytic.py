"""The analytic check against figures worked out by hand (SPEC §4)."""

from __future__ import annotations

import math

import pytest

import procmap
from procmap.model.analytic import erlang_c

# A Jackson network: branching, two rework loops (C→B and E→C), one team working two stages.
JACKSON = """
procmap: 1
process: {id: jackson, time_unit: min}
teams:
  ta: {staff: 1}
  tb: {staff: 1}
  tc: {staff: 2}
  td: {staff: 1}
  te: {staff: 1}
arrivals: {rate: 2/h}
stages:
  A: {owner: ta, duration: exp(10min), next: B}
  B:
    owner: tb
    duration: exp(15min)
    next: [{to: C, p: 0.7}, {to: D, p: 0.3}]
  C:
    owner: tc
    duration: exp(20min)
    next: [{to: B, p: 0.2}, {to: E, p: 0.8}]
  D: {owner: td, duration: exp(30min), next: E}
  E:
    owner: te
    duration: exp(12min)
    next: [{to: F, p: 0.9}, {to: C, p: 0.1}]
  F: {owner: ta, duration: exp(6min), next: out}
  out: {kind: end}
"""


def erlang_c_closed_form(c: int, a: float) -> float:
    """Erlang C from its textbook formula (independent of the library's recursion)."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_jackson_visits_utilisation_and_erlang_c(load_text):
    model = load_text(JACKSON)
    result = procmap.analyze(model)
    # hand solution of v = e + Pᵀv: with d = 0.774, b = 0.92/d, c = 0.73/d, e = 0.86/d
    d = 0.92 - 0.146
    visits = {
        "A": 1.0,
        "B": 0.92 / d,
        "C": 0.73 / d,
        "D": 0.276 / d,
        "E": 0.86 / d,
        "F": 1.0,
        "out": 1.0,
    }
    for sid, v in visits.items():
        assert result.stages[sid].visits_per_case == pytest.approx(v, abs=1e-9), sid
        assert result.stages[sid].arrival_rate_per_h == pytest.approx(2 * v, abs=1e-9), sid
    lam = 2 / 3600  # per second
    mean = {"A": 600, "B": 900, "C": 1200, "D": 1800, "E": 720, "F": 360}
    staff = {"ta": 1, "tb": 1, "tc": 2, "td": 1, "te": 1}
    work = {"ta": ("A", "F"), "tb": ("B",), "tc": ("C",), "td": ("D",), "te": ("E",)}
    for tid, stages in work.items():
        offered = sum(lam * visits[s] * mean[s] for s in stages)
        fig = result.teams[tid]
        assert fig.offered_load == pytest.approx(offered, abs=1e-9)
        assert fig.staff_on_duty == pytest.approx(staff[tid], abs=1e-12)
        assert fig.utilization == pytest.approx(offered / staff[tid], abs=1e-9)
        service = offered / (lam * sum(visits[s] for s in stages))  # visit-weighted mean
        c = staff[tid]
        wait = erlang_c_closed_form(c, offered) * service / (c - offered)
        assert fig.wait_s == pytest.approx(wait, rel=1e-9), tid


def test_rework_share_counts_back_edge_visits(load_text):
    result = procmap.analyze(load_text(JACKSON))
    d = 0.92 - 0.146
    b, c, e = 0.92 / d, 0.73 / d, 0.86 / d
    assert result.stages["B"].rework_share == pytest.approx(0.2 * c / b, abs=1e-9)
    assert result.stages["C"].rework_share == pytest.approx(0.1 * e / c, abs=1e-9)
    assert result.stages["A"].rework_share == 0


@pytest.mark.parametrize(("c", "a"), [(1, 0.5), (2, 1.2), (5, 4.1), (12, 9.9), (40, 35.0)])
def test_erlang_c_matches_closed_form(c, a):
    assert erlang_c(c, a) == pytest.approx(erlang_c_closed_form(c, a), rel=1e-12)


def test_erlang_c_for_one_server_is_the_load():
    assert erlang_c(1, 0.7) == pytest.approx(0.7, abs=1e-15)


OFFICE = """
procmap: 1
process: {id: office}
calendars:
  office: {weekly: {mon-fri: "09:00-18:00"}}
  late: {weekly: {mon-fri: "18:00-22:00", sat: "10:00-16:00"}}
teams:
  t:
    availability: 80%
    shifts: [{calendar: office, staff: 3}, {calendar: late, staff: 1}]
arrivals: {rate: 6/h, calendar: office, profile: {mon: 1.5, fri: 0.5, "09-12": 2}}
stages:
  work: {owner: t, duration: 10min, next: end}
  end: {kind: end}
"""


def test_staff_on_duty_and_arrival_rate_from_calendars_and_profile(load_text):
    result = procmap.analyze(load_text(OFFICE))
    # open hours a week: office 45 h, late 20 h + 6 h
    on_duty = (3 * 45 + 1 * 26) / 168 * 0.8
    assert result.teams["t"].staff_on_duty == pytest.approx(on_duty, abs=1e-12)
    # operational hours a week: each weekday 3 h at ×2 and 6 h at ×1 = 12 factor-hours, times the day factor
    op_hours = 12 * (1.5 + 1 + 1 + 1 + 0.5)
    rate = 6 * op_hours / 168
    assert result.case_rate_per_h == pytest.approx(rate, abs=1e-12)
    assert result.teams["t"].offered_load == pytest.approx(rate * 10 / 60, abs=1e-12)
    assert result.teams["t"].wait_s is None  # Erlang C does not apply to shifts and calendars


SPLIT = """
procmap: 1
process: {id: split}
segments:
  vip: {share: 25%, priority: 0}
  std: {share: 75%, priority: 1}
teams:
  a: {staff: 2}
  b: {staff: 2}
arrivals: {rate: 1/h}
stages:
  start: {owner: a, duration: 30min, next: {all: [left, right]}}
  left: {owner: a, duration: 1h, duration_by_segment: {vip: 2h}, next: join}
  right:
    owner: b
    duration: 1h
    next: [{to: right, p: 0.5}, {to: join, p: 0.5}]
  join: {kind: join, next: route}
  route:
    kind: decision
    next:
      - {to: fast, when: {segment: [vip]}}
      - {to: end, otherwise: true}
  fast: {owner: b, duration: 15min, next: end}
  end: {kind: end}
"""


def test_split_join_segments_and_self_loop(load_text):
    result = procmap.analyze(load_text(SPLIT))
    s = result.stages
    assert s["left"].visits_per_case == pytest.approx(1.0)
    assert s["right"].visits_per_case == pytest.approx(2.0)  # geometric: 1 / (1 - 0.5)
    assert s["join"].visits_per_case == pytest.approx(1.0)  # fires once per split instance
    assert s["fast"].visits_per_case == pytest.approx(0.25)  # VIPs only
    a = result.teams["a"].offered_load
    assert a == pytest.approx((0.5 + 0.25 * 2 + 0.75 * 1) / 1)  # per hour × hours
    b = result.teams["b"].offered_load
    assert b == pytest.approx(2 * 1 + 0.25 * 0.25)
    vs = result.value_stream
    assert vs["touch_time_s"] == pytest.approx(3600 * (0.5 + 1.25 + 2 + 0.0625))
