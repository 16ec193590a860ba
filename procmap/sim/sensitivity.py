"""Sensitivity sweeps: where does an SLA collapse as load, durations or staff change?

``--vary arrivals.rate=4/h..10/h:7`` runs the model at seven arrival rates (each with the same
seeds, so the curve is smooth) and reports, per SLA with a goal, where its attainment crosses the
goal ("resolution attainment drops under 90 % above 7.2/h").  Keys:

- ``arrivals.rate`` (or ``arrivals.<i>.rate`` for one of several sources), rates;
- ``stages.<id>.duration`` (also ``.handoff`` of a branch is not supported yet): durations —
  the stage's distribution is scaled so its mean equals each value (its shape is kept);
- ``teams.<id>.staff`` or ``teams.<id>.shifts.<calendar>.staff``: whole numbers;
- any other numeric key, set as given.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import re
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from procmap.errors import ProcmapError
from procmap.model.distributions import parse_distribution
from procmap.model.model import Model
from procmap.model.units import ValueProblem, format_duration, parse_duration, parse_rate
from procmap.sim.figures import figure, replication_values
from procmap.sim.run import Progress, resolve_config, run_records
from procmap.sim.simulate import _seconds
from procmap.sim.table import Table
from procmap.testing import to_yaml

__all__ = ["Sweep", "SweepError", "parse_vary", "sensitivity"]

_SPEC = re.compile(r"^\s*([^=]+?)\s*=\s*(.+?)\s*\.\.\s*(.+?)\s*(?::\s*(\d+)\s*)?$")
_TIME_FIELDS = ("value", "mean_time", "sd", "low", "mode", "high", "scale")


class SweepError(ProcmapError, ValueError):
    """A ``--vary`` specification procmap cannot read or apply."""


@dataclass(frozen=True)
class Vary:
    key: str
    path: tuple[str, ...]
    kind: str
    """rate, duration, count or number."""
    xs: tuple[float, ...]
    """Numeric values (per hour for rates, seconds for durations)."""
    labels: tuple[str, ...]


def _linspace(a: float, b: float, n: int) -> list[float]:
    return [a] if n == 1 else [a + (b - a) * i / (n - 1) for i in range(n)]


def parse_vary(spec: str) -> Vary:
    """``KEY=FROM..TO:STEPS`` → the values to try."""
    m = _SPEC.match(spec)
    if not m:
        raise SweepError(
            f"cannot read --vary {spec!r}: write KEY=FROM..TO:STEPS, e.g. arrivals.rate=4/h..10/h:7"
        )
    key, lo, hi, steps = m.group(1), m.group(2), m.group(3), m.group(4)
    path = tuple(key.split("."))
    try:
        if path[-1] == "rate" or path[0] == "arrivals":
            a, b = parse_rate(lo, "h").per_second * 3600, parse_rate(hi, "h").per_second * 3600
            xs = _linspace(a, b, int(steps or 5))
            return Vary(key, path, "rate", tuple(xs), tuple(f"{x:.4g}/h" for x in xs))
        if path[-1] in ("duration", "handoff") or path[-1].endswith("duration"):
            a, b = parse_duration(lo, "h").seconds, parse_duration(hi, "h").seconds
            xs = _linspace(a, b, int(steps or 5))
            return Vary(key, path, "duration", tuple(xs), tuple(format_duration(x) for x in xs))
        if path[-1] == "staff":
            a, b = int(lo), int(hi)
            xs = (
                list(range(a, b + 1))
                if steps is None
                else sorted({round(x) for x in _linspace(a, b, int(steps))})
            )
            return Vary(key, path, "count", tuple(float(x) for x in xs), tuple(str(x) for x in xs))
        a, b = float(lo), float(hi)
        xs = _linspace(a, b, int(steps or 5))
        return Vary(key, path, "number", tuple(xs), tuple(f"{x:.4g}" for x in xs))
    except (ValueProblem, ValueError) as exc:
        raise SweepError(f"--vary {spec!r}: {exc}") from None


def _scaled(dist: Any, factor: float) -> Any:
    changes = {}
    for f in dataclasses.fields(dist):
        if f.name in _TIME_FIELDS:
            changes[f.name] = getattr(dist, f.name) * factor
        elif f.name == "values":
            changes[f.name] = tuple(v * factor for v in dist.values)
    return dataclasses.replace(dist, **changes)


def _set(data: dict[str, Any], vary: Vary, x: float, unit: str | None) -> None:
    path = list(vary.path)
    if path[0] == "arrivals":
        sources = data.get("arrivals")
        if isinstance(sources, list):
            if len(path) == 2:
                raise SweepError(
                    "this model has several arrival sources: write arrivals.<index>.rate"
                )
            node = sources[int(path[1])]
        else:
            node = sources
        if not isinstance(node, dict):
            raise SweepError(f"no arrival source at {vary.key}")
        node.pop("interarrival", None)
        node["rate"] = f"{x!r}/h"
        return
    if path[0] == "teams" and len(path) == 5 and path[2] == "shifts":
        shifts = data["teams"][path[1]]["shifts"]
        for shift in shifts:
            if shift["calendar"] == path[3]:
                shift["staff"] = round(x)
                return
        raise SweepError(f"team {path[1]!r} has no shift on calendar {path[3]!r}")
    node: Any = data
    for part in path[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise SweepError(f"{vary.key}: there is no {part!r} in the model")
    last = path[-1]
    if vary.kind == "duration":
        current = node.get(last)
        if current is None:
            raise SweepError(f"{vary.key}: nothing to vary (no {last})")
        dist = parse_distribution(current, unit)
        node[last] = _scaled(dist, x / dist.mean).to_data() if dist.mean > 0 else f"{x}s"
    elif vary.kind == "count":
        node[last] = round(x)
    else:
        node[last] = x


@dataclass
class Sweep:
    """The points of a sensitivity sweep and where each SLA crosses its goal."""

    data: dict[str, Any]

    def table(self) -> Table:
        rows = []
        formats: dict[str, str] = {"cycle p90": "duration"}
        for point in self.data["points"]:
            row: dict[str, Any] = dict(point["values"])
            for lid, fig in point["slas"].items():
                row[f"{lid} attainment"] = fig
                formats[f"{lid} attainment"] = "share"
            row["cycle p90"] = point["cycle_time_p90_s"]
            for tid, fig in point["teams"].items():
                row[f"{tid} utilisation"] = fig
                formats[f"{tid} utilisation"] = "share"
            rows.append(row)
        return Table(rows, title="Sensitivity", formats=formats)

    @property
    def thresholds(self) -> list[str]:
        return [t["text"] for t in self.data["thresholds"]]

    def to_json(self, path: str | None = None) -> str:
        import json

        from procmap.sim.table import write_text_atomic

        text = json.dumps(self.data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        if path is not None:
            write_text_atomic(path, text)
        return text

    def plot(self, ax: Any = None) -> Any:
        """SLA attainment against the varied value, goals dashed, 95 % intervals as bands
        (needs matplotlib: the ``report`` extra).  Returns the matplotlib ``Axes``."""
        try:
            from matplotlib.figure import Figure
        except ImportError:
            raise ImportError('plots need matplotlib: pip install "procmap[report]"') from None
        if len(self.data["vary"]) != 1:
            raise SweepError("a plot needs a sweep of one key")
        key = self.data["vary"][0]["key"]
        xs = [p["x"][key] for p in self.data["points"]]
        if ax is None:
            ax = Figure(figsize=(6.4, 3.6)).add_subplot()
        colours = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
        for i, lid in enumerate(self.data["points"][0]["slas"]):
            colour = colours[i % len(colours)]
            figs = [p["slas"][lid] for p in self.data["points"]]
            ys = [f["mean"] for f in figs]
            lo = [None if f["mean"] is None else f["mean"] - (f["ci95"] or 0.0) for f in figs]
            hi = [None if f["mean"] is None else f["mean"] + (f["ci95"] or 0.0) for f in figs]
            ax.plot(xs, ys, marker="o", color=colour, label=lid)
            if all(v is not None for v in lo + hi):
                ax.fill_between(xs, lo, hi, color=colour, alpha=0.15, linewidth=0)
            goal = self.data["goals"].get(lid)
            if goal is not None:
                ax.axhline(goal, linestyle="--", linewidth=0.9, color=colour)
        unit = {"rate": "per hour", "duration": "seconds", "count": "people"}.get(
            self.data["vary"][0]["kind"], ""
        )
        ax.set_xlabel(f"{key} ({unit})" if unit else key)
        ax.set_ylabel("SLA attainment")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
        ax.legend(frameon=False)
        ax.set_title("Where each SLA falls under its goal (dashed)", loc="left", fontsize=10)
        return ax

    def _plot_svg(self) -> str | None:
        """The plot as inline SVG for notebooks, or None without matplotlib."""
        import io

        try:
            ax = self.plot()
        except (ImportError, SweepError):
            return None
        buf = io.StringIO()
        ax.figure.savefig(buf, format="svg", bbox_inches="tight")
        text = buf.getvalue()
        return text[text.find("<svg") :]

    def _repr_html_(self) -> str:
        from html import escape

        notes = "".join(f"<li>{escape(t)}</li>" for t in self.thresholds)
        return f"<div><ul>{notes}</ul>{self._plot_svg() or ''}{self.table()._repr_html_()}</div>"

    def __rich__(self) -> Any:
        return self.table().__rich__()


def _crossing(xs: list[float], ys: list[float | None], goal: float) -> tuple[str, float | None]:
    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
    if not pts:
        return "never", None
    below = [y < goal - 1e-9 for _, y in pts]
    if not any(below):
        return "never", None
    if all(below):
        return "always", None
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        if (y0 >= goal - 1e-9) != (y1 >= goal - 1e-9):
            x = x0 + (goal - y0) * (x1 - x0) / (y1 - y0) if y1 != y0 else x1
            return ("above" if y1 < y0 else "below"), x
    return "never", None


def sensitivity(
    model: Model,
    vary: list[str] | str,
    *,
    scenario: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    horizon: float | str | None = None,
    warmup: float | str | None = None,
    jobs: int | None = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Sweep:
    """Simulate the model at each value of ``vary`` (same seeds) and find where SLAs collapse.

    Raises
    ------
    SweepError
        A ``--vary`` specification cannot be read or applied.
    ModelError
        A varied model is invalid.
    """
    from procmap.model.loader import loads
    from procmap.model.scenarios import merge_scenario

    varies = [parse_vary(v) for v in ([vary] if isinstance(vary, str) else vary)]
    base = model.with_scenario(scenario)
    if base.scenario != "baseline":
        data, _ = merge_scenario(model.source.data, model.source.locator, base.scenario)
    else:
        data = copy.deepcopy({k: v for k, v in model.source.data.items() if k != "scenarios"})
    unit = base.document.process.time_unit
    config = resolve_config(
        base,
        replications=replications,
        seed=seed,
        horizon=_seconds(horizon, "horizon"),
        warmup=_seconds(warmup, "warmup"),
    )
    grid = list(itertools.product(*[range(len(v.xs)) for v in varies]))
    own_pool = (
        ProcessPoolExecutor(max_workers=jobs)
        if executor is None and (jobs is None or jobs > 1)
        else None
    )
    pool = executor or own_pool
    points = []
    try:
        for n, combo in enumerate(grid):
            point_data = copy.deepcopy(data)
            for v, i in zip(varies, combo, strict=True):
                _set(point_data, v, v.xs[i], unit)
            m = loads(to_yaml(point_data), model.source.filename)
            records = run_records(m, config, jobs=1 if pool is None else (jobs or 2), executor=pool)
            values = [replication_values(r, m) for r in records]

            def fig(path: str, values: list[dict[str, float | None]] = values) -> dict[str, Any]:
                return figure(v.get(path) for v in values)

            points.append(
                {
                    "values": {v.key: v.labels[i] for v, i in zip(varies, combo, strict=True)},
                    "x": {v.key: v.xs[i] for v, i in zip(varies, combo, strict=True)},
                    "slas": {lid: fig(f"slas.{lid}.attainment") for lid in m.document.slas},
                    "cycle_time_p90_s": fig("cases.cycle_time_s.p90"),
                    "teams": {
                        tid: fig(f"teams.{tid}.utilization")
                        for tid, t in m.document.teams.items()
                        if not t.unlimited
                    },
                    "kpis": {
                        k.id: fig(f"kpis.{k.id}.value")
                        for k in m.document.kpis
                        if k.source != "external"
                    },
                }
            )
            if progress is not None:
                progress(n + 1, len(grid))
    finally:
        if own_pool is not None:
            own_pool.shutdown()
    goals = {lid: sla.goal for lid, sla in base.document.slas.items() if sla.goal is not None}
    thresholds = []
    if len(varies) == 1:
        v = varies[0]
        xs = [p["x"][v.key] for p in points]
        for lid, goal in goals.items():
            ys = [p["slas"][lid]["mean"] for p in points]
            where, x = _crossing(xs, ys, goal)
            label = v.labels[0]
            fmt = (
                (lambda x: f"{x:.3g}/h")
                if v.kind == "rate"
                else (format_duration if v.kind == "duration" else (lambda x: f"{x:.3g}"))
            )
            if where == "never":
                text = (
                    f"{lid} attainment stays at or above {goal:.0%} from {label} to {v.labels[-1]}"
                )
            elif where == "always":
                text = f"{lid} attainment is below {goal:.0%} over the whole range ({label} to {v.labels[-1]})"
            else:
                text = f"{lid} attainment drops under {goal:.0%} {where} {fmt(x)} ({v.key})"
            thresholds.append({"sla": lid, "goal": goal, "where": where, "x": x, "text": text})
    return Sweep(
        {
            "procmap": 1,
            "model": model.id,
            "scenario": base.scenario,
            "vary": [{"key": v.key, "kind": v.kind, "values": list(v.labels)} for v in varies],
            "config": config.to_dict(base),
            "goals": goals,
            "points": points,
            "thresholds": thresholds,
        }
    )
