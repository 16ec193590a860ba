"""Long maps wrap into bands, so that a 40-stage process still fits a slide.

A swimlane map of a long, mostly sequential process is a staircase: very wide, and mostly empty
(each team works one stretch of the flow).  When the map would be much wider than a 16:9 slide,
its columns are cut into bands stacked one under the other (side by side in ``TB``), each with
only the lanes it uses, in YAML order.  Cuts go where the fewest arrows cross; an arrow that
crosses a cut ends in a lettered connector at the end of its band and resumes from the same
letter at the start of the band it reaches — the off-page connector of paper flowcharts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmap.render.layout import Box, Grid, Lane
from procmap.render.route import End, Route

if TYPE_CHECKING:
    from procmap.render.scene import FlowBuilder

__all__ = ["PART_GAP", "Part", "split_parts"]

PART_GAP = 28.0
TARGET_ASPECT = 16 / 9
WRAP_MIN = 1500.0
"""Maps narrower than this (points) never wrap: a few columns read best on one band."""
MAX_PARTS = 6
CONN_R = 9.5
EST_GAP = 64.0
"""A typical gap between columns, for estimating widths before routing."""


@dataclass
class Part:
    """One band of the map: its columns (global ``lo`` … ``hi``), grid, edges and lanes."""

    index: int
    lo: int
    hi: int
    grid: Grid
    routes: list[Route] = field(default_factory=list)
    forward: list[tuple[str, str]] = field(default_factory=list)


def _letters(n: int) -> str:
    """A, B, …, Z, AA, AB, …: connector names."""
    text = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(65 + rest) + text
    return text


def _estimate(b: FlowBuilder, full: Grid, forward: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """The column ranges of the bands whose drawing comes closest to a slide's shape."""
    cols = full.columns
    width = [EST_GAP + 24.0] * cols
    for box in full.boxes.values():
        width[box.col] = max(width[box.col], EST_GAP + 2 * box.foot_f)
    header = max((ln.header_f for ln in full.lanes), default=100.0)
    if sum(width) + header < WRAP_MIN or cols < 8:
        return [(0, cols - 1)]
    cells: dict[tuple[int, int], int] = {}
    extent: dict[int, float] = {}
    for box in full.boxes.values():
        cells[(box.lane, box.col)] = cells.get((box.lane, box.col), 0) + 1
        extent[box.lane] = max(extent.get(box.lane, 0.0), box.foot_cb + box.foot_ca)
    col_of = {k: box.col for k, box in full.boxes.items()}

    def crossing(cut: int) -> int:
        return sum(
            1 for u, v in forward if min(col_of[u], col_of[v]) < cut <= max(col_of[u], col_of[v])
        )

    def lanes_height(lo: int, hi: int) -> float:
        total = 0.0
        for lane in {box.lane for box in full.boxes.values() if lo <= box.col <= hi}:
            rows = max(
                (n for (ln, col), n in cells.items() if ln == lane and lo <= col <= hi), default=1
            )
            estimate = rows * (extent.get(lane, 40.0) + 22.0) + 34.0
            total += max(estimate, full.lanes[lane].header_c)
        return total

    slas = len(b.doc.slas) * (34.0 if b.lr else 170.0)
    best: tuple[float, list[tuple[int, int]]] | None = None
    cumulative = [0.0]
    for w in width:
        cumulative.append(cumulative[-1] + w)
    for parts in range(1, MAX_PARTS + 1):
        if cols / parts < 4:
            break
        cuts: list[int] = []
        for j in range(1, parts):
            goal = cumulative[-1] * j / parts
            ideal = min(range(cols), key=lambda c: abs(cumulative[c] - goal))
            low = (cuts[-1] if cuts else 0) + 3
            options = [c for c in range(ideal - 2, ideal + 3) if low <= c <= cols - 3]
            if not options:
                continue
            cuts.append(min(options, key=lambda c: (crossing(c), abs(c - ideal))))
        bounds = [0, *cuts, cols]
        ranges = [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)]
        w = max(cumulative[hi + 1] - cumulative[lo] for lo, hi in ranges) + header + 2 * EST_GAP
        h = sum(lanes_height(lo, hi) + slas + PART_GAP for lo, hi in ranges) + 140.0
        ratio = (w / h) if b.lr else (h / w)
        score = abs(math.log(ratio / TARGET_ASPECT))
        if best is None or score < best[0] - 0.05:
            best = (score, ranges)
    assert best is not None
    return best[1]


