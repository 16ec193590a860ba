"""What the map says: the words of every node, edge, lane, SLA span and KPI badge.

Kept apart from geometry so that the Graphviz flowchart, the Mermaid text and the heatmap say
the same things in the same words (the user's own words for durations: ``tri 2min/5min/15min``).
A :class:`Block` is a few styled lines; the layout measures it, the DOT writer prints it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.render import style
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.model.model import Model
    from procmap.model.schema import Branch, Kpi, Sla, Stage

__all__ = ["Block", "Line", "Words"]

NODE_TEXT_WIDTH = 136.0
"""Widest text line inside a stage box, in points (longer names wrap)."""
EDGE_TEXT_WIDTH = 100.0
CAPTION_WIDTH = 104.0
HEADER_TEXT_WIDTH = 118.0


@dataclass(frozen=True)
class Line:
    """One line of text with its style."""

    text: str
    size: float = style.NAME_PT
    bold: bool = False
    italic: bool = False
    colour: str = Palette.INK

    @property
    def width(self) -> float:
        return style.text_width(self.text, self.size, bold=self.bold)

    @property
    def height(self) -> float:
        return style.line_height(self.size)


@dataclass(frozen=True)
class Block:
    """Lines shown together (a node's label, an edge's label)."""

    lines: tuple[Line, ...] = ()

    @property
    def width(self) -> float:
        return max((line.width for line in self.lines), default=0.0)

    @property
    def height(self) -> float:
        return sum(line.height for line in self.lines)

    def __bool__(self) -> bool:
        return bool(self.lines)

    def plain(self, sep: str = "\n") -> str:
        """The text without styles (Mermaid, tests, tooltips)."""
        return sep.join(line.text for line in self.lines)

    def __add__(self, other: Block) -> Block:
        return Block(self.lines + other.lines)


def lines(
    text: str,
    width: float,
    *,
    size: float = style.NAME_PT,
    bold: bool = False,
    italic: bool = False,
    colour: str = Palette.INK,
) -> Block:
    """``text`` wrapped to ``width`` points, every line in one style."""
    return Block(
        tuple(Line(t, size, bold, italic, colour) for t in style.wrap(text, size, width, bold=bold))
    )


def percent(share: float) -> str:
    """``0.45`` → ``45%``, ``1/3`` → ``33.3%``: what a consultant writes on a slide."""
    value = share * 100
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def hours(calendar: str) -> str:
    """``office hours`` for an English calendar id, ``中国工作日历 time`` for any other."""
    return f"{calendar} hours" if calendar.isascii() else f"{calendar} time"


def short_duration(seconds: float) -> str:
    """Two significant figures in one unit (``4min``, ``2.6h``, ``1.5d``): enough on a map."""
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            value = seconds / size
            text = f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")
            return text + unit
    return f"{seconds:.0f}s"


def pretty_target(text: str) -> str:
    """A KPI target's canonical text with real comparison signs: ``<= 2d`` → ``≤ 2d``."""
    return text.replace("<=", "≤").replace(">=", "≥").replace("==", "=")


_METRIC_WORDS = {
    "cycle_time": "cycle time",
    "wait": "wait",
    "service": "work time",
    "sojourn": "time in step",
    "utilization": "utilisation",
    "queue_length": "queue",
    "throughput": "throughput",
    "sla_attainment": "SLA attainment",
    "end_share": "share of cases",
    "cost_per_case": "cost per case",
}


