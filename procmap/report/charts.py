"""The charts of a one-scenario report, each a matplotlib figure in the house style.

Each function takes the RESULT dict of SPEC §6 (so a report can be made from a JSON file) and
:class:`~procmap.report.words.Names`, and returns a :class:`Chart` — or ``None`` when there is
nothing to show (no SLAs, no breaches, no cost), so the page can say so in words instead of
showing an empty frame.  Every chart answers one question a consultant is asked in the steering
meeting; its title says which, its subtitle how to read it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.report import theme
from procmap.report.theme import Ink
from procmap.report.words import Names, duration, fci, fmean, share_text, sla_target
from procmap.sim.assemble import BOTTLENECK_UTILIZATION

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "BOTTLENECK_UTILIZATION",
    "Chart",
    "breach_attribution",
    "cycle_time",
    "interval_note",
    "legend_below",
    "sla_attainment",
]

Result = Mapping[str, Any]


@dataclass(frozen=True)
class Chart:
    """A finished chart: ``key`` is its stable id (``sla-attainment``), ``label`` the text
    alternative (what it shows, with its labels and numbers) for screen readers and search."""

    key: str
    title: str
    figure: Figure
    label: str


def interval_note(result: Result) -> str:
    n = int((result.get("config") or {}).get("replications") or 0)
    if n >= 2:
        return f"whiskers: 95% interval over {n} replications"
    return "one replication: no interval"


def legend_below(fig: Figure, handles: Sequence[Any], ncols: int | None = None) -> None:
    fig.legend(
        handles=list(handles),
        loc="outside lower left",
        ncols=ncols or len(handles),
        handlelength=1.4,
        columnspacing=1.6,
    )


# --- SLA attainment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SlaRow:
    label: str
    attainment: float | None
    ci: float
    goal: float | None
    met: bool | None
    segment: bool


def _sla_rows(result: Result, names: Names) -> list[_SlaRow]:
    rows: list[_SlaRow] = []
    for lid, d in (result.get("slas") or {}).items():
        cal = d.get("calendar")
        rows.append(
            _SlaRow(
                f"{theme.shorten(names.sla(lid), 30)}  ≤ {sla_target(d.get('target_s'), cal)}",
                fmean(d.get("attainment")),
                fci(d.get("attainment")),
                d.get("goal"),
                d.get("met_goal"),
                False,
            )
        )
        for seg, s in (d.get("by_segment") or {}).items():
            rows.append(
                _SlaRow(
                    f"{theme.shorten(names.segment(seg), 18)}  ≤ {sla_target(s.get('target_s'), cal)}",
                    fmean(s.get("attainment")),
                    fci(s.get("attainment")),
                    s.get("goal"),
                    s.get("met_goal"),
                    True,
                )
            )
    return rows


def _status_colour(met: bool | None) -> str:
    return Ink.NO_GOAL if met is None else (Ink.MET if met else Ink.MISSED)


def sla_attainment(result: Result, names: Names) -> Chart | None:
    """Bars of attainment per SLA and segment, the goal as a tick, the interval as a whisker."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = _sla_rows(result, names)
    if not rows:
        return None
    values = [(r.attainment or 0.0) - r.ci for r in rows] + [r.goal or 1.0 for r in rows]
    lo = max(0.0, math.floor((min(values) - 0.04) * 10) / 10)
    lo = 0.0 if lo <= 0.5 else lo
    note = f"; the axis starts at {lo:.0%}" if lo > 0 else ""
    if any(d.get("calendar") for d in (result.get("slas") or {}).values()):
        note += "; an SLA with a calendar counts its open hours only"
    fig = theme.figure(
        0.30 + 0.34 * len(rows) + 0.45,
        "SLA attainment against goal",
        "Share of cases within target"
        + (", all cases and per segment" if any(r.segment for r in rows) else "")
        + f" ({interval_note(result)}{note})",
    )
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    for y, r in zip(ys, rows, strict=True):
        colour = _status_colour(r.met)
        if r.attainment is None:
            ax.text(lo, y, "  no case judged", va="center", color=Ink.MUTED, fontsize=8)
            continue
        ax.barh(y, r.attainment - lo, left=lo, height=0.42 if r.segment else 0.66, color=colour)
        if r.ci:
            ax.errorbar(
                r.attainment, y, xerr=r.ci, fmt="none", ecolor=Ink.TEXT, elinewidth=1.0, capsize=2.5
            )
        if r.goal is not None:
            ax.plot(
                [r.goal, r.goal],
                [y - 0.42, y + 0.42],
                color=Ink.TEXT,
                lw=2.0,
                solid_capstyle="butt",
            )
        text = share_text(r.attainment)
        if r.ci:
            text += f" ±{100 * r.ci:.1f}"
        if r.goal is not None:
            text += f"   goal {share_text(r.goal, 0)}"
        ax.annotate(
            text,
            (1.0, y),
            xytext=(8, 0),
            textcoords="offset points",
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8.5,
            color=colour if r.met is not None else Ink.TEXT,
            fontweight="bold" if not r.segment else "normal",
            annotation_clip=False,
        )
    ax.set_yticks(ys, [r.label for r in rows])
    for tick, r in zip(ax.get_yticklabels(), rows, strict=True):
        tick.set_fontweight("normal" if r.segment else "bold")
        tick.set_color(Ink.MUTED if r.segment else Ink.TEXT)
    ax.set_xlim(lo, 1.0)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    theme.percent_axis(ax, step=0.05 if 1 - lo <= 0.4 else 0.1)
    theme.value_grid(ax)
    ax.set_xlabel("cases within target")
    ax.margins(x=0)
    states = {r.met for r in rows if r.attainment is not None}
    handles = [
        Patch(color=_status_colour(met), label=text)
        for met, text in ((True, "meets goal"), (False, "misses goal"), (None, "no goal"))
        if met in states
    ]
    handles.append(
        Line2D([], [], color=Ink.TEXT, lw=2.0, marker="|", markersize=9, ls="none", label="goal")
    )
    legend_below(fig, handles)
    label = "SLA attainment: " + "; ".join(
        f"{r.label} {share_text(r.attainment)}"
        + (f" (goal {share_text(r.goal, 0)})" if r.goal is not None else "")
        for r in rows
    )
    return Chart("sla-attainment", "SLA attainment against goal", fig, label)


