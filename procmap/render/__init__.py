"""Drawing a process: the swimlane flowchart, its heatmap, the SIPOC table (SPEC §7).

The core is pure — :func:`to_dot`, :func:`to_mermaid` and :func:`sipoc_table` return text, the
same bytes for the same model on every run — and :func:`render` is the file layer that runs
Graphviz (found through ``PROCMAP_DOT``, then ``PATH``) and writes files atomically::

    import procmap
    model = procmap.load("examples/service_desk.yaml")
    procmap.render(model, "map.svg")                    # the swimlane flowchart
    procmap.render(model, "heat.png", results=result)   # coloured by a simulation
    procmap.render(model, "sipoc.md", view="sipoc")     # the SIPOC table

Importing this package also gives :class:`~procmap.SimulationResult` its heatmap in notebooks
(a hook the simulation layer offers, so that it never imports the rendering layer).
"""

from __future__ import annotations

from procmap.render.dot import to_dot
from procmap.render.files import FORMATS, default_name, find_dot, render, render_bytes
from procmap.render.heatmap import heatmap_section
from procmap.render.html import page
from procmap.render.mermaid import to_mermaid
from procmap.render.sipoc import SipocRow, sipoc_rows, sipoc_table
from procmap.sim.result import SimulationResult

__all__ = [
    "FORMATS",
    "SipocRow",
    "default_name",
    "find_dot",
    "page",
    "render",
    "render_bytes",
    "sipoc_rows",
    "sipoc_table",
    "to_dot",
    "to_mermaid",
]

if heatmap_section not in SimulationResult.html_sections:
    SimulationResult.html_sections.append(heatmap_section)
