"""The engine against cases worked out by hand (SPEC §5): every figure here is exact."""

from __future__ import annotations

import math
import textwrap

import pytest

import procmap
from procmap.sim.compile import compile_model
from procmap.sim.engine import run_replication

H = 3600.0
MIN = 60.0


def run(text: str, *, seed: int = 1, replication: int = 0):
    model = procmap.loads(textwrap.dedent(text))
    return run_replication(compile_model(model), replication, seed)


FRIDAY = """
procmap: 1
process: {id: friday}
calendars:
  office:
    weekly: {mon-fri: "09:00-18:00"}
    holidays: [2026-01-12]           # the Monday after
teams:
  agent: {staff: 1, calendar: office}
arrivals: {interarrival: 44.5h, calendar: office}   # Mon–Thu 36 open hours + Fri 09:00–17:30
stages:
  work: {owner: agent, duration: 1h, next: done}
  done: {kind: end}
slas:
  business: {start: arrival, stop: work.end, target: 1h, calendar: office}
  business_tight: {start: arrival, stop: work.end, target: 59min, calendar: office}
  clock: {start: arrival, stop: work.end, target: 1h}
simulation: {cases: 1, start: 2026-01-05T00:00}
"""


def test_friday_1730_ticket_with_a_monday_holiday():
    rec = run(FRIDAY)
    assert rec.completed == {"default": 1}
    # Friday 17:30 → 30 min of work, weekend, holiday Monday, Tuesday 09:00–09:30
    cycle = rec.cycle_time["default"]
    assert cycle.n == 1
    assert cycle.total == pytest.approx(88 * H, abs=1e-6)
    st = rec.stages["work"]
    assert st.wait["default"].total == 0.0
    assert st.service["default"].total == pytest.approx(1 * H)
    assert st.suspended["default"].total == pytest.approx(87 * H, abs=1e-6)
    assert rec.slas["business"].met == {"default": 1}
    assert rec.slas["business_tight"].breached == {"default": 1}
    assert rec.slas["clock"].breached == {"default": 1}
    # the case arrived on Friday 17:30: 4 days + 17.5 h after the Monday start
    assert rec.end_s == pytest.approx((4 * 24 + 17.5 + 88) * H, abs=1e-6)


SPLIT = """
procmap: 1
process: {id: split, time_unit: min}
teams:
  a: {staff: 1}
  b: {staff: 1}
  c: {staff: 1}
arrivals: {interarrival: 10h}
stages:
  first: {owner: a, duration: 10min, next: {all: [slow, fast]}}
  slow: {owner: b, duration: 50min, next: join}
  fast: {owner: c, duration: 30min, next: join}
  join: {kind: join, next: last}
  last: {owner: a, duration: 5min, next: done}
  done: {kind: end}
simulation: {cases: 3}
"""


def test_parallel_split_join_cycle_is_the_slowest_branch():
    rec = run(SPLIT)
    cycle = rec.cycle_time["default"]
    assert cycle.n == 3
    assert cycle.total == pytest.approx(3 * 65 * MIN)
    assert cycle.maximum == pytest.approx(65 * MIN)
    sync = rec.joins["join"]
    assert sync.n == 3
    assert sync.total == pytest.approx(
        3 * 20 * MIN
    )  # the fast branch waits 20 min for the slow one
    assert rec.stages["join"].visits == {"default": 3}  # one firing per split instance
    assert rec.edges["first>slow"].traversals == 3
    assert rec.edges["fast>join"].traversals == 3


ESCALATION = """
procmap: 1
process: {id: esc, time_unit: min}
teams:
  agent: {staff: 1}
segments:
  vip: {share: 50%, priority: 0}
  std: {share: 50%, priority: 1}
arrivals:
  - {interarrival: 10min, segments: {std: 100%}}   # std at 10, 20, 30 ...
  - {interarrival: 25min, segments: {vip: 100%}}   # vip at 25, 50 ...
stages:
  work: {owner: agent, duration: 30min, next: done}
  done: {kind: end}
slas:
  response:
    start: arrival
    stop: work.start
    target: 1h
    escalate: [{after: 15min, priority: 0, notify: lead}]
simulation: {cases: 3}
"""


