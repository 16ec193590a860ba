"""The engine's small objects: cases, tokens, split instances, SLA clocks, people and teams.

Slotted classes, because the engine makes one token per case and per parallel branch and
touches their fields in every event.  ``TeamState`` keeps a team's queue, its idle people and the
time-weighted figures (busy and on-duty person-time, queue length) for the window.
"""

from __future__ import annotations

import math
from heapq import heappop
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from procmap.sim.compile import TeamPlan
    from procmap.sim.engine import Engine

__all__ = [
    "Case",
    "Person",
    "Shift",
    "SlaClock",
    "SplitInstance",
    "TeamState",
    "Token",
    "profile_add",
]


class SlaClock:
    __slots__ = ("attr", "pause_since", "paused", "start", "state", "step", "waiting_unpause")

    def __init__(self) -> None:
        self.state = 0  # 0 not started, 1 running, 2 stopped, 3 not applicable
        self.start = 0.0
        self.paused = 0.0
        self.pause_since: float | None = None
        self.step = 0
        self.waiting_unpause = False
        self.attr: dict[str, float] | None = None


class Case:
    __slots__ = (
        "arrival",
        "attributing",
        "clocks",
        "counted",
        "in_pause",
        "live",
        "no",
        "prio",
        "seg",
        "tokens",
    )

    def __init__(self, no: int, seg: int, arrival: float, prio: int, counted: bool) -> None:
        self.no = no
        self.seg = seg
        self.arrival = arrival
        self.prio = prio
        self.counted = counted
        self.live = 0
        self.tokens: set[Token] = set()
        self.clocks: list[SlaClock] = []
        self.in_pause: dict[int, int] = {}
        self.attributing = False


class SplitInstance:
    __slots__ = ("first", "join", "parent", "parent_branch", "waiting")

    def __init__(
        self, join: int, width: int, parent: SplitInstance | None, parent_branch: int
    ) -> None:
        self.join = join
        self.waiting = width
        self.parent = parent
        self.parent_branch = parent_branch
        self.first: float | None = None


class Token:
    """One token of a case; while at a task stage it is also the task."""

    __slots__ = (
        "branch",
        "case",
        "duty0",
        "entered",
        "hand",
        "people",
        "queued",
        "qver",
        "remaining",
        "run_start",
        "running",
        "rver",
        "seized",
        "service",
        "split",
        "stage",
    )  # fmt: skip

    def __init__(self, case: Case, branch: int, split: SplitInstance | None) -> None:
        self.case = case
        self.branch = branch
        self.split = split
        self.stage = -1
        self.entered = 0.0
        self.seized = 0.0
        self.service = 0.0
        self.duty0 = 0.0
        self.queued = False
        self.qver = 0
        self.rver = 0
        self.running = False
        self.run_start = 0.0
        self.remaining = 0.0
        self.people: list[Person] = []
        self.hand: Any = None


class Person:
    __slots__ = ("duty_end", "index", "on", "shift", "task", "team")

    def __init__(self, team: int, shift: int, index: int) -> None:
        self.team = team
        self.shift = shift
        self.index = index
        self.on = False
        self.duty_end = 0.0
        self.task: Token | None = None


class Shift:
    """One shift of a team: its calendar, its people, and which period of it runs now."""

    __slots__ = ("calendar", "index", "on_duty", "people", "period", "staff")

    def __init__(self, calendar: Any, staff: int, people: list[Person], index: int) -> None:
        self.calendar = calendar
        self.staff = staff
        self.people = people
        self.index = index
        self.period = 0
        self.on_duty: list[Person] = []


