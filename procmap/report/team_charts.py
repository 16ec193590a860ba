"""The charts about capacity: team utilisation, queues over time, and what the staffing costs.

Like :mod:`procmap.report.charts`, each function takes the RESULT dict and
:class:`~procmap.report.words.Names` and returns a :class:`~procmap.report.charts.Chart`, or
``None`` when there is nothing to draw.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from procmap.report import theme
from procmap.report.charts import (
    BOTTLENECK_UTILIZATION,
    Chart,
    Result,
    interval_note,
    legend_below,
)
from procmap.report.theme import Ink
from procmap.report.words import Names, fci, fmean, share_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["LABEL_BOX", "cost", "cost_per_week", "queue_length", "utilisation"]

LABEL_BOX = {"boxstyle": "square,pad=0.08", "facecolor": "white", "edgecolor": "none"}
"""A white backing for value labels, so that guide lines never cross the figures."""


# --- team utilisation -----------------------------------------------------------------------------


def _teams_with_utilisation(result: Result, names: Names) -> list[tuple[str, Mapping[str, Any]]]:
    return [
        (tid, d)
        for tid, d in (result.get("teams") or {}).items()
        if fmean(d.get("utilization")) is not None and not names.unlimited(tid)
    ]


def utilisation(result: Result, names: Names) -> Chart | None:
    """Simulated utilisation (with interval) beside the analytic estimate, per team."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    teams = _teams_with_utilisation(result, names)
    if not teams:
        return None
    fig = theme.figure(
        0.35 + 0.5 * len(teams) + 0.45,
        "Team utilisation: simulated and analytic",
        "Busy share of on-duty time; analytic: offered load ÷ staff on duty, from the model "
        f"alone; {interval_note(result)}",
    )
    ax = fig.add_subplot()
    h = 0.36
    ys = list(range(len(teams)))[::-1]
    top = 1.0
    for y, (_tid, d) in zip(ys, teams, strict=True):
        sim, ci = fmean(d.get("utilization")) or 0.0, fci(d.get("utilization"))
        ana = fmean((d.get("analytic") or {}).get("utilization"))
        colour = Ink.VERMILLION if sim >= BOTTLENECK_UTILIZATION else Ink.BLUE
        ax.barh(y + h / 2, sim, height=h, color=colour)
        if ci:
            ax.errorbar(
                sim, y + h / 2, xerr=ci, fmt="none", ecolor=Ink.TEXT, elinewidth=1, capsize=2.5
            )
        ax.annotate(
            f"{sim:.0%}",
            (sim + ci, y + h / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            bbox=LABEL_BOX,
        )
        if ana is not None:
            ax.barh(
                y - h / 2, ana, height=h, color="white", edgecolor=Ink.GREY, hatch="////", lw=0.8
            )
            ax.annotate(
                f"{ana:.0%}",
                (ana, y - h / 2),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color=Ink.MUTED,
                bbox=LABEL_BOX,
            )
        top = max(top, sim + ci, ana or 0.0)
    ax.axvline(BOTTLENECK_UTILIZATION, color=Ink.ORANGE, lw=1.2, ls=(0, (4, 2)), zorder=0.5)
    ax.axvline(1.0, color=Ink.FAINT, lw=1.0, zorder=0.5)
    ax.set_yticks(ys, [theme.shorten(names.team(t), 26) for t, _ in teams])
    ax.set_xlim(0, top * 1.08 + 0.04)
    ax.set_ylim(-0.65, len(teams) - 0.35)
    theme.percent_axis(ax)
    theme.value_grid(ax)
    ax.set_xlabel("utilisation (share of on-duty time busy)")
    handles = [Patch(color=Ink.BLUE, label="simulated")]
    if any((fmean(d.get("utilization")) or 0) >= BOTTLENECK_UTILIZATION for _, d in teams):
        handles.append(Patch(color=Ink.VERMILLION, label="simulated, a bottleneck"))
    handles += [
        Patch(facecolor="white", edgecolor=Ink.GREY, hatch="////", label="analytic"),
        Line2D([], [], color=Ink.ORANGE, lw=1.2, ls=(0, (4, 2)), label="bottleneck threshold 85%"),
    ]
    legend_below(fig, handles)
    label = "Team utilisation: " + "; ".join(
        f"{names.team(t)} {share_text(fmean(d.get('utilization')))} simulated, "
        f"{share_text(fmean((d.get('analytic') or {}).get('utilization')))} analytic"
        for t, d in teams
    )
    return Chart("utilisation", "Team utilisation: simulated and analytic", fig, label)


# --- queue length over time -----------------------------------------------------------------------

BUSIEST = 3


def _window_start(result: Result) -> datetime | None:
    cfg = result.get("config") or {}
    try:
        start = datetime.fromisoformat(str(cfg.get("start")))
    except ValueError:
        return None
    return start + timedelta(seconds=float(cfg.get("warmup_s") or 0.0))


def _shade_weekends(ax: Axes, lo: datetime, hi: datetime) -> None:
    day = datetime(lo.year, lo.month, lo.day)
    while day < hi:
        if day.weekday() == 5:
            ax.axvspan(
                max(day, lo), min(day + timedelta(days=2), hi), color="#f1f3f5", lw=0, zorder=0
            )
        day += timedelta(days=1)


def _date_axis(ax: Axes, span: timedelta) -> None:
    """Day ticks for short runs, Monday ticks for long ones, with weekday names."""
    from matplotlib.dates import MO, DateFormatter, DayLocator, MonthLocator, WeekdayLocator

    if span <= timedelta(days=12):
        ax.xaxis.set_major_locator(DayLocator())
        ax.xaxis.set_major_formatter(DateFormatter("%a\n%d %b"))
    elif span <= timedelta(days=70):
        ax.xaxis.set_major_locator(WeekdayLocator(byweekday=MO))
        ax.xaxis.set_minor_locator(DayLocator())
        ax.xaxis.set_major_formatter(DateFormatter("%a\n%d %b"))
    else:
        months = max(1, round(span.days / 30 / 8))
        ax.xaxis.set_major_locator(MonthLocator(interval=months))
        ax.xaxis.set_minor_locator(WeekdayLocator(byweekday=MO))
        ax.xaxis.set_major_formatter(DateFormatter("%b\n%Y"))


def queue_length(result: Result, names: Names) -> Chart | None:
    """Hourly mean queue length of the busiest teams over the run, with a band where known."""
    from matplotlib.ticker import MaxNLocator

    series = (result.get("series") or {}).get("teams") or {}
    start = _window_start(result)
    ranked = sorted(
        _teams_with_utilisation(result, names), key=lambda t: -(fmean(t[1]["utilization"]) or 0)
    )
    chosen = [
        (tid, d, series[tid])
        for tid, d in ranked
        if tid in series and any(v for v in series[tid].get("queue_length") or [] if v)
    ][:BUSIEST]
    if not chosen or start is None:
        return None
    band = any(s.get("queue_length_ci95") for _, _, s in chosen)
    fig = theme.figure(
        0.30 + 1.45 * len(chosen) + 0.2,
        "Queue length over time, busiest teams",
        "Tasks waiting to start, hourly mean over replications"
        + ("; band: 95% interval" if band else "")
        + ("; shaded: weekends" if len(chosen[0][2].get("queue_length") or []) <= 70 * 24 else ""),
    )
    axes = fig.subplots(len(chosen), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (tid, d, s) in zip(axes, chosen, strict=True):
        step = timedelta(seconds=float(s.get("bin_s") or 3600))
        values = s.get("queue_length") or []
        xs = [start + step * (i + 0.5) for i in range(len(values))]
        ys = [math.nan if v is None else v for v in values]
        if band:
            cis = s.get("queue_length_ci95") or [None] * len(values)
            lo = [max(y - (c or 0.0), 0.0) for y, c in zip(ys, cis, strict=True)]
            hi = [y + (c or 0.0) for y, c in zip(ys, cis, strict=True)]
            ax.fill_between(xs, lo, hi, color=Ink.SKY, alpha=0.35, lw=0, step="mid")
        ax.plot(xs, ys, color=Ink.BLUE, lw=1.0, drawstyle="steps-mid")
        q = d.get("queue_length") or {}
        util = fmean(d.get("utilization"))
        ax.set_title(
            f"{theme.shorten(names.team(tid), 30)}: busy {share_text(util, 0)}, "
            f"mean queue {fmean(q.get('mean')) or 0:.1f}, max {fmean(q.get('max')) or 0:.0f}",
            fontsize=9,
        )
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.set_ylabel("tasks waiting")
        theme.value_grid(ax, "y")
        if len(values) * step <= timedelta(days=70):
            _shade_weekends(ax, xs[0] - step / 2, xs[-1] + step / 2)
        ax.set_xlim(xs[0] - step / 2, xs[-1] + step / 2)
    _date_axis(axes[-1], len(values) * step)
    label = "Queue length over time: " + "; ".join(
        f"{names.team(t)} mean {fmean((d.get('queue_length') or {}).get('mean')) or 0:.1f}"
        for t, d, _ in chosen
    )
    return Chart("queue-length", "Queue length over time, busiest teams", fig, label)


# --- cost -----------------------------------------------------------------------------------------

WEEK_S = 7 * 86400.0


def cost_per_week(result: Result) -> tuple[float | None, float]:
    """``(weeks in the measured window, completions per week)``; the first is ``None`` when the
    run has no fixed horizon (``cases`` mode)."""
    cfg = result.get("config") or {}
    horizon = cfg.get("horizon_s")
    if not horizon:
        return None, 0.0
    window = float(horizon) - float(cfg.get("warmup_s") or 0.0)
    throughput = fmean((result.get("cases") or {}).get("throughput_per_h")) or 0.0
    return window / WEEK_S, throughput * WEEK_S / 3600.0


def cost(result: Result, names: Names) -> Chart | None:
    """Staff cost per week by team, with a second axis reading the same bars per case."""
    weeks, per_week_cases = cost_per_week(result)
    teams = [
        (tid, c)
        for tid, d in (result.get("teams") or {}).items()
        if (c := fmean(d.get("cost"))) is not None and c > 0
    ]
    if not teams or not weeks:
        return None
    currency = names.currency
    weekly = [(tid, c / weeks) for tid, c in teams]
    total = sum(v for _, v in weekly)
    per_case = fmean((result.get("cases") or {}).get("cost_per_case"))
    unit = f" ({currency})" if currency else ""
    fig = theme.figure(
        0.35 + 0.42 * len(weekly) + 0.5,
        "Staff cost per week and per case",
        f"Rostered hours × cost per hour; total {theme.format_money(total, currency)} per week, "
        f"{theme.format_money(per_case, currency, decimals=2)} per completed case",
    )
    ax = fig.add_subplot()
    ys = list(range(len(weekly)))[::-1]
    for y, (_tid, v) in zip(ys, weekly, strict=True):
        ax.barh(y, v, height=0.6, color=Ink.BLUE)
        text = theme.format_money(v, None)
        if per_week_cases:
            text += f"   ({theme.format_money(v / per_week_cases, None, decimals=2)} per case)"
        ax.annotate(
            text, (v, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5
        )
    ax.set_yticks(ys, [theme.shorten(names.team(t), 26) for t, _ in weekly])
    top = max(v for _, v in weekly)
    ax.set_xlim(0, top * 1.45)
    ax.set_ylim(-0.6, len(weekly) - 0.4)
    theme.value_grid(ax)
    ax.xaxis.set_major_formatter(mpl_thousands())
    ax.set_xlabel(f"cost per week{unit}")
    if per_week_cases:
        sec = ax.secondary_xaxis(
            "top", functions=(lambda x: x / per_week_cases, lambda x: x * per_week_cases)
        )
        sec.set_xlabel(f"cost per completed case{unit}")
        sec.tick_params(colors=Ink.MUTED, labelcolor=Ink.TEXT)
        sec.spines["top"].set_color(Ink.SPINE)
    label = f"Staff cost per week: total {theme.format_money(total, currency)}; " + "; ".join(
        f"{names.team(t)} {theme.format_money(v, currency)}" for t, v in weekly
    )
    return Chart("cost", "Staff cost per week and per case", fig, label)


def mpl_thousands() -> Any:
    """A tick formatter with thousands separators (``12,500``)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{x:,.0f}")