# --- breach attribution ---------------------------------------------------------------------------

_KIND_COLOUR = {
    "wait": Ink.VERMILLION,
    "service": Ink.BLUE,
    "suspended": Ink.SKY,
    "handoff": Ink.PURPLE,
    "sync": Ink.ORANGE,
    "pause": Ink.GREEN,
    "other": Ink.GREY,
    "closed": Ink.LIGHT,
}
"""Colours by cause, in legend order (the levers first, the clock's closed hours last)."""
_KIND_LABEL = {
    "wait": "queue wait",
    "service": "work",
    "suspended": "held off duty",
    "handoff": "hand-off",
    "sync": "parallel-work wait",
    "closed": "outside SLA hours",
    "pause": "paused",
    "other": "other",
}
_TOP = 6
_SMALLEST = 0.005
"""Causes below half a percent are folded into "everything else" (they would read 0%)."""


def breach_attribution(result: Result, names: Names) -> Chart | None:
    """Per SLA with breaches: where the breached cases' clock time went, largest first."""
    from matplotlib.patches import Patch

    panels: list[tuple[str, list[tuple[str, str, float]]]] = []
    for lid, d in (result.get("slas") or {}).items():
        breached = fmean(d.get("breached")) or 0.0
        parts = [
            (*names.attribution(k), v)
            for k, f in (d.get("breach_attribution") or {}).items()
            if (v := fmean(f)) is not None and v > 0
        ]
        if breached <= 0 or not parts:
            continue
        closed = [p for p in parts if p[1] == "closed"]
        parts = sorted((p for p in parts if p[1] != "closed"), key=lambda p: -p[2])
        top = _TOP - len(closed)
        shown = [p for p in parts if p[2] >= _SMALLEST][: top - 1 if len(parts) > top else top]
        rest = sum(p[2] for p in parts if p not in shown)
        parts = shown + ([("everything else", "other", rest)] if rest >= _SMALLEST else [])
        parts += closed  # context, not a lever: last
        judged = breached + (fmean(d.get("met")) or 0.0)
        share = f" ({breached / judged:.1%} of judged cases)" if judged else ""
        title = f"{names.sla(lid)}: {breached:,.1f} breaches per replication{share}"
        panels.append((title, parts))
    if not panels:
        return None
    heights = [len(p) + 1.2 for _, p in panels]
    fig = theme.figure(
        0.40 + 0.3 * sum(heights) + 0.35,
        "Where breached cases lost their time",
        "Elapsed time of breached cases from SLA start to stop, by stage and cause; grey: hours "
        "outside the SLA calendar, when the clock stops",
    )
    axes = fig.subplots(len(panels), 1, height_ratios=heights, squeeze=False)[:, 0]
    top = max(v for _, parts in panels for *_, v in parts)
    kinds: list[str] = []
    for ax, (title, parts) in zip(axes, panels, strict=True):
        ys = list(range(len(parts)))[::-1]
        for y, (_label, kind, value) in zip(ys, parts, strict=True):
            ax.barh(y, value, height=0.64, color=_KIND_COLOUR.get(kind, Ink.GREY))
            ax.annotate(
                f"{value:.0%}",
                (value, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
            )
            if kind not in kinds:
                kinds.append(kind)
        ax.set_yticks(ys, [theme.shorten(p[0], 40) for p in parts])
        ax.set_title(title, fontsize=9.5)
        ax.set_xlim(0, min(1.0, top * 1.15 + 0.02))
        ax.set_ylim(-0.6, len(parts) - 0.4)
        theme.percent_axis(ax)
        theme.value_grid(ax)
    axes[-1].set_xlabel("share of breached cases' elapsed time")
    kinds.sort(key=list(_KIND_COLOUR).index)
    legend_below(fig, [Patch(color=_KIND_COLOUR[k], label=_KIND_LABEL[k]) for k in kinds])
    label = "Breach attribution: " + "; ".join(
        f"{title}: " + ", ".join(f"{lab} {v:.0%}" for lab, _, v in parts) for title, parts in panels
    )
    return Chart("breach-attribution", "Where breached cases lost their time", fig, label)


# --- cycle time -----------------------------------------------------------------------------------


def _display_bins(
    edges: Sequence[float], counts: Sequence[float], per_decade: int = 10
) -> tuple[list[float], list[float]]:
    """Fine log bins regrouped on a coarser log grid (``per_decade`` bins per factor of ten)."""
    pairs = [
        (math.sqrt(a * b), c)
        for a, b, c in zip(edges[:-1], edges[1:], counts, strict=True)
        if a > 0 and b > a
    ]
    if not pairs:
        return [], []
    lo = math.floor(math.log10(min(m for m, _ in pairs)) * per_decade)
    hi = math.floor(math.log10(max(m for m, _ in pairs)) * per_decade) + 1
    grid = [10 ** (k / per_decade) for k in range(lo, hi + 1)]
    sums = [0.0] * (len(grid) - 1)
    for mid, c in pairs:
        k = min(math.floor(math.log10(mid) * per_decade) - lo, len(sums) - 1)
        sums[k] += c
    return grid, sums


def _ecdf(edges: Sequence[float], counts: Sequence[float]) -> tuple[list[float], list[float]]:
    total = float(sum(counts))
    if total <= 0:
        return [], []
    xs, ys, run = [], [], 0.0
    for upper, c in zip(edges[1:], counts, strict=True):
        run += c
        if upper > 0:
            xs.append(upper)
            ys.append(run / total)
    return xs, ys


def cycle_time(result: Result, names: Names) -> Chart | None:
    """Histogram and ECDF of completed cases' cycle time per segment, KPI targets marked."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    hist = (result.get("histograms") or {}).get("cycle_time_s") or {}
    edges, counts = hist.get("edges") or [], hist.get("counts") or []
    if not edges or not sum(counts):
        return None
    reps = max(int((result.get("config") or {}).get("replications") or 1), 1)
    segments = {seg: s.get("counts") or [] for seg, s in (hist.get("by_segment") or {}).items()}
    segments = {seg: c for seg, c in segments.items() if len(c) == len(counts) and sum(c)}
    colours = theme.category_colours(list(segments))
    targets = names.cycle_targets()

    positive = [e for e in edges if e > 0]
    lo = min(positive) / 1.15
    hi = max(positive + [t.seconds for t in targets]) * 1.15
    fig = theme.figure(
        3.30,
        "Cycle time, arrival to finish",
        "Completed cases that arrived after warm-up, pooled over replications; "
        "time axis logarithmic (d = 24 h)",
    )
    left, right = fig.subplots(1, 2)

    # Histogram: segments stacked.
    stack = segments or {"all": counts}
    bottom: list[float] | None = None
    for seg, cs in stack.items():
        grid, sums = _display_bins(edges, cs)
        sums = [c / reps for c in sums]
        base = bottom or [0.0] * len(sums)
        left.stairs(
            [b + s for b, s in zip(base, sums, strict=True)],
            grid,
            baseline=base,
            fill=True,
            color=colours.get(seg, Ink.BLUE),
            alpha=0.85,
            label=names.segment(seg) if segments else "all cases",
        )
        bottom = [b + s for b, s in zip(base, sums, strict=True)]
    for t in targets:
        left.axvline(
            t.seconds, color=colours.get(t.segment or "", Ink.VERMILLION), lw=1.1, ls=(0, (4, 2))
        )
    theme.time_axis(left, lo, hi)
    left.set_ylabel("cases per replication")
    left.set_xlabel("cycle time")
    left.set_title("How many cases take how long", fontsize=9.5)
    theme.value_grid(left, "y")

    # ECDF: all cases in ink, each segment in its colour.
    curves = {"all": counts, **segments} if segments else {"all": counts}
    for seg, cs in curves.items():
        xs, ys = _ecdf(edges, cs)
        if seg == "all":
            right.plot(xs, ys, color=Ink.TEXT, lw=2.0, label="all cases", zorder=3)
        else:
            right.plot(xs, ys, color=colours[seg], lw=1.4, label=names.segment(seg))
    for t in targets:
        colour = colours.get(t.segment or "", Ink.VERMILLION)
        right.axvline(t.seconds, color=colour, lw=1.1, ls=(0, (4, 2)), zorder=2)
        text = f"{theme.shorten(t.label, 16)}\n{t.stat} ≤ {duration(t.seconds)}"
        right.annotate(
            text,
            (t.seconds, 0.03),
            xytext=(-5, 0),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color=colour,
        )
        if t.quantile is not None:
            right.plot([t.seconds], [t.quantile], marker="D", ms=5, color=colour, zorder=4)
    theme.time_axis(right, lo, hi)
    right.set_ylim(0, 1.02)
    theme.percent_axis(right, "y")
    right.set_ylabel("cases finished within")
    right.set_xlabel("cycle time")
    right.set_title("Share of cases finished within a time", fontsize=9.5)
    theme.value_grid(right, "y")
    right.grid(True, axis="x")

    handles: list[Any] = [Line2D([], [], color=Ink.TEXT, lw=2.0, label="all cases")]
    handles += [Patch(color=colours[s], label=names.segment(s)) for s in segments]
    if targets:
        handles.append(
            Line2D(
                [],
                [],
                color=Ink.VERMILLION,
                lw=1.1,
                ls=(0, (4, 2)),
                marker="D",
                ms=4,
                label="KPI target (◆ the share of cases it asks for)",
            )
        )
    legend_below(fig, handles)
    p = (result.get("cases") or {}).get("cycle_time_s") or {}
    label = (
        f"Cycle time: mean {duration(fmean(p.get('mean')))}, p90 {duration(fmean(p.get('p90')))}"
        + "".join(f"; target {t.label} {t.stat} ≤ {duration(t.seconds)}" for t in targets)
        + "".join(f"; segment {names.segment(s)}" for s in segments)
    )
    return Chart("cycle-time", "Cycle time, arrival to finish", fig, label)