def test_escalation_resorts_a_waiting_case_ahead_of_a_later_vip():
    # std@10 starts at once (till 40); std@20 waits; vip@25 waits.  At 35 std@20 escalates to
    # priority 0 and, keeping its entry time 20, goes before vip@25.
    rec = run(ESCALATION)
    waits = rec.stages["work"].wait
    assert waits["std"].total == pytest.approx((0 + 20) * MIN)
    assert waits["vip"].total == pytest.approx(45 * MIN)
    assert rec.slas["response"].escalations == {"lead": 2}  # std@20 at 35, vip@25 at 40


def test_without_escalation_the_vip_goes_first():
    rec = run(ESCALATION.replace("    escalate: [{after: 15min, priority: 0, notify: lead}]\n", ""))
    waits = rec.stages["work"].wait
    assert waits["vip"].total == pytest.approx(15 * MIN)
    assert waits["std"].total == pytest.approx((0 + 50) * MIN)
    assert rec.slas["response"].escalations == {}


CONSTANT_QUEUE = """
procmap: 1
process: {id: queue, time_unit: min}
teams:
  agent: {staff: 1}
arrivals: {interarrival: 10min}
stages:
  work: {owner: agent, duration: 1h, next: done}
  done: {kind: end}
slas:
  response:
    start: arrival
    stop: work.start
    target: 2h
    escalate: [{after: 30min, priority: 0, notify: lead}, {after: 90min, notify: manager}]
simulation: {cases: 8}
"""


def test_escalation_counts_on_a_constant_time_queue():
    # case k (arriving at 10k min) waits 50(k−1) min: > 30 for k ≥ 2 (7 cases), > 90 for k ≥ 3 (6)
    rec = run(CONSTANT_QUEUE)
    assert rec.slas["response"].escalations == {"lead": 7, "manager": 6}
    # met: wait ≤ 120 min → k ≤ 3 (3 cases); breached: k = 4..8
    assert rec.slas["response"].met == {"default": 3}
    assert rec.slas["response"].breached == {"default": 5}
    assert rec.stages["work"].wait["default"].total == pytest.approx(
        sum(50 * k for k in range(8)) * MIN
    )


PAUSE = """
procmap: 1
process: {id: pause}
teams:
  ops: {staff: 1}
  customer: {staff: unlimited}
arrivals: {interarrival: 10h}
stages:
  ask: {owner: ops, duration: 1h, next: reply}
  reply: {kind: wait, owner: customer, duration: 2h, next: fix}
  fix: {owner: ops, duration: 1h, next: done}
  done: {kind: end}
slas:
  paused: {start: arrival, stop: fix.end, target: 2h, pause: [reply]}
  paused_tight: {start: arrival, stop: fix.end, target: 119min, pause: [reply]}
  running: {start: arrival, stop: fix.end, target: 2h}
simulation: {cases: 1}
"""


def test_a_pause_stops_the_clock():
    rec = run(PAUSE)
    assert rec.cycle_time["default"].total == pytest.approx(4 * H)
    assert rec.slas["paused"].met == {"default": 1}
    assert rec.slas["paused_tight"].breached == {"default": 1}
    assert rec.slas["running"].breached == {"default": 1}
    attribution = rec.slas["paused_tight"].attribution
    assert attribution["pause"] == pytest.approx(2 * H)
    assert attribution["stage:ask:service"] == pytest.approx(1 * H)


BACKLOG = """
procmap: 1
process: {id: backlog}
teams:
  ops: {staff: 1}
stages:
  work: {owner: ops, duration: 1h, next: done}
  done: {kind: end}
simulation: {horizon: 10h, backlog: {work: 3}}
"""


def test_backlog_at_the_start():
    rec = run(BACKLOG)
    assert rec.arrived == {"default": 3}
    assert rec.completed == {"default": 3}
    cycle = rec.cycle_time["default"]
    assert cycle.total == pytest.approx((1 + 2 + 3) * H)
    assert cycle.maximum == pytest.approx(3 * H)
    assert rec.stages["work"].wait["default"].total == pytest.approx((0 + 1 + 2) * H)
    team = rec.teams["ops"]
    assert team.busy == pytest.approx(3 * H)
    assert team.available == pytest.approx(10 * H)
    assert team.queue_area == pytest.approx((2 + 1) * H)  # 2 waiting for an hour, then 1