def split_parts(
    b: FlowBuilder, full: Grid, routes: list[Route], forward: list[tuple[str, str]]
) -> list[Part]:
    """Cut the map into bands (often just one) with connectors where arrows cross a cut."""
    ranges = _estimate(b, full, forward)
    b.global_col = {k: box.col for k, box in full.boxes.items()}
    if len(ranges) == 1:
        return [Part(0, 0, full.columns - 1, full, list(routes), list(forward))]
    part_of = {k: next(i for i, (lo, hi) in enumerate(ranges) if lo <= box.col <= hi)
               for k, box in full.boxes.items()}  # fmt: skip
    boxes: list[dict[str, Box]] = [{} for _ in ranges]
    for key, box in full.boxes.items():
        boxes[part_of[key]][key] = box
    part_routes: list[list[Route]] = [[] for _ in ranges]
    part_forward: list[list[tuple[str, str]]] = [[] for _ in ranges]
    forward_set = set(forward)
    lanes_used: list[set[int]] = [{box.lane for box in bx.values()} for bx in boxes]
    incoming = [False] * len(ranges)
    out_col: list[list[Box]] = [[] for _ in ranges]
    fwd_out = {"fwd": 0.0, "cneg": 0.9, "cpos": 0.9, "back": 4.0}
    back_in = {"back": 0.0, "cneg": 0.9, "cpos": 0.9, "fwd": 4.0}
    n = 0
    for r in routes:
        pu = part_of[r.src.box] if r.src.box is not None else part_of[r.dst.box or "^start"]
        pv = part_of[r.dst.box] if r.dst.box is not None else pu
        u, v, kind = b.edge_info[r.key]
        if pu == pv:
            part_routes[pu].append(r)
            if (u, v) in forward_set:
                part_forward[pu].append((u, v))
            for end in (r.src, r.dst):
                if end.lane is not None:
                    lanes_used[pu].add(end.lane)
            continue
        letter = _letters(n)
        n += 1
        src_lane = full.boxes[r.src.box].lane if r.src.box is not None else (r.src.lane or 0)
        dst_lane = full.boxes[r.dst.box].lane if r.dst.box is not None else (r.dst.lane or 0)
        out_key, in_key = f"^out:{r.key}", f"^in:{r.key}"
        out_box = Box(out_key, "conn", src_lane, CONN_R, CONN_R, sides=("back", "cneg", "cpos"))
        in_box = Box(in_key, "conn", dst_lane, CONN_R, CONN_R, sides=("fwd", "cneg", "cpos"))
        boxes[pu][out_key], boxes[pv][in_key] = out_box, in_box
        out_col[pu].append(out_box)
        incoming[pv] = True
        lanes_used[pu].add(src_lane)
        lanes_used[pv].add(dst_lane)
        b.names[out_key], b.names[in_key] = f"x{n}o", f"x{n}i"
        b.connector_letters[out_key] = b.connector_letters[in_key] = letter
        src = End(
            r.src.box,
            r.src.lane,
            {s: c for s, c in fwd_out.items() if s in r.src.side_cost} or r.src.side_cost,
        )
        dst = End(
            r.dst.box,
            r.dst.lane,
            {s: c for s, c in back_in.items() if s in r.dst.side_cost} or r.dst.side_cost,
        )
        first = Route(f"{r.key}a", src, End(out_key, None, {"back": 0.0, "cneg": 1.0, "cpos": 1.0}),
                      label_f=r.label_f, label_c=r.label_c)  # fmt: skip
        second = Route(f"{r.key}b", End(in_key, None, {"fwd": 0.0, "cneg": 1.0, "cpos": 1.0}), dst)
        b.captions[f"^edge:{first.key}"] = b.captions.get(f"^edge:{r.key}")
        b.edge_info[first.key] = (u, out_key, kind)
        b.edge_info[second.key] = (in_key, v, kind)
        part_routes[pu].append(first)
        part_routes[pv].append(second)
        part_forward[pu].append((u, out_key))
        part_forward[pv].append((in_key, v))
    parts: list[Part] = []
    for i, (lo, hi) in enumerate(ranges):
        shift = 1 if incoming[i] else 0
        for key, box in boxes[i].items():
            if box.kind != "conn":
                box.col = box.col - lo + shift
            elif key.startswith("^in:"):
                box.col = 0
        last = hi - lo + shift + 1
        for box in out_col[i]:
            box.col = last
        local = {g: j for j, g in enumerate(sorted(lanes_used[i]))}
        lanes = [
            Lane(full.lanes[g].key, full.lanes[g].header_f, full.lanes[g].header_c)
            for g in sorted(local)
        ]
        for box in boxes[i].values():
            box.lane = local[box.lane]
        for r in part_routes[i]:
            for end in (r.src, r.dst):
                if end.lane is not None:
                    end.lane = local[end.lane]
        grid = Grid(lanes, boxes[i])
        grid.columns = max(box.col for box in boxes[i].values()) + 1
        parts.append(Part(i, lo, hi, grid, part_routes[i], part_forward[i]))
    return parts
