"""The comparison part of a report: scenarios side by side, and what each changes against baseline.

The differences come from the comparison JSON (SPEC §6): paired by replication under common random
numbers, so their intervals are far narrower than the two scenarios' own intervals would suggest —
a difference is *significant* when its interval excludes zero.  The table marks an improvement
and a deterioration by the direction that is better for each figure (attainment up, cycle time and
cost down; a KPI by its target); utilisation has no better direction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.report import theme
from procmap.report.charts import BOTTLENECK_UTILIZATION, Chart
from procmap.report.html import Cell, Section, chart_figure, table, tiles
from procmap.report.team_charts import cost_per_week
from procmap.report.theme import Ink
from procmap.report.words import (
    Names,
    duration,
    fci,
    fmean,
    pretty_target,
    share_text,
    short_duration,
)
from procmap.sim.table import format_value

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = ["PAIRED_NOTE", "comparison_charts", "comparison_sections", "comparison_tiles"]

Data = Mapping[str, Any]

PAIRED_NOTE = (
    "<p>Scenario differences are paired by replication: every scenario runs replication r with "
    "the same random arrivals and durations as the baseline wherever it changed nothing, so the "
    "difference of a figure varies much less than the figure itself. A difference is marked "
    "significant when its 95% interval excludes zero.</p>"
)


@dataclass(frozen=True)
class Row:
    """One compared figure: its path in the comparison JSON, label, kind and better direction."""

    path: str
    label: str
    kind: str  # share, duration, money, number
    better: int  # +1 higher is better, -1 lower is better, 0 neither
    group: str


def _rows(data: Data, names: Names) -> list[Row]:
    """The figures of the scenario table, in reading order, from the first scenario's paths."""
    comp = next(iter(data["comparison"].values()), {})
    base = data["scenarios"].get("baseline") or {}
    rows: list[Row] = []
    for lid, sla in (base.get("slas") or {}).items():
        rows.append(
            Row(f"slas.{lid}.attainment", f"{names.sla(lid)}", "share", 1, "SLA attainment")
        )
        for seg in sla.get("by_segment") or {}:
            label = f"{names.sla(lid)} / {names.segment(seg)}"
            rows.append(
                Row(f"slas.{lid}.by_segment.{seg}.attainment", label, "share", 1, "SLA attainment")
            )
    for stat in ("mean", "p90"):
        rows.append(
            Row(f"cases.cycle_time_s.{stat}", f"cycle time {stat}", "duration", -1, "Cycle time")
        )
    rows.append(Row("cases.cost_per_case", "cost per case", "money", -1, "Cost"))
    for tid in base.get("teams") or {}:
        if not names.unlimited(tid):
            rows.append(
                Row(f"teams.{tid}.utilization", names.team(tid), "share", 0, "Team utilisation")
            )
    for kid, k in (base.get("kpis") or {}).items():
        if k.get("metric") is None:
            continue
        target = str(k.get("target") or "")
        better = -1 if target.startswith("<") else 1 if target.startswith(">") else 0
        kind = {"duration": "duration", "share": "share", "money": "money"}.get(
            _kpi_kind(k.get("metric")), "number"
        )
        label = f"{names.kpi(kid)} ({pretty_target(target)})"
        rows.append(Row(f"kpis.{kid}.value", label, kind, better, "KPIs"))
    return [r for r in rows if r.path in comp]


def _kpi_kind(metric: str | None) -> str:
    from procmap.sim.result import kpi_kind

    return kpi_kind(metric)


def _diff_text(diff: Mapping[str, Any], kind: str) -> str:
    mean, ci = diff.get("mean"), diff.get("ci95")
    if mean is None:
        return "—"
    if kind == "share":
        text = f"{100 * mean:+.1f} pts"
        return text + (f" ± {100 * ci:.1f}" if ci else "")
    if kind == "duration":
        sign = "+" if mean >= 0 else "−"
        text = sign + short_duration(abs(mean))
        return text + (f" ± {short_duration(ci)}" if ci else "")
    text = f"{mean:+,.2f}" if kind == "money" else f"{mean:+,.3g}"
    return text + (f" ± {ci:,.2f}" if ci else "")


def _value(entry: Mapping[str, Any], side: str, kind: str) -> str:
    return format_value(entry.get(side), kind)


