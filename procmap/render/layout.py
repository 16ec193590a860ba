"""Swimlane geometry: lanes, columns, slots and coordinates, computed by procmap itself.

Graphviz's ``dot`` cannot be told to keep clusters in order (Debian's 2.42/2.43 reorders them),
and its clusters are the bounding boxes of their nodes rather than full-width bands.  So the
layout is ours, on a grid, and Graphviz only draws it (``neato -n2``):

* **columns** along the flow: longest path from the start over the control flow without its
  rework (back) edges, so every forward arrow points forward;
* **lanes** across the flow: one per team in YAML order, each holding its stages; a cell (lane ×
  column) holding several stages (parallel branches) stacks them in **slots** around the lane's
  middle line, ordered to follow their predecessors;
* **channels**: the gaps between columns and the margins at the top and bottom of every lane,
  where edges run on tracks (see :mod:`procmap.render.route`), sized after routing.

Coordinates are abstract — ``f`` along the flow, ``c`` across it — so that one code path serves
``--direction LR`` (``x = f``, ``y = c``) and ``TB`` (``x = c``, ``y = f``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["Box", "Grid", "Lane"]

SIDES = ("fwd", "back", "cneg", "cpos")

ROW_GAP = 22.0
"""Space between two stacked boxes of one cell (room for an edge between them)."""
COL_MIN = 28.0
GAP_MIN = 30.0
"""The least gap between columns: an arrow with its head."""
CHANNEL_PAD = 9.0
TRACK = 9.0
"""Distance between two parallel edges running in one channel."""
LANE_PAD = 10.0


@dataclass
class Box:
    """Something that sits in a grid cell: a stage, a split bar, the start mark.

    ``shape_f``/``shape_c`` are the half-extents of the drawn shape (edges attach to it);
    ``foot_*`` the footprint including captions, which nothing else may overlap.  Captions sit on
    the ``cpos`` side, so ``foot_ca`` may exceed ``shape_c``.
    """

    key: str
    kind: str
    lane: int
    shape_f: float
    shape_c: float
    foot_f: float = 0.0
    foot_ca: float = 0.0
    sides: tuple[str, ...] = SIDES
    col: int = 0
    slot: int = 0
    """Position in the lane, in half row pitches from the lane's middle line."""
    f: float = 0.0
    c: float = 0.0

    def __post_init__(self) -> None:
        self.foot_f = max(self.foot_f, self.shape_f)
        self.foot_ca = max(self.foot_ca, self.shape_c)

    @property
    def foot_cb(self) -> float:
        return self.shape_c


@dataclass
class Lane:
    """A team's band.  ``header_f``/``header_c`` size the header that names the team."""

    key: str
    header_f: float
    header_c: float
    rows: int = 1
    pitch: float = 0.0
    max_cb: float = 0.0
    max_ca: float = 0.0
    rows_top: float = -14.0
    rows_bottom: float = 14.0
    """Extent of the lane's boxes around its middle line (negative: before it)."""
    top_tracks: float = 0.0
    bottom_tracks: float = 0.0
    top_extra: float = 0.0
    bottom_extra: float = 0.0
    c0: float = 0.0
    """Where the lane begins across the flow (its top in LR)."""
    size: float = 0.0
    mid: float = 0.0
    """The lane's middle line (slot 0)."""


