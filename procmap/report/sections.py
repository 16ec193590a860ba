"""The sections of a one-scenario report: what the process is, where it hurts, what it costs.

Order follows a steering-meeting conversation: the process and its SIPOC (do we agree on what we
modelled?), the map with its hot spots and the bottlenecks (where does it hurt?), the service
levels and why they break, how long cases take, how loaded the teams are and when queues build,
and what the staffing costs.  Every chart has a table beside it with the exact figures, so the
page works on paper and for readers who do not read charts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

from procmap.report import theme
from procmap.report.charts import Chart
from procmap.report.html import Cell, Section, chart_figure, notice, table, tiles
from procmap.report.process import process_section, sipoc_section
from procmap.report.team_charts import cost_per_week
from procmap.report.words import Names, duration, fmean, pretty_target, share_text, sla_target
from procmap.sim.result import kpi_kind
from procmap.sim.table import format_value

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = ["result_sections", "result_tiles", "run_facts"]

Result = Mapping[str, Any]
MapMaker = Callable[[], tuple[str | None, str]]
"""Returns the heatmap flowchart as inline SVG, or ``None`` and a notice saying why not."""


def fig(value: Any, kind: str = "number") -> Cell:
    """A numeric cell for a figure (``12min ± 30s``) with its ``n`` as a tooltip."""
    n = value.get("n") if isinstance(value, Mapping) else None
    return Cell(format_value(value, kind), numeric=True, title=f"n = {n}" if n is not None else "")


def status(met: bool | None, yes: str = "met", no: str = "missed") -> Cell:
    if met is None:
        return Cell("—", css="na")
    return Cell(f"✓ {yes}" if met else f"✗ {no}", css="ok" if met else "miss")


def run_facts(result: Result) -> list[str]:
    """One line of run settings: replications, window, seed, version."""
    cfg = result.get("config") or {}
    facts: list[str] = []
    reps = cfg.get("replications")
    if reps:
        facts.append(f"{reps} replications")
    if cfg.get("horizon_s"):
        facts.append(f"horizon {duration(cfg['horizon_s'])}")
    if cfg.get("cases"):
        facts.append(f"{cfg['cases']} cases")
    if cfg.get("warmup_s"):
        facts.append(f"warm-up {duration(cfg['warmup_s'])}")
    if cfg.get("start"):
        facts.append(f"from {str(cfg['start']).replace('T', ' ')}")
    if cfg.get("seed") is not None:
        facts.append(f"seed {cfg['seed']}")
    facts.append(f"procmap {result.get('procmap_version', '?')}")
    return facts


def result_tiles(result: Result, names: Names) -> str:
    """The key figures at the top of the page."""
    cases = result.get("cases") or {}
    items: list[tuple[str, str, str, str]] = []
    thr = fmean(cases.get("throughput_per_h"))
    if thr is not None:
        items.append(("Completed per week", f"{thr * 168:,.0f}", f"{thr:.2f} cases per hour", ""))
    ct = cases.get("cycle_time_s") or {}
    if fmean(ct.get("p90")) is not None:
        items.append(
            (
                "Cycle time, p90",
                duration(fmean(ct.get("p90"))),
                f"mean {duration(fmean(ct.get('mean')))}",
                "",
            )
        )
    slas = result.get("slas") or {}
    judged = {k: d["met_goal"] for k, d in slas.items() if d.get("met_goal") is not None}
    if judged:
        missed = [names.sla(k) for k, ok in judged.items() if not ok]
        note = "missed: " + ", ".join(missed) if missed else "all goals met"
        items.append(
            (
                "SLA goals met",
                f"{len(judged) - len(missed)} of {len(judged)}",
                note,
                "bad" if missed else "good",
            )
        )
    bottlenecks = result.get("bottlenecks") or []
    first = bottlenecks[0]["stage"] if bottlenecks else None
    items.append(
        (
            "Bottlenecks",
            str(len(bottlenecks)),
            f"worst: {names.stage(first)}" if first else "none found",
            "bad" if bottlenecks else "good",
        )
    )
    kpis = {k: d for k, d in (result.get("kpis") or {}).items() if d.get("met") is not None}
    if kpis:
        bad = [names.kpi(k) for k, d in kpis.items() if not d["met"]]
        items.append(
            (
                "KPI targets met",
                f"{len(kpis) - len(bad)} of {len(kpis)}",
                "missed: " + ", ".join(bad) if bad else "all met",
                "bad" if bad else "good",
            )
        )
    per_case = fmean(cases.get("cost_per_case"))
    if per_case is not None:
        weeks, _ = cost_per_week(result)
        total = sum(fmean(d.get("cost")) or 0.0 for d in (result.get("teams") or {}).values())
        note = f"{theme.format_money(total / weeks, names.currency)} per week" if weeks else ""
        items.append(
            ("Cost per case", theme.format_money(per_case, names.currency, decimals=2), note, "")
        )
    return tiles(items)


def map_section(make_map: MapMaker, key: str) -> Section:
    sec = Section(key, "Process map with hot spots")
    svg, note = make_map()
    if svg is None:
        return sec.add(notice(note, warn=True))
    return sec.add(
        f'<figure class="map" data-chart="{key}">{svg}</figure>',
        f'<p class="help">{escape(note)}</p>' if note else "",
    )


# --- where it hurts -----------------------------------------------------------------------------


def bottleneck_section(result: Result, names: Names, key: str) -> Section:
    sec = Section(key, "Bottlenecks")
    found = result.get("bottlenecks") or []
    sec.add(
        "<p>A stage is a bottleneck when cases wait there for at least 10% of their cycle time "
        "while its team is on duty, or when its team is busy at least 85% of its on-duty time. "
        "Worst first.</p>"
    )
    if not found:
        return sec.add(
            notice("No bottleneck: no stage holds 10% of the waiting and no team is 85% busy.")
        )
    rows = [
        [
            Cell(str(i), True),
            names.stage(b["stage"]),
            names.team(b["team"]) if b.get("team") else "",
            Cell(share_text(b.get("on_duty_wait_share")), True),
            Cell(share_text(b.get("utilization")), True),
            b.get("reason", ""),
        ]
        for i, b in enumerate(found, 1)
    ]
    return sec.add(
        table(
            [
                "#",
                "stage",
                "team",
                Cell("on-duty wait share", True),
                Cell("team busy", True),
                "why",
            ],
            rows,
        )
    )


def sla_section(result: Result, names: Names, key: str, chart: Chart | None, svg: str) -> Section:
    sec = Section(key, "Service levels")
    slas = result.get("slas") or {}
    if not slas:
        return sec.add(notice("The model defines no SLAs."))
    if chart is not None:
        sec.add(
            chart_figure(
                svg,
                chart.key,
                "Each bar is the share of judged cases that met the target (a case in its segment "
                "is judged against the segment's target). The black tick is the goal: a bar that "
                "ends left of its tick misses the goal. Whiskers show the 95% interval across "
                "replications: when a whisker crosses the tick, more replications are needed to be sure.",
            )
        )
    rows = []
    for lid, d in slas.items():
        esc = d.get("escalations") or {}
        rows.append(
            [
                Cell(names.sla(lid)),
                Cell(sla_target(d.get("target_s"), d.get("calendar")), True),
                Cell(share_text(d.get("goal"), 0), True),
                fig(d.get("attainment"), "share"),
                status(d.get("met_goal")),
                fig(d.get("breached"), "count"),
                fig(d.get("open"), "count"),
                fig(esc.get("total"), "count"),
            ]
        )
        for seg, s in (d.get("by_segment") or {}).items():
            rows.append(
                [
                    Cell(names.segment(seg), css="sub"),
                    Cell(sla_target(s.get("target_s"), d.get("calendar")), True),
                    Cell(share_text(s.get("goal"), 0) + ("" if s.get("own_goal") else " *"), True),
                    fig(s.get("attainment"), "share"),
                    status(s.get("met_goal")),
                    fig(s.get("breached"), "count"),
                    fig(s.get("open"), "count"),
                    Cell(""),
                ]
            )
    heads = [
        "SLA / segment",
        Cell("target", True),
        Cell("goal", True),
        Cell("attainment", True),
        "goal",
        Cell("breached", True),
        Cell("open at end", True),
        Cell("escalations", True),
    ]
    sec.add(table(heads, rows))
    if any(
        not s.get("own_goal") for d in slas.values() for s in (d.get("by_segment") or {}).values()
    ):
        sec.add(
            '<p class="help">* the segment has no goal of its own: the SLA\'s goal, shown for '
            "reference and not judged.</p>"
        )
    sec.add(
        '<p class="help">Counts are per replication; breached and open cases counted after warm-up.</p>'
    )
    return sec


def breach_section(result: Result, key: str, chart: Chart | None, svg: str) -> Section:
    sec = Section(key, "Why SLAs break")
    if chart is None:
        return sec.add(notice("No SLA was breached in the simulated window."))
    return sec.add(
        chart_figure(
            svg,
            chart.key,
            "For the cases that breached, where their time went between the SLA's start and stop: "
            "queue wait at a stage is the usual lever (more staff or priority), work is the touch "
            "time itself, 'held off duty' a task started and paused overnight, and hand-offs the "
            "transfer delays between teams.",
        )
    )


def cycle_section(result: Result, names: Names, key: str, chart: Chart | None, svg: str) -> Section:
    sec = Section(key, "Cycle time")
    cases = result.get("cases") or {}
    if chart is not None:
        sec.add(
            chart_figure(
                svg,
                chart.key,
                "Left: how many cases take how long (segments stacked). Right: the share of cases "
                "finished within a given time — read a target off it directly; a cycle-time KPI "
                "target is met when its curve passes above and left of its diamond.",
            )
        )
    else:
        sec.add(notice("No case was completed in the simulated window."))
    rows = []
    for label, d, css in [("all cases", cases, "")] + [
        (names.segment(s), d, "sub") for s, d in (cases.get("by_segment") or {}).items()
    ]:
        ct = d.get("cycle_time_s") or {}
        rows.append(
            [Cell(label, css=css), fig(d.get("completed"), "count")]
            + [fig(ct.get(s), "duration") for s in ("mean", "p50", "p90", "p95", "max")]
        )
    heads = ["cases", Cell("completed", True)] + [
        Cell(s, True) for s in ("mean", "p50", "p90", "p95", "max")
    ]
    return sec.add(table(heads, rows))


def kpi_section(result: Result, names: Names, key: str) -> Section:
    sec = Section(key, "KPIs")
    kpis = result.get("kpis") or {}
    if not kpis:
        return sec.add(notice("The model defines no KPIs."))
    rows = []
    for kid, d in kpis.items():
        kind = kpi_kind(d.get("metric"))
        value = {"mean": d.get("value"), "ci95": d.get("ci95"), "n": d.get("n", 0)}
        what = (d.get("metric") or "external").replace("_", " ") + (
            f" {d['stat']}" if d.get("stat") else ""
        )
        met = d.get("met")
        rows.append(
            [
                names.kpi(kid),
                what,
                fig(value, kind),
                Cell(pretty_target(d.get("target")), True),
                status(met) if d.get("metric") else Cell("not simulated", css="na"),
            ]
        )
    return sec.add(
        table(["KPI", "measure", Cell("value", True), Cell("target", True), "met"], rows)
    )


def team_section(result: Result, names: Names, key: str, chart: Chart | None, svg: str) -> Section:
    sec = Section(key, "Team utilisation")
    if chart is not None:
        sec.add(
            chart_figure(
                svg,
                chart.key,
                "Simulated utilisation beside the analytic estimate from the model alone. They should "
                "agree within a few points; a large gap means the calendars, priorities or parallel "
                "work matter more than averages suggest. Above about 85% queues grow quickly.",
            )
        )
    rows = []
    for tid, d in (result.get("teams") or {}).items():
        a = d.get("analytic") or {}
        q = d.get("queue_length") or {}
        unlimited = names.unlimited(tid)
        rows.append(
            [
                names.team(tid),
                fig(d.get("utilization"), "share")
                if not unlimited
                else Cell("unlimited", True, "na"),
                Cell(share_text(fmean(a.get("utilization"))), True),
                Cell(
                    f"{a['staff_on_duty']:.2f}" if a.get("staff_on_duty") is not None else "—", True
                ),
                fig(q.get("mean"), "number"),
                fig(q.get("max"), "number"),
            ]
        )
    heads = [
        "team",
        Cell("utilisation", True),
        Cell("analytic", True),
        Cell("staff on duty (avg)", True),
        Cell("queue, mean", True),
        Cell("queue, max", True),
    ]
    return sec.add(table(heads, rows))


def queue_section(key: str, chart: Chart | None, svg: str) -> Section:
    sec = Section(key, "Queues over time")
    if chart is None:
        return sec.add(notice("No team had a queue in the simulated window."))
    return sec.add(
        chart_figure(
            svg,
            chart.key,
            "Tasks waiting in each of the busiest teams' queues, hour by hour. Queues that empty "
            "every evening are healthy; a queue that carries over from day to day, or grows week "
            "after week, means the team cannot keep up.",
        )
    )


def cost_section(result: Result, names: Names, key: str, chart: Chart | None, svg: str) -> Section:
    sec = Section(key, "Cost")
    weeks, per_week_cases = cost_per_week(result)
    if chart is not None:
        sec.add(
            chart_figure(
                svg,
                chart.key,
                "Staff cost is paid for rostered hours, busy or not; the top axis reads the same bars "
                "per completed case. A cheaper process uses fewer rostered hours per case.",
            )
        )
    teams = {
        t: d for t, d in (result.get("teams") or {}).items() if (fmean(d.get("cost")) or 0) > 0
    }
    if not teams:
        return sec.add(notice("No team has a cost per hour, so no cost is reported."))
    cur = names.currency
    rows = []
    for tid, d in teams.items():
        c = fmean(d.get("cost")) or 0.0
        per_week = c / weeks if weeks else None
        per_case = per_week / per_week_cases if per_week is not None and per_week_cases else None
        rows.append(
            [
                names.team(tid),
                Cell(theme.format_money(c, None), True),
                Cell(theme.format_money(per_week, None), True),
                Cell(theme.format_money(per_case, None, decimals=2), True),
            ]
        )
    cases = result.get("cases") or {}
    rows.append(
        [
            Cell("all teams", css="total"),
            Cell(
                theme.format_money(sum(fmean(d.get("cost")) or 0 for d in teams.values()), None),
                True,
            ),
            Cell(
                theme.format_money(
                    sum(fmean(d.get("cost")) or 0 for d in teams.values()) / weeks, None
                )
                if weeks
                else "—",
                True,
            ),
            fig(cases.get("cost_per_case"), "money"),
        ]
    )
    unit = f" ({cur})" if cur else ""
    heads = [
        "team",
        Cell(f"in the window{unit}", True),
        Cell(f"per week{unit}", True),
        Cell(f"per completed case{unit}", True),
    ]
    return sec.add(table(heads, rows))


def result_sections(
    result: Result,
    names: Names,
    model: Model | None,
    charts: Mapping[str, tuple[Chart, str] | None],
    make_map: MapMaker,
    prefix: str = "",
) -> list[Section]:
    """Every section of a one-scenario report; ``charts`` maps chart keys to (chart, svg)."""

    def c(key: str) -> tuple[Chart | None, str]:
        got = charts.get(key)
        return (got[0], got[1]) if got else (None, "")

    return [
        process_section(model, names, prefix + "process"),
        sipoc_section(model, names, prefix + "sipoc"),
        map_section(make_map, prefix + "map"),
        bottleneck_section(result, names, prefix + "bottlenecks"),
        sla_section(result, names, prefix + "slas", *c("sla-attainment")),
        breach_section(result, prefix + "breaches", *c("breach-attribution")),
        cycle_section(result, names, prefix + "cycle", *c("cycle-time")),
        kpi_section(result, names, prefix + "kpis"),
        team_section(result, names, prefix + "teams", *c("utilisation")),
        queue_section(prefix + "queues", *c("queue-length")),
        cost_section(result, names, prefix + "cost", *c("cost")),
    ]
