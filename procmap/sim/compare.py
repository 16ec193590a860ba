"""Paired scenario comparison (SPEC §5.7, §6 ``--compare``): same seeds, differences per replication.

Every scenario runs replication ``r`` with the same named random streams as the baseline, so
wherever a scenario changed nothing the draws are identical; the per-replication difference of a
figure then varies far less than the figure itself, and small improvements become visible.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from procmap.model.model import Model
from procmap.sim.record import ReplicationRecord
from procmap.sim.result import SimulationResult, comparison_document
from procmap.sim.run import Progress, RunConfig, resolve_config, run_records
from procmap.sim.simulate import CapacityError, _seconds, capacity_findings
from procmap.sim.table import Table, write_text_atomic

__all__ = ["Comparison", "compare", "run_scenarios"]


class Comparison:
    """Several scenarios against the baseline: the comparison JSON with tables on top."""

    def __init__(self, data: Mapping[str, Any], models: Mapping[str, Model] | None = None) -> None:
        self.data: dict[str, Any] = dict(data)
        self.models = dict(models or {})

    @property
    def scenarios(self) -> list[str]:
        return list(self.data["scenarios"])

    def result(self, scenario: str) -> SimulationResult:
        """One scenario's full result."""
        return SimulationResult(self.data["scenarios"][scenario], self.models.get(scenario))

    @property
    def results(self) -> dict[str, SimulationResult]:
        return {name: self.result(name) for name in self.scenarios}

    def table(self, scenario: str | None = None, *, significant_only: bool = False) -> Table:
        """Rows: scenario, figure, baseline, scenario value, paired difference ± 95 %, significant."""
        rows = []
        for name, figures in self.data["comparison"].items():
            if scenario is not None and name != scenario:
                continue
            for path, entry in figures.items():
                if significant_only and not entry["significant"]:
                    continue
                rows.append(
                    {
                        "scenario": name,
                        "figure": path,
                        "baseline": entry["baseline"],
                        "value": entry["scenario"],
                        "difference": entry["diff"],
                        "significant": entry["significant"],
                    }
                )
        return Table(rows, title="Scenarios against the baseline (paired by replication)")

    def to_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the offline HTML report (needs ``pip install "procmap[report]"``)."""
        from procmap.report import write_report

        return write_report(self, path)

    def to_json(self, path: str | os.PathLike[str] | None = None, indent: int | None = 2) -> str:
        import json

        text = json.dumps(self.data, ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
        if path is not None:
            write_text_atomic(path, text)
        return text

    def summary(self) -> Any:
        """A terminal table: key figures of the baseline and each scenario, with the paired
        difference (▲/▼ when its 95 % interval excludes 0)."""
        from rich.table import Table as RichTable

        from procmap.sim.table import format_value

        names = self.scenarios
        table = RichTable(
            title=f"{self.data.get('model')}: scenarios against the baseline (same seeds, paired by replication)",
            title_justify="left",
        )
        table.add_column("figure")
        for name in names:
            table.add_column(name, justify="right")
        base = self.data["scenarios"]["baseline"]
        for path, label, kind in self._rows(base):
            cells = []
            for name in names:
                value = _lookup(self.data["scenarios"][name], path)
                text = format_value(value, kind) if value is not None else "—"
                if path.startswith("slas.") and value is not None:
                    met = self.data["scenarios"][name]["slas"][path.split(".")[1]].get("met_goal")
                    text += {True: " ✓", False: " ✗"}.get(met, "")
                if name != "baseline":
                    entry = self.data["comparison"].get(name, {}).get(path)
                    if entry is not None and entry["diff"]["mean"] is not None:
                        d = entry["diff"]
                        arrow = ("▲" if d["mean"] > 0 else "▼") if entry["significant"] else " "
                        text += f" {arrow}"
                cells.append(text)
            table.add_row(label, *cells)
        return table

    def _rows(self, base: dict[str, Any]) -> list[tuple[str, str, str]]:
        rows = []
        for lid, sla in base["slas"].items():
            goal = sla.get("goal")
            rows.append(
                (
                    f"slas.{lid}.attainment",
                    f"SLA {lid} attainment" + (f" (goal {goal:.0%})" if goal is not None else ""),
                    "share",
                )
            )
        for stat in ("mean", "p90"):
            rows.append((f"cases.cycle_time_s.{stat}", f"cycle time {stat}", "duration"))
        for tid, team in base["teams"].items():
            if team["utilization"]["mean"] is not None:
                rows.append((f"teams.{tid}.utilization", f"{tid} utilisation", "share"))
        rows.append(("cases.cost_per_case", "cost per case", "number"))
        return rows

    def _repr_html_(self) -> str:
        """The paired table, then each scenario's heatmap (when the render layer is loaded)."""
        from html import escape

        parts = [self.table(significant_only=True)._repr_html_()]
        for name in self.scenarios:
            result = self.result(name)
            for section in SimulationResult.html_sections:
                html = section(result)
                if html:
                    parts.append(f"<h4>{escape(name)}</h4>{html}")
        return "".join(parts)

    def __rich__(self) -> Any:
        return self.table().__rich__()

    def __repr__(self) -> str:
        return f"<procmap.Comparison {self.data.get('model')!r} scenarios={self.scenarios}>"


def run_scenarios(
    model: Model,
    names: Sequence[str],
    config: RunConfig,
    *,
    jobs: int | None = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> dict[str, tuple[Model, list[ReplicationRecord]]]:
    """Records of each named scenario (``baseline`` included) under one config and seed."""
    runs: dict[str, tuple[Model, list[ReplicationRecord]]] = {}
    total = config.replications * len(names)
    done_before = 0
    for name in names:
        m = model.with_scenario(name)

        def step(done: int, _total: int, offset: int = done_before) -> None:
            if progress is not None:
                progress(offset + done, total)

        runs[name] = (m, run_records(m, config, jobs=jobs, executor=executor, progress=step))
        done_before += config.replications
    return runs


def compare(
    model: Model,
    scenarios: Iterable[str] | None = None,
    *,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    horizon: float | str | None = None,
    cases: int | None = None,
    warmup: float | str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Comparison:
    """Simulate the baseline and ``scenarios`` (default: every scenario) with the same seeds.

    Raises
    ------
    CapacityError
        A compared scenario overloads a team and ``force`` is false.
    ModelError
        A scenario is not defined.
    """
    names = [
        "baseline",
        *[s for s in (scenarios if scenarios is not None else model.scenarios) if s != "baseline"],
    ]
    if not force:
        refused = [f for name in names for f in capacity_findings(model.with_scenario(name))]
        if refused:
            raise CapacityError(refused)
    config = resolve_config(
        model,
        replications=replications,
        seed=seed,
        horizon=_seconds(horizon, "horizon"),
        cases=cases,
        warmup=_seconds(warmup, "warmup"),
    )
    runs = run_scenarios(model, names, config, jobs=jobs, executor=executor, progress=progress)
    data = comparison_document(runs, config=config.to_dict(model))
    return Comparison(data, {name: m for name, (m, _) in runs.items()})


def _lookup(result: dict[str, Any], path: str) -> Any:
    """The mean of a figure at a dotted path of a RESULT (None when absent)."""
    node: Any = result
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict) and "mean" in node:
        return node["mean"]
    return node
