"""Checks across objects (SPEC §3): references, graph structure, capacity, consultant slips, SIPOC.

Runs on a schema-valid :class:`Document`.  Every check returns findings that carry a document
path; the loader turns paths into ``file:line:col``.  ``check_references`` runs first: the graph
checks need every reference to resolve.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from procmap.errors import Finding
from procmap.model.analytic import Analysis, analyze_document
from procmap.model.calendar import Calendar
from procmap.model.findings import did_you_mean
from procmap.model.graphs import split_structure
from procmap.model.schema import Branch, Document, SegmentTarget, Sla
from procmap.model.units import Duration, format_duration

__all__ = ["check_model", "check_references"]

Path = tuple[str | int, ...]


def _err(code: str, path: Path, message: str, hint: str | None = None) -> Finding:
    return Finding("error", code, message, hint, path=path)


def _warn(code: str, path: Path, message: str, hint: str | None = None) -> Finding:
    return Finding("warning", code, message, hint, path=path)


def _choices(word: str, choices: Iterable[str], what: str) -> str:
    names = list(choices)
    guess = did_you_mean(word, names)
    listed = f"{what}: {', '.join(names) if names else 'none defined'}"
    return f"{guess} ({listed})" if guess else listed


# --- references -----------------------------------------------------------------------------


def check_references(doc: Document, data: Any = None) -> list[Finding]:
    """Every id that points somewhere must point at something of the right kind."""
    out: list[Finding] = []
    stages, teams = doc.stages, doc.teams
    calendars = {"always", *doc.calendars}
    segments = set(doc.segment_ids)

    def team_ref(tid: str, path: Path) -> None:
        if tid not in teams:
            hint = (
                f"{tid!r} is a stage, not a team"
                if tid in stages
                else _choices(tid, teams, "teams")
            )
            out.append(_err("E201", path, f"unknown team {tid!r}", hint))

    def stage_ref(sid: str | None, path: Path) -> None:
        if sid is not None and sid not in stages:
            hint = (
                f"{sid!r} is a team, not a stage"
                if sid in teams
                else _choices(sid, stages, "stages")
            )
            out.append(_err("E202", path, f"unknown stage {sid!r}", hint))

    def calendar_ref(cid: str | None, path: Path) -> None:
        if cid is not None and cid not in calendars:
            out.append(
                _err(
                    "E203",
                    path,
                    f"unknown calendar {cid!r}",
                    _choices(cid, sorted(calendars), "calendars"),
                )
            )

    def segment_ref(seg: str, path: Path) -> None:
        if seg not in segments:
            what = (
                "segments" if doc.segments else "segments (none defined: add a segments: section)"
            )
            out.append(
                _err("E204", path, f"unknown segment {seg!r}", _choices(seg, doc.segment_ids, what))
            )

    for sid in set(stages) & set(teams):
        out.append(
            _err(
                "E207",
                ("stages", sid),
                f"{sid!r} is both a stage and a team",
                "stage and team ids share one namespace: rename one",
            )
        )

    if doc.process.entry is not None:
        stage_ref(doc.process.entry, ("process", "entry"))

    cycles: set[frozenset[str]] = set()
    for cid, cal in doc.calendars.items():
        calendar_ref(cal.extends, ("calendars", cid, "extends"))
        seen = [cid]
        parent = cal.extends
        while parent in doc.calendars:
            if parent in seen:
                cycle = seen[seen.index(parent) :]
                if parent == cid and frozenset(cycle) not in cycles:  # once, at its first calendar
                    cycles.add(frozenset(cycle))
                    out.append(
                        _err(
                            "E219",
                            ("calendars", cid, "extends"),
                            f"calendar extends form a cycle: {' → '.join([*cycle, parent])}",
                            "remove one extends",
                        )
                    )
                break
            seen.append(parent)
            parent = doc.calendars[parent].extends
        # holidays and workdays count with what the calendar extends (as the calendar is built)
        holidays, workdays = set(), set()
        for name in seen:
            spec = doc.calendars[name]
            holidays |= {d for a, b in spec.holidays for d in _span(a, b)}
            workdays |= {d for a, b in spec.workdays for d in _span(a, b)}
        for day in sorted(holidays & workdays):
            out.append(
                _err(
                    "E136",
                    ("calendars", cid, "workdays"),
                    f"{day.isoformat()} is both a holiday and a workday (with what calendar {cid!r} extends)",
                    "a date is either closed or a make-up working day: remove it from one list",
                )
            )

    for tid, team in doc.teams.items():
        calendar_ref(team.calendar, ("teams", tid, "calendar"))
        for i, shift in enumerate(team.shifts or ()):
            calendar_ref(shift.calendar, ("teams", tid, "shifts", i, "calendar"))

    if doc.segments:
        total = sum(s.share for s in doc.segments.values())
        if abs(total - 1.0) > 1e-9:
            out.append(
                _err(
                    "E218",
                    ("segments",),
                    f"segment shares sum to {total:.6g}, not 1",
                    "make the shares add up to 100%",
                )
            )

    for i, source in enumerate(doc.sources):
        base: Path = ("arrivals", i) if isinstance(doc.arrivals, tuple) else ("arrivals",)
        calendar_ref(source.calendar, (*base, "calendar"))
        if source.segments:
            for seg in source.segments:
                segment_ref(seg, (*base, "segments", seg))
            total = sum(source.segments.values())
            if abs(total - 1.0) > 1e-9:
                out.append(
                    _err(
                        "E218",
                        (*base, "segments"),
                        f"the segment mix sums to {total:.6g}, not 1",
                        "make the shares add up to 100%",
                    )
                )

    for sid, stage in stages.items():
        path: Path = ("stages", sid)
        if stage.owner is not None:
            team_ref(stage.owner, (*path, "owner"))
        if isinstance(stage.needs, dict):
            for tid in stage.needs:
                team_ref(tid, (*path, "needs", tid))
        calendar_ref(stage.calendar, (*path, "calendar"))
        for seg in stage.duration_by_segment or {}:
            segment_ref(seg, (*path, "duration_by_segment", seg))
        multi = isinstance(stage.next, tuple)
        for i, branch in enumerate(stage.branches):
            bpath: Path = (*path, "next", i) if multi else (*path, "next")
            if stage.is_split:
                bpath = (*path, "next", "all", i)
            stage_ref(branch.to, (*bpath, "to") if multi else bpath)
            calendar_ref(branch.calendar, (*bpath, "calendar"))
            if branch.when is not None:
                for seg in branch.when.segment:
                    segment_ref(seg, (*bpath, "when", "segment"))

    for i, flow in enumerate(doc.data_flows):
        for key, ref in (("from", flow.from_), ("to", flow.to)):
            if ref not in stages and ref not in teams:
                out.append(
                    _err(
                        "E202",
                        ("data_flows", i, key),
                        f"unknown stage or team {ref!r}",
                        _choices(ref, [*stages, *teams], "stages and teams"),
                    )
                )

    for lid, sla in doc.slas.items():
        path = ("slas", lid)
        for key, events in (("start", sla.start_events), ("stop", sla.stop_events)):
            for j, event in enumerate(events):
                epath = (
                    (*path, key, j)
                    if len(events) > 1 or isinstance(getattr(sla, key), tuple)
                    else (*path, key)
                )
                stage_ref(event.stage, epath)
        for j, sid in enumerate(sla.pause):
            stage_ref(sid, (*path, "pause", j))
        calendar_ref(sla.calendar, (*path, "calendar"))
        for seg in sla.by_segment or {}:
            segment_ref(seg, (*path, "by_segment", seg))

    kpi_ids: set[str] = set()
    for i, kpi in enumerate(doc.kpis):
        path = ("kpis", i)
        if kpi.id in kpi_ids:
            out.append(
                _err(
                    "E208",
                    (*path, "id"),
                    f"two KPIs have the id {kpi.id!r}",
                    "KPI ids must be unique",
                )
            )
        kpi_ids.add(kpi.id)
        stage_ref(kpi.stage, (*path, "stage"))
        if kpi.team is not None:
            team_ref(kpi.team, (*path, "team"))
        if kpi.segment is not None:
            segment_ref(kpi.segment, (*path, "segment"))
        if kpi.sla is not None and kpi.sla not in doc.slas:
            out.append(
                _err(
                    "E206",
                    (*path, "sla"),
                    f"unknown SLA {kpi.sla!r}",
                    _choices(kpi.sla, doc.slas, "SLAs"),
                )
            )
        if kpi.metric == "end_share" and kpi.stage in stages and stages[kpi.stage].kind != "end":
            out.append(
                _err(
                    "E160",
                    (*path, "stage"),
                    f"end_share needs an end stage; {kpi.stage!r} is a {stages[kpi.stage].kind}",
                    "name a stage with kind: end",
                )
            )

    for sid, count in doc.simulation.backlog.items():
        path = ("simulation", "backlog", sid)
        stage_ref(sid, path)
        if sid in stages and stages[sid].kind not in ("task", "wait"):
            out.append(
                _err(
                    "E217",
                    path,
                    f"backlog can only wait at a task or wait stage; {sid!r} is a {stages[sid].kind}",
                    None,
                )
            )
        del count
    return out


def _span(a: Any, b: Any) -> Iterator[Any]:
    from datetime import timedelta

    while a <= b:
        yield a
        a += timedelta(days=1)


# --- the model as a whole -------------------------------------------------------------------


def check_model(
    doc: Document, graph: nx.DiGraph, data: Any = None, analysis: Analysis | None = None
) -> list[Finding]:
    """Graph structure, capacity, slips and SIPOC consistency of a reference-checked document."""
    from procmap.model.model import build_calendars

    out = _check_graph(doc, graph)
    if any(f.is_error for f in out):
        return out
    calendars = build_calendars(doc)
    out += _check_staffing(doc, calendars)
    if any(f.is_error for f in out):
        return out
    analysis = analysis or analyze_document(doc, graph, calendars)
    out += _check_capacity(doc, analysis)
    out += _check_slips(doc, graph, analysis, data, calendars)
    out += _check_sipoc(doc, graph)
    return out


def _check_graph(doc: Document, graph: nx.DiGraph) -> list[Finding]:
    out: list[Finding] = []
    entry = doc.entry
    reachable = nx.descendants(graph, entry) | {entry}
    for sid in doc.stages:
        if sid not in reachable:
            out.append(
                _err(
                    "E210",
                    ("stages", sid),
                    f"stage {sid!r} cannot be reached from the entry {entry!r}",
                    "add a next that leads here, or remove the stage",
                )
            )
    ends = [n for n, d in graph.nodes(data=True) if d["kind"] == "end"]
    if not ends:
        out.append(
            _err("E211", ("stages",), "the process has no end stage", "add a stage with kind: end")
        )
        return out
    can_end: set[str] = set(ends)
    for e in ends:
        can_end |= nx.ancestors(graph, e)
    order = {sid: i for i, sid in enumerate(doc.stages)}
    stuck = graph.subgraph(s for s in doc.stages if s in reachable and s not in can_end)
    loops = nx.condensation(stuck)
    traps = [  # the loops cases cannot leave; the stages leading into them are fixed with them
        sorted(loops.nodes[c]["members"], key=order.__getitem__)
        for c in loops.nodes
        if loops.out_degree(c) == 0
    ]
    for trap in sorted(traps, key=lambda t: order[t[0]]):
        names = ", ".join(repr(s) for s in trap)
        out.append(
            _err(
                "E211",
                ("stages", trap[0], "next"),
                f"no path from {names} reaches an end stage (a loop with no exit?)",
                "give the loop a branch that leaves it",
            )
        )
    structure = split_structure(graph)
    for problem in structure.problems:
        path: Path = ("stages", problem.stage, "next")
        stage = doc.stages[problem.stage]
        if problem.branch is not None and stage.is_split:
            path = (*path, "all", problem.branch)
        elif problem.branch is not None and isinstance(stage.next, tuple):
            path = (*path, problem.branch)
        out.append(_err(problem.code, path, problem.message, problem.hint))
    if not structure.problems:
        for sid in doc.simulation.backlog:
            if structure.inside_any_region(sid):
                out.append(
                    _err(
                        "E217",
                        ("simulation", "backlog", sid),
                        f"backlog cannot wait at {sid!r}: it is inside a parallel split",
                        "put backlog before the split",
                    )
                )
    return out


def max_on_duty(team: Any, calendars: dict[str, Calendar]) -> float:
    """The most people a team ever has on duty at once (availability rounded up)."""
    events: list[tuple[float, int]] = []
    for cal_id, staff in team.rosters:
        cal = calendars.get(cal_id)
        if cal is None or cal.is_empty():
            continue
        people = math.ceil(staff * team.availability - 1e-9)
        for start, end in cal.week_intervals():
            events.append((start, people))
            events.append((end, -people))
    best = current = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        current += delta
        best = max(best, current)
    return best


def _check_staffing(doc: Document, calendars: dict[str, Calendar]) -> list[Finding]:
    out: list[Finding] = []
    most = {tid: max_on_duty(t, calendars) for tid, t in doc.teams.items() if not t.unlimited}
    for sid, stage in doc.stages.items():
        for tid, count in stage.needs_by_team.items():
            if tid not in most:
                continue
            needs: Path = (
                ("stages", sid, "needs", tid)
                if isinstance(stage.needs, dict)
                else ("stages", sid, "needs")
            )
            if most[tid] == 0:
                out.append(
                    _err(
                        "E225",
                        ("stages", sid, "owner") if stage.owner == tid else needs,
                        f"{sid!r} is worked by {tid!r}, which is never on duty",
                        "check the team's calendar, shifts and availability",
                    )
                )
            elif count > most[tid]:
                out.append(
                    _err(
                        "E224",
                        needs,
                        f"{sid!r} needs {count} people of {tid!r}, but at most {most[tid]:g} {'is' if most[tid] == 1 else 'are'} ever on duty",
                        "lower needs or add staff",
                    )
                )
    return out


def _check_capacity(doc: Document, analysis: Analysis) -> list[Finding]:
    out: list[Finding] = []
    if not doc.sources:
        return out
    for tid, fig in analysis.teams.items():
        u = fig.utilization
        if u is None:
            continue
        pct = "∞" if math.isinf(u) else f"{u:.0%}"
        detail = (
            f"{fig.offered_load:.2f} busy people needed, {fig.staff_on_duty:.2f} on duty on average"
        )
        if u >= 1.0:
            out.append(
                _warn(
                    "W301",
                    ("teams", tid),
                    f"team {tid!r} is loaded {pct}: its queue grows without bound ({detail})",
                    "add staff or hours, shorten its tasks, or lower the arrival rate; simulate refuses this model without --force",
                )
            )
        elif u >= 0.9:
            out.append(
                _warn(
                    "W302",
                    ("teams", tid),
                    f"team {tid!r} is loaded {pct}: expect long queues ({detail})",
                    "below 85–90% queues stay short",
                )
            )
    return out


_CLOCK_UNITS = re.compile(r"(d|day|days|w|wk|week|weeks|天|日|周|星期)\s*$", re.IGNORECASE)


def _check_slips(
    doc: Document,
    graph: nx.DiGraph,
    analysis: Analysis,
    data: Any,
    calendars: dict[str, Calendar] | None = None,
) -> list[Finding]:
    out: list[Finding] = []
    used = {t for s in doc.stages.values() for t in s.needs_by_team} | {
        s.owner for s in doc.stages.values() if s.owner
    }
    for tid in doc.teams:
        if tid not in used:
            out.append(
                _warn(
                    "W401",
                    ("teams", tid),
                    f"team {tid!r} owns no stage and is needed by none",
                    "remove it, or make it the owner of a stage",
                )
            )
    for sid, fig in analysis.stages.items():
        if fig.visits_per_case > 5:
            out.append(
                _warn(
                    "W403",
                    ("stages", sid),
                    f"stage {sid!r} is visited {fig.visits_per_case:.1f} times per case: a rework loop that rarely exits?",
                    "check the loop's probabilities",
                )
            )
    for lid, sla in doc.slas.items():
        out += _check_sla(doc, graph, lid, sla, calendars or {})
    for sid, stage in doc.stages.items():
        for key, dist in (
            ("duration", stage.duration),
            *(
                (("duration_by_segment", seg), d)
                for seg, d in (stage.duration_by_segment or {}).items()
            ),
        ):
            if dist is not None and getattr(dist, "name", "") == "normal":
                exact = dist.mean
                raw = getattr(dist, "mu", None)
                if raw is not None and raw > 0 and abs(exact - raw) / raw > 0.01:
                    path = ("stages", sid, *key) if isinstance(key, tuple) else ("stages", sid, key)
                    out.append(
                        _warn(
                            "W407",
                            path,
                            f"{dist.describe()} is often ≤ 0; resampling those moves its mean from {format_duration(raw)} to {format_duration(exact)}",
                            "use gamma or lognormal for skewed times",
                        )
                    )
    if doc.process.time_unit is None:
        out += _bare_numbers(doc, data)
    return out


def _sla_targets(lid: str, sla: Sla) -> Iterator[tuple[Path, Duration]]:
    """Every target of an SLA with its path: its own, then each segment's."""
    yield ("slas", lid, "target"), sla.target
    for seg, entry in (sla.by_segment or {}).items():
        if isinstance(entry, SegmentTarget):
            yield ("slas", lid, "by_segment", seg, "target"), entry.target
        else:
            yield ("slas", lid, "by_segment", seg), entry