def scenario_table(data: Data, names: Names) -> str:
    """Baseline and each scenario's value, with the paired difference and its significance."""
    scenarios = list(data["comparison"])
    heads: list[str | Cell] = ["figure", Cell("baseline", True)]
    for s in scenarios:
        heads += [Cell(s, True), Cell(f"{s} − baseline", True)]
    body = []
    group = None
    for row in _rows(data, names):
        if row.group != group:
            group = row.group
            body.append([Cell(group, css="group", span=2 + 2 * len(scenarios))])
        first = data["comparison"][scenarios[0]][row.path]
        cells: list[str | Cell] = [
            Cell(row.label, css="sub"),
            Cell(_value(first, "baseline", row.kind), True),
        ]
        for s in scenarios:
            entry = data["comparison"][s][row.path]
            diff = entry.get("diff") or {}
            css = "na"
            mark = ""
            if entry.get("significant") and diff.get("mean") is not None:
                sign = 1 if diff["mean"] > 0 else -1
                css = "" if row.better == 0 else ("ok" if sign == row.better else "miss")
                mark = " ▲" if sign > 0 else " ▼"
            cells.append(Cell(_value(entry, "scenario", row.kind), True))
            cells.append(
                Cell(_diff_text(diff, row.kind) + mark, True, css, title=f"n = {diff.get('n')}")
            )
        body.append(cells)
    note = (
        '<p class="help">▲▼ a significant difference (its 95% interval excludes zero), green '
        "when it is an improvement and red when it is worse; grey: not significant. "
        "pts = percentage points.</p>"
    )
    return (
        table(heads, body, caption="Scenarios against the baseline (paired by replication)") + note
    )


def comparison_tiles(data: Data, names: Names) -> str:
    """One tile per scenario: SLA goals met, with cost per case and cycle time p90."""
    items = []
    for name, res in data["scenarios"].items():
        judged = [
            d.get("met_goal")
            for d in (res.get("slas") or {}).values()
            if d.get("met_goal") is not None
        ]
        met = sum(1 for j in judged if j)
        cases = res.get("cases") or {}
        note = (
            f"cost/case {theme.format_money(fmean(cases.get('cost_per_case')), names.currency, decimals=2)}"
            f" · p90 {duration(fmean((cases.get('cycle_time_s') or {}).get('p90')))}"
        )
        value = f"{met} of {len(judged)} SLA goals" if judged else "no SLA goals"
        items.append((name, value, note, "bad" if met < len(judged) else "good"))
    return tiles(items)


# --- charts ---------------------------------------------------------------------------------------


def _sla_rows(base: Data, names: Names) -> list[tuple[str, tuple[str, ...], bool]]:
    rows = []
    for lid, d in (base.get("slas") or {}).items():
        rows.append((names.sla(lid), (lid,), False))
        for seg, s in (d.get("by_segment") or {}).items():
            if s.get("own_goal"):
                rows.append((f"{names.sla(lid)} / {names.segment(seg)}", (lid, seg), True))
    return rows


def _sla_fig(res: Data, key: tuple[str, ...]) -> Mapping[str, Any]:
    d = (res.get("slas") or {}).get(key[0]) or {}
    return ((d.get("by_segment") or {}).get(key[1]) or {}) if len(key) > 1 else d