CENSOR = """
procmap: 1
process: {id: censor}
teams:
  ops: {staff: 1}
arrivals: {interarrival: 1h}
stages:
  work: {owner: ops, duration: 5h, next: done}
  done: {kind: end}
slas:
  short: {start: arrival, stop: work.end, target: 2h}
  long: {start: arrival, stop: work.end, target: 20h}
simulation: {horizon: 4h}
"""


def test_censoring_at_the_horizon():
    # arrivals at 1h, 2h, 3h (4h is the horizon); the first is in service until 6h
    rec = run(CENSOR)
    assert rec.arrived == {"default": 3}
    assert rec.completed == {"default": 0}
    assert rec.open_at_end == {"default": 3}
    assert rec.stages["work"].open_at_end == 3
    assert rec.stages["work"].visits == {"default": 0}
    # elapsed at the end: 3h, 2h, 1h → "short" (2h): one breached, two still open
    assert rec.slas["short"].breached == {"default": 1}
    assert rec.slas["short"].open == {"default": 2}
    assert rec.slas["long"].open == {"default": 3}
    assert rec.teams["ops"].busy == pytest.approx(3 * H)  # busy from 1h to the end at 4h


TWO_TEAMS = """
procmap: 1
process: {id: joint, time_unit: min}
teams:
  a: {staff: 1}
  b: {staff: 1}
segments:
  p: {share: 50%}
  q: {share: 50%}
arrivals:
  - {interarrival: 10min, segments: {p: 100%}}
  - {interarrival: 15min, segments: {q: 100%}}
stages:
  route:
    kind: decision
    next:
      - {to: solo, when: {segment: [p]}}
      - {to: joint, otherwise: true}
  solo: {owner: b, duration: 30min, next: done}
  joint: {needs: {a: 1, b: 1}, duration: 20min, next: done}
  done: {kind: end}
simulation: {cases: 2}
"""


def test_needs_of_two_teams_waits_for_both():
    # p@10 holds b until 40; q@15 needs a (idle) and b: it waits until 40 and runs to 60
    rec = run(TWO_TEAMS)
    assert rec.stages["joint"].wait["q"].total == pytest.approx(25 * MIN)
    assert rec.cycle_time["q"].total == pytest.approx(45 * MIN)
    assert rec.teams["a"].busy == pytest.approx(20 * MIN)
    assert rec.teams["b"].busy == pytest.approx(50 * MIN)


FIRST_ARRIVAL = """
procmap: 1
process: {id: first}
calendars: {office: {weekly: {mon-fri: "09:00-18:00"}}}
teams: {ops: {staff: 1, calendar: office}}
arrivals: {interarrival: 10min, calendar: office}
stages:
  work: {owner: ops, duration: 5min, next: done}
  done: {kind: end}
simulation: {cases: 1}
"""


def test_first_arrival_is_one_interarrival_of_open_time_after_start():
    rec = run(FIRST_ARRIVAL)
    # Mon 00:00 start, office opens 09:00: the first case arrives 09:10 and ends 09:15
    assert rec.end_s == pytest.approx(9 * H + 15 * MIN)


AVAILABILITY = """
procmap: 1
process: {id: avail}
calendars: {office: {weekly: {mon-fri: "09:00-17:00"}}}
teams: {ops: {staff: 3, calendar: office, availability: 50%}}
arrivals: {rate: 1/h, calendar: office}
stages:
  work: {owner: ops, duration: 10min, next: done}
  done: {kind: end}
simulation: {horizon: 7d}
"""


def test_availability_removes_people_deterministically():
    # 3 × 50 % = 1.5: periods alternate 1 and 2 people (k = 0: 1, k = 1: 2, ...); 5 periods
    rec = run(AVAILABILITY)
    assert rec.teams["ops"].available == pytest.approx((1 + 2 + 1 + 2 + 1) * 8 * H)
    assert rec.teams["ops"].rostered == pytest.approx(3 * 5 * 8 * H)


def test_same_seed_same_record_and_another_seed_differs():
    text = AVAILABILITY
    a, b, c = run(text), run(text), run(text, seed=2)
    assert a.cycle_time["default"].total == b.cycle_time["default"].total
    assert a.cycle_time["default"].total != c.cycle_time["default"].total


