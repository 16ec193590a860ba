"""Orthogonal edge routing on the swimlane grid, and where edge labels go.

Each edge is a cheapest path (A*) over the grid's lines: along the flow on slot lines and lane
channels, across it in the gaps between columns and through empty cells.  The cost counts length,
bends, crossings and sharing a line with another edge, so arrows take the straight way when
there is one, rework loops go round the top of their lane, and long jumps use a channel rather
than cutting through boxes.  Afterwards every run in a gap or channel gets its own track, and
every path turns into real points (with rounded corners in :mod:`procmap.render.dot`).

Labels are anchored before the coordinates exist: on the first forward run of an edge that
crosses a gap (the gap then widens to hold the label on the exit side of the gap, left of its
tracks), else on a run in a lane channel (which then grows by the label's height).
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from procmap.render.layout import GAP_MIN, TRACK, Grid

__all__ = ["Route", "Router"]

# Directions of a move: +f, -f, +c, -c.
PF, NF, PC, NC = 0, 1, 2, 3
_SIDE_OF_EXIT = {PF: "fwd", NF: "back", PC: "cpos", NC: "cneg"}
_SIDE_OF_ENTRY = {PF: "back", NF: "fwd", PC: "cneg", NC: "cpos"}
_STEP = {PF: (1, 0), NF: (-1, 0), PC: (0, 1), NC: (0, -1)}

BEND = 1.6
CROSS = 2.2
SHARE_CHANNEL = 0.7
SHARE_LINE = 12.0
SHARE_FAMILY = 0.25
SHARE_KIN_LINE = 1.0
"""Two edges of one box sharing a line: they would leave as one (a fork), so only if cheaper."""
LABEL_PAD = 4.0


@dataclass
class End:
    """One end of an edge: a box (with the sides it accepts) or a lane's border."""

    box: str | None = None
    lane: int | None = None
    side_cost: dict[str, float] = field(default_factory=dict)


@dataclass
class Route:
    """An edge to route and, once routed, its runs and real points."""

    key: str
    src: End
    dst: End
    label_f: float = 0.0
    label_c: float = 0.0
    """The label's extents along and across the flow (0 when there is no label)."""
    points: list[tuple[int, int]] = field(default_factory=list)
    runs: list[tuple[str, int, int, int]] = field(default_factory=list)
    """(axis, fixed line, from, to): axis ``f`` runs along c-line ``fixed``; ``c`` along f-line."""
    tracks: dict[int, int] = field(default_factory=dict)
    """Run index → track in its gap or channel."""
    anchor: tuple[str, int, int] | None = None
    """(``gap``/``channel``/``free``, run index, gap or lane) for the label."""
    real: list[tuple[float, float]] = field(default_factory=list)
    label_at: tuple[float, float] | None = None
    src_side: str = ""
    dst_side: str = ""