@dataclass
class Grid:
    """The cells, the lines edges run on, and (after :meth:`place`) every coordinate."""

    lanes: list[Lane]
    boxes: dict[str, Box]
    columns: int = 0
    col_width: list[float] = field(default_factory=list)
    gap_width: list[float] = field(default_factory=list)
    col_f: list[float] = field(default_factory=list)
    gap_f0: list[float] = field(default_factory=list)
    f0: float = 0.0
    """Where the grid begins along the flow (after the lane headers)."""
    c_lines: list[tuple[str, int, int]] = field(default_factory=list)
    """Lines across the flow, in order: (``top``/``slot``/``bot``, lane, slot)."""

    # --- structure ------------------------------------------------------------------------

    def assign_columns(self, edges: Iterable[tuple[str, str]], first: str) -> None:
        """Longest-path columns over forward edges (a DAG); ``first`` (the start) in column 0."""
        dag = nx.DiGraph()
        dag.add_nodes_from(self.boxes)
        dag.add_edges_from((u, v) for u, v in edges if u != v)
        if not nx.is_directed_acyclic_graph(dag):  # defensive: rework edges were not removed
            dag = nx.DiGraph(nx.dfs_tree(dag, first)) if first in dag else nx.DiGraph()
            dag.add_nodes_from(self.boxes)
        col: dict[str, int] = {}
        for node in nx.lexicographical_topological_sort(dag, key=self._order_key):
            preds = [col[p] + 1 for p in dag.predecessors(node)]
            col[node] = max(preds, default=0 if node == first else 1)
        for key, box in self.boxes.items():
            box.col = col[key]
        self.columns = max(col.values(), default=0) + 1

    def _order_key(self, key: str) -> str:
        return f"{list(self.boxes).index(key):06d}"

    def assign_slots(self, edges: list[tuple[str, str]]) -> None:
        """Stack the boxes of each cell around the lane's middle, following their neighbours."""
        cells: dict[tuple[int, int], list[str]] = {}
        for key, box in self.boxes.items():
            cells.setdefault((box.lane, box.col), []).append(key)
        preds: dict[str, list[str]] = {k: [] for k in self.boxes}
        succs: dict[str, list[str]] = {k: [] for k in self.boxes}
        for u, v in edges:
            preds[v].append(u)
            succs[u].append(v)

        def place(members: list[str]) -> None:
            n = len(members)
            for i, key in enumerate(members):
                self.boxes[key].slot = 2 * i - (n - 1)

        for members in cells.values():
            place(members)
        for sweep in range(4):  # barycentre sweeps: forward uses predecessors, backward successors
            neighbours = preds if sweep % 2 == 0 else succs
            for (_lane, _col), members in sorted(
                cells.items(), key=lambda kv: kv[0][1] * (1 if sweep % 2 == 0 else -1)
            ):
                if len(members) < 2:
                    continue
                position = {m: i for i, m in enumerate(members)}

                def barycentre(
                    key: str,
                    nb: dict[str, list[str]] = neighbours,
                    at: dict[str, int] = position,
                ) -> float:
                    around = [self.cross_rank(n) for n in nb[key]]
                    return sum(around) / len(around) if around else float(at[key])

                members.sort(key=lambda k, at=position: (barycentre(k), at[k]))
                place(members)
        for lane_index, lane in enumerate(self.lanes):
            sizes = [len(m) for (ln, _), m in cells.items() if ln == lane_index]
            lane.rows = max(sizes, default=1)

    def cross_rank(self, key: str) -> float:
        """A box's position across the flow before coordinates exist (lane, then slot)."""
        box = self.boxes[key]
        return box.lane * 1000.0 + box.slot

    def build_lines(self) -> None:
        """The lines across the flow that edges may run along."""
        self.c_lines = []
        for index, lane in enumerate(self.lanes):
            self.c_lines.append(("top", index, 0))
            for slot in range(-(lane.rows - 1), lane.rows):
                self.c_lines.append(("slot", index, slot))
            self.c_lines.append(("bot", index, 0))

    def line_index(self, lane: int, slot: int) -> int:
        return self.c_lines.index(("slot", lane, slot))

    # --- coordinates ----------------------------------------------------------------------

    def measure_lanes(self) -> None:
        """Row pitch of each lane, from its boxes (split and join bars adapt to it later)."""
        for index, lane in enumerate(self.lanes):
            members = [
                b
                for b in self.boxes.values()
                if b.lane == index and b.kind not in ("split", "join")
            ]
            lane.max_cb = max((b.foot_cb for b in members), default=14.0)
            lane.max_ca = max((b.foot_ca for b in members), default=14.0)
            lane.pitch = lane.max_cb + lane.max_ca + ROW_GAP
        self.measure_extents()

    def measure_extents(self) -> None:
        """How far each lane's boxes reach before and after its middle line."""
        for index, lane in enumerate(self.lanes):
            members = [b for b in self.boxes.values() if b.lane == index]
            lane.rows_top = min(
                (b.slot * lane.pitch / 2 - b.foot_cb for b in members), default=-14.0
            )
            lane.rows_bottom = max(
                (b.slot * lane.pitch / 2 + b.foot_ca for b in members), default=14.0
            )

    def place(self, f0: float, c0: float) -> None:
        """Coordinates of columns, lanes and boxes (channels must already know their tracks)."""
        self.f0 = f0
        f = f0
        self.col_f, self.gap_f0 = [], []
        for col in range(self.columns + 1):
            self.gap_f0.append(f)
            f += self.gap_width[col]
            if col < self.columns:
                self.col_f.append(f + self.col_width[col] / 2)
                f += self.col_width[col]
        c = c0
        for lane in self.lanes:
            lane.c0 = c
            top = CHANNEL_PAD + lane.top_tracks * TRACK + lane.top_extra
            bottom = CHANNEL_PAD + lane.bottom_tracks * TRACK + lane.bottom_extra
            span = lane.rows_bottom - lane.rows_top
            inner = LANE_PAD + top + span + bottom + LANE_PAD
            lane.size = max(inner, lane.header_c)
            slack = lane.size - inner
            lane.mid = c + LANE_PAD + top + slack / 2 - lane.rows_top
            c += lane.size
        for box in self.boxes.values():
            lane = self.lanes[box.lane]
            box.f = self.col_f[box.col]
            box.c = lane.mid + box.slot * lane.pitch / 2

    @property
    def f_end(self) -> float:
        return self.gap_f0[-1] + self.gap_width[-1]

    @property
    def c_end(self) -> float:
        last = self.lanes[-1]
        return last.c0 + last.size

    def slot_c(self, lane: int, slot: int) -> float:
        ln = self.lanes[lane]
        return ln.mid + slot * ln.pitch / 2

    def channel_c(self, lane: int, which: str, track: int) -> float:
        """The c of track ``track`` (0 nearest the rows) of a lane's top or bottom channel."""
        ln = self.lanes[lane]
        rows_top = ln.mid + ln.rows_top
        rows_bottom = ln.mid + ln.rows_bottom
        if which == "top":
            return rows_top - CHANNEL_PAD - track * TRACK
        return rows_bottom + CHANNEL_PAD + track * TRACK

    def gap_track_f(self, gap: int, track: int, tracks: int, label_room: float) -> float:
        """The f of vertical track ``track`` of ``tracks`` in gap ``gap`` (right of the labels)."""
        start = self.gap_f0[gap] + label_room
        width = self.gap_width[gap] - label_room
        if tracks <= 1:
            return start + width / 2
        used = (tracks - 1) * TRACK
        return start + (width - used) / 2 + track * TRACK