ON_DUTY = """
procmap: 1
process: {id: onduty}
calendars: {office: {weekly: {mon-fri: "09:00-18:00"}}}
teams: {agent: {staff: 1, calendar: office}}
arrivals:
  - {interarrival: 44h, calendar: office}     # Friday 17:00
  - {interarrival: 44.5h, calendar: office}   # Friday 17:30
stages:
  work: {owner: agent, duration: 1h, next: done}
  done: {kind: end}
simulation: {cases: 2}
"""


def test_on_duty_wait_counts_only_the_teams_open_hours():
    # the 17:30 case waits until Monday 09:00 (63.5 h), of which 30 min in office hours
    rec = run(ON_DUTY)
    st = rec.stages["work"]
    assert st.wait["default"].total == pytest.approx(63.5 * H, abs=1e-6)
    assert st.on_duty_wait == pytest.approx(0.5 * H, abs=1e-6)
    assert st.suspended["default"].total == 0.0  # the first case finished exactly at 18:00


PROFILE = """
procmap: 1
process: {id: profile}
calendars: {office: {weekly: {mon-fri: "09:00-18:00"}, workdays: [2026-01-10]}}
teams: {ops: {staff: 5}}
arrivals: {rate: 4/h, calendar: office, profile: {mon: 2, fri: 0.5, "09-12": 3}}
stages:
  work: {owner: ops, duration: 1min, next: done}
  done: {kind: end}
simulation: {horizon: 140d, start: 2026-01-12T00:00}
"""


def test_arrivals_follow_calendar_and_profile_in_operational_time():
    model = procmap.loads(textwrap.dedent(PROFILE))
    rec = run_replication(compile_model(model), 0, 4)
    expected = procmap.analyze(model).case_rate_per_h * 140 * 24  # no make-up day in this window
    assert rec.arrived["default"] == pytest.approx(expected, rel=0.03)


def test_a_make_up_workday_opens_with_mondays_hours_and_profile():
    # the Saturday 2026-01-10 opens 09:00–18:00 with Monday's factor 2 (and ×3 from 09 to 12)
    text = textwrap.dedent(PROFILE).replace(
        "horizon: 140d, start: 2026-01-12T00:00", "horizon: 400d, start: 2026-01-10T00:00"
    )
    text = text.replace(
        "workdays: [2026-01-10]", "workdays: [2026-01-10, 2026-01-17, 2026-01-24, 2026-01-31]"
    )
    model = procmap.loads(text)
    plain = procmap.loads(
        text.replace("workdays: [2026-01-10, 2026-01-17, 2026-01-24, 2026-01-31]", "workdays: []")
    )
    with_days = run_replication(compile_model(model), 0, 4).arrived["default"]
    without = run_replication(compile_model(plain), 0, 4).arrived["default"]
    # four extra days, each (3 h × 3 + 6 h) × 2 × 4/h = 120 expected arrivals
    assert with_days - without == pytest.approx(480, abs=4 * math.sqrt(480) + 40)


JOINT_OVERNIGHT = """
procmap: 1
process: {id: overnight}
calendars: {office: {weekly: {mon-fri: "09:00-17:00"}}}
teams:
  a: {staff: 1, calendar: office}
  b: {staff: 1}
arrivals: {interarrival: 7h, calendar: office}   # Monday 16:00
stages:
  joint: {needs: {a: 1, b: 1}, duration: 2h, next: done}
  done: {kind: end}
simulation: {cases: 1}
"""


def test_a_task_needing_two_teams_pauses_when_one_goes_off_duty():
    rec = run(JOINT_OVERNIGHT)
    st = rec.stages["joint"]
    assert st.service["default"].total == pytest.approx(2 * H)
    assert st.suspended["default"].total == pytest.approx(16 * H)  # Mon 17:00 → Tue 09:00
    assert rec.cycle_time["default"].total == pytest.approx(18 * H)
    assert rec.teams["a"].busy == pytest.approx(2 * H)
    assert rec.teams["b"].busy == pytest.approx(
        2 * H
    )  # held overnight, but busy only while working
