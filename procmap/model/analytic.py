"""The analytic check (SPEC §4): what the graph alone says about load, before any simulation.

- **Visits per case** from the absorbing-chain equations ``v = e + Wᵀ v``: ``W`` holds branch
  probabilities, 1 for each branch of a parallel split, and ``1/k`` on the edges into the join
  of a k-branch split (the join fires once per split instance).  Segment-conditional branches
  give each segment its own ``W``.  The system is solved one strongly connected component at a
  time in topological order, so a 2,000-stage map costs milliseconds.
- **Offered load** per team in erlangs, **staff on duty** from calendars, shifts and availability,
  **utilisation**, **Erlang C** mean wait where its assumptions hold, and value-stream figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from procmap.model.calendar import Calendar
from procmap.model.graphs import back_edges, lanes, split_structure
from procmap.model.schema import Document

__all__ = ["Analysis", "StageFigures", "TeamFigures", "analyze_document", "erlang_c", "visits"]

WEEK_S = 7 * 86400.0


@dataclass(frozen=True)
class StageFigures:
    visits_per_case: float
    arrival_rate_per_h: float
    rework_share: float


@dataclass(frozen=True)
class TeamFigures:
    offered_load: float
    """Busy people needed on average (erlangs)."""
    staff_on_duty: float
    """People on duty on average over a week (after availability, not rounded)."""
    utilization: float | None
    """offered_load / staff_on_duty (None for unlimited teams; inf when never on duty)."""
    wait_s: float | None
    """Erlang C mean queue wait where it applies, else None."""


@dataclass(frozen=True)
class Analysis:
    case_rate_per_h: float
    stages: dict[str, StageFigures]
    teams: dict[str, TeamFigures]
    value_stream: dict[str, Any]
    segment_visits: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``procmap analyze --format json``."""

        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else x

        return {
            "case_rate_per_h": self.case_rate_per_h,
            "stages": {
                sid: {
                    "visits_per_case": s.visits_per_case,
                    "arrival_rate_per_h": s.arrival_rate_per_h,
                    "rework_share": s.rework_share,
                }
                for sid, s in self.stages.items()
            },
            "teams": {
                tid: {
                    "offered_load": t.offered_load,
                    "staff_on_duty": t.staff_on_duty,
                    "utilization": num(t.utilization),
                    "wait_s": num(t.wait_s),
                }
                for tid, t in self.teams.items()
            },
            "value_stream": self.value_stream,
        }


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue with ``load`` erlangs (< servers)."""
    if load <= 0:
        return 0.0
    if load >= servers:
        return 1.0
    b = 1.0  # Erlang B by its stable recursion
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return servers * b / (servers - load * (1.0 - b))


def _weights(
    graph: nx.DiGraph, segment: str, join_k: dict[str, int]
) -> dict[tuple[str, str], float]:
    """Expected tokens sent along each edge per token at its source, for one segment."""
    w: dict[tuple[str, str], float] = {}
    for node in graph.nodes:
        edges = list(graph.out_edges(node, data=True))
        if not edges:
            continue
        if graph.nodes[node].get("split"):
            for _, to, _ in edges:
                w[(node, to)] = 1.0
            continue
        whens = [d.get("when") for _, _, d in edges]
        if any(wh is not None for wh in whens):
            chosen = None
            for _, to, d in sorted(edges, key=lambda e: e[2]["index"]):
                when = d.get("when")
                if when != "otherwise" and segment in when:
                    chosen = to
                    break
            if chosen is None:
                chosen = next(to for _, to, d in edges if d.get("when") == "otherwise")
            for _, to, _ in edges:
                w[(node, to)] = 1.0 if to == chosen else 0.0
            continue
        for _, to, d in edges:
            w[(node, to)] = float(d.get("p") if d.get("p") is not None else 1.0)
    for (a, b), x in list(w.items()):
        k = join_k.get(b)
        if k:
            w[(a, b)] = x / k
    return w


def visits(
    graph: nx.DiGraph, entry: str, weights: dict[tuple[str, str], float]
) -> dict[str, float]:
    """Solve ``v = e + Wᵀ v`` component by component (``e`` = 1 at the entry)."""
    v: dict[str, float] = dict.fromkeys(graph.nodes, 0.0)
    cond = nx.condensation(graph)
    members = cond.graph["mapping"]
    comps: dict[int, list[str]] = {}
    for node, c in members.items():
        comps.setdefault(c, []).append(node)
    for c in nx.topological_sort(cond):
        nodes = comps[c]
        index = {n: i for i, n in enumerate(nodes)}
        b = np.zeros(len(nodes))
        for n, i in index.items():
            b[i] = 1.0 if n == entry else 0.0
            for pred in graph.predecessors(n):
                if pred not in index:
                    b[i] += v[pred] * weights.get((pred, n), 0.0)
        if len(nodes) == 1 and not graph.has_edge(nodes[0], nodes[0]):
            v[nodes[0]] = float(b[0])
            continue
        a = np.eye(len(nodes))
        for n, i in index.items():
            for succ in graph.successors(n):
                j = index.get(succ)
                if j is not None:
                    a[j, i] -= weights.get((n, succ), 0.0)
        try:
            x = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            x = np.full(len(nodes), math.inf)  # a loop that never exits: reported by validation
        for n, i in index.items():
            v[n] = float(x[i])
    return v


def weekly_factor(calendar: Calendar, profile: Any) -> float:
    """Share of the week's clock time that counts as operational time (open × profile)."""
    total = 0.0
    for start, end in calendar.week_intervals():
        if profile is None:
            total += end - start
            continue
        t = start
        while t < end:
            day_start = (t // 86400) * 86400
            sod = t - day_start
            nxt = day_start + next(p for p in profile.breakpoints() if p > sod)
            seg_end = min(end, nxt)
            total += (seg_end - t) * profile.factor(int(day_start // 86400) % 7, sod)
            t = seg_end
    return total / WEEK_S


def analyze_document(doc: Document, graph: nx.DiGraph, calendars: dict[str, Calendar]) -> Analysis:
    """The analytic figures of a reference-checked document."""
    structure = split_structure(graph)
    join_k = {j: structure.branches_of_join(j, graph) for j in structure.split_of}
    entry = doc.entry

    # case arrival rate (per second, long-run average over a typical week) and segment mix
    rate = 0.0
    seg_rate: dict[str, float] = dict.fromkeys(doc.segment_ids, 0.0)
    for source in doc.sources:
        cal = calendars.get(source.calendar or "always") or calendars["always"]
        r = weekly_factor(cal, source.profile) / source.mean_interarrival_s
        rate += r
        for seg, share in doc.segment_shares(source).items():
            seg_rate[seg] = seg_rate.get(seg, 0.0) + r * share
    seg_share = {s: (x / rate if rate > 0 else 0.0) for s, x in seg_rate.items()}
    if rate <= 0:
        seg_share = doc.segment_shares()

    seg_visits: dict[str, dict[str, float]] = {}
    traversals: dict[tuple[str, str], float] = {}
    for seg in doc.segment_ids:
        w = _weights(graph, seg, join_k)
        v = visits(graph, entry, w)
        seg_visits[seg] = v
        for (a, b), x in w.items():
            tokens = x * join_k.get(b, 1)  # tokens, not firings
            traversals[(a, b)] = (
                traversals.get((a, b), 0.0) + seg_share.get(seg, 0.0) * v[a] * tokens
            )
    total_v = {
        n: sum(seg_share.get(s, 0.0) * seg_visits[s][n] for s in seg_visits) for n in graph.nodes
    }

    back = back_edges(graph, entry)
    stages: dict[str, StageFigures] = {}
    for sid in doc.stages:
        v = total_v[sid]
        rework = sum(traversals.get(e, 0.0) for e in back if e[1] == sid)
        stages[sid] = StageFigures(v, rate * 3600.0 * v, (rework / v) if v > 0 else 0.0)

    # offered load per team, and the data Erlang C needs
    offered: dict[str, float] = dict.fromkeys(doc.teams, 0.0)
    task_rate: dict[str, float] = dict.fromkeys(doc.teams, 0.0)
    erlang_ok: dict[str, bool] = dict.fromkeys(doc.teams, True)
    touch = 0.0
    waiting = 0.0
    for sid, stage in doc.stages.items():
        if stage.kind not in ("task", "wait"):
            continue
        mean_by_seg = {}
        for seg in doc.segment_ids:
            dist = (stage.duration_by_segment or {}).get(seg, stage.duration)
            mean_by_seg[seg] = dist.mean if dist is not None else 0.0
        work = sum(
            seg_share.get(s, 0.0) * seg_visits[s][sid] * mean_by_seg[s] for s in doc.segment_ids
        )
        if stage.kind == "wait":
            waiting += work
            continue
        touch += work
        needs = stage.needs_by_team
        for team, count in needs.items():
            if team in offered:
                offered[team] += rate * work * count
                task_rate[team] += rate * total_v[sid]
                if count != 1 or len(needs) > 1:
                    erlang_ok[team] = False

    arrivals_always = all(
        (s.calendar in (None, "always")) and s.profile is None for s in doc.sources
    )
    teams: dict[str, TeamFigures] = {}
    for tid, team in doc.teams.items():
        if team.unlimited:
            teams[tid] = TeamFigures(offered[tid], math.inf, None, None)
            continue
        on_duty = 0.0
        for cal_id, staff in team.rosters:
            cal = calendars.get(cal_id) or calendars["always"]
            on_duty += staff * cal.weekly_open_seconds() / WEEK_S
        on_duty *= team.availability
        util = offered[tid] / on_duty if on_duty > 0 else (math.inf if offered[tid] > 0 else 0.0)
        wait = None
        rosters = team.rosters
        if (
            erlang_ok[tid]
            and arrivals_always
            and len(rosters) == 1
            and rosters[0][0] == "always"
            and team.availability == 1.0
            and task_rate[tid] > 0
        ):
            c = rosters[0][1]
            a = offered[tid]
            if a < c:
                mean_service = a / task_rate[tid]
                wait = erlang_c(c, a) * mean_service / (c - a)
        teams[tid] = TeamFigures(offered[tid], on_duty, util, wait)

    lane = lanes(graph, entry)
    handoffs = sum(
        x for (a, b), x in traversals.items() if lane.get(a) and lane.get(b) and lane[a] != lane[b]
    )
    handoff_time = 0.0
    for a, b, d in graph.edges(data=True):
        if d.get("handoff") is not None:
            handoff_time += traversals.get((a, b), 0.0) * d["handoff"].mean
    value_stream = {
        "touch_time_s": touch,
        "customer_wait_s": waiting,
        "handoff_time_s": handoff_time,
        "handoffs_per_case": handoffs,
        "rework_visits_per_case": sum(traversals.get(e, 0.0) for e in back),
    }
    return Analysis(rate * 3600.0, stages, teams, value_stream, seg_visits)
