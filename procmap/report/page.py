"""Assembling a report: charts drawn, the map asked of :mod:`procmap.render`, sections laid out.

The map is the only part that reaches outside this package: it is drawn by the render layer (the
swimlane flowchart coloured by the simulation, SPEC §7) with Graphviz.  Both are optional — when
either is missing the report says so in the map's place and is otherwise complete.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from procmap.report import compare as compare_mod
from procmap.report import theme
from procmap.report.charts import Chart, breach_attribution, cycle_time, sla_attainment
from procmap.report.html import Page, Section, notice
from procmap.report.sections import result_sections, result_tiles, run_facts
from procmap.report.team_charts import cost, queue_length, utilisation
from procmap.report.words import Names

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = ["all_charts", "comparison_page", "heatmap_svg", "result_page"]

Result = Mapping[str, Any]

METHOD = (
    "How to read the figures: every figure is computed per replication (an independent run of "
    "the same process with its own random arrivals and durations) and shown as the mean across "
    "replications with a Student-t 95% interval (±). Counts are per replication and cover cases "
    "that arrived after the warm-up. Durations count clock time (d = 24 h) unless an SLA names a "
    "calendar, whose clock runs in open hours only."
)


def heatmap_svg(model: Model | None, result: Result, key: str) -> tuple[str | None, str]:
    """The flowchart coloured by the result, as inline SVG — or ``None`` and why not.

    Drawn by :func:`procmap.render.render_bytes` (the render layer's file layer, with Graphviz).
    """
    from procmap.errors import GraphvizNotFound, ProcmapError
    from procmap.sim.result import SimulationResult

    if model is None:
        return None, "The process map needs the model: pass model= when making the report."
    try:
        from procmap.render import render_bytes
    except ImportError:  # pragma: no cover - a build without the render layer
        return None, "This build of procmap cannot draw the process map; the rest is complete."
    try:
        svg = render_bytes(model, "svg", results=SimulationResult(result, model)).decode("utf-8")
    except GraphvizNotFound:
        return None, (
            "The process map needs Graphviz's dot program (Debian: apt-get install graphviz); "
            "the rest of the report is complete."
        )
    except (ProcmapError, ValueError, OSError) as exc:
        return None, f"The process map could not be drawn: {exc}"
    caption = (
        "Stages coloured by on-duty wait share, teams by utilisation; bottlenecks marked; "
        "SLA spans by attainment against goal."
    )
    return theme.inline_svg(svg, key), caption


RESULT_CHARTS = {
    "sla-attainment": sla_attainment,
    "breach-attribution": breach_attribution,
    "cycle-time": cycle_time,
    "utilisation": utilisation,
    "queue-length": queue_length,
    "cost": cost,
}
"""Every chart of a one-scenario report, by key, in page order."""


def result_charts(result: Result, names: Names) -> dict[str, Chart | None]:
    """Every chart of a one-scenario report (``None`` where there is nothing to show)."""
    with theme.style():
        return {key: make(result, names) for key, make in RESULT_CHARTS.items()}


def _drawn(result: Result, names: Names, prefix: str) -> dict[str, tuple[Chart, str] | None]:
    """Every chart of a result with its inline SVG (ids prefixed so scenarios do not clash)."""
    out: dict[str, tuple[Chart, str] | None] = {}
    for key, chart in result_charts(result, names).items():
        if chart is None:
            out[key] = None
            continue
        chart = dataclasses.replace(chart, key=prefix + chart.key)
        out[key] = (chart, theme.svg_text(chart.figure, chart.key, chart.label))
    return out


def _font_notice() -> str:
    if theme.has_cjk_font():
        return ""
    return notice(
        "No CJK font was found, so Chinese labels in the charts may show as boxes: install "
        "Noto Sans CJK (Debian: fonts-noto-cjk).",
        warn=True,
    )


def _scenario_sections(result: Result, model: Model | None, prefix: str) -> list[Section]:
    names = Names(model, result)
    drawn = _drawn(result, names, prefix)
    key = prefix + "map"
    return result_sections(
        result, names, model, drawn, lambda: heatmap_svg(model, result, key), prefix
    )


def result_page(result: Result, model: Model | None) -> str:
    """The HTML report of one scenario."""
    theme.mpl()
    names = Names(model, result)
    sections = _scenario_sections(result, model, "")
    sections.append(Section("method", "Method").add(f"<p>{METHOD}</p>"))
    title = names.process
    page = Page(
        title=title,
        kicker="Process simulation report",
        lead=f"Scenario {result.get('scenario', 'baseline')}"
        + (f" — {model.id}" if model is not None and model.id != title else ""),
        facts=run_facts(result),
        intro=[_font_notice(), result_tiles(result, names)],
        sections=sections,
        footer=f"Made with procmap {result.get('procmap_version', '')} from model "
        f"{result.get('model', '')} (sha256 {str(result.get('model_sha256', ''))[:12]}).",
        lang="en",
    )
    return page.render()


def comparison_page(data: Result, models: Mapping[str, Model]) -> str:
    """The HTML report of a comparison: scenario table and charts, then each scenario in full."""
    theme.mpl()
    base = models.get("baseline")
    base_result = data["scenarios"].get("baseline") or next(iter(data["scenarios"].values()))
    names = Names(base, base_result)
    sections = compare_mod.comparison_sections(data, names, models)
    details = Section("details", "Each scenario in detail")
    details.add(
        "<p>The full report of every scenario. Open one to see its bottlenecks, service levels, "
        "cycle time, teams, queues and cost.</p>"
    )
    for i, (name, result) in enumerate(data["scenarios"].items()):
        prefix = f"s{i}-"
        inner = _scenario_sections(result, models.get(name), prefix)
        body = "".join(s.render(level=3) for s in inner)
        is_open = " open" if name == "baseline" else ""
        details.add(
            f'<details class="scenario" id="{prefix}scenario"{is_open}><summary>{_esc(name)}'
            f"</summary>{result_tiles(result, Names(models.get(name), result))}{body}</details>"
        )
    sections += [
        details,
        Section("method", "Method").add(f"<p>{METHOD}</p>", compare_mod.PAIRED_NOTE),
    ]
    page = Page(
        title=names.process,
        kicker="Scenario comparison report",
        lead="Scenarios: " + ", ".join(data["scenarios"]),
        facts=run_facts(base_result)[1:],
        intro=[_font_notice(), compare_mod.comparison_tiles(data, names)],
        sections=sections,
        footer=f"Made with procmap {base_result.get('procmap_version', '')} from model "
        f"{data.get('model', '')}.",
    )
    return page.render()


def _esc(text: str) -> str:
    from html import escape

    return escape(text)


def all_charts(data: Result, comparison: bool, models: Mapping[str, Model]) -> list[Chart]:
    """The charts a report shows (for :func:`procmap.report.write_chart_images`)."""
    theme.mpl()
    if comparison:
        base = data["scenarios"].get("baseline") or next(iter(data["scenarios"].values()))
        return compare_mod.comparison_charts(data, Names(models.get("baseline"), base), models)
    model = models.get(str(data.get("scenario", "baseline")))
    found = result_charts(data, Names(model, data))
    return [c for c in found.values() if c is not None]