class Words:
    """The texts of one model's map.  Pure: the same model gives the same words."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.doc = model.document

    # --- names ------------------------------------------------------------------------------

    def stage_name(self, sid: str) -> str:
        return self.doc.stages[sid].name or sid

    def team_name(self, tid: str) -> str:
        team = self.doc.teams.get(tid)
        return (team.name if team is not None else None) or tid

    def segment_name(self, seg: str) -> str:
        segments = self.doc.segments or {}
        return (segments[seg].name if seg in segments else None) or seg

    def event_text(self, event: Any) -> str:
        if event.point == "arrival":
            return "arrival"
        return f"{self.stage_name(event.stage)} {event.point}"

    # --- nodes ------------------------------------------------------------------------------

    def stage_block(self, sid: str, extra: Iterable[Line] = ()) -> Block:
        """Name, duration in the user's words, people needed, system, KPI badges."""
        stage = self.doc.stages[sid]
        block = lines(self.stage_name(sid), NODE_TEXT_WIDTH, bold=True)
        details: list[str] = []
        if stage.duration is not None:
            details.append(stage.duration.describe())
        if stage.kind == "wait" and stage.calendar:
            details.append("in " + hours(stage.calendar))
        needs = stage.needs_by_team
        if len(needs) > 1:
            others = [f"{self.team_name(t)} ×{n}" for t, n in needs.items() if t != stage.team]
            details.append("with " + ", ".join(others))
        elif needs and next(iter(needs.values())) > 1:
            details.append(f"{next(iter(needs.values()))} people")
        for text in details:
            block += lines(text, NODE_TEXT_WIDTH, size=style.DETAIL_PT, colour=Palette.MUTED)
        if stage.system:
            block += lines(
                f"▣ {stage.system}", NODE_TEXT_WIDTH, size=style.DETAIL_PT, colour=Palette.SYSTEM
            )
        for kpi in self.stage_kpis(sid):
            block += self.kpi_badge(kpi, NODE_TEXT_WIDTH)
        return block + Block(tuple(extra))

    def decision_block(self, sid: str) -> Block:
        return lines(self.stage_name(sid), 84.0, size=style.DETAIL_PT + 0.5, bold=True)

    def end_caption(self, sid: str) -> Block:
        stage = self.doc.stages[sid]
        block = lines(self.stage_name(sid), CAPTION_WIDTH, size=style.DETAIL_PT + 0.5, bold=True)
        if stage.outcome and stage.outcome != self.stage_name(sid):
            block += lines(
                f"outcome: {stage.outcome}",
                CAPTION_WIDTH,
                size=style.DETAIL_PT,
                colour=Palette.MUTED,
            )
        for kpi in self.stage_kpis(sid):
            block += self.kpi_badge(kpi, CAPTION_WIDTH)
        return block

    def join_caption(self, sid: str) -> Block:
        stage = self.doc.stages[sid]
        if not stage.name:
            return Block()
        return lines(stage.name, CAPTION_WIDTH, size=style.DETAIL_PT, colour=Palette.MUTED)

    def start_caption(self) -> Block:
        """``start`` and how cases arrive (rates or interarrival times, with their calendar)."""
        block = lines("start", CAPTION_WIDTH, size=style.DETAIL_PT + 0.5, bold=True)
        for source in self.doc.sources:
            law = source.rate.text if source.rate is not None else None
            if law is None and source.interarrival is not None:
                law = "every " + source.interarrival.describe()
            if law is None:
                continue
            if source.calendar and source.calendar != "always":
                law += f" ({source.calendar})"
            if source.segments:
                segs = [self.segment_name(s) for s, share in source.segments.items() if share]
                law += " " + ", ".join(segs)
            block += lines(law, CAPTION_WIDTH, size=style.DETAIL_PT, colour=Palette.MUTED)
        return block

    def lane_block(self, tid: str, extra: Iterable[Line] = ()) -> Block:
        """Team name, its staffing in a few words, and its KPI badges."""
        team = self.doc.teams.get(tid)
        block = lines(self.team_name(tid), HEADER_TEXT_WIDTH, size=style.LANE_PT, bold=True)
        if team is not None:
            staffing = self._staffing(team)
            if staffing:
                block += lines(
                    staffing, HEADER_TEXT_WIDTH, size=style.DETAIL_PT, colour=Palette.MUTED
                )
        for kpi in self.team_kpis(tid):
            block += self.kpi_badge(kpi, HEADER_TEXT_WIDTH)
        return block + Block(tuple(extra))

    @staticmethod
    def _staffing(team: Any) -> str:
        if team.unlimited:
            return "external"
        parts = [f"{staff} × {cal}" for cal, staff in team.rosters]
        text = " + ".join(parts)
        if len(team.rosters) == 1:
            staff = team.rosters[0][1]
            cal = team.rosters[0][0]
            text = f"{staff} staff" + (f", {cal}" if cal and cal != "always" else "")
        if team.availability is not None and team.availability < 1:
            text += f", {percent(team.availability)} available"
        return text

    # --- edges ------------------------------------------------------------------------------

    def branch_block(self, stage: Stage, branch: Branch) -> Block:
        """``45%`` or the segments, the hand-off delay, the data moved and its channel."""
        block = Block()
        head: list[str] = []
        if branch.p is not None and len(stage.branches) > 1:
            head.append(percent(branch.p))
        if branch.when is not None:
            head.append(", ".join(self.segment_name(s) for s in branch.when.segment))
        elif branch.otherwise:
            head.append("otherwise")
        if head:
            block += lines(" ".join(head), EDGE_TEXT_WIDTH, size=style.EDGE_PT + 0.5, bold=True)
        if branch.handoff is not None:
            text = "hand-off " + branch.handoff.describe()
            if branch.calendar:
                text += f" ({branch.calendar})"
            block += lines(text, EDGE_TEXT_WIDTH, size=style.EDGE_PT, colour=Palette.MUTED)
        if branch.data:
            block += lines(
                ", ".join(branch.data),
                EDGE_TEXT_WIDTH,
                size=style.EDGE_PT,
                italic=True,
                colour=Palette.DATA,
            )
        if branch.channel:
            block += lines(
                f"via {branch.channel}", EDGE_TEXT_WIDTH, size=style.EDGE_PT, colour=Palette.MUTED
            )
        return block

    def data_flow_block(self, data: Iterable[str], system: str | None) -> Block:
        block = lines(
            ", ".join(data), EDGE_TEXT_WIDTH, size=style.EDGE_PT, italic=True, colour=Palette.DATA
        )
        if system:
            block += lines(f"▣ {system}", EDGE_TEXT_WIDTH, size=style.EDGE_PT, colour=Palette.DATA)
        return block

    # --- SLAs and KPIs ----------------------------------------------------------------------

    def sla_title(self, lid: str) -> str:
        sla = self.doc.slas[lid]
        return f"{sla.name or lid} ≤ {sla.target.text}"

    def sla_details(self, lid: str) -> str:
        """Start → stop, clock, goal and segment targets, in one line."""
        sla = self.doc.slas[lid]
        starts = " / ".join(self.event_text(e) for e in sla.start_events)
        stops = " / ".join(self.event_text(e) for e in sla.stop_events)
        parts = [f"{starts} → {stops}"]
        parts.append(hours(sla.calendar) if sla.calendar else "clock time")
        if sla.goal is not None:
            parts.append(f"goal {percent(sla.goal)}")
        for seg in sla.by_segment or {}:
            _target, goal, own = sla.segment_target(seg)
            text = f"{self.segment_name(seg)} ≤ {_duration_text(sla, seg)}"
            if own and goal is not None:
                text += f" ({percent(goal)})"
            parts.append(text)
        if sla.pause:
            parts.append("paused in " + ", ".join(self.stage_name(s) for s in sla.pause))
        return " · ".join(parts)

    def stage_kpis(self, sid: str) -> list[Kpi]:
        return [k for k in self.doc.kpis if k.stage == sid and k.team is None]

    def team_kpis(self, tid: str) -> list[Kpi]:
        return [k for k in self.doc.kpis if k.team == tid]

    def process_kpis(self) -> list[Kpi]:
        """KPIs about the whole process (cycle time, cost, SLA attainment, external scores)."""
        return [k for k in self.doc.kpis if k.stage is None and k.team is None]

    def kpi_text(self, kpi: Kpi) -> str:
        """``Legal queue wait: p90 ≤ 1d`` — the KPI's name, its statistic and its target."""
        what = _METRIC_WORDS.get(kpi.metric or "", "")
        stat = f"{kpi.stat} " if kpi.stat and kpi.stat != "mean" else ""
        target = pretty_target(kpi.target.text) if kpi.target is not None else ""
        if kpi.segment:
            what += f" ({self.segment_name(kpi.segment)})"
        if kpi.name:
            return f"{kpi.name}: {stat}{target}".strip()
        return f"{kpi.id}: {stat}{what} {target}".strip()

    def kpi_badge(self, kpi: Kpi, width: float) -> Block:
        return lines(f"◆ {self.kpi_text(kpi)}", width, size=style.DETAIL_PT, colour=Palette.KPI)


def _duration_text(sla: Sla, seg: str) -> str:
    entry = (sla.by_segment or {}).get(seg)
    target = getattr(entry, "target", entry)
    return getattr(target, "text", str(target))


def figure_mean(value: Any) -> float | None:
    """The mean of a figure dict (``{"mean", "ci95", "n"}``), or ``None``."""
    if isinstance(value, Mapping):
        mean = value.get("mean")
        if isinstance(mean, Mapping):  # a distribution: its mean figure
            mean = mean.get("mean")
        return float(mean) if isinstance(mean, int | float) else None
    if isinstance(value, int | float):
        return float(value)
    return None
