"""The terminal summary of ``procmap simulate``: what a consultant reads first, in that order.

Bottlenecks first (where to act), then SLAs against their goals with ✓/✗, then cycle time, then
teams and KPIs.  Everything here returns rich renderables and prints nothing: the CLI decides
where they go.  Rich measures cells by display width, so Chinese labels stay aligned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from procmap.model.units import format_duration
from procmap.sim.table import format_value

if TYPE_CHECKING:
    from procmap.sim.result import SimulationResult

__all__ = ["summary_renderables"]


def _check(ok: bool | None) -> Any:
    from rich.text import Text

    if ok is None:
        return Text("—", style="dim")
    return Text("✓", style="green") if ok else Text("✗", style="bold red")


def _table(title: str, *columns: str) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold")
    for i, c in enumerate(columns):
        table.add_column(c, justify="left" if i == 0 else "right")
    return table


def _t(text: str, style: str | None = None) -> Any:
    from rich.text import Text

    return Text(text, style=style or "")


def _share(fig: Mapping[str, Any] | float | None) -> str:
    return format_value(fig, "share")


def _duration(fig: Mapping[str, Any] | None) -> str:
    return format_value(fig, "duration")


def _header(data: Mapping[str, Any]) -> Any:
    cfg = data.get("config", {})
    parts = [str(data.get("model")), str(data.get("scenario"))]
    parts.append(f"{cfg.get('replications')} replications, seed {cfg.get('seed')}")
    horizon, warmup = cfg.get("horizon_s"), cfg.get("warmup_s") or 0.0
    if horizon is not None:
        parts.append(
            f"{format_duration(horizon - warmup)} measured after {format_duration(warmup)} warm-up"
        )
    if cfg.get("cases") is not None:
        parts.append(f"{cfg['cases']:,} cases")
    return _t(" · ".join(parts), "bold")


def _bottlenecks(data: Mapping[str, Any]) -> Any:
    found = data.get("bottlenecks") or []
    if not found:
        return _t("No bottlenecks: no stage waits 10 % of cycle time and no team is 85 % busy.")
    table = _table("Bottlenecks", "#", "stage", "team", "busy", "on-duty wait", "why")
    table.columns[-1].justify = "left"
    for i, b in enumerate(found, 1):
        table.add_row(
            _t(str(i)),
            _t(b["stage"], "bold"),
            _t(str(b.get("team") or "—")),
            _t(_share(b.get("utilization"))),
            _t(_share(b.get("on_duty_wait_share"))),
            _t(b["reason"]),
        )
    return table


def _target(seconds: float, calendar: str | None) -> str:
    """An SLA target; on a business calendar in open hours (75h), not clock days (3d 3h)."""
    if calendar and seconds >= 86400:
        return f"{seconds / 3600:g}h {calendar}"
    if calendar:
        return f"{format_duration(seconds)} {calendar}"
    return format_duration(seconds)


def _slas(data: Mapping[str, Any]) -> Any | None:
    slas = data.get("slas") or {}
    if not slas:
        return None
    table = _table("SLAs", "SLA", "target", "attainment", "goal", "", "breached", "open")
    for sid, s in slas.items():
        calendar = s.get("calendar")
        table.add_row(
            _t(sid, "bold"),
            _t(_target(s["target_s"], calendar)),
            _t(_share(s["attainment"])),
            _t(_share(s["goal"])),
            _check(s["met_goal"]),
            _t(format_value(s["breached"], "count")),
            _t(format_value(s["open"], "count")),
        )
        for seg, g in (s.get("by_segment") or {}).items():
            # a segment's own goal is judged; an inherited one is shown for reference only
            mark = _check(g["met_goal"]) if g.get("own_goal") else _t("")
            goal = _share(g["goal"]) if g["goal"] is not None else "—"
            table.add_row(
                _t(f"  {seg}", "dim"),
                _t(_target(g["target_s"], calendar)),
                _t(_share(g["attainment"])),
                _t(
                    goal if g.get("own_goal") else f"({goal})", None if g.get("own_goal") else "dim"
                ),
                mark,
                _t(format_value(g["breached"], "count")),
                _t(format_value(g["open"], "count")),
            )
    return table


def _cycle(data: Mapping[str, Any]) -> Any:
    cases = data["cases"]
    table = _table("Cycle time", "cases", "completed", "per hour", "mean", "p50", "p90")

    def add(label: str, d: Mapping[str, Any], style: str | None) -> None:
        ct = d.get("cycle_time_s") or {}
        table.add_row(
            _t(label, style),
            _t(format_value(d.get("completed"), "count")),
            _t(format_value(d.get("throughput_per_h"), "number")),
            *(_t(_duration(ct.get(s))) for s in ("mean", "p50", "p90")),
        )

    add("all", cases, "bold")
    for seg, d in (cases.get("by_segment") or {}).items():
        add(f"  {seg}", d, "dim")
    return table


def _teams(data: Mapping[str, Any]) -> Any:
    table = _table("Teams", "team", "busy", "analytic", "queue mean", "queue max", "cost")
    for tid, t in data["teams"].items():
        table.add_row(
            _t(tid, "bold"),
            _t(_share(t["utilization"])),
            _t(_share((t.get("analytic") or {}).get("utilization"))),
            _t(format_value(t["queue_length"]["mean"], "number")),
            _t(format_value(t["queue_length"]["max"], "count")),
            _t(format_value(t["cost"], "money")),
        )
    return table


def _kpis(data: Mapping[str, Any]) -> Any | None:
    from procmap.sim.result import kpi_kind

    kpis = data.get("kpis") or {}
    if not kpis:
        return None
    table = _table("KPIs", "KPI", "value", "target", "")
    for kid, k in kpis.items():
        value = {"mean": k["value"], "ci95": k.get("ci95"), "n": k.get("n", 0)}
        shown = (
            "external" if k.get("metric") is None else format_value(value, kpi_kind(k["metric"]))
        )
        table.add_row(_t(kid, "bold"), _t(shown), _t(k.get("target") or "—"), _check(k["met"]))
    return table


def summary_renderables(result: SimulationResult | Mapping[str, Any]) -> list[Any]:
    """Rich renderables for the terminal summary, in reading order.

    Accepts a :class:`~procmap.sim.result.SimulationResult` or its RESULT dict.  Figures show as
    ``mean ± ci95``; times read as ``12min``, ``1.5h``, ``2d 3h``.
    """
    data: Mapping[str, Any] = getattr(result, "data", result)
    out = [_header(data), _bottlenecks(data)]
    out += [x for x in (_slas(data),) if x is not None]
    out += [_cycle(data), _teams(data)]
    out += [x for x in (_kpis(data),) if x is not None]
    return out
