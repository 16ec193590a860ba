"""DOT text from a scene: the pure function :func:`to_dot` and the printer behind it.

The DOT is a finished drawing: every node has its position and size, every edge its spline
(``pos``), every lane its rectangle (``bb``).  Graphviz only paints it, with ``neato -n2``
(``dot -Kneato -n2 -Tsvg map.dot``), so the picture is the same on every machine and the DOT is
byte-identical on every run: node ids are generated ASCII (``s0``, ``lane1``; labels carry the
Unicode), numbers are printed with two decimals, and nothing iterates over an unordered set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from os import PathLike
from typing import TYPE_CHECKING, Any, Literal

from procmap.render import style
from procmap.render.content import Block
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.model.model import Model
    from procmap.render.scene import Edge, Node, Scene
    from procmap.sim.result import SimulationResult

__all__ = ["block_html", "escape", "scene_dot", "to_dot"]

CORNER = 6.0
ARROW = 7.0
View = Literal["flow", "sipoc"]


def to_dot(
    model: Model,
    results: SimulationResult | Mapping[str, Any] | str | PathLike[str] | None = None,
    view: View = "flow",
    *,
    direction: Literal["LR", "TB"] = "LR",
) -> str:
    """The DOT text of a model's swimlane flowchart (or heatmap, or SIPOC table).

    Parameters
    ----------
    model:
        A loaded :class:`~procmap.Model`.
    results:
        Simulation figures for the heatmap: a :class:`~procmap.SimulationResult`, its RESULT
        dict, or the path of a result JSON file.
    view:
        ``flow`` (the flowchart, default) or ``sipoc`` (the SIPOC table).
    direction:
        ``LR`` (flow left to right, lanes as rows) or ``TB`` (top to bottom, lanes as columns).

    Returns
    -------
    str
        DOT text to draw with ``dot -Kneato -n2`` (positions are fixed); the same model gives
        the same bytes on every run.

    Raises
    ------
    ValueError
        An unknown ``view`` or ``direction``, or results of another model.
    FileError
        ``results`` names a file that cannot be read.
    """
    if direction not in ("LR", "TB"):
        raise ValueError(f"unknown direction: {direction!r} (must be one of ['LR', 'TB'])")
    if view == "sipoc":
        from procmap.render.sipoc import sipoc_dot

        return sipoc_dot(model)
    if view != "flow":
        raise ValueError(f"unknown view: {view!r} (must be one of ['flow', 'sipoc'])")
    from procmap.render.scene import flow_scene

    heat = None
    if results is not None:
        from procmap.render.heatmap import Heat

        heat = Heat.of(model, results)
        model = heat.model
    return scene_dot(flow_scene(model, direction, heat))


# --- printing ---------------------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate: two decimals at most, no ``-0``."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def escape(text: str) -> str:
    """Text for a Graphviz HTML-like label."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def block_html(block: Block, *, background: str | None = None) -> str:
    """A block of styled lines as an HTML-like label (without the outer ``<`` ``>``)."""
    parts = []
    for line in block.lines:
        text = escape(line.text)
        if line.bold:
            text = f"<B>{text}</B>"
        if line.italic:
            text = f"<I>{text}</I>"
        parts.append(f'<FONT POINT-SIZE="{_n(line.size)}" COLOR="{line.colour}">{text}</FONT>')
    body = "<BR/>".join(parts)
    if background is None:
        return body
    return (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" BGCOLOR="{background}">'
        f"<TR><TD>{body}</TD></TR></TABLE>"
    )


def _spline(points: list[tuple[float, float]], height: float, *, rounded: bool, arrow: bool) -> str:
    """Graphviz ``pos`` for a polyline: cubic pieces, corners rounded, ``e,`` for an arrowhead."""
    pts = [(x, height - y) for x, y in points]
    end: tuple[float, float] | None = None
    if arrow and len(pts) >= 2:
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        length = math.hypot(x1 - x0, y1 - y0)
        cut = min(ARROW, length * 0.6)
        if length > 0:
            end = (x1, y1)
            pts[-1] = (x1 - (x1 - x0) / length * cut, y1 - (y1 - y0) / length * cut)
    out = [pts[0]]

    def line_to(a: tuple[float, float], b: tuple[float, float]) -> None:
        out.extend(
            [(a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3),
             (a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3),
             b]
        )  # fmt: skip

    current = pts[0]
    for i in range(1, len(pts) - 1):
        a, p, c = pts[i - 1], pts[i], pts[i + 1]
        la = math.hypot(p[0] - a[0], p[1] - a[1])
        lc = math.hypot(c[0] - p[0], c[1] - p[1])
        r = min(CORNER, la / 2, lc / 2) if rounded else 0.0
        if r <= 0.01 or la == 0 or lc == 0:
            line_to(current, p)
            current = p
            continue
        b1 = (p[0] - (p[0] - a[0]) / la * r, p[1] - (p[1] - a[1]) / la * r)
        b2 = (p[0] + (c[0] - p[0]) / lc * r, p[1] + (c[1] - p[1]) / lc * r)
        line_to(current, b1)
        k = 0.55
        out.extend(
            [(b1[0] + (p[0] - b1[0]) * k, b1[1] + (p[1] - b1[1]) * k),
             (b2[0] + (p[0] - b2[0]) * k, b2[1] + (p[1] - b2[1]) * k),
             b2]
        )  # fmt: skip
        current = b2
    line_to(current, pts[-1])
    text = " ".join(f"{_n(x)},{_n(y)}" for x, y in out)
    if end is not None:
        text = f"e,{_n(end[0])},{_n(end[1])} " + text
    return text


