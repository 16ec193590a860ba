"""Model → flat runtime plan: integer ids, tuples and bound samplers, no pydantic in the loop.

Everything the engine would otherwise look up per event is computed here once per model:
stage kinds as small ints, routing tables with cumulative probabilities, the segment each
``when`` list picks, the join of each split, which SLA clocks start, stop or pause at each stage,
and each team's people and calendars.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from procmap.model.calendar import Calendar
from procmap.model.distributions import Distribution
from procmap.model.graphs import split_structure
from procmap.model.model import Model
from procmap.model.profile import Profile

__all__ = ["Plan", "SlaPlan", "SourcePlan", "TeamPlan", "compile_model", "stream_key"]

TASK, WAIT, DECISION, JOIN, END = range(5)
KIND_CODES = {"task": TASK, "wait": WAIT, "decision": DECISION, "join": JOIN, "end": END}
# routing forms
R_NONE, R_ONE, R_PROB, R_WHEN, R_SPLIT = range(5)


def stream_key(name: str) -> int:
    """A stable 32-bit key of a stream name (never Python's salted ``hash()``)."""
    return zlib.crc32(name.encode("utf-8"))


@dataclass
class TeamPlan:
    id: str
    index: int
    unlimited: bool
    always_on: bool
    """Constant staff, always on duty, availability 100 %: the fast path."""
    shifts: list[tuple[Calendar, int]]
    """(calendar, staff) per shift."""
    availability: float
    cost_per_hour: float
    calendar: Calendar | None
    """For unlimited teams: the calendar they work in."""
    staff: int = 0


@dataclass
class SourcePlan:
    index: int
    rate_mean: float | None
    """Mean interarrival in operational seconds for ``rate`` sources (exponential), else None."""
    interarrival: Distribution | None
    calendar: Calendar | None
    """None when always open."""
    profile: Profile | None
    segment_cum: tuple[float, ...]
    """Cumulative segment shares in segment index order."""


@dataclass
class SlaPlan:
    id: str
    index: int
    calendar: Calendar | None
    """None: clock time."""
    targets: tuple[float, ...]
    """Target seconds per segment index."""
    pause: frozenset[int]
    escalate: tuple[tuple[float, int, str], ...]
    """(after seconds, priority, notify) sorted by after."""
    start_arrival: bool


@dataclass
class Plan:
    model: Model
    stage_ids: list[str]
    segments: list[str]
    priorities: list[int]
    kind: list[int]
    team_of: list[int]
    """Lane team index of each stage (−1 when none)."""
    needs: list[tuple[tuple[int, int], ...]]
    """(team index, people) per task stage."""
    durations: list[tuple[Distribution | None, ...]]
    """Per stage, the duration distribution per segment index."""
    duration_streams: list[tuple[str, ...]]
    """Stream name per stage and segment (shared name when the distribution is the default)."""
    wait_calendar: list[Calendar | None]
    route: list[int]
    targets: list[tuple[int, ...]]
    cum_p: list[tuple[float, ...]]
    when_pick: list[tuple[int, ...]]
    """For R_WHEN stages: the branch index chosen by each segment index."""
    handoffs: list[tuple[Distribution | None, ...]]
    handoff_calendars: list[tuple[Calendar | None, ...]]
    edge_keys: list[tuple[str, ...]]
    join_of: dict[int, int]
    join_width: dict[int, int]
    outcome: list[str | None]
    teams: list[TeamPlan]
    sources: list[SourcePlan]
    slas: list[SlaPlan]
    sla_at_start: list[tuple[tuple[int, int], ...]]
    """Per stage: (sla index, 0 = start event / 1 = stop event) triggered by ``<stage>.start``."""
    sla_at_end: list[tuple[tuple[int, int], ...]]
    sla_pauses: list[tuple[int, ...]]
    """Per stage: SLAs whose clock this stage pauses."""
    has_pause: bool
    entry: int
    backlog: list[tuple[int, int]]
    start: datetime
    horizon: float | None
    cases: int | None
    warmup: float
    backlog_cum: tuple[float, ...] = field(default=())


def _cal(calendars: dict[str, Calendar], cid: str | None) -> Calendar | None:
    if cid is None or cid == "always":
        return None
    cal = calendars[cid]
    return None if cal.is_always else cal


def compile_model(
    model: Model,
    *,
    horizon: float | None = None,
    cases: int | None = None,
    warmup: float | None = None,
    use_config: bool = True,
) -> Plan:
    """The runtime plan of a validated model; ``horizon``/``cases``/``warmup`` override the YAML."""
    doc = model.document
    sim = doc.simulation
    calendars = model.calendars
    stage_ids = list(doc.stages)
    sidx = {s: i for i, s in enumerate(stage_ids)}
    segments = list(doc.segment_ids)
    priorities = [doc.segments[s].priority if doc.segments else 0 for s in segments]
    team_ids = list(doc.teams)
    tidx = {t: i for i, t in enumerate(team_ids)}

    teams: list[TeamPlan] = []
    for i, (tid, team) in enumerate(doc.teams.items()):
        if team.unlimited:
            teams.append(
                TeamPlan(
                    tid,
                    i,
                    True,
                    _cal(calendars, team.calendar) is None,
                    [],
                    1.0,
                    0.0,
                    _cal(calendars, team.calendar),
                )
            )
            continue
        shifts = [(calendars[c], n) for c, n in team.rosters]
        always_on = len(shifts) == 1 and shifts[0][0].is_always and team.availability >= 1.0
        teams.append(
            TeamPlan(
                tid,
                i,
                False,
                always_on,
                shifts,
                team.availability,
                team.cost_per_hour or 0.0,
                None,
                sum(n for _, n in shifts),
            )
        )

    structure = split_structure(model.graph)
    kind, team_of, needs, durations, dstreams, wait_cal = [], [], [], [], [], []
    route, targets, cum_p, when_pick, handoffs, hcals, ekeys, outcome = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    for sid in stage_ids:
        st = doc.stages[sid]
        kind.append(KIND_CODES[st.kind])
        team_of.append(tidx.get(st.team or "", -1))
        needs.append(tuple((tidx[t], n) for t, n in st.needs_by_team.items()))
        per_seg, names = [], []
        for seg in segments:
            special = (st.duration_by_segment or {}).get(seg)
            per_seg.append(special if special is not None else st.duration)
            names.append(
                f"stage:{sid}:duration:{seg}" if special is not None else f"stage:{sid}:duration"
            )
        durations.append(tuple(per_seg))
        dstreams.append(tuple(names))
        wait_cal.append(_cal(calendars, st.calendar) if st.kind == "wait" else None)
        branches = st.branches
        targets.append(tuple(sidx[b.to] for b in branches))
        handoffs.append(tuple(b.handoff for b in branches))
        hcals.append(tuple(_cal(calendars, b.calendar) for b in branches))
        ekeys.append(tuple(f"{sid}>{b.to}" for b in branches))
        outcome.append(st.outcome if st.kind == "end" else None)
        if not branches:
            route.append(R_NONE)
            cum_p.append(())
            when_pick.append(())
        elif st.is_split:
            route.append(R_SPLIT)
            cum_p.append(())
            when_pick.append(())
        elif any(b.when is not None or b.otherwise for b in branches):
            route.append(R_WHEN)
            cum_p.append(())
            pick = []
            for seg in segments:
                chosen = next(
                    (
                        i
                        for i, b in enumerate(branches)
                        if b.when is not None and seg in b.when.segment
                    ),
                    None,
                )
                if chosen is None:
                    chosen = next(i for i, b in enumerate(branches) if b.otherwise)
                pick.append(chosen)
            when_pick.append(tuple(pick))
        elif len(branches) == 1:
            route.append(R_ONE)
            cum_p.append((1.0,))
            when_pick.append(())
        else:
            route.append(R_PROB)
            acc, cum = 0.0, []
            for b in branches:
                acc += b.p or 0.0
                cum.append(acc)
            cum[-1] = math.inf  # rounding never leaves a draw without a branch
            cum_p.append(tuple(cum))
            when_pick.append(())

    join_of = {sidx[s]: sidx[j] for s, j in structure.join_of.items()}
    join_width = {sidx[j]: model.graph.out_degree(s) for s, j in structure.join_of.items()}

    sources = []
    for i, src in enumerate(doc.sources):
        shares = doc.segment_shares(src)
        acc, cum = 0.0, []
        for seg in segments:
            acc += shares.get(seg, 0.0)
            cum.append(acc)
        cum[-1] = math.inf
        sources.append(
            SourcePlan(
                i,
                1.0 / src.rate.per_second if src.rate is not None else None,
                src.interarrival,
                _cal(calendars, src.calendar),
                src.profile,
                tuple(cum),
            )
        )

    slas = []
    at_start: list[list[tuple[int, int]]] = [[] for _ in stage_ids]
    at_end: list[list[tuple[int, int]]] = [[] for _ in stage_ids]
    pauses: list[list[int]] = [[] for _ in stage_ids]
    for j, (lid, sla) in enumerate(doc.slas.items()):
        start_arrival = False
        for which, events in ((0, sla.start_events), (1, sla.stop_events)):
            for ev in events:
                if ev.stage is None:
                    if which == 0:
                        start_arrival = True
                    continue
                s = sidx[ev.stage]
                zero_time = kind[s] in (DECISION, JOIN, END)
                # zero-time stages: .start = .end = when the (last) token arrives
                target = at_end if ev.point == "end" or zero_time else at_start
                target[s].append((j, which))
        for p in sla.pause:
            pauses[sidx[p]].append(j)
        slas.append(
            SlaPlan(
                lid,
                j,
                _cal(calendars, sla.calendar),
                tuple(sla.segment_target(seg)[0] for seg in segments),
                frozenset(sidx[p] for p in sla.pause),
                tuple(sorted((e.after.seconds, e.priority, e.notify or "") for e in sla.escalate)),
                start_arrival,
            )
        )

    h = horizon if horizon is not None else (sim.horizon_s if use_config else None)
    c = cases if cases is not None else (sim.cases if use_config else None)
    if horizon is not None and cases is None:
        c = None
    if cases is not None and horizon is None:
        h = None
    w = warmup if warmup is not None else sim.warmup_s
    backlog = [(sidx[s], n) for s, n in sim.backlog.items()]
    global_shares = doc.segment_shares()
    acc, bcum = 0.0, []
    for seg in segments:
        acc += global_shares.get(seg, 0.0)
        bcum.append(acc)
    bcum[-1] = math.inf
    return Plan(
        model=model,
        stage_ids=stage_ids,
        segments=segments,
        priorities=priorities,
        kind=kind,
        team_of=team_of,
        needs=needs,
        durations=durations,
        duration_streams=dstreams,
        wait_calendar=wait_cal,
        route=route,
        targets=targets,
        cum_p=cum_p,
        when_pick=when_pick,
        handoffs=handoffs,
        handoff_calendars=hcals,
        edge_keys=ekeys,
        join_of=join_of,
        join_width=join_width,
        outcome=outcome,
        teams=teams,
        sources=sources,
        slas=slas,
        sla_at_start=[tuple(x) for x in at_start],
        sla_at_end=[tuple(x) for x in at_end],
        sla_pauses=[tuple(x) for x in pauses],
        has_pause=any(pauses),
        entry=sidx[doc.entry],
        backlog=backlog,
        start=sim.start,
        horizon=h,
        cases=c,
        warmup=w,
        backlog_cum=tuple(bcum),
    )


def describe(plan: Plan) -> dict[str, Any]:
    """A small summary (for debugging and the trace header)."""
    return {
        "stages": len(plan.stage_ids),
        "teams": len(plan.teams),
        "slas": len(plan.slas),
        "sources": len(plan.sources),
    }