def _working_day(calendar: Calendar | None) -> float | None:
    """Mean open seconds per open day of a typical week (None if never open)."""
    if calendar is None or calendar.is_empty():
        return None
    days = {int(start // 86400) for start, _ in calendar.week_intervals()}
    return calendar.weekly_open_seconds() / len(days) if days else None


def _check_sla(
    doc: Document, graph: nx.DiGraph, lid: str, sla: Sla, calendars: dict[str, Calendar]
) -> list[Finding]:
    out: list[Finding] = []
    path: Path = ("slas", lid)
    entry = doc.entry
    regions = split_structure(graph).region.values()

    def node_of(event: Any) -> str:
        return entry if event.stage is None else event.stage

    def can_follow(start: Any, stop: Any) -> bool:
        a, b = node_of(start), node_of(stop)
        if start.stage is None:
            return b in nx.descendants(graph, entry) | {entry}
        if a == b:
            if (start.point, stop.point) != ("end", "start"):
                return True
            return any(nx.has_path(graph, s, a) for s in graph.successors(a))  # needs a loop
        if nx.has_path(graph, a, b):
            return True
        # stages on parallel branches of one split run side by side: either may finish first
        return not nx.has_path(graph, b, a) and any(a in r and b in r for r in regions)

    if not any(can_follow(s, t) for s in sla.start_events for t in sla.stop_events):
        out.append(
            _warn(
                "W402",
                (*path, "stop"),
                f"SLA {lid!r}: its stop can never follow its start",
                "check the stage names and the order of start and stop",
            )
        )
        return out
    calendar = sla.calendar or "always"
    day = _working_day(calendars.get(calendar))
    for tpath, target in _sla_targets(lid, sla):
        if calendar != "always" and _CLOCK_UNITS.search(target.text):
            hours = f"{target.seconds / 3600:g}h"
            about = (
                f" (about {target.seconds / day:.1f} working days of {day / 3600:g}h)"
                if day
                else ""
            )
            out.append(
                _warn(
                    "W405",
                    tpath,
                    f"SLA {lid!r}: target {target.text} on the {calendar!r} calendar means {hours} of OPEN time{about}, not {target.text} of calendar time",
                    f"write the target in open hours of the calendar (e.g. {day / 3600 if day else 9:g}h for one working day), or drop calendar for clock days",
                )
            )
    least = _least_time(doc, graph, sla)
    for tpath, target in _sla_targets(lid, sla):
        if least is not None and least > target.seconds + 1e-6:
            out.append(
                _warn(
                    "W404",
                    tpath,
                    f"SLA {lid!r}: its target {target.text} is below the least possible time between its events ({format_duration(least)}): it can never be met",
                    "raise the target or check the events",
                )
            )
    return out


def _least_time(doc: Document, graph: nx.DiGraph, sla: Sla, of: str = "min_value") -> float | None:
    """The least work and hand-off time between an SLA's start and stop events (pauses excluded).

    ``of="mean"`` gives the shortest path by mean times instead: the expected touch time of the
    quickest route, which the advisor uses to tell a goal out of reach."""
    paused = set(sla.pause)

    def least(sid: str) -> float:
        stage = doc.stages[sid]
        if sid in paused or stage.duration is None:
            return 0.0
        dists = [stage.duration, *(stage.duration_by_segment or {}).values()]
        return min(getattr(d, of, 0.0) for d in dists)

    best: float | None = None
    for start in sla.start_events:
        origin = doc.entry if start.stage is None else start.stage
        # distance to reach each node's start, from the start event
        offset = least(origin) if start.point == "end" else 0.0
        dist = nx.single_source_dijkstra_path_length(
            graph,
            origin,
            weight=lambda a, b, d: (
                least(a) + (getattr(d.get("handoff"), of, 0.0) if d.get("handoff") else 0.0)
            ),
        )
        for stop in sla.stop_events:
            node = doc.entry if stop.stage is None else stop.stage
            if node not in dist:
                continue
            t = dist[node] - offset + (least(node) if stop.point == "end" else 0.0)
            best = t if best is None else min(best, t)
    return max(best, 0.0) if best is not None else None


def _bare_numbers(doc: Document, data: Any) -> list[Finding]:
    """W406: a bare non-zero number used as a time while process.time_unit is not set."""
    out: list[Finding] = []

    def visit(value: Any, path: Path) -> None:
        if value is None or not getattr(value, "bare", False):
            return
        if (value.seconds if isinstance(value, Duration) else value.mean) == 0:
            return
        raw = _raw(data, path)
        if isinstance(value, Duration) or isinstance(raw, int | float):
            text = value.text if isinstance(value, Duration) else f"{raw:g}"
            message = f"{text} has no unit: read as {text} h"
        else:
            text = raw if isinstance(raw, str) else value.describe()
            message = f"{text} has a number without a unit: read in hours"
        out.append(_warn("W406", path, message, "add a unit (30min, 2h) or set process.time_unit"))

    for sid, stage in doc.stages.items():
        visit(stage.duration, ("stages", sid, "duration"))
        for seg, dist in (stage.duration_by_segment or {}).items():
            visit(dist, ("stages", sid, "duration_by_segment", seg))
        nxt = stage.next
        if isinstance(nxt, tuple):
            for i, branch in enumerate(nxt):
                visit(branch.handoff, ("stages", sid, "next", i, "handoff"))
        elif isinstance(nxt, Branch):
            visit(nxt.handoff, ("stages", sid, "next", "handoff"))
    for i, source in enumerate(doc.sources):
        base: Path = ("arrivals", i) if isinstance(doc.arrivals, tuple) else ("arrivals",)
        visit(source.interarrival, (*base, "interarrival"))
    for lid, sla in doc.slas.items():
        for path, target in _sla_targets(lid, sla):
            visit(target, path)
        for i, step in enumerate(sla.escalate):
            visit(step.after, ("slas", lid, "escalate", i, "after"))
    visit(doc.simulation.horizon, ("simulation", "horizon"))
    visit(doc.simulation.warmup, ("simulation", "warmup"))
    return out


def _raw(data: Any, path: Path) -> Any:
    """The value at ``path`` of the plain YAML data (None where there is none)."""
    for part in path:
        found = (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        )
        if not found:
            return None
        data = data[part]
    return data


def _check_sipoc(doc: Document, graph: nx.DiGraph) -> list[Finding]:
    out: list[Finding] = []
    flows = {item for f in doc.data_flows for item in f.data}
    producers: dict[str, set[str]] = {}
    consumers: dict[str, set[str]] = {}
    for sid, stage in doc.stages.items():
        for item in stage.outputs:
            producers.setdefault(item, set()).add(sid)
        for item in stage.inputs:
            consumers.setdefault(item, set()).add(sid)
    edge_data: dict[str, set[str]] = {}
    for a, _, d in graph.edges(data=True):
        for item in d.get("data") or ():
            edge_data.setdefault(item, set()).add(a)
    sipoc = doc.sipoc
    for sid, stage in doc.stages.items():
        for i, item in enumerate(stage.inputs):
            if item in sipoc.inputs or item in flows:
                continue
            if not any(p != sid and nx.has_path(graph, p, sid) for p in producers.get(item, ())):
                out.append(
                    _warn(
                        "W410",
                        ("stages", sid, "inputs", i),
                        f"input {item!r} of {sid!r} is provided by no upstream stage",
                        "add it to an upstream stage's outputs or to sipoc.inputs",
                    )
                )
        for i, item in enumerate(stage.outputs):
            if item in sipoc.outputs or item in flows or sid in edge_data.get(item, ()):
                continue
            if not any(c != sid and nx.has_path(graph, sid, c) for c in consumers.get(item, ())):
                out.append(
                    _warn(
                        "W411",
                        ("stages", sid, "outputs", i),
                        f"output {item!r} of {sid!r} is received by no downstream stage",
                        "add it to a downstream stage's inputs, to a branch's data, or to sipoc.outputs",
                    )
                )
    for i, item in enumerate(sipoc.outputs):
        if item not in producers:
            out.append(
                _warn(
                    "W412",
                    ("sipoc", "outputs", i),
                    f"process output {item!r} is not an output of any stage",
                    "add it to the outputs of the stage that makes it",
                )
            )
    if sipoc.suppliers and not sipoc.inputs:
        out.append(
            _warn(
                "W413",
                ("sipoc", "suppliers"),
                "sipoc lists suppliers but no inputs",
                "add the inputs the suppliers provide to sipoc.inputs",
            )
        )
    return out