class TeamState:
    """A team during a replication."""

    __slots__ = (
        "avail_area", "avail_last", "busy", "duty_cum", "duty_last", "engine", "fast", "free",
        "heap", "idle", "on_count", "plan", "q_area", "q_last", "q_max", "qlen", "series", "shifts",
        "warmup",
    )  # fmt: skip

    def __init__(self, plan: TeamPlan, engine: Engine) -> None:
        self.plan = plan
        self.engine = engine
        self.fast = plan.always_on or plan.unlimited
        self.heap: list[Any] = []
        self.qlen = 0
        self.q_area = 0.0
        self.q_last = 0.0
        self.q_max = 0
        self.warmup = engine.warmup
        horizon = engine.horizon
        hours = math.ceil((horizon - self.warmup) / 3600.0) if horizon is not None else 0
        self.series = np.zeros(max(hours, 0))
        self.busy = 0.0
        self.free = plan.staff if plan.always_on else 0
        self.idle: list[Person] = []
        self.shifts: list[Shift] = []
        self.on_count = plan.staff if plan.always_on else 0
        self.duty_cum = 0.0
        self.duty_last = 0.0
        self.avail_area = 0.0
        self.avail_last = 0.0
        if not self.fast:
            for k, (cal, staff) in enumerate(plan.shifts):
                people = [Person(plan.index, k, i) for i in range(staff)]
                self.shifts.append(Shift(cal, staff, people, k))

    # -- time-weighted figures ----------------------------------------------------------------

    def duty_time(self, t: float) -> float:
        """Clock time until t during which someone of the team was on duty."""
        if self.fast:
            return t
        if self.on_count > 0:
            return self.duty_cum + (t - self.duty_last)
        return self.duty_cum

    def _on_count_change(self, now: float, delta: int) -> None:
        if self.on_count > 0:
            self.duty_cum += now - self.duty_last
        self.duty_last = now
        lo = max(self.avail_last, self.warmup)
        if now > lo:
            self.avail_area += self.on_count * (now - lo)
        self.avail_last = now
        self.on_count += delta

    def add_busy(self, t0: float, t1: float, n: int) -> None:
        lo = t0 if t0 > self.warmup else self.warmup
        if t1 > lo:
            self.busy += n * (t1 - lo)

    def queue_change(self, now: float, delta: int) -> None:
        q = self.qlen
        last = self.q_last
        warm = self.warmup
        if q and now > warm:
            lo = last if last > warm else warm
            self.q_area += q * (now - lo)
            series = self.series
            if series.size:
                self._spread(lo, now, q)
        self.q_last = now
        self.qlen = q + delta
        if self.qlen > self.q_max and now >= warm:
            self.q_max = self.qlen

    def _spread(self, a: float, b: float, q: int) -> None:
        """Add q × (overlap with each hour) to the hourly series between a and b."""
        series = self.series
        warm = self.warmup
        h = int((a - warm) // 3600.0)
        last = series.size - 1
        while a < b and h <= last:
            edge = warm + (h + 1) * 3600.0
            end = b if b < edge else edge
            series[h] += q * (end - a)
            a = end
            h += 1

    def close(self, end: float) -> None:
        """Integrate the time-weighted figures up to the end of the run."""
        self.queue_change(end, 0)
        if self.fast and not self.plan.unlimited:
            self.avail_area = self.plan.staff * max(end - self.warmup, 0.0)
        else:
            self._on_count_change(end, 0)

    # -- queue and people -----------------------------------------------------------------------

    def head(self) -> Any:
        heap = self.heap
        while heap:
            entry = heap[0]
            tok = entry[6]
            if tok.queued and entry[5] == tok.qver:
                return tok
            heappop(heap)
        return None

    def take(self, n: int) -> list[Person]:
        """Seize n idle on-duty people: those whose duty period ends latest."""
        idle = self.idle
        idle.sort(key=lambda p: p.duty_end)
        chosen = idle[-n:]
        del idle[-n:]
        self.free = len(idle)
        return chosen

    def release(self, person: Person) -> None:
        if person.on:
            self.idle.append(person)
            self.free = len(self.idle)

    # -- shifts ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self.fast:
            return
        for shift in self.shifts:
            self._schedule_on(shift, 0.0)

    def _schedule_on(self, shift: Shift, t: float) -> None:
        start = shift.calendar.next_open(t)
        if start == math.inf:
            return
        engine = self.engine
        if engine.horizon is not None and start >= engine.horizon:
            return
        ev = engine.timeout(start - engine.env.now, shift)
        ev.callbacks.append(self._on_shift_start)

    def working(self, shift: Shift, k: int) -> int:
        """People of a shift at work in its k-th open period (SPEC §5.3, no random stream)."""
        exact = shift.staff * self.plan.availability
        base = math.floor(exact + 1e-9)
        frac = exact - base
        if frac > 1e-9 and math.floor((k + 1) * frac + 1e-9) > math.floor(k * frac + 1e-9):
            base += 1
        return min(base, shift.staff)

    def _on_shift_start(self, ev: Any) -> None:
        shift: Shift = ev._value
        engine = self.engine
        now = engine.env.now
        k = shift.period
        n = self.working(shift, k)
        s = shift.staff
        end = shift.calendar.next_close(now)
        # rotate who is away, so absence spreads over the people of the shift
        chosen = [p for p in shift.people if (p.index - k) % s < n]
        shift.on_duty = chosen
        self._on_count_change(now, len(chosen))
        for p in chosen:
            p.on = True
            p.duty_end = end
            if p.task is None:
                self.idle.append(p)
        self.free = len(self.idle)
        for p in chosen:
            if p.task is not None:
                engine.resume_if_ready(p.task)
        if end != math.inf and (engine.horizon is None or end < engine.horizon):
            off = engine.timeout(end - now, shift)
            off.callbacks.append(self._on_shift_end)
        engine.dispatch(self)

    def _on_shift_end(self, ev: Any) -> None:
        shift: Shift = ev._value
        engine = self.engine
        now = engine.env.now
        leaving = shift.on_duty
        shift.on_duty = []
        self._on_count_change(now, -len(leaving))
        for p in leaving:
            p.on = False
            if p.task is not None:
                engine.pause(p.task)
        gone = set(map(id, leaving))
        self.idle = [p for p in self.idle if id(p) not in gone]
        self.free = len(self.idle)
        shift.period += 1
        self._schedule_on(shift, now)


def profile_add(cal: Any, prof: Any, t: float, tau: float, origin: Any) -> float:
    """The time when ``tau`` seconds of operational time (open time × profile factor) have
    passed after ``t``.  Make-up workdays use Monday's factor."""
    day0 = origin.weekday()
    tod0 = origin.hour * 3600 + origin.minute * 60 + origin.second
    points = prof.breakpoints()
    remaining = tau
    now = t
    guard = 0
    while True:
        guard += 1
        if guard > 10_000_000:
            return math.inf
        if cal is not None:
            start = cal.next_open(now)
            if start == math.inf:
                return math.inf
            stop = cal.next_close(start)
        else:
            start, stop = now, math.inf
        # walk the open stretch piece by piece (profile factors change at hour breakpoints and midnight)
        a = start
        while a < stop:
            abs_s = a + tod0
            day = int(abs_s // 86400)
            sod = abs_s - day * 86400
            nxt_sod = next(p for p in points if p > sod + 1e-9) if sod < 86400 - 1e-9 else 86400.0
            piece_end = min(stop, a + (nxt_sod - sod))
            weekday = (day0 + day) % 7
            if cal is not None and cal.is_workday(a):
                weekday = 0
            f = prof.factor(weekday, sod)
            span = piece_end - a
            if f > 0 and span * f >= remaining:
                return a + remaining / f
            remaining -= span * f
            a = piece_end
        now = stop
