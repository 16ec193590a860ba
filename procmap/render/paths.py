"""From routed grid paths to real points, port offsets and label positions.

Runs on a gap or a channel take their track's coordinate; runs on a slot or column line take
the line's, shifted by a port offset when several edges leave (or reach) one side of a box, so
that they fan out instead of sharing a line.  Labels go where the router anchored them, above
their run if that is free, else below, else sliding along it; every label and every box
footprint is remembered so that later labels keep clear of earlier ones.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

from procmap.render.route import LABEL_PAD, Route
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.render.layout import Box
    from procmap.render.scene import FlowBuilder, Rect

__all__ = ["real_paths"]

PORT_STEP = 9.0
INTO_LANE = 12.0
"""How far an arrow carrying data to a team reaches into its lane."""
LABEL_GAP = 2.5


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _port_offsets(b: FlowBuilder) -> dict[tuple[str, int], float]:
    """(route key, 0 for the source end / -1 for the target end) → offset along the side."""
    groups: dict[tuple[str, str], list[tuple[int, int, str, int]]] = defaultdict(list)
    for r in b.routes:
        if not r.runs:
            continue
        # which way an edge turns after leaving (or before reaching) the side, and how far it
        # goes: the farther it goes, the further out on the side it attaches (no crossings)
        turn_src = _sign(r.runs[1][3] - r.runs[1][2]) if len(r.runs) > 1 else 0
        turn_dst = -_sign(r.runs[-2][3] - r.runs[-2][2]) if len(r.runs) > 1 else 0
        far_src = r.runs[1][3] if len(r.runs) > 1 else 0
        far_dst = r.runs[-2][2] if len(r.runs) > 1 else 0
        if r.src.box is not None:
            groups[(r.src.box, r.src_side)].append((turn_src, far_src, r.key, 0))
        if r.dst.box is not None:
            groups[(r.dst.box, r.dst_side)].append((turn_dst, far_dst, r.key, -1))
    offsets: dict[tuple[str, int], float] = {}
    for (key, side), users in groups.items():
        box = b.grid.boxes[key]
        if box.kind not in ("task", "wait") or len(users) < 2:
            continue
        half = box.shape_c if side in ("fwd", "back") else box.shape_f
        step = min(PORT_STEP, 2 * (half - 5) / (len(users) + 1))
        users.sort()
        if any(u[0] == 0 for u in users):
            neg = [u for u in users if u[0] < 0]
            pos = [u for u in users if u[0] > 0]
            for i, (_, _, rk, end) in enumerate(reversed(neg)):
                offsets[(rk, end)] = -step * (i + 1)
            for i, (_, _, rk, end) in enumerate(pos):
                offsets[(rk, end)] = step * (i + 1)
        else:
            n = len(users)
            for i, (_, _, rk, end) in enumerate(users):
                offsets[(rk, end)] = (i - (n - 1) / 2) * step
    return offsets


def _fixed(b: FlowBuilder, r: Route, i: int, offsets: dict[tuple[str, int], float]) -> float:
    """The coordinate a run keeps: its c for a run along the flow, its f for one across it."""
    grid = b.grid
    axis, line, _, _ = r.runs[i]
    last = len(r.runs) - 1
    shift = 0.0
    if i == 0:
        shift += offsets.get((r.key, 0), 0.0)
    if i == last:
        shift += offsets.get((r.key, -1), 0.0)
    if axis == "f":
        kind, lane, slot = grid.c_lines[line]
        if kind == "slot":
            return grid.slot_c(lane, slot) + shift
        return grid.channel_c(lane, kind, r.tracks.get(i, 0))
    if line % 2 == 1:
        return grid.col_f[line // 2] + shift
    g = line // 2
    return grid.gap_track_f(g, r.tracks.get(i, 0), b.gap_tracks.get(g, 0), b.gap_room.get(g, 0.0))


def _box_point(box: Box, side: str, along: float) -> tuple[float, float]:
    """Where an edge meets a box's shape on ``side`` (``along`` is the run's fixed coordinate)."""
    round_shape = box.kind in ("start", "end", "decision")
    if side in ("fwd", "back"):
        sign = 1 if side == "fwd" else -1
        reach = box.shape_f
        if round_shape and box.kind != "decision":
            d = min(abs(along - box.c), reach * 0.95)
            reach = (reach**2 - d**2) ** 0.5
        return (box.f + sign * reach, along)
    sign = 1 if side == "cpos" else -1
    return (along, box.c + sign * box.shape_c)


def real_paths(b: FlowBuilder) -> None:
    """Turn every route into an :class:`~procmap.render.scene.Edge` with a placed label."""
    from procmap.render.scene import Edge, Node

    grid = b.grid
    offsets = _port_offsets(b)
    taken: list[Rect] = [b.box_rect(box) for box in grid.boxes.values()]
    taken.append(b.rect(grid.f_end, -1e6, grid.f_end + 1e6, 1e6))  # labels stay on the map
    taken.append(b.rect(grid.f0 - 1e6, -1e6, grid.f0, 1e6))
    for node in b.scene.nodes:
        if node.name.startswith("lane") and node.tooltip.startswith("team "):
            taken.append(
                (node.x - node.w / 2, node.y - node.h / 2, node.x + node.w / 2, node.y + node.h / 2)
            )
    placed: list[tuple[Route, list[tuple[float, float]], list[float]]] = []
    for r in b.routes:
        fixed = [_fixed(b, r, i, offsets) for i in range(len(r.runs))]
        pts: list[tuple[float, float]] = []
        if r.src.box is not None:
            pts.append(_box_point(grid.boxes[r.src.box], r.src_side, fixed[0]))
        else:
            lane = grid.lanes[r.src.lane or 0]
            top = grid.c_lines[r.points[0][1]][0] == "top"
            pts.append((fixed[0], lane.c0 + INTO_LANE if top else lane.c0 + lane.size - INTO_LANE))
        for i in range(len(r.runs) - 1):
            if r.runs[i][0] == "f":
                pts.append((fixed[i + 1], fixed[i]))
            else:
                pts.append((fixed[i], fixed[i + 1]))
        if r.dst.box is not None:
            pts.append(_box_point(grid.boxes[r.dst.box], r.dst_side, fixed[-1]))
        else:
            lane = grid.lanes[r.dst.lane or 0]
            top = grid.c_lines[r.points[-1][1]][0] == "top"
            pts.append((fixed[-1], lane.c0 + INTO_LANE if top else lane.c0 + lane.size - INTO_LANE))
        u, v, kind = b.edge_info[r.key]
        data = kind == "data"
        b.scene.edges.append(
            Edge(
                tail=b.names.get(u, _lane_name(b, u)),
                head=b.names.get(v, _lane_name(b, v)),
                points=[b.xy(f, c) for f, c in _clean(pts)],
                style="dashed" if data else "solid",
                colour=Palette.DATA if data else Palette.LINE,
                penwidth=1.0 if data else 1.1,
                tooltip=f"{u} → {v}".lstrip("^"),
            )
        )
        placed.append((r, pts, fixed))
    segments = [
        b.rect(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        for _, pts, _ in placed
        for p, q in itertools.pairwise(pts)
    ]
    for r, pts, fixed in placed:
        block = b.captions.get(f"^edge:{r.key}")
        if not block:
            continue
        at = _place_label(b, r, pts, fixed, taken, segments)
        x, y = b.xy(*at)
        lw, lh = block.width + 4, block.height + 2
        taken.append((x - lw / 2, y - lh / 2, x + lw / 2, y + lh / 2))
        u, v, _ = b.edge_info[r.key]
        b.scene.nodes.append(
            Node(f"l{r.key}", "plaintext", x, y, lw, lh, label=block, fill="label",
                 tooltip=f"{u} → {v}".lstrip("^"))
        )  # fmt: skip


def _lane_name(b: FlowBuilder, team: str) -> str:
    for i, lane in enumerate(b.grid.lanes):
        if lane.key == team:
            return b.lane_node(i)
    return b.lane_node(0)


def _clean(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and points in the middle of a straight line."""
    out: list[tuple[float, float]] = []
    for p in pts:
        if out and abs(out[-1][0] - p[0]) < 0.01 and abs(out[-1][1] - p[1]) < 0.01:
            continue
        if len(out) >= 2:
            a, m = out[-2], out[-1]
            if (abs(a[0] - m[0]) < 0.01 and abs(m[0] - p[0]) < 0.01) or (
                abs(a[1] - m[1]) < 0.01 and abs(m[1] - p[1]) < 0.01
            ):
                out[-1] = p
                continue
        out.append(p)
    return out


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(
    b: FlowBuilder,
    r: Route,
    pts: list[tuple[float, float]],
    fixed: list[float],
    taken: list[Rect],
    segments: list[Rect],
) -> tuple[float, float]:
    """Where the label of ``r`` goes (f, c): the first free spot among its candidates.

    A spot is free when it overlaps no box, header or earlier label; a spot that also keeps
    clear of every line is better.  When the anchored spots are all taken, the search moves
    outwards from the first of them.
    """
    lf, lc = r.label_f, r.label_c
    grid = b.grid
    kind, i, where = r.anchor or ("free", 0, 0)
    candidates: list[tuple[float, float]] = []
    data_to_lane = r.dst.box is None
    if data_to_lane:  # say what reaches the lane next to the arrowhead
        (f0, c0), (f1, c1) = pts[-2], pts[-1]
        if abs(f1 - f0) < 0.01:
            sign = 1 if c1 > c0 else -1
            candidates += [
                (f1 + LABEL_GAP + 3 + lf / 2, c1 - sign * (lc / 2 + 2)),
                (f1 - LABEL_GAP - 3 - lf / 2, c1 - sign * (lc / 2 + 2)),
            ]
    if kind == "gap":
        run_c = fixed[i]
        f = grid.gap_f0[where] + LABEL_PAD + lf / 2
        above, below = (run_c - LABEL_GAP - lc / 2), (run_c + LABEL_GAP + lc / 2)
        turn = r.runs[i + 1][3] - r.runs[i + 1][2] if i + 1 < len(r.runs) else 0
        candidates += [(f, below), (f, above)] if turn > 0 else [(f, above), (f, below)]
    elif kind == "side":
        (f0, c0), (f1, c1) = pts[i], pts[i + 1]
        near = c0 + (c1 - c0) * 0.35
        candidates += [
            (f0 + LABEL_GAP + 2 + lf / 2, near),
            (f0 - LABEL_GAP - 2 - lf / 2, near),
            (f0 + LABEL_GAP + 2 + lf / 2, (c0 + c1) / 2),
            (f0 - LABEL_GAP - 2 - lf / 2, (c0 + c1) / 2),
        ]
    elif kind == "channel":
        line = r.runs[i][1]
        which = grid.c_lines[line][0]
        seg = (pts[i][0], pts[i + 1][0])
        sign = -1 if which == "top" else 1
        c = fixed[i] + sign * (LABEL_GAP + lc / 2)
        lo, hi = min(seg) + lf / 2 + 4, max(seg) - lf / 2 - 4
        mid = (min(seg) + max(seg)) / 2
        candidates += [(mid, c)]
        if hi > lo:
            candidates += [((lo + mid) / 2, c), ((hi + mid) / 2, c), (lo, c), (hi, c)]
        candidates += [(mid, fixed[i] - sign * (LABEL_GAP + lc / 2))]
    for j in sorted(range(len(pts) - 1), key=lambda j: -_run_len(pts, j)):
        (f0, c0), (f1, c1) = pts[j], pts[j + 1]
        fm, cm = (f0 + f1) / 2, (c0 + c1) / 2
        if abs(c1 - c0) < 0.01:
            candidates += [(fm, cm - LABEL_GAP - lc / 2), (fm, cm + LABEL_GAP + lc / 2)]
        else:
            candidates += [(fm + LABEL_GAP + lf / 2, cm), (fm - LABEL_GAP - lf / 2, cm)]

    def rect(f: float, c: float) -> Rect:
        return b.rect(f - lf / 2, c - lc / 2, f + lf / 2, c + lc / 2)

    def hard(f: float, c: float) -> bool:
        box = rect(f, c)
        return any(_overlaps(box, t) for t in taken)

    def soft(f: float, c: float) -> int:
        box = rect(f, c)
        return sum(1 for s in segments if _overlaps(box, _grow(s, 1.0)))

    free = [(f, c) for f, c in candidates if not hard(f, c)]
    if free:
        return min(free, key=lambda p: (soft(*p) > 0, free.index(p)))
    f, c = candidates[0]
    for step in range(1, 40):
        for df, dc in ((0, step * 5), (0, -step * 5), (step * 6, 0), (-step * 6, 0)):
            if not hard(f + df, c + dc):
                return (f + df, c + dc)
    return candidates[0]


def _grow(rect: Rect, by: float) -> Rect:
    return (rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by)


def _run_len(pts: list[tuple[float, float]], j: int) -> float:
    if j + 1 >= len(pts):
        return 0.0
    return abs(pts[j + 1][0] - pts[j][0]) + abs(pts[j + 1][1] - pts[j][1])
