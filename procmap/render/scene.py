"""The flowchart as a scene: every node, line and band Graphviz will draw, with coordinates.

:func:`flow_scene` turns a model (and, for the heatmap, simulation figures) into a
:class:`Scene`: it sizes each stage from its words, lays the grid out
(:mod:`~procmap.render.layout`), routes the edges (:mod:`~procmap.render.route`), places
labels, and adds the title, lane headers, SLA spans and legend
(:mod:`~procmap.render.decor`).  The scene is plain data; :mod:`~procmap.render.dot` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from procmap.errors import RenderError
from procmap.model.graphs import back_edges, flow_order, lanes
from procmap.render import style
from procmap.render.content import Block, Line, Words
from procmap.render.layout import SIDES, Box, Grid, Lane
from procmap.render.parts import PART_GAP, Part, split_parts
from procmap.render.route import LABEL_PAD, End, Route, Router, gap_width
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.model.model import Model
    from procmap.render.heatmap import Heat

__all__ = ["Edge", "Node", "Scene", "flow_scene"]

Direction = Literal["LR", "TB"]
Rect = tuple[float, float, float, float]

PAD_X, PAD_Y = 9.0, 6.0
TASK_MIN_W, TASK_MIN_H = 80.0, 34.0
START_R, END_R = 9.0, 10.5
BAR_THICK, BAR_HALF = 6.0, 16.0
ARROW = 7.0
CAPTION_GAP = 3.0
MARGIN = 16.0


@dataclass
class Node:
    """A node to draw, centred at ``(x, y)`` (points, y down), ``w`` × ``h`` points."""

    name: str
    shape: str
    x: float
    y: float
    w: float
    h: float
    style: str = ""
    fill: str = ""
    pen: str = ""
    penwidth: float = 1.0
    label: Block | None = None
    html: str | None = None
    tooltip: str = ""


@dataclass
class Edge:
    """A line to draw through ``points`` (y down), from node ``tail`` to node ``head``."""

    tail: str
    head: str
    points: list[tuple[float, float]]
    arrow: bool = True
    style: str = "solid"
    colour: str = Palette.LINE
    penwidth: float = 1.1
    ends: str = ""
    """``tee`` draws bracket ticks at both ends (SLA spans)."""
    rounded: bool = True
    tooltip: str = ""


@dataclass
class Band:
    """A filled rectangle under everything (a lane)."""

    name: str
    rect: Rect
    fill: str
    pen: str


@dataclass
class Scene:
    """Everything to draw, in points with y growing downwards."""

    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    comment: str = ""

    def extend_to(self, x: float, y: float) -> None:
        self.width = max(self.width, x)
        self.height = max(self.height, y)


class FlowBuilder:
    """Builds the flowchart scene of one model (one use per drawing)."""

    def __init__(self, model: Model, direction: Direction = "LR", heat: Heat | None = None) -> None:
        self.model = model
        self.doc = model.document
        self.words = Words(model)
        self.lr = direction == "LR"
        self.heat = heat
        self.names: dict[str, str] = {}
        """Box key → DOT node name (generated ASCII)."""
        self.captions: dict[str, Block] = {}
        self.connector_letters: dict[str, str] = {}
        self.global_col: dict[str, int] = {}
        self.scene = Scene(title=self.words.model.name)

    # --- geometry helpers -----------------------------------------------------------------

    def fc(self, w: float, h: float) -> tuple[float, float]:
        """A real (width, height) as (extent along the flow, extent across it)."""
        return (w, h) if self.lr else (h, w)

    def xy(self, f: float, c: float) -> tuple[float, float]:
        return (f, c) if self.lr else (c, f)

    def rect(self, f0: float, c0: float, f1: float, c1: float) -> Rect:
        x0, y0 = self.xy(f0, c0)
        x1, y1 = self.xy(f1, c1)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    # --- boxes ------------------------------------------------------------------------------

    def build(self) -> Scene:
        from procmap.render import decor

        graph = self.model.graph
        entry = self.doc.entry
        lane_of = lanes(graph, entry)
        order = flow_order(graph, entry)
        team_ids = list(self.doc.teams)
        used = {t for t in lane_of.values() if t is not None}
        for flow in self.doc.data_flows:
            for end in (flow.from_, flow.to):
                if end in self.doc.teams:
                    used.add(end)
        shown = [t for t in team_ids if t in used] or team_ids[:1]
        if not shown:
            shown = ["_"]
        index = {t: i for i, t in enumerate(shown)}
        lane_objs = [self._lane(t) for t in shown]
        self.all_lanes = lane_objs
        boxes: dict[str, Box] = {}
        start_lane = index.get(lane_of.get(entry) or "", 0)
        boxes["^start"] = self._start_box(start_lane)
        self.names["^start"] = "start"
        stage_index = {sid: i for i, sid in enumerate(self.doc.stages)}
        for sid in order:
            lane = index.get(lane_of.get(sid) or "", 0)
            boxes[sid] = self._stage_box(sid, lane)
            self.names[sid] = f"s{stage_index[sid]}"
            if self.doc.stages[sid].is_split:
                key = f"^split:{sid}"
                boxes[key] = Box(key, "split", lane, BAR_THICK / 2, BAR_HALF, sides=("fwd", "back"))
                self.names[key] = f"p{stage_index[sid]}"
        routes, forward = self._routes(boxes, lane_of, index)
        full = Grid(lane_objs, boxes)
        full.assign_columns(forward, "^start")
        title_h = decor.title_height(self)
        self.parts = split_parts(self, full, routes, forward)
        c = MARGIN + title_h if self.lr else MARGIN
        for part in self.parts:
            c = self._lay_part(part, c, title_h) + PART_GAP
        self._align_parts()
        decor.draw_title(self)
        decor.draw_legend(self)
        return self.scene

    def _lay_part(self, part: Part, c_start: float, title_h: float) -> float:
        """Lay out, route and draw one band of the map; return where it ends across the flow."""
        from procmap.render import decor

        grid = part.grid
        grid.assign_slots(part.forward)
        grid.measure_lanes()
        self._fit_bars(grid, part.forward)
        grid.measure_extents()
        grid.build_lines()
        router = Router(grid)
        for r in part.routes:
            if router.route(r):
                continue
            # every side of both ends, at a price: a detour beats a missing arrow
            for end in (r.src, r.dst):
                if end.box is not None:
                    end.side_cost = {s: end.side_cost.get(s, 6.0) for s in SIDES}
            if not router.route(r):  # pragma: no cover - the grid always has a free path
                u, v, _ = self.edge_info[r.key]
                raise RenderError(f"cannot draw the arrow {u} → {v}")
        gap_tracks, chan_tracks = router.assign_tracks(part.routes)
        gap_room, chan_room = router.anchor_labels(part.routes)
        for (lane, which), n in chan_tracks.items():
            setattr(grid.lanes[lane], f"{'top' if which == 'top' else 'bottom'}_tracks", n)
        for (lane, which), room in chan_room.items():
            setattr(grid.lanes[lane], f"{'top' if which == 'top' else 'bottom'}_extra", room)
        grid.col_width = [
            max([2 * b.foot_f for b in grid.boxes.values() if b.col == col] + [24.0])
            for col in range(grid.columns)
        ]
        grid.gap_width = [
            gap_width(gap_tracks.get(g, 0), gap_room.get(g, 0.0)) for g in range(grid.columns + 1)
        ]
        self.grid, self.routes = grid, part.routes
        self.gap_tracks, self.gap_room = gap_tracks, gap_room
        self.header_f = max(ln.header_f for ln in self.all_lanes)
        self.f0 = MARGIN if self.lr else MARGIN + title_h
        self.part = part
        sla_c = decor.sla_strip_size(self)
        grid.place(self.f0 + self.header_f, c_start + sla_c)
        self._draw_lanes()
        self._draw_boxes()
        self._draw_routes()
        decor.draw_slas(self, c_start)
        return grid.c_end

    def _align_parts(self) -> None:
        """Give every band of a wrapped map the width of the widest, so their lanes line up."""
        if len(self.parts) < 2:
            return
        end = max(self.xy(p.grid.f_end, 0.0)[0 if self.lr else 1] for p in self.parts)
        for band in self.scene.bands:
            x0, y0, x1, y1 = band.rect
            band.rect = (x0, y0, end, y1) if self.lr else (x0, y0, x1, end)
        self.scene.extend_to(*self.xy(end, 0.0))

    def _lane(self, tid: str) -> Lane:
        extra: list[Line] = list(self.heat.team_lines(tid)) if self.heat else []
        block = self.words.lane_block(tid, extra)
        self.captions[f"^lane:{tid}"] = block
        f, c = self.fc(block.width + 2 * PAD_X + 6, block.height + 2 * PAD_Y + 6)
        return Lane(tid, max(f, 96.0 if self.lr else f), c)

    def _caption_box(self, key: str, kind: str, lane: int, radius: float, block: Block) -> Box:
        self.captions[key] = block
        cf, cc = self.fc(block.width, block.height)
        return Box(
            key,
            kind,
            lane,
            radius,
            radius,
            foot_f=max(radius, cf / 2),
            foot_ca=radius + CAPTION_GAP + cc if block else radius,
            sides=("fwd", "back", "cneg") if block else SIDES,
        )

    def _start_box(self, lane: int) -> Box:
        box = self._caption_box("^start", "start", lane, START_R, self.words.start_caption())
        box.sides = ("fwd", "cneg")
        return box

    def _stage_box(self, sid: str, lane: int) -> Box:
        stage = self.doc.stages[sid]
        kind = stage.kind
        if kind == "end":
            return self._caption_box(sid, "end", lane, END_R, self.words.end_caption(sid))
        if kind == "join":
            block = self.words.join_caption(sid)
            self.captions[sid] = block
            cf, cc = self.fc(block.width, block.height)
            return Box(
                sid,
                kind,
                lane,
                BAR_THICK / 2,
                BAR_HALF,
                foot_f=cf / 2,
                foot_ca=BAR_HALF + CAPTION_GAP + cc if block else BAR_HALF,
                sides=("fwd", "back", "cneg") if block else SIDES,
            )
        if kind == "decision":
            block = self.words.decision_block(sid)
            self.captions[sid] = block
            w = max(2 * block.width + 10, 52.0)
            h = max(2 * block.height + 10, 34.0)
            f, c = self.fc(w, h)
            return Box(sid, kind, lane, f / 2, c / 2)
        extra: list[Line] = list(self.heat.stage_lines(sid)) if self.heat else []
        block = self.words.stage_block(sid, extra)
        self.captions[sid] = block
        w = max(block.width + 2 * PAD_X + (22 if kind == "wait" else 0), TASK_MIN_W)
        h = max(block.height + 2 * PAD_Y, TASK_MIN_H)
        f, c = self.fc(w, h)
        return Box(sid, kind, lane, f / 2, c / 2)

    # --- edges ------------------------------------------------------------------------------

    def _routes(
        self, boxes: dict[str, Box], lane_of: dict[str, str | None], index: dict[str, int]
    ) -> tuple[list[Route], list[tuple[str, str]]]:
        """The edges to route (in routing order) and the forward edges that set the columns."""
        graph = self.model.graph
        rework = back_edges(graph, self.doc.entry)
        fwd_cost = {"fwd": 0.0, "cneg": 0.9, "cpos": 0.9, "back": 4.0}
        in_cost = {"back": 0.0, "cneg": 0.9, "cpos": 0.9, "fwd": 4.0}
        loop_out = {"cneg": 0.0, "cpos": 0.2, "fwd": 1.5, "back": 3.0}
        loop_in = {"cneg": 0.0, "cpos": 0.2, "back": 1.5, "fwd": 3.0}
        items: list[tuple[tuple[int, ...], Route]] = []
        forward: list[tuple[str, str]] = [("^start", self.doc.entry)]
        self.edge_info: dict[str, tuple[str, str, str]] = {}
        order = {k: i for i, k in enumerate(boxes)}

        def end(key: str, costs: dict[str, float]) -> End:
            box = boxes[key]
            if box.kind == "decision" and costs is fwd_cost:
                costs = {"fwd": 0.0, "cneg": 0.2, "cpos": 0.2, "back": 4.0}
            return End(box=key, side_cost={s: v for s, v in costs.items() if s in box.sides})

        def add(
            key: str, u: str, v: str, block: Block, kind: str, loop: bool, share: float = 1.0
        ) -> None:
            src = end(u, loop_out if loop else fwd_cost)
            dst = end(v, loop_in if loop else in_cost)
            lf, lc = self.fc(block.width + 4, block.height + 2) if block else (0.0, 0.0)
            route = Route(key, src, dst, label_f=lf, label_c=lc)
            self.captions[f"^edge:{key}"] = block
            self.edge_info[key] = (u, v, kind)
            items.append(((1 if loop else 0, order[u], -share, order[v]), route))

        add("e0", "^start", self.doc.entry, Block(), "flow", False)
        n = 1
        for sid in boxes:
            if sid.startswith("^") or sid not in self.doc.stages:
                continue
            stage = self.doc.stages[sid]
            if stage.is_split:
                bar = f"^split:{sid}"
                add(f"e{n}", sid, bar, Block(), "flow", False)
                forward.append((sid, bar))
                n += 1
                for branch in stage.branches:
                    add(f"e{n}", bar, branch.to, Block(), "flow", False)
                    forward.append((bar, branch.to))
                    n += 1
                continue
            for branch in stage.branches:
                loop = (sid, branch.to) in rework
                block = self.words.branch_block(stage, branch)
                share = branch.p if branch.p is not None else (0.0 if branch.otherwise else 1.0)
                add(f"e{n}", sid, branch.to, block, "rework" if loop else "flow", loop, share)
                if not loop:
                    forward.append((sid, branch.to))
                n += 1
        data_cost = dict.fromkeys(SIDES, 0.6)
        for i, flow in enumerate(self.doc.data_flows):
            block = self.words.data_flow_block(flow.data, flow.system)
            lf, lc = self.fc(block.width + 4, block.height + 2)

            def data_end(ref: str) -> End:
                if ref in boxes:
                    return end(ref, data_cost)
                return End(lane=index.get(ref, 0))

            key = f"d{i}"
            route = Route(key, data_end(flow.from_), data_end(flow.to), label_f=lf, label_c=lc)
            self.captions[f"^edge:{key}"] = block
            self.edge_info[key] = (flow.from_, flow.to, "data")
            items.append(((2, i, 0, 0), route))
        items.sort(key=lambda t: t[0])
        return [r for _, r in items], forward

    def _fit_bars(self, grid: Grid, forward: list[tuple[str, str]]) -> None:
        """Stretch split and join bars across the rows of their neighbours in the same lane."""
        for key, box in grid.boxes.items():
            if box.kind not in ("split", "join"):
                continue
            lane = grid.lanes[box.lane]
            others = [v for u, v in forward if u == key] + [u for u, v in forward if v == key]
            slots = [grid.boxes[o].slot for o in others if grid.boxes[o].lane == box.lane]
            if len(slots) < 2:
                continue
            lo, hi = min([*slots, box.slot]), max([*slots, box.slot])
            reach_b = (box.slot - lo) * lane.pitch / 2 + 10
            reach_a = (hi - box.slot) * lane.pitch / 2 + 10
            half = max(reach_a, reach_b, BAR_HALF)
            grow = half - box.shape_c
            box.shape_c = half
            box.foot_ca += grow

    # --- drawing ----------------------------------------------------------------------------

    def _draw_lanes(self) -> None:
        grid = self.grid
        order = [ln.key for ln in self.all_lanes]
        for i, lane in enumerate(grid.lanes):
            rect = self.rect(self.f0, lane.c0, grid.f_end, lane.c0 + lane.size)
            fill = Palette.LANE_FILLS[order.index(lane.key) % 2]
            self.scene.bands.append(Band(self.lane_node(i), rect, fill, Palette.LANE_BORDER))
            hx0, hy0, hx1, hy1 = self.rect(
                self.f0, lane.c0, self.f0 + self.header_f, lane.c0 + lane.size
            )
            header_fill = self.heat.team_fill(lane.key) if self.heat else None
            self.scene.nodes.append(
                Node(
                    self.lane_node(i),
                    "box",
                    (hx0 + hx1) / 2,
                    (hy0 + hy1) / 2,
                    hx1 - hx0,
                    hy1 - hy0,
                    style="filled",
                    fill=header_fill or Palette.HEADER_FILL,
                    pen=Palette.LANE_BORDER,
                    penwidth=0.8,
                    label=self.captions[f"^lane:{lane.key}"],
                    tooltip=f"team {lane.key}",
                )
            )
        self.scene.extend_to(*self.xy(grid.f_end, grid.c_end))

    def lane_node(self, i: int) -> str:
        """The DOT name of lane ``i`` of the band being drawn (its header node and cluster)."""
        return f"lane{i}" if self.part.index == 0 else f"lane{i}_{self.part.index}"

    def box_rect(self, box: Box) -> Rect:
        """A box's footprint (shape and caption) in real coordinates."""
        return self.rect(
            box.f - box.foot_f, box.c - box.foot_cb, box.f + box.foot_f, box.c + box.foot_ca
        )

    def _draw_boxes(self) -> None:
        for key, box in self.grid.boxes.items():
            name = self.names[key]
            x, y = self.xy(box.f, box.c)
            w, h = self.xy(2 * box.shape_f, 2 * box.shape_c)
            tooltip = key if key.startswith("^") else f"{key}: {self.words.stage_name(key)}"
            node = Node(name, "box", x, y, w, h, tooltip=tooltip.lstrip("^"))
            if box.kind in ("task", "wait"):
                node.style = "rounded,filled" + (",dashed" if box.kind == "wait" else "")
                node.fill = Palette.WAIT_FILL if box.kind == "wait" else Palette.NODE_FILL
                node.pen, node.penwidth = Palette.LINE, 1.1
                node.label = self.captions[key]
                if self.heat:
                    fill = self.heat.stage_fill(key)
                    if fill:
                        node.fill = fill
                        node.label = _recolour(node.label, style.ink_on(fill))
                    if self.heat.stage_rank(key) is not None:
                        node.pen, node.penwidth = Palette.BOTTLENECK, 2.6
                self.scene.nodes.append(node)
                if box.kind == "wait":
                    self._clock(name, x + w / 2 - 9.5, y - h / 2 + 9.5)
            elif box.kind == "decision":
                node.shape, node.style = "diamond", "filled"
                node.fill, node.pen = Palette.DECISION_FILL, Palette.LINE
                node.label = self.captions[key]
                self.scene.nodes.append(node)
            elif box.kind == "conn":
                letter = self.connector_letters.get(key, "?")
                node.shape, node.style, node.fill = "circle", "filled", Palette.NODE_FILL
                node.pen, node.penwidth = Palette.LINE, 1.2
                node.w = node.h = 2 * box.shape_f
                node.label = Block((Line(letter, style.DETAIL_PT + 0.5, bold=True),))
                node.tooltip = f"connector {letter}"
                self.scene.nodes.append(node)
            elif box.kind in ("split", "join"):
                node.style, node.fill, node.pen = "filled", Palette.BAR, Palette.BAR
                self.scene.nodes.append(node)
            elif box.kind in ("start", "end"):
                node.shape = "circle" if box.kind == "start" else "doublecircle"
                node.style = "filled"
                node.fill = Palette.START_FILL if box.kind == "start" else Palette.NODE_FILL
                node.pen, node.penwidth = Palette.LINE, 1.3
                node.w = node.h = 2 * box.shape_f
                if box.kind == "end":
                    node.w = node.h = 2 * box.shape_f - 8  # doublecircle adds its outer ring
                self.scene.nodes.append(node)
            caption = self.captions.get(key) if box.kind in ("start", "end", "join") else None
            if caption:
                _cf, cc = self.fc(caption.width, caption.height)
                cx, cy = self.xy(box.f, box.c + box.shape_c + CAPTION_GAP + cc / 2)
                self.scene.nodes.append(
                    Node(
                        f"{name}c",
                        "plaintext",
                        cx,
                        cy,
                        caption.width,
                        caption.height,
                        label=caption,
                    )
                )

    def _clock(self, owner: str, x: float, y: float) -> None:
        """The clock mark of a wait stage: a small dial with two hands."""
        r = 4.6
        face = Node(
            f"{owner}k",
            "circle",
            x,
            y,
            2 * r,
            2 * r,
            style="filled",
            fill=Palette.NODE_FILL,
            pen=Palette.MUTED,
            penwidth=0.9,
        )
        self.scene.nodes.append(face)
        for dx, dy in ((0.0, -r * 0.72), (r * 0.62, 0.0)):  # hour and minute hands
            self.scene.edges.append(
                Edge(
                    face.name,
                    face.name,
                    [(x, y), (x + dx, y + dy)],
                    arrow=False,
                    colour=Palette.MUTED,
                    penwidth=0.9,
                    rounded=False,
                )
            )

    def _draw_routes(self) -> None:
        from procmap.render.paths import real_paths

        real_paths(self)


def _recolour(block: Block, ink: str) -> Block:
    """The block with its dark text in ``ink`` (white on dark heatmap fills)."""
    if ink == Palette.INK:
        return block
    return Block(tuple(Line(ln.text, ln.size, ln.bold, ln.italic, ink) for ln in block.lines))


def flow_scene(model: Model, direction: Direction = "LR", heat: Heat | None = None) -> Scene:
    """The swimlane flowchart of ``model`` as a :class:`Scene`."""
    return FlowBuilder(model, direction, heat).build()


__all__ += ["LABEL_PAD", "Band", "Direction", "FlowBuilder"]
