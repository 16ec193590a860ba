"""One self-contained HTML page: the map (or heatmap), the SIPOC table, SLAs and KPIs.

Offline by design — no script, font or style sheet is fetched — so the page can be mailed to a
client or opened from a USB stick.  The drawing is inline SVG; without the ``dot`` program the
page says so and shows the Mermaid source instead (paste it into any Mermaid viewer).
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from procmap.render import style
from procmap.render.content import Words, percent, pretty_target
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.model.model import Model
    from procmap.sim.result import SimulationResult

__all__ = ["model_html", "page"]

_CSS = f"""
body {{ font-family: {style.FONT_STACK_CSS}; color: {Palette.INK}; margin: 24px auto;
       max-width: 1400px; padding: 0 16px; line-height: 1.45; }}
h1 {{ font-size: 22px; margin: 0 0 2px; }}
h2 {{ font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid {Palette.LANE_BORDER}; }}
.sub {{ color: {Palette.MUTED}; font-size: 13px; margin: 0 0 16px; }}
.map {{ overflow-x: auto; border: 1px solid {Palette.LANE_BORDER}; padding: 8px; background: #fff; }}
.map svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: 13px; margin: 8px 0; }}
th, td {{ border: 1px solid {Palette.LANE_BORDER}; padding: 4px 8px; vertical-align: top; text-align: left; }}
th {{ background: {Palette.HEADER_FILL}; }}
tr:nth-child(even) td {{ background: {Palette.LANE_FILLS[0]}; }}
caption {{ text-align: left; font-weight: bold; padding: 4px 0; }}
caption small {{ font-weight: normal; color: {Palette.MUTED}; }}
.system {{ color: {Palette.SYSTEM}; }}
.notice {{ background: #fff4e5; border-left: 4px solid {Palette.BOTTLENECK}; padding: 8px 12px; }}
pre {{ background: {Palette.LANE_FILLS[0]}; padding: 12px; overflow-x: auto; font-size: 12px; }}
"""


def page(
    model: Model,
    *,
    results: SimulationResult | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    view: str = "flow",
    direction: Literal["LR", "TB"] = "LR",
) -> str:
    """The HTML page of a model (and of simulation results, as a heatmap).

    Raises
    ------
    RenderError
        Graphviz is present but failed.
    ValueError, FileError
        Results of another process, or a results file that cannot be read.
    """
    from procmap.render.dot import to_dot
    from procmap.render.files import find_dot, svg_text
    from procmap.render.sipoc import sipoc_table

    e = html.escape
    data = None
    if results is not None:
        from procmap.render.heatmap import model_for, result_data

        data = result_data(results)
        model = model_for(model, data)
    words = Words(model)
    doc = model.document
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(model.name)} — procmap</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(model.name)}</h1>",
        f'<p class="sub">{e(doc.process.id)} · {len(doc.stages)} stages · {len(doc.teams)} teams'
        + (f" · scenario {e(model.scenario)}" if model.scenario != "baseline" else "")
        + "</p>",
    ]
    if doc.process.description:
        parts.append(f"<p>{e(doc.process.description)}</p>")
    if find_dot() is not None:
        title = "Heatmap" if data is not None else ("SIPOC" if view == "sipoc" else "Process map")
        svg = svg_text(
            to_dot(model, data, "sipoc" if view == "sipoc" else "flow", direction=direction)
        )
        svg = svg[svg.find("<svg") :]
        parts.append(f'<h2>{title}</h2><div class="map">{svg}</div>')
    else:
        from procmap.render.mermaid import to_mermaid

        parts.append(
            '<h2>Process map</h2><p class="notice">The Graphviz <code>dot</code> program was not '
            "found when this page was made, so the map is given as Mermaid source: paste it into "
            "any Mermaid viewer, or install Graphviz (<code>apt-get install graphviz "
            "fonts-noto-cjk</code>) and render again.</p>"
            f"<pre>{e(to_mermaid(model, direction))}</pre>"
        )
    if view != "sipoc":
        parts.append("<h2>SIPOC</h2>" + sipoc_table(model, "html"))
    if doc.slas:
        rows = []
        for lid, sla in doc.slas.items():
            details = words.sla_details(lid)
            got = ""
            if data is not None:
                d = (data.get("slas") or {}).get(lid) or {}
                att = (d.get("attainment") or {}).get("mean")
                if att is not None:
                    verdict = (
                        ""
                        if d.get("met_goal") is None
                        else (" ✓" if d.get("met_goal") else " — missed")
                    )
                    got = f"{percent(att)}{verdict}"
            rows.append(
                f"<tr><td>{e(sla.name or lid)}</td><td>≤ {e(sla.target.text)}</td><td>{e(details)}</td>"
                + (f"<td>{e(got)}</td>" if data is not None else "")
                + "</tr>"
            )
        head = "<th>SLA</th><th>target</th><th>clock</th>" + (
            "<th>attained</th>" if data is not None else ""
        )
        parts.append(f"<h2>SLAs</h2><table><tr>{head}</tr>{''.join(rows)}</table>")
    if doc.kpis:
        rows = []
        for kpi in doc.kpis:
            subject = kpi.stage or kpi.team or kpi.sla or kpi.segment or "process"
            value = ""
            if data is not None:
                d = (data.get("kpis") or {}).get(kpi.id) or {}
                if d.get("value") is not None:
                    from procmap.sim.result import kpi_kind
                    from procmap.sim.table import format_value

                    value = format_value(d["value"], kpi_kind(kpi.metric))
                    value += " ✓" if d.get("met") else " — missed" if d.get("met") is False else ""
            target = pretty_target(kpi.target.text) if kpi.target is not None else ""
            rows.append(
                f"<tr><td>{e(kpi.name or kpi.id)}</td><td>{e(kpi.metric or kpi.source or '')}</td>"
                f"<td>{e(subject)}</td><td>{e(target)}</td>"
                + (f"<td>{e(value)}</td>" if data is not None else "")
                + "</tr>"
            )
        head = "<th>KPI</th><th>metric</th><th>of</th><th>target</th>" + (
            "<th>simulated</th>" if data is not None else ""
        )
        parts.append(f"<h2>KPIs</h2><table><tr>{head}</tr>{''.join(rows)}</table>")
    parts.append(
        f'<p class="sub">Made with procmap from {e(doc.process.id)}'
        + (
            f" and simulation results ({e(str(data.get('scenario', 'baseline')))})"
            if data is not None
            else ""
        )
        + ".</p></body></html>\n"
    )
    return "\n".join(parts)


def model_html(model: Model) -> str:
    """A model's notebook display: its flowchart as inline SVG, or — without Graphviz, or if
    Graphviz fails — a notice and the Mermaid source, so a notebook always shows the model."""
    from procmap.errors import ProcmapError
    from procmap.render.dot import to_dot
    from procmap.render.files import INSTALL_HINT, find_dot, svg_text
    from procmap.render.mermaid import to_mermaid

    e = html.escape
    reason = f"Graphviz was not found ({INSTALL_HINT})."
    if find_dot() is not None:
        try:
            svg = svg_text(to_dot(model))
            return f'<div class="procmap-map" style="overflow:auto">{svg[svg.find("<svg") :]}</div>'
        except (ProcmapError, OSError, ValueError) as exc:
            reason = f"Graphviz could not draw the map ({exc})."
    return (
        f'<div class="procmap-map"><p><b>{e(model.name)}</b> — {e(reason)} '
        "The map as Mermaid source:</p>"
        f"<pre>{e(to_mermaid(model))}</pre></div>"
    )
