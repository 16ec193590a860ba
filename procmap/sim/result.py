"""``SimulationResult``: the RESULT JSON of SPEC §6 with tables and displays on top.

The statistics themselves (figures, Student t, per-replication extraction, the RESULT and the
paired comparison) live in :mod:`procmap.sim.figures` and are re-exported here; this module
turns a RESULT dict into :class:`~procmap.sim.table.Table` objects a consultant can read in a
notebook, export to pandas or CSV, and save as JSON.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from procmap.errors import FileError
from procmap.sim.assemble import aggregate, comparison_document
from procmap.sim.figures import (
    COMPARISON_PATHS,
    compare_records,
    figure,
    plain,
    replication_values,
    t95,
)
from procmap.sim.table import Table, format_value, write_text_atomic

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = [
    "COMPARISON_PATHS",
    "SimulationResult",
    "aggregate",
    "compare_records",
    "comparison_document",
    "figure",
    "kpi_kind",
    "plain",
    "replication_values",
    "t95",
]

DIST_STATS = ("mean", "p50", "p90", "p95", "max")
_KPI_KIND = {
    "cycle_time": "duration",
    "wait": "duration",
    "service": "duration",
    "sojourn": "duration",
    "utilization": "share",
    "sla_attainment": "share",
    "end_share": "share",
    "queue_length": "number",
    "throughput": "number",
    "cost_per_case": "money",
}


def kpi_kind(metric: str | None) -> str:
    """How a KPI's value displays: ``duration``, ``share``, ``money`` or ``number``."""
    return _KPI_KIND.get(metric or "", "number")


def _kpi_cell(value: Any, row: Mapping[str, Any]) -> str:
    return format_value(value, kpi_kind(row.get("metric")))


HtmlSection = Callable[["SimulationResult"], str | None]