def sla_chart(data: Data, names: Names) -> Chart | None:
    """Attainment per SLA, one bar per scenario, the goal as a tick across the group."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    scen = data["scenarios"]
    base = scen.get("baseline") or next(iter(scen.values()))
    rows = _sla_rows(base, names)
    if not rows:
        return None
    colours = theme.category_colours(list(scen))
    n = len(scen)
    lows = [
        (fmean(_sla_fig(r, key).get("attainment")) or 0) - fci(_sla_fig(r, key).get("attainment"))
        for r in scen.values()
        for _, key, _ in rows
    ] + [_sla_fig(base, key).get("goal") or 1 for _, key, _ in rows]
    lo = max(0.0, int((min(lows) - 0.04) * 10) / 10)
    lo = 0.0 if lo <= 0.5 else lo
    fig = theme.figure(
        0.40 + (0.26 * n + 0.3) * len(rows) + 0.4,
        "SLA attainment by scenario",
        "Share of cases within target; tick: goal; whiskers: 95% interval"
        + (f"; the axis starts at {lo:.0%}" if lo else ""),
    )
    ax = fig.add_subplot()
    h = 0.8 / n
    ticks = []
    for i, (_label, key, _seg) in enumerate(rows):
        y0 = len(rows) - 1 - i
        ticks.append(y0)
        goal = _sla_fig(base, key).get("goal")
        for j, (name, res) in enumerate(scen.items()):
            f = _sla_fig(res, key)
            v = fmean(f.get("attainment"))
            if v is None:
                continue
            y = y0 + 0.4 - h * (j + 0.5)
            ax.barh(y, v - lo, left=lo, height=h * 0.88, color=colours[name])
            if fci(f.get("attainment")):
                ax.errorbar(
                    v,
                    y,
                    xerr=fci(f.get("attainment")),
                    fmt="none",
                    ecolor=Ink.TEXT,
                    elinewidth=0.9,
                    capsize=2,
                )
            met = f.get("met_goal")
            ax.annotate(
                share_text(v) + ("" if met is None else "  ✓" if met else "  ✗"),
                (1.0, y),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                annotation_clip=False,
                color=Ink.TEXT if met in (None, True) else Ink.MISSED,
            )
        if goal is not None:
            ax.plot(
                [goal, goal], [y0 - 0.45, y0 + 0.45], color=Ink.TEXT, lw=2.0, solid_capstyle="butt"
            )
    ax.set_yticks(ticks, [theme.shorten(r[0], 30) for r in rows])
    ax.set_xlim(lo, 1.0)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    theme.percent_axis(ax, step=0.05 if 1 - lo <= 0.4 else 0.1)
    theme.value_grid(ax)
    ax.set_xlabel("cases within target")
    handles = [Patch(color=colours[s], label=s) for s in scen]
    handles.append(Line2D([], [], color=Ink.TEXT, lw=2, marker="|", ms=9, ls="none", label="goal"))
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles))
    label = "SLA attainment by scenario: " + "; ".join(
        f"{lab}: "
        + ", ".join(
            f"{s} {share_text(fmean(_sla_fig(r, key).get('attainment')))}" for s, r in scen.items()
        )
        for lab, key, _ in rows
    )
    return Chart("scenario-slas", "SLA attainment by scenario", fig, label)


_PANELS = (
    ("SLA attainment (percentage points)", "share", lambda r: r.group == "SLA attainment"),
    ("Cycle time", "duration", lambda r: r.group == "Cycle time"),
    ("Cost per case", "money", lambda r: r.group == "Cost"),
    ("Team utilisation (percentage points)", "share", lambda r: r.group == "Team utilisation"),
)


def difference_chart(data: Data, names: Names) -> Chart | None:
    """A forest plot: each scenario's paired difference from baseline, with its interval."""
    from matplotlib.lines import Line2D

    scenarios = list(data["comparison"])
    if not scenarios:
        return None
    rows = _rows(data, names)
    panels = [(t, k, [r for r in rows if pick(r)]) for t, k, pick in _PANELS]
    panels = [p for p in panels if p[2]]
    if not panels:
        return None
    colours = theme.category_colours(["baseline", *scenarios])
    row_h = 0.12 + 0.16 * len(scenarios)
    heights = [len(p[2]) * row_h + 0.75 for p in panels]
    fig = theme.figure(
        sum(heights) + 0.3,
        "What each scenario changes",
        "Difference from baseline, paired by replication; filled: significant (95% interval "
        "excludes zero), hollow: not significant",
    )
    axes = fig.subplots(len(panels), 1, height_ratios=heights, squeeze=False)[:, 0]
    n = len(scenarios)
    for ax, (title, kind, prow) in zip(axes, panels, strict=True):
        scale = 100.0 if kind == "share" else (1 / 3600 if kind == "duration" else 1.0)
        for i, row in enumerate(prow):
            y0 = len(prow) - 1 - i
            for j, s in enumerate(scenarios):
                entry = data["comparison"][s][row.path]
                d = entry.get("diff") or {}
                if d.get("mean") is None:
                    continue
                y = y0 + (0.0 if n == 1 else 0.28 - 0.56 * j / (n - 1))
                m, ci = d["mean"] * scale, (d.get("ci95") or 0.0) * scale
                sig = bool(entry.get("significant"))
                ax.errorbar(
                    m, y, xerr=ci, fmt="none", ecolor=colours[s], elinewidth=1.3, capsize=2.5
                )
                ax.plot(
                    [m],
                    [y],
                    marker="o",
                    ms=6.5,
                    ls="none",
                    color=colours[s],
                    markerfacecolor=colours[s] if sig else "white",
                    markeredgewidth=1.5,
                )
        ax.axvline(0, color=Ink.TEXT, lw=1.0)
        for k in range(len(prow) - 1):
            ax.axhline(k + 0.5, color=Ink.GRID, lw=0.8, zorder=0)
        ax.set_yticks(range(len(prow))[::-1], [theme.shorten(r.label, 30) for r in prow])
        ax.set_ylim(-0.6, len(prow) - 0.4)
        ax.set_title(title, fontsize=9.5)
        theme.value_grid(ax)
        unit = {"share": "pts", "duration": "hours", "money": names.currency or ""}.get(kind, "")
        ax.set_xlabel(f"change against baseline ({unit})" if unit else "change against baseline")
        lo, hi = ax.get_xlim()
        edge = max(abs(lo), abs(hi))
        ax.set_xlim(-edge * 1.05, edge * 1.05)
    handles = [
        Line2D([], [], marker="o", color=colours[s], ls="none", ms=6.5, label=s) for s in scenarios
    ]
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles))
    label = "Differences from baseline: " + "; ".join(
        f"{s} {r.label} {_diff_text(data['comparison'][s][r.path].get('diff') or {}, r.kind)}"
        for s in scenarios
        for _, _, prow in panels
        for r in prow
    )
    return Chart("scenario-differences", "What each scenario changes", fig, label)


