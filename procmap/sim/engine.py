"""One replication on SimPy (SPEC §5), driven by event callbacks instead of a process per case.

Cases and tokens are small slotted objects; a task is a token waiting at, or held by, a team.
Every delay is a ``simpy.Timeout`` whose callback is a bound method of the engine and whose value
is the token, so the inner loop allocates one event per delay and nothing else.  Teams that are
always on duty with availability 100 % count idle people with an integer (the fast path); other
teams have people who come on and off duty with their shifts and hold paused tasks overnight.

Statistics go to plain lists and floats (:mod:`procmap.sim.stats` folds them into histograms).
"""

from __future__ import annotations

import contextlib
import math
from bisect import bisect_right
from collections.abc import Callable
from heapq import heappop, heappush
from itertools import count
from typing import Any

import simpy

from procmap.errors import SimulationError
from procmap.sim.compile import (
    DECISION,
    END,
    JOIN,
    R_ONE,
    R_PROB,
    R_SPLIT,
    R_WHEN,
    TASK,
    WAIT,
    Plan,
)
from procmap.sim.engine_support import (
    Case,
    SlaClock,
    SplitInstance,
    TeamState,
    Token,
    profile_add,
)
from procmap.sim.record import ReplicationRecord
from procmap.sim.stats import FLUSH_AT, Tally, VisitTally
from procmap.sim.streams import Stream

__all__ = ["Engine", "run_replication"]

DRAIN_CAP_S = 100 * 365 * 86400.0
NORMAL = 1  # SimPy's priority of ordinary events


class Delay(simpy.events.Event):
    """A delay whose one callback and value are set at once: a leaner ``Timeout``.

    The engine makes one of these per service, wait or hand-off, so it skips what ``Timeout``
    does for general use (a separate callbacks list to fill, argument checks).
    """

    __slots__ = ()

    def __init__(
        self, env: simpy.Environment, delay: float, value: Any, callback: Callable[[Any], None]
    ) -> None:
        self.env = env
        self.callbacks = [callback]
        self._value = value
        self._ok = True
        env.schedule(self, NORMAL, delay)


EPS = 1e-9
Trace = Callable[[int, str, str, str, str, float], None]