class SimulationResult:
    """The outcome of simulating one scenario: figures across replications (SPEC §6).

    Attributes
    ----------
    data:
        The RESULT dict, exactly as ``--json`` writes it.
    model:
        The model simulated, when known (used for display names only).
    cases, stages, teams, slas, sla_segments, kpis, bottlenecks:
        :class:`~procmap.sim.table.Table` views of ``data``; figure cells are
        ``{"mean", "ci95", "n"}`` dicts.

    Examples
    --------
    >>> result.slas["first_response"]["attainment"]["mean"]   # doctest: +SKIP
    0.93
    >>> result.stages.to_pandas()                             # doctest: +SKIP
    """

    html_sections: ClassVar[list[HtmlSection]] = []
    """Extra notebook sections (e.g. the heatmap from :mod:`procmap.render`), appended by the
    modules that provide them: each returns HTML or ``None``.  Kept as a hook so that the
    simulation layer never imports the rendering layer."""

    def __init__(self, data: Mapping[str, Any], model: Model | None = None) -> None:
        if "scenarios" in data and "comparison" in data:
            raise ValueError(
                "this is a comparison of several scenarios; build one SimulationResult per "
                "entry of its 'scenarios'"
            )
        missing = [
            k for k in ("procmap", "model", "cases", "stages", "teams", "slas") if k not in data
        ]
        if missing:
            raise ValueError(f"not a procmap result: missing {', '.join(missing)}")
        self.data: dict[str, Any] = dict(data)
        self.model = model

    # --- construction and files -------------------------------------------------------------

    @classmethod
    def from_records(
        cls,
        records: Any,
        model: Model,
        *,
        scenario: str | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> SimulationResult:
        """Aggregate replication records (see :func:`~procmap.sim.figures.aggregate`)."""
        return cls(aggregate(records, model, scenario=scenario, config=config), model)

    def to_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the offline HTML report (needs ``pip install "procmap[report]"``)."""
        from procmap.report import write_report

        return write_report(self, path)

    def to_json(self, path: str | os.PathLike[str] | None = None, indent: int | None = 2) -> str:
        """The RESULT as JSON text (UTF-8, labels unescaped); written atomically to ``path``."""
        text = json.dumps(self.data, ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
        if path is not None:
            write_text_atomic(path, text)
        return text

    @classmethod
    def from_json(
        cls, source: str | os.PathLike[str], model: Model | None = None
    ) -> SimulationResult:
        """Read a RESULT from JSON text or a file path.

        Raises
        ------
        FileError
            The file cannot be read or is not JSON.
        ValueError
            The JSON is not a single-scenario RESULT.
        """
        if isinstance(source, str) and source.lstrip().startswith("{"):
            text, where = source, "<string>"
        else:
            where = os.fspath(source)
            try:
                text = Path(where).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise FileError(f"{where}: cannot read the result file ({exc})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileError(f"{where}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise ValueError(f"{where}: not a procmap result (expected a JSON object)")
        return cls(data, model)

    # --- plain facts --------------------------------------------------------------------------

    @property
    def scenario(self) -> str:
        return str(self.data.get("scenario", "baseline"))

    @property
    def replications(self) -> int:
        return int(self.data.get("config", {}).get("replications") or 0)

    def _name(self, kind: str, key: str) -> str:
        if self.model is None:
            return key
        doc = self.model.document
        obj = {"stages": doc.stages, "teams": doc.teams, "slas": doc.slas}.get(kind, {}).get(key)
        return getattr(obj, "name", None) or key

    # --- tables -----------------------------------------------------------------------------

    @property
    def cases(self) -> Table:
        """One row for all cases, then one per segment: counts, throughput, cycle time, cost."""
        c = self.data["cases"]

        def row(segment: str, d: Mapping[str, Any]) -> dict[str, Any]:
            r: dict[str, Any] = {"segment": segment}
            for k in ("arrived", "completed", "open_at_end", "throughput_per_h"):
                r[k] = d.get(k)
            for s in DIST_STATS:
                r[f"cycle_time_{s}"] = d.get("cycle_time_s", {}).get(s)
            r["cost_per_case"] = d.get("cost_per_case")
            for end, share in (d.get("end_share") or {}).items():
                r[f"end_share_{end}"] = share
            return r

        rows = [row("all", c)] + [row(s, d) for s, d in (c.get("by_segment") or {}).items()]
        formats: dict[str, str] = {"arrived": "count", "completed": "count", "open_at_end": "count"}
        formats |= {f"cycle_time_{s}": "duration" for s in DIST_STATS}
        formats |= {f"end_share_{e}": "share" for e in c.get("end_share") or {}}
        formats["cost_per_case"] = "money"
        return Table(rows, key="segment", title="Cases", formats=formats)

    @property
    def stages(self) -> Table:
        """One row per stage: visits, queue wait, service, sojourn, wait shares, open tokens."""
        rows = []
        for sid, d in self.data["stages"].items():
            team = None
            if self.model is not None and sid in self.model.document.stages:
                team = self.model.document.stages[sid].team
            rows.append(
                {
                    "stage": sid,
                    "name": self._name("stages", sid),
                    "team": team,
                    "visits": d["visits"],
                    "wait_mean": d["wait_s"]["mean"],
                    "wait_p90": d["wait_s"]["p90"],
                    "service_mean": d["service_s"]["mean"],
                    "suspended_mean": d["suspended_s"]["mean"],
                    "sojourn_mean": d["sojourn_s"]["mean"],
                    "sojourn_p90": d["sojourn_s"]["p90"],
                    "wait_share": d["wait_share"],
                    "on_duty_wait_share": d["on_duty_wait_share"],
                    "open_at_end": d["open_at_end"],
                }
            )
        durations = ("wait_mean", "wait_p90", "service_mean", "suspended_mean")
        formats = dict.fromkeys((*durations, "sojourn_mean", "sojourn_p90"), "duration")
        formats |= {"visits": "count", "open_at_end": "count", "name": "text", "team": "text"}
        formats |= {"wait_share": "share", "on_duty_wait_share": "share"}
        return Table(rows, key="stage", title="Stages", formats=formats)

    @property
    def teams(self) -> Table:
        """One row per team: simulated and analytic utilisation, queue length, cost."""
        rows = []
        for tid, d in self.data["teams"].items():
            analytic = d.get("analytic") or {}
            rows.append(
                {
                    "team": tid,
                    "name": self._name("teams", tid),
                    "utilization": d["utilization"],
                    "analytic_utilization": analytic.get("utilization"),
                    "queue_mean": d["queue_length"]["mean"],
                    "queue_max": d["queue_length"]["max"],
                    "cost": d["cost"],
                    "staff_on_duty": analytic.get("staff_on_duty"),
                }
            )
        formats = {
            "name": "text",
            "utilization": "share",
            "analytic_utilization": "share",
            "queue_max": "count",
            "cost": "money",
        }
        return Table(rows, key="team", title="Teams", formats=formats)

    @property
    def slas(self) -> Table:
        """One row per SLA: target, goal, attainment (± ci), met_goal, breaches, escalations."""
        rows = []
        for sid, d in self.data["slas"].items():
            rows.append(
                {
                    "sla": sid,
                    "name": self._name("slas", sid),
                    "target_s": d["target_s"],
                    "goal": d["goal"],
                    "attainment": d["attainment"],
                    "met_goal": d["met_goal"],
                    "breached": d["breached"],
                    "open": d["open"],
                    "not_applicable": d["not_applicable"],
                    "escalations": d["escalations"]["total"],
                }
            )
        return Table(rows, key="sla", title="SLAs", formats=_SLA_FORMATS)

    @property
    def sla_segments(self) -> Table:
        """One row per SLA and segment (empty when the model has no segments)."""
        rows = []
        for sid, d in self.data["slas"].items():
            for seg, s in (d.get("by_segment") or {}).items():
                rows.append(
                    {
                        "sla": sid,
                        "segment": seg,
                        "target_s": s["target_s"],
                        "goal": s["goal"],
                        "own_goal": s["own_goal"],
                        "attainment": s["attainment"],
                        "met_goal": s["met_goal"],
                        "breached": s["breached"],
                        "open": s["open"],
                    }
                )
        columns = ("sla", "segment", "target_s", "goal", "own_goal", "attainment", "met_goal")
        return Table(
            rows, (*columns, "breached", "open"), title="SLAs by segment", formats=_SLA_FORMATS
        )

    @property
    def kpis(self) -> Table:
        """One row per KPI: value (± ci) against its target text, met (✓/✗, — for external)."""
        rows = [
            {
                "kpi": kid,
                "metric": d.get("metric"),
                "value": {"mean": d["value"], "ci95": d.get("ci95"), "n": d.get("n", 0)},
                "target": d["target"],
                "met": d["met"],
            }
            for kid, d in self.data["kpis"].items()
        ]
        return Table(
            rows,
            ("kpi", "metric", "value", "target", "met"),
            key="kpi",
            title="KPIs",
            formats={"value": _kpi_cell, "target": "text", "metric": "text"},
        )

    @property
    def bottlenecks(self) -> Table:
        """Bottleneck stages, worst first (SPEC §5.10), with the reason in words."""
        rows = [{"rank": i + 1, **b} for i, b in enumerate(self.data.get("bottlenecks") or [])]
        return Table(
            rows,
            ("rank", "stage", "team", "utilization", "on_duty_wait_share", "reason"),
            key="stage",
            title="Bottlenecks",
            formats={"utilization": "share", "on_duty_wait_share": "share", "reason": "text"},
        )

    # --- displays ---------------------------------------------------------------------------

    def __repr__(self) -> str:
        arrived = (self.data["cases"].get("arrived") or {}).get("mean")
        cases = "?" if arrived is None else f"{arrived:,.0f}"
        return (
            f"<procmap.SimulationResult {self.data['model']!r} scenario={self.scenario!r} "
            f"replications={self.replications} cases/replication={cases} "
            f"bottlenecks={len(self.data.get('bottlenecks') or [])}>"
        )

    def _repr_html_(self) -> str:
        """Notebook view: bottlenecks first, then SLAs vs goal, cycle time, teams, KPIs."""
        from html import escape

        cfg = self.data.get("config", {})
        head = (
            f"<h4>{escape(str(self.data['model']))} — {escape(self.scenario)}: "
            f"{self.replications} replications, seed {escape(str(cfg.get('seed')))}</h4>"
        )
        parts = [head]
        bottlenecks = self.bottlenecks
        if len(bottlenecks):
            parts.append(bottlenecks.select("rank", "stage", "team", "reason")._repr_html_())
        else:
            parts.append(
                "<p>No bottlenecks: no stage waits 10 % of cycle time and no team is 85 % busy.</p>"
            )
        if len(self.slas):
            parts.append(self.slas._repr_html_())
        if len(self.sla_segments):
            parts.append(self.sla_segments._repr_html_())
        cycle = ("segment", "completed", "throughput_per_h", "cycle_time_mean", "cycle_time_p90")
        parts.append(self.cases.select(*cycle, title="Cycle time")._repr_html_())
        parts.append(self.teams._repr_html_())
        if len(self.kpis):
            parts.append(self.kpis._repr_html_())
        for section in self.html_sections:
            extra = section(self)
            if extra:
                parts.append(extra)
        return '<div class="procmap-result">' + "".join(parts) + "</div>"

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from procmap.sim.summary import summary_renderables

        yield from summary_renderables(self)


_SLA_FORMATS = {
    "name": "text",
    "target_s": "duration",
    "goal": "share",
    "attainment": "share",
    "breached": "count",
    "open": "count",
    "not_applicable": "count",
    "escalations": "count",
}