def _node_line(node: Node, height: float) -> str:
    attrs: list[tuple[str, str]] = [
        ("pos", _q(f"{_n(node.x)},{_n(height - node.y)}")),
        ("width", f"{node.w / 72:.4f}".rstrip("0").rstrip(".")),
        ("height", f"{node.h / 72:.4f}".rstrip("0").rstrip(".")),
        ("shape", node.shape),
    ]
    if node.style:
        attrs.append(("style", _q(node.style)))
    if node.fill and node.fill != "label":
        attrs.append(("fillcolor", _q(node.fill)))
    if node.pen:
        attrs.append(("color", _q(node.pen)))
    if node.penwidth != 1.0:
        attrs.append(("penwidth", _n(node.penwidth)))
    if node.html is not None:
        attrs.append(("label", f"<{node.html}>"))
    elif node.label:
        background = Palette.LABEL_BG if node.fill == "label" else None
        attrs.append(("label", f"<{block_html(node.label, background=background)}>"))
    else:
        attrs.append(("label", '""'))
    if node.tooltip:
        attrs.append(("tooltip", _q(node.tooltip)))
    return f"  {node.name} [" + " ".join(f"{k}={v}" for k, v in attrs) + "];"


def _edge_line(edge: Edge, height: float) -> str:
    attrs: list[tuple[str, str]] = [
        ("pos", _q(_spline(edge.points, height, rounded=edge.rounded, arrow=edge.arrow)))
    ]
    if not edge.arrow:
        attrs.append(("dir", "none"))
    if edge.style != "solid":
        attrs.append(("style", edge.style))
    if edge.colour != Palette.LINE:
        attrs.append(("color", _q(edge.colour)))
    if edge.penwidth != 1.0:
        attrs.append(("penwidth", _n(edge.penwidth)))
    if edge.tooltip:
        attrs.append(("tooltip", _q(edge.tooltip)))
    return f"  {edge.tail} -> {edge.head} [" + " ".join(f"{k}={v}" for k, v in attrs) + "];"


def scene_dot(scene: Scene) -> str:
    """Print a scene as DOT (positions fixed; draw with ``dot -Kneato -n2``)."""
    w, h = scene.width, scene.height
    out = [
        f"// {scene.comment or 'procmap drawing'}",
        "// Positions are fixed: draw with  dot -Kneato -n2 -Tsvg THIS.dot -o map.svg",
        "digraph procmap {",
        f'  graph [bb="0,0,{_n(w)},{_n(h)}" outputorder=nodesfirst splines=true pad="0.15"'
        f' bgcolor="white" fontname={_q(style.FONT)} tooltip={_q(scene.title)}];',
        f"  node [fontname={_q(style.FONT)} fixedsize=true margin=0 fontsize=10"
        f' color="{Palette.LINE}" fontcolor="{Palette.INK}"];',
        f'  edge [fontname={_q(style.FONT)} arrowsize=0.7 color="{Palette.LINE}"];',
    ]
    band_names = {band.name for band in scene.bands}
    grouped: dict[str, list[Node]] = {}
    for node in scene.nodes:
        if node.name in band_names:
            grouped.setdefault(node.name, []).append(node)
    for band in scene.bands:
        x0, y0, x1, y1 = band.rect
        out.append(f"  subgraph cluster_{band.name} {{")
        out.append(
            f'    graph [bb="{_n(x0)},{_n(h - y1)},{_n(x1)},{_n(h - y0)}" label="" style=filled'
            f' fillcolor="{band.fill}" color="{band.pen}" penwidth=0.8];'
        )
        for node in grouped.get(band.name, []):
            out.append("  " + _node_line(node, h))
        out.append("  }")
    inside = {n.name for nodes in grouped.values() for n in nodes}
    for node in scene.nodes:
        if node.name not in inside:
            out.append(_node_line(node, h))
    for edge in scene.edges:
        out.append(_edge_line(edge, h))
    out.append("}")
    return "\n".join(out) + "\n"