class Router:
    """Routes edges one after the other on one grid, remembering what each line carries."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.kmax = 2 * grid.columns
        self.mmax = len(grid.c_lines) - 1
        self.blocked: dict[tuple[int, int], str] = {}
        self.ports: dict[str, list[tuple[int, int]]] = {}
        for key, box in grid.boxes.items():
            k = 2 * box.col + 1
            lane = grid.lanes[box.lane]
            half = lane.pitch / 2
            own = grid.line_index(box.lane, box.slot)
            self.ports[key] = [(k, own)]
            for slot in range(-(lane.rows - 1), lane.rows):
                delta = (slot - box.slot) * half
                reach = box.foot_ca if delta > 0 else box.foot_cb
                if abs(delta) < reach + 6.0:
                    point = (k, grid.line_index(box.lane, slot))
                    self.blocked[point] = key
                    if box.kind in ("join", "split") and point[1] != own:
                        self.ports[key].append(point)
        self.used: dict[tuple[int, int, int], list[str]] = defaultdict(list)
        """(k, m, axis 0=f 1=c) → edges using the unit step from (k, m) forward on that axis."""
        self.through: dict[tuple[int, int, int], list[str]] = defaultdict(list)
        self.family: dict[str, tuple[str | None, str | None]] = {}

    # --- the search -------------------------------------------------------------------------

    def _targets(self, end: End) -> dict[tuple[int, int], int | None]:
        """Goal points → the direction the last move must have (None: any allowed side)."""
        if end.box is not None:
            return dict.fromkeys(self.ports[end.box])
        assert end.lane is not None
        top = self.grid.c_lines.index(("top", end.lane, 0))
        bot = self.grid.c_lines.index(("bot", end.lane, 0))
        goals: dict[tuple[int, int], int | None] = {}
        for k in range(self.kmax + 1):
            goals[(k, top)] = PC
            goals[(k, bot)] = NC
        return goals

    def _step_cost(self, k: int, m: int, d: int, key: str) -> float | None:
        dk, dm = _STEP[d]
        nk, nm = k + dk, m + dm
        if not (0 <= nk <= self.kmax and 0 <= nm <= self.mmax):
            return None
        if d in (PF, NF):
            base = 1.0
            axis, sk, sm = 0, min(k, nk), m
            channel = self.grid.c_lines[m][0] != "slot"
        else:
            base = 0.5
            axis, sk, sm = 1, k, min(m, nm)
            channel = k % 2 == 0
        cost = base
        mine = self.family[key]
        for other in self.used.get((sk, sm, axis), ()):
            kin = self.family[other][0] == mine[0] or self.family[other][1] == mine[1]
            if channel:
                cost += SHARE_FAMILY if kin else SHARE_CHANNEL
            else:
                cost += SHARE_KIN_LINE if kin else SHARE_LINE
        across = self.through.get((nk, nm, 1 - axis), ())
        cost += CROSS * sum(1 for o in across if o != key)
        return cost

    def route(self, r: Route) -> bool:
        """Find and record the cheapest path of ``r``; ``False`` when there is none."""
        self.family[r.key] = (r.src.box or f"lane{r.src.lane}", r.dst.box or f"lane{r.dst.lane}")
        goals = self._targets(r.dst)
        src_box, dst_box = r.src.box, r.dst.box
        gk = [k for k, _ in goals]
        gm = [m for _, m in goals]
        k_lo, k_hi, m_lo, m_hi = min(gk), max(gk), min(gm), max(gm)

        def heuristic(k: int, m: int) -> float:
            dk = max(k_lo - k, 0, k - k_hi)
            dm = max(m_lo - m, 0, m - m_hi)
            return dk + 0.5 * dm

        heap: list[tuple[float, int, float, int, int, int]] = []
        best: dict[tuple[int, int, int], float] = {}
        parent: dict[tuple[int, int, int], tuple[int, int, int] | tuple[int, int]] = {}
        counter = 0

        def push(state: tuple[int, int, int], cost: float, came: object) -> None:
            nonlocal counter
            if cost < best.get(state, float("inf")):
                best[state] = cost
                parent[state] = came  # type: ignore[assignment]
                counter += 1
                heapq.heappush(heap, (cost + heuristic(state[0], state[1]), counter, cost, *state))

        for (k, m), need in self._targets(r.src).items():
            for d in (PF, NF, PC, NC):
                if src_box is not None:
                    side = _SIDE_OF_EXIT[d]
                    if side not in r.src.side_cost:
                        continue
                    if (k, m) != self.ports[src_box][0] and d not in (PF, NF):
                        continue
                    extra = r.src.side_cost[side]
                else:
                    if need is not None and d != _reverse(need):
                        continue
                    extra = 0.0
                step = self._step_cost(k, m, d, r.key)
                if step is None:
                    continue
                nk, nm = k + _STEP[d][0], m + _STEP[d][1]
                if self._enterable(nk, nm, d, src_box, dst_box, goals):
                    push((nk, nm, d), extra + step, (k, m))
        found: tuple[int, int, int] | None = None
        found_cost = float("inf")
        while heap:
            _, _, cost, k, m, d = heapq.heappop(heap)
            if cost > best.get((k, m, d), float("inf")) or cost >= found_cost:
                continue
            if (k, m) in goals:
                if dst_box is not None:
                    side = _SIDE_OF_ENTRY[d]
                    straight_in = (k, m) == self.ports[dst_box][0] or d in (PF, NF)
                    if side in r.dst.side_cost and straight_in:
                        total = cost + r.dst.side_cost[side]
                        if total < found_cost:
                            found, found_cost = (k, m, d), total
                    continue
                if goals[(k, m)] in (None, d) and cost < found_cost:
                    found, found_cost = (k, m, d), cost
                continue
            owner = self.blocked.get((k, m))
            straight_only = owner is not None and owner in (src_box, dst_box)
            for nd in (PF, NF, PC, NC):
                if nd == _reverse(d) or (straight_only and nd != d):
                    continue
                step = self._step_cost(k, m, nd, r.key)
                if step is None:
                    continue
                nk, nm = k + _STEP[nd][0], m + _STEP[nd][1]
                if self._enterable(nk, nm, nd, src_box, dst_box, goals):
                    push((nk, nm, nd), cost + step + (BEND if nd != d else 0.0), (k, m, d))
        if found is None:
            return False
        path: list[tuple[int, int]] = []
        state: tuple[int, ...] = found
        first_dir = found[2]
        while len(state) == 3:
            path.append((state[0], state[1]))
            first_dir = state[2]
            state = parent[state]  # type: ignore[index]
        path.append((state[0], state[1]))
        path.reverse()
        r.points = path
        r.src_side = _SIDE_OF_EXIT[first_dir] if src_box is not None else "lane"
        r.dst_side = _SIDE_OF_ENTRY[found[2]] if dst_box is not None else "lane"
        self._record(r)
        return True

    def _enterable(
        self,
        k: int,
        m: int,
        d: int,
        src: str | None,
        dst: str | None,
        goals: dict[tuple[int, int], int | None],
    ) -> bool:
        owner = self.blocked.get((k, m))
        if owner is None:
            return True
        if owner == dst and dst is not None:
            return (k, m) in goals or d in (PC, NC)
        return owner == src and src is not None

    def _record(self, r: Route) -> None:
        pts = r.points
        for (k1, m1), (k2, m2) in itertools.pairwise(pts):
            if m1 == m2:
                self.used[(min(k1, k2), m1, 0)].append(r.key)
                self.through[(k2, m2, 0)].append(r.key)
                self.through[(k1, m1, 0)].append(r.key)
            else:
                self.used[(k1, min(m1, m2), 1)].append(r.key)
                self.through[(k2, m2, 1)].append(r.key)
                self.through[(k1, m1, 1)].append(r.key)
        r.runs = _runs(pts)

    # --- tracks -----------------------------------------------------------------------------

    def assign_tracks(
        self, routes: list[Route]
    ) -> tuple[dict[int, int], dict[tuple[int, str], int]]:
        """Give every run in a gap or a lane channel its own track; return the track counts."""
        gap_runs: dict[int, list[tuple[int, int, Route, int]]] = defaultdict(list)
        chan_runs: dict[tuple[int, str], list[tuple[int, int, Route, int]]] = defaultdict(list)
        for r in routes:
            for i, (axis, fixed, a, b) in enumerate(r.runs):
                lo, hi = min(a, b), max(a, b)
                if axis == "c" and fixed % 2 == 0:
                    gap_runs[fixed // 2].append((lo, hi, r, i))
                elif axis == "f":
                    kind, lane, _ = self.grid.c_lines[fixed]
                    if kind != "slot":
                        chan_runs[(lane, kind)].append((lo, hi, r, i))
        gap_count = {g: _ordered(runs, _gap_key) for g, runs in gap_runs.items()}
        chan_count = {key: _ordered(runs, _nest_key) for key, runs in chan_runs.items()}
        return gap_count, chan_count

    # --- labels -----------------------------------------------------------------------------

    def anchor_labels(
        self, routes: list[Route]
    ) -> tuple[dict[int, float], dict[tuple[int, str], float]]:
        """Choose where each label sits; return the room gaps and channels must add for them.

        A label belongs near its source, on a stretch of line that is its edge's alone: the
        first run along the flow through a gap (the gap widens for it), else the first run
        across the flow (the label goes beside it), else a run in a lane channel (which grows).
        """
        gap_room: dict[int, float] = defaultdict(float)
        chan_room: dict[tuple[int, str], float] = defaultdict(float)
        for r in routes:
            if r.label_f <= 0:
                continue
            r.anchor = self._anchor(r)
            kind, i, where = r.anchor
            if kind == "gap":
                gap_room[where] = max(gap_room[where], r.label_f + 2 * LABEL_PAD)
            elif kind == "channel":
                which = self.grid.c_lines[r.runs[i][1]][0]
                chan_room[(where, which)] = max(chan_room[(where, which)], r.label_c + 4)
        return gap_room, chan_room

    def _shared(self, r: Route, i: int) -> bool:
        """Whether run ``i`` of ``r`` lies on a line another edge also uses."""
        axis, fixed, a, b = r.runs[i]
        lo, hi = min(a, b), max(a, b)
        for x in range(lo, hi):
            key = (x, fixed, 0) if axis == "f" else (fixed, x, 1)
            if any(o != r.key for o in self.used.get(key, ())):
                return True
        return False

    def _anchor(self, r: Route) -> tuple[str, int, int]:
        first_f: tuple[str, int, int] | None = None
        for i, (axis, fixed, a, b) in enumerate(r.runs):
            if axis != "f" or b <= a or self.grid.c_lines[fixed][0] != "slot":
                continue
            gaps = [k // 2 for k in range(a + 1, b + 1) if k % 2 == 0]
            if not gaps:
                continue
            if first_f is None:
                first_f = ("gap", i, gaps[0])
            if not self._shared(r, i):
                return ("gap", i, gaps[0])
        for i, (axis, _line, a, b) in enumerate(r.runs):
            if axis == "c" and abs(b - a) >= 2 and not self._shared(r, i):
                return ("side", i, 0)
        for i, (axis, fixed, _a, _b) in enumerate(r.runs):
            kind, lane, _ = self.grid.c_lines[fixed] if axis == "f" else ("", 0, 0)
            if axis == "f" and kind in ("top", "bot"):
                return ("channel", i, lane)
        if first_f is not None:
            return first_f
        longest = max(range(len(r.runs)), key=lambda j: abs(r.runs[j][3] - r.runs[j][2]))
        return ("free", longest, 0)


def _reverse(d: int) -> int:
    return {PF: NF, NF: PF, PC: NC, NC: PC}[d]


def _runs(points: list[tuple[int, int]]) -> list[tuple[str, int, int, int]]:
    """Maximal straight runs of a path of grid points."""
    runs: list[tuple[str, int, int, int]] = []
    for (k1, m1), (k2, m2) in itertools.pairwise(points):
        axis = "f" if m1 == m2 else "c"
        fixed = m1 if axis == "f" else k1
        start, end = (k1, k2) if axis == "f" else (m1, m2)
        if runs and runs[-1][0] == axis and runs[-1][1] == fixed:
            runs[-1] = (axis, fixed, runs[-1][2], end)
        else:
            runs.append((axis, fixed, start, end))
    return runs


def _ordered(
    runs: list[tuple[int, int, Route, int]],
    key: Callable[[tuple[int, int, Route, int]], tuple[float, ...]],
) -> int:
    """Tracks in a preferred order: a run goes right of (outside) every earlier run it meets.

    Greedy interval colouring would use fewer tracks, but in an arbitrary order; the order
    chosen by ``key`` is what keeps parallel edges from crossing each other.
    """
    placed: list[tuple[int, int, int]] = []
    for lo, hi, r, i in sorted(runs, key=lambda t: (*key(t), t[2].key, t[3])):
        meets = [track for a, b, track in placed if a <= hi and lo <= b]
        track = max(meets) + 1 if meets else 0
        r.tracks[i] = track
        placed.append((lo, hi, track))
    return max((t for _, _, t in placed), default=-1) + 1


def _gap_key(run: tuple[int, int, Route, int]) -> tuple[float, ...]:
    """Order of vertical runs in a gap, left to right, so that Z-shaped edges do not cross.

    An edge that comes in from the left and climbs goes left of the climbers that come in
    lower; one that descends goes left of the descenders that come in higher; edges that come
    in from the right go last.
    """
    _, _, r, i = run
    _axis, line, a, b = r.runs[i]
    left = right = None
    if i > 0:
        _, _, pa, _pb = r.runs[i - 1]
        if pa < line:
            left = a
        else:
            right = a
    if i + 1 < len(r.runs):
        _, _, _na, nb = r.runs[i + 1]
        if nb > line:
            right = b
        else:
            left = b
    if left is None:
        return (2.0, float(right if right is not None else a))
    if b < a:  # climbing
        return (0.0, float(left), float(right if right is not None else 0))
    return (1.0, float(-left), float(-(right if right is not None else 0)))


def _nest_key(run: tuple[int, int, Route, int]) -> tuple[float, ...]:
    """Runs in a lane channel nest: the shorter a loop, the closer to the stages it stays."""
    lo, hi, _, _ = run
    return (float(hi - lo), float(lo))


def gap_width(tracks: int, label_room: float) -> float:
    """The width of a gap holding ``tracks`` vertical tracks and labels ``label_room`` wide."""
    return max(GAP_MIN, (tracks + 1) * TRACK + 8.0) + label_room
