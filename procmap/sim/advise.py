"""The staffing advisor: the cheapest staffing that meets every goal (issue "what-if").

Decision variables are the staff of each team, or of each shift of a team with shifts — only
teams with ``cost_per_hour``.  A plan costs Σ cost_per_hour × people × open hours per week / 168
(the average cost per hour of the rostered people).  Goals are every SLA goal the SPEC lets
``--check`` judge (an SLA's goal and each segment's own goal) and every simulated KPI target.

Search: start from the analytic lower bound (each team's utilisation below 100 %); while a goal
is missed, add the person who reduces the total shortfall most per unit of cost; then remove
people, most expensive first, while every goal stays met.  Every plan is simulated with the same
seeds (common random numbers), and replications are added (up to a cap) until each goal is met
or missed with 95 % confidence.  The result is locally optimal: one person fewer in any team or
shift misses a goal under the same seeds.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from procmap.errors import ProcmapError
from procmap.model.analytic import WEEK_S, analyze_document
from procmap.model.model import Model
from procmap.model.units import format_duration
from procmap.sim.figures import figure, replication_values
from procmap.sim.record import ReplicationRecord
from procmap.sim.run import Progress, RunConfig, resolve_config, run_records
from procmap.sim.simulate import _seconds, result_of
from procmap.testing import to_yaml

__all__ = ["Advice", "AdviceError", "advise"]


class AdviceError(ProcmapError, ValueError):
    """The advisor cannot work on this model (no team has cost_per_hour)."""


@dataclass(frozen=True)
class Var:
    team: str
    shift: int | None
    calendar: str
    cost_each: float
    """Average cost per hour of one person on this roster."""


@dataclass(frozen=True)
class Goal:
    path: str
    """Figure path, e.g. ``slas.resolution.attainment``."""
    label: str
    op: str
    """``at_least``, ``at_most`` or ``equals``."""
    target: float


@dataclass
class Verdict:
    plan: tuple[int, ...]
    replications: int
    status: dict[str, tuple[float | None, float | None, bool]] = field(default_factory=dict)
    """goal path → (mean, ci95, met)."""

    @property
    def feasible(self) -> bool:
        return all(met for _, _, met in self.status.values())


@dataclass
class Advice:
    """The advisor's answer (SPEC §6 ``procmap advise --json``)."""

    data: dict[str, Any]

    @property
    def feasible(self) -> bool:
        return bool(self.data["feasible"])

    @property
    def plan(self) -> dict[str, Any]:
        return self.data["plan"]

    def scenario_yaml(self, name: str = "advised") -> str:
        """The plan as a scenario ready to paste under ``scenarios:``."""
        return to_yaml({name: self.data["scenario"]})

    def to_json(self, path: str | None = None) -> str:
        import json

        from procmap.sim.table import write_text_atomic

        text = json.dumps(self.data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        if path is not None:
            write_text_atomic(path, text)
        return text

    def summary(self) -> Any:
        """Terminal renderables: the plan against the baseline, the goals, the scenario YAML."""
        from rich.console import Group
        from rich.syntax import Syntax
        from rich.table import Table as RichTable
        from rich.text import Text

        d = self.data
        head = Text(
            (
                f"A plan that meets every goal: {d['cost_per_h']:.2f}/h (today {d['baseline_cost_per_h']:.2f}/h)"
            )
            if self.feasible
            else "No staffing within the limits meets every goal:",
            style="bold green" if self.feasible else "bold red",
        )
        from procmap.sim.table import format_value

        plan = RichTable(title="Staffing", title_justify="left")
        for col in ("team", "shift", "today", "advised", "cost/h each"):
            plan.add_column(col, justify="left" if col in ("team", "shift") else "right")
        for c in d.get("changes", []):
            mark = "" if c["today"] == c["plan"] else (" ▲" if c["plan"] > c["today"] else " ▼")
            plan.add_row(
                c["team"],
                c["calendar"] or "",
                str(c["today"]),
                f"{c['plan']}{mark}",
                f"{c['cost_per_h_each']:.2f}",
            )
        goals = RichTable(title="Goals with the advised staffing", title_justify="left")
        for col in ("goal", "estimate", "± 95 %", ""):
            goals.add_column(col, justify="left" if col == "goal" else "right")
        for g in d["goals"]:
            value, ci, kind = g["value"], g["ci95"], g.get("kind", "number")
            goals.add_row(
                g["goal"],
                "—" if value is None else format_value(value, kind),
                "" if ci is None else format_value(ci, kind),
                "✓" if g["met"] else "✗",
            )
        parts: list[Any] = [head, plan, goals] if d["goals"] else [head, plan]
        if d["unmet"]:
            parts += [Text("• " + u) for u in d["unmet"]]
        parts += [
            Text("Paste under scenarios: in the YAML file:"),
            Syntax(self.scenario_yaml(), "yaml"),
        ]
        return Group(*parts)

    def _repr_html_(self) -> str:
        from html import escape

        head = "meets every goal" if self.feasible else "no plan within the limits meets every goal"
        rows = "".join(f"<li>{escape(u)}</li>" for u in self.data["unmet"])
        return (
            f"<div><b>Staffing advice</b>: {escape(head)} — {self.data['cost_per_h']:.2f}/h "
            f"(baseline {self.data['baseline_cost_per_h']:.2f}/h)"
            f"<pre>{escape(self.scenario_yaml())}</pre>{f'<ul>{rows}</ul>' if rows else ''}</div>"
        )

    def __repr__(self) -> str:
        return f"<procmap.Advice feasible={self.feasible} cost_per_h={self.data['cost_per_h']:.2f}>"


def _variables(model: Model) -> list[Var]:
    out = []
    for tid, team in model.document.teams.items():
        if team.unlimited or team.cost_per_hour is None:
            continue
        for k, (cal_id, _) in enumerate(team.rosters):
            cal = model.calendars[cal_id]
            share = cal.weekly_open_seconds() / WEEK_S
            out.append(
                Var(tid, k if team.shifts is not None else None, cal_id, team.cost_per_hour * share)
            )
    return out


def _goals(model: Model) -> list[Goal]:
    doc = model.document
    goals = []
    for lid, sla in doc.slas.items():
        if sla.goal is not None:
            goals.append(
                Goal(
                    f"slas.{lid}.attainment",
                    f"SLA {lid} attainment ≥ {sla.goal:.0%}",
                    "at_least",
                    sla.goal,
                )
            )
        for seg, entry in (sla.by_segment or {}).items():
            goal = getattr(entry, "goal", None)
            if goal is not None:
                goals.append(
                    Goal(
                        f"slas.{lid}.by_segment.{seg}.attainment",
                        f"SLA {lid} ({seg}) attainment ≥ {goal:.0%}",
                        "at_least",
                        goal,
                    )
                )
    for kpi in doc.kpis:
        if kpi.source == "external" or kpi.target is None or kpi.target_value is None:
            continue
        goals.append(
            Goal(
                f"kpis.{kpi.id}.value",
                f"KPI {kpi.id} {kpi.target.text}",
                kpi.target.op,
                kpi.target_value,
            )
        )
    return goals


def _apply(model: Model, variables: Sequence[Var], plan: Sequence[int]) -> dict[str, Any]:
    """The teams part of a scenario document applying the plan."""
    teams: dict[str, Any] = {}
    for var, n in zip(variables, plan, strict=True):
        if var.shift is None:
            teams[var.team] = {"staff": n}
        else:
            teams.setdefault(var.team, {"shifts": []})["shifts"].append(
                {"calendar": var.calendar, "staff": n}
            )
    return teams


def _model_for(model: Model, variables: Sequence[Var], plan: Sequence[int]) -> Model:
    from procmap.model.loader import loads
    from procmap.model.scenarios import merge_scenario

    data, _ = (
        merge_scenario(model.source.data, model.source.locator, model.scenario)
        if model.scenario != "baseline"
        else (copy.deepcopy({k: v for k, v in model.source.data.items() if k != "scenarios"}), None)
    )
    for tid, change in _apply(model, variables, plan).items():
        team = data["teams"][tid]
        if "shifts" in change:
            by_cal = {s["calendar"]: s["staff"] for s in change["shifts"]}
            team["shifts"] = [
                {**s, "staff": by_cal.get(s["calendar"], s["staff"])} for s in team["shifts"]
            ]
        else:
            team["staff"] = change["staff"]
    return loads(to_yaml(data), model.source.filename)


def _baseline_plan(model: Model, variables: Sequence[Var]) -> tuple[int, ...]:
    plan = []
    for var in variables:
        rosters = model.document.teams[var.team].rosters
        plan.append(rosters[var.shift or 0][1])
    return tuple(plan)


def _lower_bound(model: Model, variables: Sequence[Var]) -> tuple[int, ...]:
    """Per team, the fewest people (each shift at least 1) that keep utilisation below 100 %."""
    analysis = analyze_document(model.document, model.graph, model.calendars)
    plan = [1] * len(variables)
    by_team: dict[str, list[int]] = {}
    for i, var in enumerate(variables):
        by_team.setdefault(var.team, []).append(i)
    for tid, idx in by_team.items():
        team = model.document.teams[tid]
        offered = analysis.teams[tid].offered_load
        share = [model.calendars[variables[i].calendar].weekly_open_seconds() / WEEK_S for i in idx]

        availability = team.availability
        # the cheapest hour of duty first
        cheapest = min(
            range(len(idx)), key=lambda k: variables[idx[k]].cost_each / max(share[k], 1e-12)
        )
        while True:
            on_duty = sum(plan[i] * s for i, s in zip(idx, share, strict=True)) * availability
            if on_duty > 0 and offered / on_duty < 0.999:
                break
            plan[idx[cheapest]] += 1
    return tuple(plan)


def advise(
    model: Model,
    *,
    scenario: str | None = None,
    budget: float | None = None,
    max_staff: int | None = None,
    seed: int | None = None,
    replications: int | None = None,
    max_replications: int = 40,
    horizon: float | str | None = None,
    warmup: float | str | None = None,
    jobs: int | None = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Advice:
    """The cheapest staffing that meets every SLA goal and simulated KPI target.

    Parameters
    ----------
    budget:
        Highest acceptable cost per hour of the changed teams.
    max_staff:
        Most people in any one team (or shift).
    replications, max_replications:
        Replications per plan to start with (default: the YAML's), and the cap reached while a
        goal is still undecided at 95 % confidence.

    Raises
    ------
    AdviceError
        No team has ``cost_per_hour`` (nothing to optimise).
    """
    base = model.with_scenario(scenario)
    variables = _variables(base)
    if not variables:
        raise AdviceError(
            "no team has cost_per_hour: the advisor only changes teams whose cost it knows (add cost_per_hour to the teams it may staff)"
        )
    goals = _goals(base)
    config = resolve_config(
        base,
        replications=replications,
        seed=seed,
        horizon=_seconds(horizon, "horizon"),
        warmup=_seconds(warmup, "warmup"),
    )
    cap = max(max_replications, config.replications)
    own_pool = None
    if executor is None and (jobs is None or jobs > 1):
        own_pool = ProcessPoolExecutor(max_workers=jobs)
        executor = own_pool
    try:
        search = _Search(
            base, variables, goals, config, cap, executor, jobs or 2, progress, budget, max_staff
        )
        return search.run()
    finally:
        if own_pool is not None:
            own_pool.shutdown()


class _Search:
    def __init__(
        self,
        model: Model,
        variables: list[Var],
        goals: list[Goal],
        config: RunConfig,
        cap: int,
        executor: Executor | None,
        jobs: int,
        progress: Progress | None,
        budget: float | None,
        max_staff: int | None,
    ) -> None:
        self.model = model
        self.variables = variables
        self.goals = goals
        self.config = config
        self.cap = cap
        self.executor = executor
        self.jobs = jobs
        self.progress = progress
        self.budget = budget
        self.max_staff = max_staff
        self.cache: dict[tuple[int, ...], tuple[Model, list[ReplicationRecord], Verdict]] = {}
        self.evaluations = 0

    def cost(self, plan: Sequence[int]) -> float:
        return sum(n * v.cost_each for n, v in zip(plan, self.variables, strict=True))

    def evaluate(self, plan: tuple[int, ...], min_replications: int = 0) -> Verdict:
        """Simulate a plan, adding replications until every goal is decided (or the cap).

        ``min_replications``: at least this many (a neighbour is judged on as many replications
        as the plan it is compared with)."""
        cached = self.cache.get(plan)
        if cached is not None and len(cached[1]) >= min_replications:
            return cached[2]
        model = cached[0] if cached else _model_for(self.model, self.variables, plan)
        records: list[ReplicationRecord] = list(cached[1]) if cached else []
        n = max(self.config.replications, min_replications)
        while True:
            more = n - len(records)
            cfg = RunConfig(
                more,
                self.config.seed,
                self.config.horizon_s,
                self.config.cases,
                self.config.warmup_s,
            )
            records += run_records(
                model,
                cfg,
                jobs=1 if self.executor is None else self.jobs,
                executor=self.executor,
                first=len(records),
            )
            verdict = self._judge(plan, model, records)
            undecided = any(self._undecided(g, verdict) for g in self.goals)
            if not undecided or len(records) >= self.cap:
                break
            n = max(min(self.cap, 2 * len(records)), min_replications)
        self.evaluations += 1
        if self.progress is not None:
            self.progress(self.evaluations, 0)
        self.cache[plan] = (model, records, verdict)
        return verdict

    def _judge(
        self, plan: tuple[int, ...], model: Model, records: list[ReplicationRecord]
    ) -> Verdict:
        values = [replication_values(r, model) for r in records]
        verdict = Verdict(plan, len(records))
        for g in self.goals:
            fig = figure(v.get(g.path) for v in values)
            mean, ci = fig["mean"], fig["ci95"]
            if mean is None:
                met = True  # no observation: nothing to judge (no case reached the SLA)
            elif g.op == "at_least":
                met = mean >= g.target - 1e-9
            elif g.op == "at_most":
                met = mean <= g.target + 1e-9
            else:
                met = abs(mean - g.target) <= 1e-9
            verdict.status[g.path] = (mean, ci, met)
        return verdict

    def _undecided(self, goal: Goal, verdict: Verdict) -> bool:
        mean, ci, _ = verdict.status[goal.path]
        if mean is None or ci is None or goal.op == "equals":
            return False
        return abs(mean - goal.target) <= ci

    def shortfall(self, verdict: Verdict) -> float:
        total = 0.0
        for g in self.goals:
            mean, _, met = verdict.status[g.path]
            if met or mean is None:
                continue
            scale = abs(g.target) if g.path.startswith("kpis.") and g.target else 1.0
            total += abs(mean - g.target) / scale
        return total

    def allowed(self, plan: Sequence[int]) -> bool:
        if self.max_staff is not None and any(n > self.max_staff for n in plan):
            return False
        return self.budget is None or self.cost(plan) <= self.budget + 1e-9

    def run(self) -> Advice:
        lower = _lower_bound(self.model, self.variables)
        if not self.allowed(lower):
            return self._beyond_limits(lower)
        current = lower
        verdict = self.evaluate(current)
        stuck = False
        while not verdict.feasible:
            candidates = []
            for i in range(len(self.variables)):
                cand = tuple(n + (1 if j == i else 0) for j, n in enumerate(current))
                if self.allowed(cand):
                    candidates.append(cand)
            if not candidates:
                stuck = True
                break
            gap = self.shortfall(verdict)
            scored = []
            for cand in candidates:
                v = self.evaluate(cand)
                gain = gap - self.shortfall(v)
                scored.append(
                    (
                        0 if v.feasible else 1,
                        -gain / max(self.cost(cand) - self.cost(current), 1e-9),
                        self.cost(cand),
                        cand,
                        v,
                    )
                )
            scored.sort(key=lambda x: (x[0], x[1], x[2]))
            _, _, _, current, verdict = scored[0]
        neighbours: list[dict[str, Any]] = []
        if not stuck:
            current, verdict = self._descend(current, verdict, lower)
            neighbours = self.neighbours(current, lower)
        return self._answer(current, verdict, stuck, neighbours)

    def _descend(
        self, current: tuple[int, ...], verdict: Verdict, lower: tuple[int, ...]
    ) -> tuple[tuple[int, ...], Verdict]:
        order = sorted(range(len(self.variables)), key=lambda i: -self.variables[i].cost_each)
        improved = True
        while improved:
            improved = False
            for i in order:
                if current[i] - 1 < max(1, lower[i]):
                    continue
                cand = tuple(n - (1 if j == i else 0) for j, n in enumerate(current))
                if not self._within_capacity(cand):
                    continue
                v = self.evaluate(cand, verdict.replications)
                if v.feasible:
                    current, verdict, improved = cand, v, True
                    break
        return current, verdict

    def neighbours(self, plan: tuple[int, ...], lower: tuple[int, ...]) -> list[dict[str, Any]]:
        """Every plan with one person fewer in one team or shift, and why it fails."""
        out = []
        replications = self.cache[plan][2].replications
        for i, var in enumerate(self.variables):
            if plan[i] <= 1:
                continue
            cand = tuple(n - (1 if j == i else 0) for j, n in enumerate(plan))
            entry: dict[str, Any] = {
                "team": var.team,
                "calendar": var.calendar if var.shift is not None else None,
                "teams": _apply(self.model, self.variables, cand),
            }
            if not self._within_capacity(cand):
                entry.update(
                    overloaded=True, replications=0, missed=["a team is loaded to 100 % or more"]
                )
            else:
                v = self.evaluate(cand, replications)
                entry.update(
                    overloaded=False,
                    replications=v.replications,
                    missed=[g.label for g in self.goals if not v.status[g.path][2]],
                )
            out.append(entry)
        del lower
        return out

    def _within_capacity(self, plan: tuple[int, ...]) -> bool:
        model = _model_for(self.model, self.variables, plan)
        return not any(f.code == "W301" for f in model.findings)

    def _answer(
        self, plan: tuple[int, ...], verdict: Verdict, stuck: bool, neighbours: list[dict[str, Any]]
    ) -> Advice:
        model, records, _ = self.cache[plan]
        result = result_of(
            model,
            RunConfig(
                len(records),
                self.config.seed,
                self.config.horizon_s,
                self.config.cases,
                self.config.warmup_s,
            ),
            records,
        )
        baseline_plan = _baseline_plan(self.model, self.variables)
        unmet = [] if verdict.feasible else self._why(verdict, stuck)
        teams = _apply(self.model, self.variables, plan)
        return Advice(
            {
                "feasible": verdict.feasible,
                "plan": teams,
                "cost_per_h": self.cost(plan),
                "baseline_cost_per_h": self.cost(baseline_plan),
                "scenario": {"description": "Staffing suggested by procmap advise", "teams": teams},
                "result": result.data,
                "unmet": unmet,
                "changes": self._changes(plan),
                "goals": [
                    {
                        "kind": _kind(self.model, g.path),
                        "goal": g.label,
                        "path": g.path,
                        "value": verdict.status[g.path][0],
                        "ci95": verdict.status[g.path][1],
                        "met": verdict.status[g.path][2],
                    }
                    for g in self.goals
                ],
                "neighbours": neighbours,
                "evaluations": self.evaluations,
            }
        )

    def _beyond_limits(self, lower: tuple[int, ...]) -> Advice:
        """The staffing that keeps every team under 100 % already breaks --max-staff or --budget."""
        reasons = []
        for var, n in zip(self.variables, lower, strict=True):
            if self.max_staff is not None and n > self.max_staff:
                where = f"{var.team} ({var.calendar})" if var.shift is not None else var.team
                reasons.append(
                    f"{where} needs at least {n} people to stay below 100 % utilisation, more than --max-staff {self.max_staff}"
                )
        if self.budget is not None and self.cost(lower) > self.budget + 1e-9:
            reasons.append(
                f"the least staffing that keeps every team below 100 % costs {self.cost(lower):.2f}/h, more than --budget {self.budget:.2f}"
            )
        teams = _apply(self.model, self.variables, lower)
        return Advice(
            {
                "feasible": False,
                "plan": teams,
                "cost_per_h": self.cost(lower),
                "baseline_cost_per_h": self.cost(_baseline_plan(self.model, self.variables)),
                "scenario": {
                    "description": "Least staffing below 100 % utilisation (beyond the limits)",
                    "teams": teams,
                },
                "result": None,
                "unmet": reasons,
                "changes": self._changes(lower),
                "goals": [],
                "neighbours": [],
                "evaluations": self.evaluations,
            }
        )

    def _changes(self, plan: tuple[int, ...]) -> list[dict[str, Any]]:
        """Per team or shift: people today and in the plan."""
        today = _baseline_plan(self.model, self.variables)
        return [
            {
                "team": v.team,
                "calendar": v.calendar if v.shift is not None else None,
                "today": a,
                "plan": b,
                "cost_per_h_each": v.cost_each,
            }
            for v, a, b in zip(self.variables, today, plan, strict=True)
        ]

    def _why(self, verdict: Verdict, stuck: bool) -> list[str]:
        from procmap.model.validate import _least_time

        doc = self.model.document
        costed = {v.team for v in self.variables}
        out = []
        for g in self.goals:
            mean, _, met = verdict.status[g.path]
            if met:
                continue
            reason = (
                "still missed at the limits (raise --max-staff or --budget)"
                if stuck
                else "still missed"
            )
            parts = g.path.split(".")
            if parts[0] == "slas":
                sla = doc.slas[parts[1]]
                least = _least_time(doc, self.model.graph, sla)
                touch = _least_time(doc, self.model.graph, sla, of="mean")
                target = min(
                    [sla.target.seconds]
                    + [sla.segment_target(s)[0] for s in (sla.by_segment or {})]
                )
                if least is not None and least > target + 1e-6:
                    reason = f"out of reach: the target {format_duration(target)} is below the least possible working time between its events ({format_duration(least)})"
                elif touch is not None and touch > target + 1e-6 and g.target >= 0.5:
                    reason = f"out of reach: the target {format_duration(target)} is below the touch time between its events ({format_duration(touch)} on average): more staff shortens queues, not the work itself"
                elif not self._depends_on(sla, costed):
                    reason = "out of reach: it depends only on customer waits and teams the advisor may not change (no cost_per_hour)"
            from procmap.sim.table import format_value

            shown = "—" if mean is None else format_value(mean, _kind(self.model, g.path))
            out.append(f"{g.label}: {shown} — {reason}")
        return out

    def _depends_on(self, sla: Any, costed: set[str]) -> bool:
        import networkx as nx

        graph = self.model.graph
        doc = self.model.document
        starts = [doc.entry if e.stage is None else e.stage for e in sla.start_events]
        stops = [doc.entry if e.stage is None else e.stage for e in sla.stop_events]
        between: set[str] = set()
        for a in starts:
            down = nx.descendants(graph, a) | {a}
            for b in stops:
                if b in down:
                    between |= (nx.ancestors(graph, b) | {b}) & down
        return any(t in costed for s in between for t in doc.stages[s].needs_by_team)


def _kind(model: Model, path: str) -> str:
    """How a goal's value reads: a share, a duration, a number (for display)."""
    from procmap.sim.result import kpi_kind

    parts = path.split(".")
    if parts[0] == "slas":
        return "share"
    kpi = next((k for k in model.document.kpis if k.id == parts[1]), None)
    return kpi_kind(kpi.metric if kpi else None)