class Engine:
    """State and event handlers of one replication."""

    def __init__(self, plan: Plan, replication: int, seed: int, trace: Trace | None = None) -> None:
        self.plan = plan
        self.replication = replication
        self.seed = seed
        self.trace = trace
        self.env = simpy.Environment()
        self.timeout = self.env.timeout
        self.warmup = plan.warmup
        self.horizon = plan.horizon
        self.case_no = count(1)
        self.seq = count()
        self.cases_left = plan.cases
        self.live_cases = 0
        self.arrivals_closed = False
        n_seg = len(plan.segments)
        n_st = len(plan.stage_ids)

        def streams(names: list[str], dists: list[Any]) -> list[Stream]:
            return [Stream(seed, replication, n, d) for n, d in zip(names, dists, strict=True)]

        self.dur_streams: list[list[Stream | None]] = []
        for s in range(n_st):
            row: list[Stream | None] = []
            cache: dict[str, Stream] = {}
            for g in range(n_seg):
                dist = plan.durations[s][g]
                name = plan.duration_streams[s][g]
                if dist is None:
                    row.append(None)
                    continue
                if name not in cache:
                    cache[name] = Stream(seed, replication, name, dist)
                row.append(cache[name])
            self.dur_streams.append(row)
        self.route_streams = [
            Stream(seed, replication, f"stage:{sid}:route") if plan.route[i] == R_PROB else None
            for i, sid in enumerate(plan.stage_ids)
        ]
        self.handoff_streams = [
            [
                Stream(seed, replication, f"edge:{key}:handoff", h) if h is not None else None
                for key, h in zip(plan.edge_keys[s], plan.handoffs[s], strict=True)
            ]
            for s in range(n_st)
        ]
        self.arrival_streams = streams(
            [f"source:{src.index}:arrivals" for src in plan.sources],
            [src.interarrival for src in plan.sources],
        )
        self.segment_streams = streams(
            [f"source:{src.index}:segment" for src in plan.sources], [None] * len(plan.sources)
        )

        # teams
        self.teams: list[TeamState] = [TeamState(tp, self) for tp in plan.teams]
        # per stage: its lane's team when that team comes and goes with shifts (else None)
        self.slow_lane: list[TeamState | None] = [
            self.teams[t] if t >= 0 and not self.teams[t].fast else None for t in plan.team_of
        ]

        # statistics
        # observations go to short lists, folded into histograms in batches (bounded memory)
        self.visits: list[list[VisitTally]] = [
            [VisitTally() for _ in range(n_seg)] for _ in range(n_st)
        ]
        self.on_duty_wait = [0.0] * n_st
        self.cycle: list[Tally] = [Tally() for _ in range(n_seg)]
        self.arrived = [0] * n_seg
        self.completed = [0] * n_seg
        self.window_completions = [0] * n_seg
        self.end_counts = [0] * n_st
        self.edge_traversals = [[0] * len(plan.targets[s]) for s in range(n_st)]
        self.handoffs: list[list[Tally]] = [[Tally() for _ in plan.targets[s]] for s in range(n_st)]
        self.joins: dict[int, Tally] = {j: Tally() for j in plan.join_width}
        self.eligible_cycle_total = 0.0
        n_sla = len(plan.slas)
        self.sla_counts = [
            [[0] * n_seg for _ in range(4)] for _ in range(n_sla)
        ]  # met, breached, open, na
        self.sla_escalations: list[dict[str, int]] = [{} for _ in range(n_sla)]
        self.sla_attr: list[dict[str, float]] = [{} for _ in range(n_sla)]
        self.cases: set[Case] = set()
        self.has_slas = n_sla > 0
        self.drained: simpy.Event | None = None

    # -- running ----------------------------------------------------------------------------

    def run(self) -> ReplicationRecord:
        env = self.env
        for team in self.teams:
            team.start()
        for src_i in range(len(self.plan.sources)):
            self._schedule_arrival(src_i, 0.0, 0.0)
        if not self.plan.sources:
            self.arrivals_closed = True
        if self.plan.backlog:
            self._start_backlog()
        if self.horizon is not None:
            env.run(until=self.horizon)
        else:
            self.drained = env.event()
            cap = env.timeout(DRAIN_CAP_S)
            # SimPy raises RuntimeError when nothing is left to do while cases are still open
            with contextlib.suppress(RuntimeError):
                env.run(until=env.any_of([self.drained, cap]))
            if self.live_cases or not self.arrivals_closed:
                raise SimulationError(
                    "the simulation did not drain: cases were still open after 100 simulated "
                    "years (or could never finish); check capacity and calendars"
                )
        return self._finish()

    # -- arrivals -----------------------------------------------------------------------------

    def _schedule_arrival(self, src_i: int, t: float, tau_used: float) -> None:
        """Schedule the next arrival of a source: one interarrival of operational time after t."""
        plan = self.plan
        src = plan.sources[src_i]
        stream = self.arrival_streams[src_i]
        gap = stream.exponential(src.rate_mean) if src.rate_mean is not None else stream.next()
        when = self._operational_add(src, t, gap)
        if self.horizon is not None and when >= self.horizon:
            return
        if when == math.inf:
            return
        Delay(self.env, when - self.env.now, src_i, self._on_arrival)

    def _operational_add(self, src: Any, t: float, tau: float) -> float:
        cal, prof = src.calendar, src.profile
        if cal is None and prof is None:
            return t + tau
        if prof is None:
            return cal.add_open(t, tau)
        return profile_add(cal, prof, t, tau, self.plan.start)

    def _on_arrival(self, ev: simpy.Event) -> None:
        src_i = ev._value
        now = self.env.now
        if self.cases_left is not None:
            if self.cases_left <= 0:
                self.arrivals_closed = True
                return
            self.cases_left -= 1
        seg = bisect_right(self.plan.sources[src_i].segment_cum, self.segment_streams[src_i].next())
        self._new_case(seg, now, self.plan.entry)
        if self.cases_left is not None and self.cases_left <= 0:
            self.arrivals_closed = True
        else:
            self._schedule_arrival(src_i, now, 0.0)

    def _start_backlog(self) -> None:
        plan = self.plan
        stream = Stream(self.seed, self.replication, "backlog")
        items = [(stream.next(), s) for s, n in plan.backlog for _ in range(n)]
        items.sort()  # a seeded random order
        for _, s in items:
            seg = bisect_right(plan.backlog_cum, stream.next())
            self._new_case(seg, 0.0, s)

    def _new_case(self, seg: int, now: float, stage: int) -> None:
        case = Case(next(self.case_no), seg, now, self.plan.priorities[seg], now >= self.warmup)
        self.live_cases += 1
        if case.counted:
            self.arrived[seg] += 1
        self.cases.add(case)
        if self.has_slas:
            case.clocks = [SlaClock() for _ in self.plan.slas]
            for sla in self.plan.slas:
                if sla.start_arrival:
                    self._sla_start(case, sla.index)
        if self.trace is not None:
            self.trace(case.no, self.plan.segments[seg], "", "", "arrive", now)
        tok = Token(case, 0, None)
        case.live = 1
        case.tokens.add(tok)
        self._enter(tok, stage)

    # -- stages -------------------------------------------------------------------------------

    def _enter(self, tok: Token, s: int) -> None:
        plan = self.plan
        now = self.env.now
        tok.stage = s
        tok.entered = now
        case = tok.case
        if plan.has_pause:
            self._pause_enter(case, s)
        kind = plan.kind[s]
        if kind == TASK:
            needs = plan.needs[s]
            if len(needs) == 1:
                t, n = needs[0]
                team = self.teams[t]
                if team.fast:
                    if team.plan.unlimited:
                        self._start_unlimited(tok, team)
                        return
                    tok.duty0 = now
                    if team.free >= n and not team.qlen:
                        # the fast path: free people, nobody ahead
                        team.free -= n
                        self._start_task(tok, now)
                        return
            self._enqueue(tok, needs)
            return
        if kind == WAIT:
            tok.seized = now
            tok.duty0 = now
            self._sla_events(case, plan.sla_at_start[s])
            d = self.dur_streams[s][case.seg].next()
            tok.service = d
            cal = plan.wait_calendar[s]
            done = now + d if cal is None else cal.add_open(now, d)
            Delay(self.env, done - now, tok, self._on_wait_done)
            return
        if kind == JOIN:
            self._arrive_join(tok, s)
            return
        # decision or end: zero time
        tok.seized = now
        tok.service = 0.0
        tok.duty0 = now
        self._sla_events(case, plan.sla_at_end[s])
        if kind == DECISION:
            self._record_visit(tok, s, now)
            self._leave(tok, s)
        elif kind == END:
            self._record_visit(tok, s, now)
            self._end_case(tok, s)

    def _on_wait_done(self, ev: simpy.Event) -> None:
        tok: Token = ev._value
        s = tok.stage
        self._sla_events(tok.case, self.plan.sla_at_end[s])
        self._record_visit(tok, s, self.env.now)
        self._leave(tok, s)

    def _record_visit(self, tok: Token, s: int, now: float) -> None:
        case = tok.case
        if self.trace is not None:
            self.trace(
                case.no, self.plan.segments[case.seg], self.plan.stage_ids[s], "", "complete", now
            )
        if not case.counted:
            return
        wait = tok.seized - tok.entered
        service = tok.service
        suspended = now - tok.seized - service
        if suspended < 1e-7:
            suspended = 0.0
        tally = self.visits[s][case.seg]
        tally.waits.append(wait)
        tally.services.append(service)
        tally.suspensions.append(suspended)
        if len(tally.waits) >= FLUSH_AT:
            tally.flush()
        if wait > 0.0:
            self.on_duty_wait[s] += tok.duty0  # the on-duty part of the wait, set at seize
        if case.attributing:
            self._attribute(
                case, f"stage:{self.plan.stage_ids[s]}:", tok.entered, tok.seized, now, service
            )

    def _leave(self, tok: Token, s: int) -> None:
        """Route a token at the end of its visit (route draws happen here, SPEC §5.7)."""
        plan = self.plan
        case = tok.case
        if plan.has_pause:
            self._pause_leave(case, s)
        form = plan.route[s]
        if form == R_ONE:
            branch = 0
        elif form == R_PROB:
            branch = bisect_right(plan.cum_p[s], self.route_streams[s].next())
        elif form == R_WHEN:
            branch = plan.when_pick[s][case.seg]
        elif form == R_SPLIT:
            self._split(tok, s)
            return
        else:  # R_NONE cannot happen outside end stages
            raise SimulationError(f"stage {plan.stage_ids[s]!r} has nowhere to go")
        self._traverse(tok, s, branch)

    def _traverse(self, tok: Token, s: int, branch: int) -> None:
        plan = self.plan
        case = tok.case
        if case.counted:
            self.edge_traversals[s][branch] += 1
        target = plan.targets[s][branch]
        stream = self.handoff_streams[s][branch]
        if stream is None:
            self._enter(tok, target)
            return
        now = self.env.now
        d = stream.next()
        cal = plan.handoff_calendars[s][branch]
        arrive = now + d if cal is None else cal.add_open(now, d)
        tok.stage = -1
        tok.entered = now
        tok.hand = (s, branch, target)
        Delay(self.env, arrive - now, tok, self._on_handoff_done)

    def _on_handoff_done(self, ev: simpy.Event) -> None:
        tok: Token = ev._value
        s, branch, target = tok.hand
        now = self.env.now
        if tok.case.counted:
            self.handoffs[s][branch].add(now - tok.entered)
            if tok.case.attributing:
                self._attribute_span(
                    tok.case, f"edge:{self.plan.edge_keys[s][branch]}:handoff", tok.entered, now
                )
        self._enter(tok, target)

    # -- parallel -----------------------------------------------------------------------------

    def _split(self, tok: Token, s: int) -> None:
        plan = self.plan
        case = tok.case
        inst = SplitInstance(
            plan.join_of[s], plan.join_width[plan.join_of[s]], tok.split, tok.branch
        )
        targets = plan.targets[s]
        case.tokens.discard(tok)
        case.live += len(targets) - 1
        if plan.has_pause:
            self._pause_recount(case)
        children = []
        for i in range(len(targets)):
            child = Token(case, i, inst)
            case.tokens.add(child)
            children.append(child)
        for i, child in enumerate(children):  # tokens queue in `all` list order
            self._traverse(child, s, i)

    def _arrive_join(self, tok: Token, s: int) -> None:
        inst = tok.split
        now = self.env.now
        case = tok.case
        if inst is None or inst.join != s:
            raise SimulationError(
                f"a token reached join {self.plan.stage_ids[s]!r} outside its split"
            )
        if inst.first is None:
            inst.first = now
        inst.waiting -= 1
        case.tokens.discard(tok)
        if inst.waiting > 0:
            case.live -= 1
            if self.plan.has_pause:
                self._pause_recount(case)
            return
        # the last branch arrived: one token continues
        out = Token(case, inst.parent_branch, inst.parent)
        case.tokens.add(out)
        out.stage = s
        out.entered = inst.first
        out.seized = now
        out.service = 0.0
        if case.counted:
            self.joins[s].add(now - inst.first)
            if case.attributing:
                self._attribute_span(case, f"join:{self.plan.stage_ids[s]}:sync", inst.first, now)
            self.visits[s][case.seg].add(0.0, 0.0, 0.0)
        self._sla_events(case, self.plan.sla_at_end[s])
        if self.plan.has_pause:
            self._pause_recount(case)
        self._leave(out, s)

    # -- ends ---------------------------------------------------------------------------------

    def _end_case(self, tok: Token, s: int) -> None:
        case = tok.case
        now = self.env.now
        case.tokens.discard(tok)
        case.live -= 1
        if case.live > 0:
            return  # cannot happen in a validated model (ends are outside split regions)
        self.live_cases -= 1
        if self.drained is not None and self.arrivals_closed and not self.live_cases:
            self.drained.succeed()
        seg = case.seg
        if now >= self.warmup:
            self.window_completions[seg] += 1
        if case.counted:
            self.completed[seg] += 1
            self.end_counts[s] += 1
            cycle = now - case.arrival
            self.cycle[seg].add(cycle)
            self.eligible_cycle_total += cycle
        if self.has_slas:
            for j, clock in enumerate(case.clocks):
                if clock.state == 1:  # started, never stopped: not applicable
                    clock.state = 3
                    if case.counted:
                        self.sla_counts[j][3][seg] += 1
        self.cases.discard(case)
        if self.trace is not None:
            self.trace(case.no, self.plan.segments[seg], self.plan.stage_ids[s], "", "end", now)

    # -- teams ---------------------------------------------------------------------------------

    def _enqueue(self, tok: Token, needs: tuple[tuple[int, int], ...]) -> None:
        teams = self.teams
        now = self.env.now
        lane = teams[needs[0][0]] if len(needs) == 1 else teams[self.plan.team_of[tok.stage]]
        tok.duty0 = now if lane.fast else lane.duty_time(now)
        tok.queued = True
        tok.qver += 1
        case = tok.case
        key = (case.prio, now, case.no, tok.branch, next(self.seq), tok.qver, tok)
        for t, _ in needs:
            team = teams[t]
            team.queue_change(now, 1)
            heappush(team.heap, key)
        if self.trace is not None:
            self.trace(
                case.no,
                self.plan.segments[case.seg],
                self.plan.stage_ids[tok.stage],
                lane.plan.id,
                "enqueue",
                now,
            )
        for t, _ in needs:
            self.dispatch(teams[t])

    def dispatch(self, team: TeamState) -> None:
        """Start tasks from the head of the team's queue while people are free (no back-filling)."""
        heap = team.heap
        plan = self.plan
        while heap:
            entry = heap[0]
            tok = entry[6]
            if not tok.queued or entry[5] != tok.qver:
                heappop(heap)
                continue
            needs = plan.needs[tok.stage]
            if len(needs) == 1:
                n = needs[0][1]
                if team.free < n:
                    return
                heappop(heap)
                tok.queued = False
                now = self.env.now
                team.queue_change(now, -1)
                if team.fast:
                    team.free -= n
                else:
                    tok.people = team.take(n)
                self._start_task(tok, now)
                continue
            for t, n in needs:
                other = self.teams[t]
                if other.free < n or other.head() is not tok:
                    return
            now = self.env.now
            tok.queued = False
            for t, n in needs:
                other = self.teams[t]
                other.queue_change(now, -1)
                if other is team:
                    heappop(heap)
                if other.fast:
                    other.free -= n
                else:
                    tok.people.extend(other.take(n))
            self._start_task(tok, now)

    def _start_task(self, tok: Token, now: float) -> None:
        """People seized: draw the working time (SPEC §5.7: at seize) and start."""
        s = tok.stage
        case = tok.case
        tok.seized = now
        lane = self.slow_lane[s]
        # from here on duty0 holds the on-duty part of the queue wait (SPEC §5.10)
        tok.duty0 = (lane.duty_time(now) if lane is not None else now) - tok.duty0
        tok.service = d = self.dur_streams[s][case.seg].next()
        events = self.plan.sla_at_start[s]
        if events:
            self._sla_events(case, events)
        if self.trace is not None:
            team_id = self.teams[self.plan.team_of[s]].plan.id
            self.trace(
                case.no, self.plan.segments[case.seg], self.plan.stage_ids[s], team_id, "start", now
            )
        if tok.people:
            tok.remaining = d
            for p in tok.people:
                p.task = tok
            self._run(tok)
            return
        tok.run_start = now
        tok.running = True  # the collector adds the busy time of tasks still running at the end
        Delay(self.env, d, tok, self._on_fast_done)

    def _on_fast_done(self, ev: simpy.Event) -> None:
        tok: Token = ev._value
        now = self.env.now
        s = tok.stage
        needs = self.plan.needs[s]
        warm = self.warmup
        start = tok.run_start if tok.run_start > warm else warm
        tok.running = False
        for t, n in needs:
            team = self.teams[t]
            if now > start:
                team.busy += n * (now - start)
            team.free += n
        events = self.plan.sla_at_end[s]
        if events:
            self._sla_events(tok.case, events)
        self._record_visit(tok, s, now)
        self._leave(tok, s)
        for t, _ in needs:
            team = self.teams[t]
            if team.heap:
                self.dispatch(team)

    def _start_unlimited(self, tok: Token, team: TeamState) -> None:
        now = self.env.now
        tok.seized = now
        tok.duty0 = now
        tok.service = self.dur_streams[tok.stage][tok.case.seg].next()
        self._sla_events(tok.case, self.plan.sla_at_start[tok.stage])
        cal = team.plan.calendar
        done = now + tok.service if cal is None else cal.add_open(now, tok.service)
        Delay(self.env, done - now, tok, self._on_unlimited_done)

    def _on_unlimited_done(self, ev: simpy.Event) -> None:
        tok: Token = ev._value
        s = tok.stage
        self._sla_events(tok.case, self.plan.sla_at_end[s])
        self._record_visit(tok, s, self.env.now)
        self._leave(tok, s)

    # tasks held by people who come and go with their shifts

    def _run(self, tok: Token) -> None:
        tok.running = True
        tok.run_start = self.env.now
        tok.rver += 1
        Delay(self.env, max(tok.remaining, 0.0), (tok, tok.rver), self._on_held_done)

    def pause(self, tok: Token) -> None:
        """One of the task's people went off duty."""
        if not tok.running:
            return
        now = self.env.now
        worked = now - tok.run_start
        tok.remaining -= worked
        tok.running = False
        tok.rver += 1
        self._busy_held(tok, tok.run_start, now)
        if tok.remaining <= EPS:
            self._complete_held(tok)

    def resume_if_ready(self, tok: Token) -> None:
        if not tok.running and all(p.on for p in tok.people):
            self._run(tok)

    def _on_held_done(self, ev: simpy.Event) -> None:
        tok, version = ev._value
        if version != tok.rver or not tok.running:
            return  # paused in the meantime
        tok.running = False
        self._busy_held(tok, tok.run_start, self.env.now)
        self._complete_held(tok)

    def _busy_held(self, tok: Token, t0: float, t1: float) -> None:
        """Busy person-time of a held task's run: its people and any always-on teams it needs."""
        for t, n in self.plan.needs[tok.stage]:
            self.teams[t].add_busy(t0, t1, n)

    def _complete_held(self, tok: Token) -> None:
        s = tok.stage
        now = self.env.now
        people, tok.people = tok.people, []
        touched = []
        for p in people:
            p.task = None
            team = self.teams[p.team]
            team.release(p)
            if team not in touched:
                touched.append(team)
        for t, n in self.plan.needs[s]:
            team = self.teams[t]
            if team.fast:
                team.free += n
                if team not in touched:
                    touched.append(team)
        self._sla_events(tok.case, self.plan.sla_at_end[s])
        self._record_visit(tok, s, now)
        self._leave(tok, s)
        for team in touched:
            self.dispatch(team)

    # -- SLA clocks ---------------------------------------------------------------------------

    def _sla_events(self, case: Case, events: tuple[tuple[int, int], ...]) -> None:
        for j, which in events:
            if which == 0:
                self._sla_start(case, j)
            else:
                self._sla_stop(case, j)

    def _measure(self, j: int, t0: float, t1: float) -> float:
        cal = self.plan.slas[j].calendar
        return t1 - t0 if cal is None else cal.open_between(t0, t1)

    def _sla_start(self, case: Case, j: int) -> None:
        clock = case.clocks[j]
        if clock.state != 0:
            return
        now = self.env.now
        clock.state = 1
        clock.start = now
        if self.plan.has_pause and self._paused_now(case, j):
            clock.pause_since = now
        if case.counted:
            case.attributing = True
            clock.attr = {}
        self._schedule_escalation(case, j)

    def elapsed(self, case: Case, j: int, now: float) -> float:
        clock = case.clocks[j]
        paused = clock.paused
        if clock.pause_since is not None:
            paused += self._measure(j, clock.pause_since, now)
        return self._measure(j, clock.start, now) - paused

    def _sla_stop(self, case: Case, j: int) -> None:
        clock = case.clocks[j]
        if clock.state != 1:
            return
        now = self.env.now
        if clock.pause_since is not None:
            clock.paused += self._measure(j, clock.pause_since, now)
            clock.pause_since = None
        clock.state = 2
        if not case.counted:
            return
        elapsed = self._measure(j, clock.start, now) - clock.paused
        sla = self.plan.slas[j]
        met = elapsed <= sla.targets[case.seg] + 1e-6
        self.sla_counts[j][0 if met else 1][case.seg] += 1
        if not met:
            self._fold_attribution(case, j, now)
        clock.attr = None
        case.attributing = any(c.attr is not None for c in case.clocks)

    def _schedule_escalation(self, case: Case, j: int) -> None:
        clock = case.clocks[j]
        steps = self.plan.slas[j].escalate
        if clock.step >= len(steps) or clock.state != 1:
            return
        after = steps[clock.step][0]
        now = self.env.now
        left = after - self.elapsed(case, j, now)
        if clock.pause_since is not None:
            clock.waiting_unpause = True
            return
        cal = self.plan.slas[j].calendar
        when = now + max(left, 0.0) if cal is None else cal.add_open(now, max(left, 0.0))
        if self.horizon is not None and when > self.horizon:
            return
        Delay(self.env, when - now, (case, j, clock.step), self._on_escalation_check)

    def _on_escalation_check(self, ev: simpy.Event) -> None:
        case, j, step = ev._value
        clock = case.clocks[j]
        if clock.state != 1 or clock.step != step:
            return
        now = self.env.now
        after, priority, notify = self.plan.slas[j].escalate[step]
        if self.elapsed(case, j, now) + 1e-6 < after:
            self._schedule_escalation(case, j)  # a pause moved it later
            return
        clock.step += 1
        if case.counted:
            counts = self.sla_escalations[j]
            counts[notify] = counts.get(notify, 0) + 1
        if priority < case.prio:
            case.prio = priority
            self._resort(case)
        if self.trace is not None:
            self.trace(case.no, self.plan.segments[case.seg], "", notify, "escalate", now)
        self._schedule_escalation(case, j)

    def _resort(self, case: Case) -> None:
        """Re-sort the case's waiting tasks in place: new priority, same entry time."""
        for tok in case.tokens:
            if not tok.queued:
                continue
            tok.qver += 1
            key = (case.prio, tok.entered, case.no, tok.branch, next(self.seq), tok.qver, tok)
            for t, _ in self.plan.needs[tok.stage]:
                heappush(self.teams[t].heap, key)
            for t, _ in self.plan.needs[tok.stage]:
                self.dispatch(self.teams[t])

    # pauses: the clock stops while every live token of the case is in a pause stage

    def _paused_now(self, case: Case, j: int) -> bool:
        inside = case.in_pause.get(j, 0)
        return case.live > 0 and inside >= case.live

    def _pause_enter(self, case: Case, s: int) -> None:
        for j in self.plan.sla_pauses[s]:
            case.in_pause[j] = case.in_pause.get(j, 0) + 1
        self._pause_recount(case)

    def _pause_leave(self, case: Case, s: int) -> None:
        for j in self.plan.sla_pauses[s]:
            case.in_pause[j] = case.in_pause.get(j, 0) - 1
        self._pause_recount(case)

    def _pause_recount(self, case: Case) -> None:
        if not self.has_slas:
            return
        now = self.env.now
        for j, clock in enumerate(case.clocks):
            if clock.state != 1 or not self.plan.slas[j].pause:
                continue
            paused = self._paused_now(case, j)
            if paused and clock.pause_since is None:
                clock.pause_since = now
            elif not paused and clock.pause_since is not None:
                span = self._measure(j, clock.pause_since, now)
                clock.paused += span
                if clock.attr is not None:
                    clock.attr["pause"] = clock.attr.get("pause", 0.0) + span
                clock.pause_since = None
                if clock.waiting_unpause:
                    clock.waiting_unpause = False
                    self._schedule_escalation(case, j)

    # breach attribution: where a case's clock time went while an SLA clock ran

    def _attribute(
        self, case: Case, prefix: str, entered: float, seized: float, done: float, service: float
    ) -> None:
        suspended = max(done - seized - service, 0.0)
        for j, clock in enumerate(case.clocks):
            attr = clock.attr
            if attr is None:
                continue
            lo = clock.start
            for key, a, b in (
                (prefix + "wait", entered, seized),
                (prefix + "service", seized, seized + service),
                (prefix + "suspended", seized + service, seized + service + suspended),
            ):
                a = max(a, lo)
                if b > a:
                    attr[key] = attr.get(key, 0.0) + self._measure(j, a, b)

    def _attribute_span(self, case: Case, key: str, a: float, b: float) -> None:
        for j, clock in enumerate(case.clocks):
            if clock.attr is None:
                continue
            a2 = max(a, clock.start)
            if b > a2:
                clock.attr[key] = clock.attr.get(key, 0.0) + self._measure(j, a2, b)

    def _fold_attribution(self, case: Case, j: int, now: float) -> None:
        clock = case.clocks[j]
        attr = dict(clock.attr or {})
        if self.plan.slas[j].calendar is not None:
            closed = (now - clock.start) - self._measure(j, clock.start, now)
            if closed > 0:
                attr["closed_hours"] = attr.get("closed_hours", 0.0) + closed
        total = self.sla_attr[j]
        for key, value in attr.items():
            total[key] = total.get(key, 0.0) + value

    # -- the end ------------------------------------------------------------------------------

    def _finish(self) -> ReplicationRecord:
        from procmap.sim.collect import collect

        return collect(self)


def run_replication(
    plan: Plan, replication: int, seed: int, trace: Trace | None = None
) -> ReplicationRecord:
    """Run one replication and return its raw statistics."""
    return Engine(plan, replication, seed, trace).run()
