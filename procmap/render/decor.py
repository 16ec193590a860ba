"""Around the lanes: the title, the SLA spans, the legend and the KPI and SLA tables.

SLA spans run along the flow above the first lane (left of it in ``TB``), one row per SLA,
from the event that starts the clock to the one that stops it; a paused stretch (``pause``) is
dotted.  The legend shows every symbol the map uses with the map's own shapes, and in a
heatmap the two colour scales.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmap.render import style
from procmap.render.content import Block, Line, lines, percent, pretty_target
from procmap.render.dot import block_html, escape
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.render.layout import Box
    from procmap.render.scene import FlowBuilder

__all__ = ["draw_legend", "draw_slas", "draw_title", "sla_strip_size", "title_height"]

SLA_TEXT_WIDTH_LR = 520.0
SLA_TEXT_WIDTH_TB = 150.0
SLA_ROW_GAP = 14.0
TICK = 5.0


def _title_block(b: FlowBuilder) -> Block:
    doc = b.doc
    block = lines(b.words.model.name, 900.0, size=style.TITLE_PT, bold=True)
    facts = [doc.process.id, f"{len(doc.stages)} stages", f"{len(doc.teams)} teams"]
    if b.model.scenario != "baseline":
        facts.append(f"scenario {b.model.scenario}")
    if b.heat is not None:
        facts.append(b.heat.subtitle)
    return block + lines(" · ".join(facts), 900.0, size=style.SUBTITLE_PT, colour=Palette.MUTED)


def title_height(b: FlowBuilder) -> float:
    """How much room the title takes above (LR) or before (TB) the lanes."""
    return _title_block(b).height + 12.0


def draw_title(b: FlowBuilder) -> None:
    """The process name and its facts (id, size, scenario, simulation) at the top left."""
    from procmap.render.scene import MARGIN, Node

    block = _title_block(b)
    b.scene.nodes.append(
        Node(
            "title",
            "plaintext",
            MARGIN + block.width / 2,
            MARGIN + block.height / 2,
            block.width,
            block.height,
            html=block_html(block).replace("<BR/>", '<BR ALIGN="LEFT"/>') + '<BR ALIGN="LEFT"/>',
        )
    )
    b.scene.comment = f"procmap flowchart of {b.doc.process.id}"


def _sla_block(b: FlowBuilder, lid: str) -> tuple[Block, str]:
    width = SLA_TEXT_WIDTH_LR if b.lr else SLA_TEXT_WIDTH_TB
    colour = Palette.SLA
    extra: list[Line] = []
    if b.heat is not None:
        colour, extra = b.heat.sla_state(lid)
    block = lines(
        "SLA " + b.words.sla_title(lid), width, size=style.DETAIL_PT + 0.5, bold=True, colour=colour
    )
    block += lines(b.words.sla_details(lid), width, size=style.EDGE_PT, colour=Palette.MUTED)
    return block + Block(tuple(extra)), colour


def _pieces(b: FlowBuilder) -> list[tuple[str, float, float, bool, bool, bool]]:
    """The SLA spans of the band being drawn: (id, from, to, first piece, starts, ends)."""
    part, grid = b.part, b.grid
    out = []
    for lid, sla in b.doc.slas.items():
        s_key = min(
            (_event_key(e) for e in sla.start_events), key=lambda k: b.global_col.get(k[0], 0)
        )
        e_key = max(
            (_event_key(e) for e in sla.stop_events), key=lambda k: b.global_col.get(k[0], 0)
        )
        s_col, e_col = b.global_col.get(s_key[0], 0), b.global_col.get(e_key[0], 0)
        if e_col < part.lo or s_col > part.hi:
            continue
        starts_here = s_key[0] in grid.boxes
        ends_here = e_key[0] in grid.boxes
        f0 = _event_f(grid.boxes[s_key[0]], s_key[1]) if starts_here else grid.gap_f0[0]
        f1 = _event_f(grid.boxes[e_key[0]], e_key[1]) if ends_here else grid.f_end - 6
        if f1 - f0 < 12:
            f1 = f0 + 12
        out.append((lid, f0, f1, s_col >= part.lo, starts_here, ends_here))
    return out


def _event_key(event: object) -> tuple[str, str]:
    stage = getattr(event, "stage", None)
    point = getattr(event, "point", "arrival")
    return ("^start", "arrival") if stage is None else (stage, point)


def _event_f(box: Box, point: str) -> float:
    if point == "arrival":
        return box.f
    return box.f - box.shape_f if point == "start" else box.f + box.shape_f


def _piece_block(b: FlowBuilder, lid: str, first: bool) -> tuple[Block, str]:
    block, colour = _sla_block(b, lid)
    if first:
        return block, colour
    more = lines("(continued)", 200, size=style.EDGE_PT, colour=Palette.MUTED)
    return Block((block.lines[0],)) + more, colour


def _shown(b: FlowBuilder) -> list[tuple[str, bool]]:
    """The SLAs the band being drawn shows (before its coordinates exist), and if it is the
    band where their clock starts."""
    part = b.part
    out = []
    for lid, sla in b.doc.slas.items():
        s_col = min(b.global_col.get(_event_key(e)[0], 0) for e in sla.start_events)
        e_col = max(b.global_col.get(_event_key(e)[0], 0) for e in sla.stop_events)
        if e_col >= part.lo and s_col <= part.hi:
            out.append((lid, s_col >= part.lo))
    return out


def sla_strip_size(b: FlowBuilder) -> float:
    """How much room the SLA spans of the band being drawn take across the flow."""
    total = 0.0
    for lid, first in _shown(b):
        block, _ = _piece_block(b, lid, first)
        total += (block.height if b.lr else block.width) + SLA_ROW_GAP
    return total + (6.0 if total else 0.0)


def draw_slas(b: FlowBuilder, c_start: float) -> None:
    """One bracket per SLA across the stages its clock runs over, labelled with its target."""
    from procmap.render.scene import Edge, Node

    c = c_start + 4.0
    tag = "" if b.part.index == 0 else f"_{b.part.index}"
    for lid, f0, f1, first, starts, ends in _pieces(b):
        i = list(b.doc.slas).index(lid)
        sla = b.doc.slas[lid]
        block, colour = _piece_block(b, lid, first)
        lf, lc = b.fc(block.width, block.height)
        x, y = b.xy(f0 + lf / 2, c + lc / 2)
        name = f"sla{i}{tag}"
        b.scene.nodes.append(
            Node(name, "plaintext", x, y, block.width, block.height,
                 html=block_html(block).replace("<BR/>", '<BR ALIGN="LEFT"/>') + '<BR ALIGN="LEFT"/>',
                 tooltip=f"SLA {lid}")
        )  # fmt: skip
        line_c = c + lc + 5.0
        pauses = sorted(
            (
                b.grid.boxes[s].f - b.grid.boxes[s].shape_f,
                b.grid.boxes[s].f + b.grid.boxes[s].shape_f,
            )
            for s in sla.pause
            if s in b.grid.boxes
        )
        pieces: list[tuple[float, float, str]] = []
        at = f0
        for p0, p1 in pauses:
            if p1 <= at or p0 >= f1:
                continue
            if p0 > at:
                pieces.append((at, p0, "solid"))
            pieces.append((max(p0, at), min(p1, f1), "dotted"))
            at = min(p1, f1)
        if at < f1:
            pieces.append((at, f1, "solid"))
        for a, z, dash in pieces:
            b.scene.edges.append(
                Edge(name, name, [b.xy(a, line_c), b.xy(z, line_c)], arrow=False,
                     style=dash, colour=colour, penwidth=1.8, rounded=False, tooltip=f"SLA {lid}")
            )  # fmt: skip
        for f, real in ((f0, starts), (f1, ends)):
            if real:
                b.scene.edges.append(
                    Edge(name, name, [b.xy(f, line_c - TICK), b.xy(f, line_c + TICK)],
                         arrow=False, colour=colour, penwidth=1.8, rounded=False)
                )  # fmt: skip
        c = line_c + TICK + SLA_ROW_GAP - 5.0


# --- legend -------------------------------------------------------------------------------


def _table(
    rows: list[list[str]], title: str, *, widths: list[float] | None = None
) -> tuple[str, float, float]:
    """A small HTML table (title row, then cells) and its estimated size in points."""
    size = style.LEGEND_PT
    cols = max(len(r) for r in rows) if rows else 1
    col_w = [0.0] * cols
    for row in rows:
        for j, cell in enumerate(row):
            col_w[j] = max(col_w[j], style.text_width(cell, size) + 10)
    if widths:
        col_w = [max(a, b) for a, b in zip(col_w, widths, strict=False)]
    title_w = style.text_width(title, size + 0.5, bold=True) + 10
    width = max(sum(col_w), title_w) + 4
    row_h = style.line_height(size) + 5
    height = row_h * (len(rows) + 1) + 6
    cells = [
        f'<TR><TD COLSPAN="{cols}" ALIGN="LEFT"><FONT POINT-SIZE="{size + 0.5}" COLOR="{Palette.INK}">'
        f"<B>{escape(title)}</B></FONT></TD></TR>"
    ]
    for row in rows:
        tds = "".join(
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{size}" COLOR="{Palette.INK}">{escape(cell)}</FONT></TD>'
            if cell
            else "<TD></TD>"
            for cell in row
        )
        cells.append(f"<TR>{tds}</TR>")
    html = (
        f'<TABLE BORDER="1" COLOR="{Palette.LANE_BORDER}" CELLBORDER="0" CELLSPACING="0" '
        f'CELLPADDING="2" BGCOLOR="white">' + "".join(cells) + "</TABLE>"
    )
    return html, width, height


def draw_legend(b: FlowBuilder) -> None:
    """The symbols row, the colour scales of a heatmap, and the SLA and KPI tables."""
    from procmap.render.scene import MARGIN, Edge, Node

    scene = b.scene
    top = scene.height + 16.0
    x = MARGIN
    limit = max(scene.width, 640.0)
    row_h = 26.0
    y = top + row_h / 2
    doc = b.doc
    kinds = {stage.kind for stage in doc.stages.values()}
    splits = any(stage.is_split for stage in doc.stages.values())
    badges = any(k.stage or k.team for k in doc.kpis)
    pauses = any(sla.pause for sla in doc.slas.values())
    wanted: list[tuple[bool, str, str]] = [
        ("task" in kinds, "task", "task"),
        ("wait" in kinds, "wait", "wait (time passes, nobody works)"),
        ("decision" in kinds, "decision", "decision"),
        (splits or "join" in kinds, "bar", "parallel split / join"),
        (True, "start", "start"),
        ("end" in kinds, "end", "end (outcome)"),
        (True, "flow", "flow: share, segment, hand-off, data"),
        (bool(doc.data_flows), "data", "data flow"),
        (any(s.system for s in doc.stages.values()), "text:▣ system", ""),
        (badges, "text:◆ KPI target", ""),
        (bool(doc.slas), "sla", "SLA span" + (" (dotted: clock paused)" if pauses else "")),
        (len(b.parts) > 1, "conn", "continues at the same letter"),
        (b.heat is not None, "text:▲ bottleneck (thick outline)", ""),
    ]
    items = [(sample, caption) for show, sample, caption in wanted if show]
    for n, (sample, caption) in enumerate(items):
        sample_w = 34.0 if not sample.startswith("text:") else 0.0
        text = sample[5:] if sample.startswith("text:") else caption
        colour = (
            Palette.KPI if "KPI" in text else Palette.SYSTEM if "system" in text else Palette.MUTED
        )
        if "bottleneck" in text:
            colour = Palette.BOTTLENECK
        cap_w = style.text_width(text, style.LEGEND_PT) + 4
        if x + sample_w + cap_w > limit and x > MARGIN:
            x, y = MARGIN, y + row_h
        cx = x + sample_w / 2
        name = f"g{n}"
        if sample == "task" or sample == "wait":
            scene.nodes.append(Node(name, "box", cx, y, 30, 17, style="rounded,filled" + (",dashed" if sample == "wait" else ""),
                                    fill=Palette.NODE_FILL, pen=Palette.LINE))  # fmt: skip
        elif sample == "decision":
            scene.nodes.append(
                Node(
                    name,
                    "diamond",
                    cx,
                    y,
                    26,
                    18,
                    style="filled",
                    fill=Palette.DECISION_FILL,
                    pen=Palette.LINE,
                )
            )
        elif sample == "bar":
            scene.nodes.append(
                Node(name, "box", cx, y, 5, 20, style="filled", fill=Palette.BAR, pen=Palette.BAR)
            )
        elif sample == "start":
            scene.nodes.append(
                Node(
                    name,
                    "circle",
                    cx,
                    y,
                    15,
                    15,
                    style="filled",
                    fill=Palette.START_FILL,
                    pen=Palette.LINE,
                    penwidth=1.3,
                )
            )
        elif sample == "end":
            scene.nodes.append(
                Node(
                    name,
                    "doublecircle",
                    cx,
                    y,
                    13,
                    13,
                    style="filled",
                    fill=Palette.NODE_FILL,
                    pen=Palette.LINE,
                    penwidth=1.3,
                )
            )
        elif sample == "conn":
            letter = Block((Line("A", style.DETAIL_PT, bold=True),))
            scene.nodes.append(Node(name, "circle", cx, y, 17, 17, style="filled", fill=Palette.NODE_FILL,
                                    pen=Palette.LINE, penwidth=1.2, label=letter))  # fmt: skip
        elif sample in ("flow", "data", "sla"):
            scene.nodes.append(Node(name, "point", cx, y, 0.1, 0.1, style="invis"))
            colour_line = {"flow": Palette.LINE, "data": Palette.DATA, "sla": Palette.SLA}[sample]
            scene.edges.append(
                Edge(name, name, [(x + 2, y), (x + sample_w - 2, y)], arrow=sample != "sla",
                     style="dashed" if sample == "data" else "solid", colour=colour_line,
                     penwidth=1.8 if sample == "sla" else 1.1, rounded=False)
            )  # fmt: skip
        if sample == "wait":
            b._clock(name, cx + 15 - 5.5, y - 8.5 + 5.5)
        cap = Block((Line(text, style.LEGEND_PT, colour=colour),))
        scene.nodes.append(
            Node(f"{name}t", "plaintext", x + sample_w + 4 + cap_w / 2, y, cap_w, 14, label=cap)
        )
        x += sample_w + 4 + cap_w + 14
    scene.extend_to(x, y + row_h / 2)
    y = scene.height + 10
    x = MARGIN
    tables: list[tuple[str, float, float, str]] = []
    if b.heat is not None:
        tables.extend(b.heat.scales())
    if b.doc.slas:
        rows = []
        for lid in b.doc.slas:
            sla = b.doc.slas[lid]
            rows.append([sla.name or lid, b.words.sla_details(lid).split(" · ")[0], f"≤ {sla.target.text}",
                         percent(sla.goal) if sla.goal is not None else "—"])  # fmt: skip
        html, w, h = _table(rows, "SLAs: clock from → to, target, goal")
        tables.append((html, w, h, "tsla"))
    kpis = b.words.process_kpis()
    if kpis:
        rows = []
        for kpi in kpis:
            target = pretty_target(kpi.target.text) if kpi.target is not None else ""
            kind = "external" if kpi.source == "external" else (kpi.stat or "")
            rows.append([f"◆ {kpi.name or kpi.id}", target, kind])
        html, w, h = _table(rows, "KPIs of the process")
        tables.append((html, w, h, "tkpi"))
    row_bottom = y
    for html, w, h, name in tables:
        if x + w > limit and x > MARGIN:
            x, y = MARGIN, row_bottom + 10
        scene.nodes.append(Node(name, "plaintext", x + w / 2, y + h / 2, w, h, html=html))
        x += w + 16
        row_bottom = max(row_bottom, y + h)
        scene.extend_to(x, row_bottom)
    scene.extend_to(scene.width + MARGIN, scene.height + MARGIN)