def team_chart(data: Data, names: Names) -> Chart | None:
    """Utilisation per team and scenario, with the bottleneck threshold."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    scen = data["scenarios"]
    base = scen.get("baseline") or next(iter(scen.values()))
    teams = [
        t
        for t, d in (base.get("teams") or {}).items()
        if not names.unlimited(t) and fmean(d.get("utilization")) is not None
    ]
    if not teams:
        return None
    colours = theme.category_colours(list(scen))
    n = len(scen)
    fig = theme.figure(
        0.40 + (0.24 * n + 0.3) * len(teams) + 0.4,
        "Team utilisation by scenario",
        "Busy share of on-duty time; whiskers: 95% interval; dashed: bottleneck threshold",
    )
    ax = fig.add_subplot()
    h = 0.8 / n
    top = 1.0
    for i, tid in enumerate(teams):
        y0 = len(teams) - 1 - i
        for j, (name, res) in enumerate(scen.items()):
            f = ((res.get("teams") or {}).get(tid) or {}).get("utilization")
            v, ci = fmean(f), fci(f)
            if v is None:
                continue
            y = y0 + 0.4 - h * (j + 0.5)
            ax.barh(y, v, height=h * 0.88, color=colours[name])
            if ci:
                ax.errorbar(v, y, xerr=ci, fmt="none", ecolor=Ink.TEXT, elinewidth=0.9, capsize=2)
            ax.annotate(
                f"{v:.0%}",
                (v + ci, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
            top = max(top, v + ci)
    ax.axvline(BOTTLENECK_UTILIZATION, color=Ink.ORANGE, lw=1.2, ls=(0, (4, 2)), zorder=0.5)
    ax.axvline(1.0, color=Ink.FAINT, lw=1.0, zorder=0.5)
    ax.set_yticks(range(len(teams))[::-1], [theme.shorten(names.team(t), 26) for t in teams])
    ax.set_xlim(0, top * 1.08 + 0.04)
    ax.set_ylim(-0.6, len(teams) - 0.4)
    theme.percent_axis(ax)
    theme.value_grid(ax)
    ax.set_xlabel("utilisation (share of on-duty time busy)")
    handles: list[Any] = [Patch(color=colours[s], label=s) for s in scen]
    handles.append(Line2D([], [], color=Ink.ORANGE, lw=1.2, ls=(0, (4, 2)), label="85% threshold"))
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles))
    label = "Team utilisation by scenario: " + "; ".join(
        f"{names.team(t)}: "
        + ", ".join(
            f"{s} {share_text(fmean(((r.get('teams') or {}).get(t) or {}).get('utilization')))}"
            for s, r in scen.items()
        )
        for t in teams
    )
    return Chart("scenario-teams", "Team utilisation by scenario", fig, label)


def cost_speed_chart(data: Data, names: Names) -> Chart | None:
    """Cost per case and cycle time p90 per scenario: what the improvement costs."""
    scen = data["scenarios"]
    colours = theme.category_colours(list(scen))
    cost = [(s, (r.get("cases") or {}).get("cost_per_case")) for s, r in scen.items()]
    p90 = [
        (s, ((r.get("cases") or {}).get("cycle_time_s") or {}).get("p90")) for s, r in scen.items()
    ]
    if all(fmean(f) is None for _, f in cost + p90):
        return None
    fig = theme.figure(
        0.60 + 0.42 * len(scen) + 0.3,
        "Cost and speed by scenario",
        "Staff cost per completed case and the cycle time 90% of cases beat; whiskers: 95% interval",
    )
    left, right = fig.subplots(1, 2, sharey=True)
    ys = list(range(len(scen)))[::-1]
    cur = names.currency
    panels: Sequence[tuple[Any, list[tuple[str, Any]], str, Any]] = (
        (left, cost, f"cost per case ({cur})" if cur else "cost per case", lambda v: f"{v:,.2f}"),
        (right, p90, "cycle time p90 (hours)", lambda v: duration(v * 3600)),
    )
    for ax, items, xlabel, fmt in panels:
        scale = 1 / 3600 if ax is right else 1.0
        top = 0.0
        for y, (s, f) in zip(ys, items, strict=True):
            v = fmean(f)
            if v is None:
                continue
            v, ci = v * scale, fci(f) * scale
            ax.barh(y, v, height=0.62, color=colours[s])
            if ci:
                ax.errorbar(v, y, xerr=ci, fmt="none", ecolor=Ink.TEXT, elinewidth=0.9, capsize=2.5)
            ax.annotate(
                fmt(v),
                (v + ci, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
            )
            top = max(top, v + ci)
        ax.set_xlim(0, top * 1.3 or 1)
        ax.set_xlabel(xlabel)
        theme.value_grid(ax)
    left.set_yticks(ys, list(scen))
    right.tick_params(axis="y", left=False)
    label = "Cost per case and cycle time p90 by scenario: " + "; ".join(
        f"{s} {theme.format_money(fmean(c), cur, decimals=2)}, {duration(fmean(p))}"
        for (s, c), (_, p) in zip(cost, p90, strict=True)
    )
    return Chart("scenario-cost-speed", "Cost and speed by scenario", fig, label)


def comparison_charts(data: Data, names: Names, models: Mapping[str, Model]) -> list[Chart]:
    """The comparison charts that have something to show."""
    with theme.style():
        made = [f(data, names) for f in (sla_chart, difference_chart, team_chart, cost_speed_chart)]
    return [c for c in made if c is not None]


_CAPTIONS = {
    "scenario-slas": "Each group is one SLA (and each segment with its own goal); bars are the "
    "scenarios, the tick the goal; ✓/✗ says whether the scenario meets it.",
    "scenario-differences": "The change each scenario brings, with its 95% interval. A filled dot "
    "is a change the simulation is sure of; a hollow one could be chance.",
    "scenario-teams": "Where the load moves: a scenario that relieves one team can push another "
    "past the threshold.",
    "scenario-cost-speed": "What the improvement costs: staff cost per completed case beside the "
    "time within which 90% of cases finish.",
}


def comparison_sections(data: Data, names: Names, models: Mapping[str, Model]) -> list[Section]:
    """The scenario list, the scenario table and the comparison charts."""
    base = models.get("baseline")
    described = []
    for name in data["scenarios"]:
        desc = "the model as written" if name == "baseline" else ""
        if base is not None and name in base.document.scenarios:
            desc = base.document.scenarios[name].description or ""
        res = data["scenarios"][name]
        weeks, _ = cost_per_week(res)
        total = sum(fmean(d.get("cost")) or 0.0 for d in (res.get("teams") or {}).values())
        described.append(
            [
                name,
                desc,
                Cell(theme.format_money(total / weeks, names.currency) if weeks else "—", True),
            ]
        )
    scenarios = Section("scenarios", "Scenarios").add(
        table(["scenario", "what changes", Cell("staff cost per week", True)], described)
    )
    comparison = Section("scenario-table", "Scenario table").add(scenario_table(data, names))
    charts = Section("scenario-charts", "Scenario charts")
    for chart in comparison_charts(data, names, models):
        svg = theme.svg_text(chart.figure, chart.key, chart.label)
        charts.add(chart_figure(svg, chart.key, _CAPTIONS.get(chart.key, "")))
    return [scenarios, comparison, charts]
