"""The heatmap: the flowchart coloured by where the simulation found waiting and breaches.

Same layout as the flowchart (SPEC §7); stages are filled by their on-duty wait share (the share
of cycle time cases spend queueing there while the team is on duty — the figure bottlenecks are
ranked by), lane headers by team utilisation, bottlenecks get a thick vermillion outline and
their rank, SLA spans turn vermillion when the mean attainment misses the goal.  Figures go into
the labels; the two colour scales go into the legend.  Both scales are ColorBrewer sequential
schemes, readable by colour-blind readers and in greyscale print.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from procmap.render import style
from procmap.render.content import Line, figure_mean, percent, short_duration
from procmap.render.dot import escape
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.model.model import Model
    from procmap.sim.result import SimulationResult

__all__ = ["Heat", "heatmap_section", "result_data"]


def result_data(
    results: SimulationResult | Mapping[str, Any] | str | os.PathLike[str],
) -> dict[str, Any]:
    """The RESULT dict of a :class:`SimulationResult`, a dict, or a result JSON file.

    Raises
    ------
    FileError
        The file cannot be read or is not JSON.
    ValueError
        The data is not a single-scenario procmap result.
    """
    from procmap.sim.result import SimulationResult

    if isinstance(results, SimulationResult):
        return results.data
    if isinstance(results, Mapping):
        return SimulationResult(results).data
    return SimulationResult.from_json(results).data


def model_for(model: Model, data: Mapping[str, Any]) -> Model:
    """The model (scenario) the results were simulated on.

    Raises
    ------
    ValueError
        The results are of another process.
    """
    if data.get("model") not in (None, model.id):
        raise ValueError(f"the results are of process {data.get('model')!r}, not {model.id!r}")
    scenario = data.get("scenario")
    if scenario and scenario != model.scenario and scenario in model.scenarios:
        return model.with_scenario(scenario)
    return model


def _legend_scale(
    title: str, labels: list[str], colours: tuple[str, ...]
) -> tuple[str, float, float, str]:
    size = style.LEGEND_PT
    cell_w = max(style.text_width(t, size) for t in labels) + 12
    cells = "".join(
        f'<TD BGCOLOR="{c}" WIDTH="{cell_w:.0f}"><FONT POINT-SIZE="{size}" COLOR="{style.ink_on(c)}">'
        f"{escape(t)}</FONT></TD>"
        for t, c in zip(labels, colours, strict=True)
    )
    html = (
        f'<TABLE BORDER="1" COLOR="{Palette.LANE_BORDER}" CELLBORDER="0" CELLSPACING="1" '
        f'CELLPADDING="3" BGCOLOR="white"><TR><TD COLSPAN="{len(labels)}" ALIGN="LEFT">'
        f'<FONT POINT-SIZE="{size + 0.5}" COLOR="{Palette.INK}"><B>{escape(title)}</B></FONT></TD></TR>'
        f"<TR>{cells}</TR></TABLE>"
    )
    title_w = style.text_width(title, size + 0.5, bold=True) + 12
    width = max(title_w, (cell_w + 2) * len(labels) + 8)
    height = 2 * (style.line_height(size) + 8) + 6
    return html, width, height, ""


def _bounds_labels(bounds: tuple[float, ...]) -> list[str]:
    labels = [f"< {percent(bounds[0])}"]
    labels += [f"{percent(a)}–{percent(b)}" for a, b in itertools.pairwise(bounds)]
    labels.append(f"≥ {percent(bounds[-1])}")
    return labels


class Heat:
    """Simulation figures for one model, as colours and label lines of its map."""

    def __init__(self, model: Model, data: Mapping[str, Any]) -> None:
        self.model = model
        self.data = data
        self.rank = {b.get("stage"): i + 1 for i, b in enumerate(data.get("bottlenecks") or [])}

    @classmethod
    def of(
        cls, model: Model, results: SimulationResult | Mapping[str, Any] | str | os.PathLike[str]
    ) -> Heat:
        data = result_data(results)
        return cls(model_for(model, data), data)

    # --- stages -----------------------------------------------------------------------------

    def _stage(self, sid: str) -> Mapping[str, Any] | None:
        return (self.data.get("stages") or {}).get(sid)

    def stage_fill(self, sid: str) -> str | None:
        d = self._stage(sid)
        stage = self.model.document.stages.get(sid)
        if d is None or stage is None or stage.kind != "task":
            return None  # nobody queues at a wait, decision, join or end
        share = figure_mean(d.get("on_duty_wait_share"))
        return style.heat_colour(share, Palette.WAIT_BOUNDS, Palette.WAIT_SCALE)

    def stage_rank(self, sid: str) -> int | None:
        return self.rank.get(sid)

    def stage_lines(self, sid: str) -> list[Line]:
        d = self._stage(sid)
        if d is None:
            return []
        out: list[Line] = []
        wait = d.get("wait_s") or {}
        mean, p90 = figure_mean(wait.get("mean")), figure_mean(wait.get("p90"))
        share = figure_mean(d.get("on_duty_wait_share"))
        kind = self.model.document.stages[sid].kind if sid in self.model.document.stages else ""
        if mean is not None and kind == "task":
            text = f"wait {short_duration(mean)}"
            if p90 is not None:
                text += f" · p90 {short_duration(p90)}"
            out.append(Line(text, style.DETAIL_PT, bold=True))
        if share is not None and kind == "task":
            out.append(Line(f"{percent(round(share, 3))} of cycle time waiting", style.DETAIL_PT))
        rank = self.rank.get(sid)
        if rank is not None:
            out.append(Line(f"▲ bottleneck {rank}", style.DETAIL_PT, bold=True))
        return out

    # --- teams ------------------------------------------------------------------------------

    def _team(self, tid: str) -> Mapping[str, Any] | None:
        return (self.data.get("teams") or {}).get(tid)

    def team_fill(self, tid: str) -> str | None:
        d = self._team(tid)
        team = self.model.document.teams.get(tid)
        if d is None or (team is not None and team.unlimited):
            return None
        util = figure_mean(d.get("utilization"))
        return (
            style.heat_colour(util, Palette.UTIL_BOUNDS, Palette.UTIL_SCALE)
            if util is not None
            else None
        )

    def team_lines(self, tid: str) -> list[Line]:
        d = self._team(tid)
        team = self.model.document.teams.get(tid)
        if d is None or (team is not None and team.unlimited):
            return []
        util = figure_mean(d.get("utilization"))
        queue = d.get("queue_length") or {}
        qmean, qmax = figure_mean(queue.get("mean")), figure_mean(queue.get("max"))
        fill = self.team_fill(tid) or Palette.HEADER_FILL
        ink = style.ink_on(fill)
        out = []
        if util is not None:
            out.append(
                Line(
                    f"busy {percent(round(util, 3))}", style.DETAIL_PT + 0.5, bold=True, colour=ink
                )
            )
        if qmean is not None:
            text = f"queue {qmean:.1f}" + (f" (max {qmax:.0f})" if qmax is not None else "")
            out.append(Line(text, style.DETAIL_PT, colour=ink))
        return out

    # --- SLAs, legend, title ------------------------------------------------------------------

    def sla_state(self, lid: str) -> tuple[str, list[Line]]:
        d = (self.data.get("slas") or {}).get(lid)
        if d is None:
            return Palette.SLA, []
        att = figure_mean(d.get("attainment"))
        goal = d.get("goal")
        met = d.get("met_goal")
        colour = Palette.SLA_MISSED if met is False else Palette.SLA
        if att is None:
            return colour, [Line("no case judged", style.EDGE_PT, colour=Palette.MUTED)]
        text = f"attained {percent(round(att, 3))}"
        if goal is not None:
            text += f" (goal {percent(goal)})" + (" — missed" if met is False else " — met")
        return colour, [Line(text, style.DETAIL_PT, bold=True, colour=colour)]

    @property
    def subtitle(self) -> str:
        cfg = self.data.get("config") or {}
        reps = cfg.get("replications")
        text = f"simulated: {self.data.get('scenario', 'baseline')}"
        if reps:
            text += f", {reps} replications"
        if cfg.get("seed") is not None:
            text += f", seed {cfg['seed']}"
        return text

    def scales(self) -> list[tuple[str, float, float, str]]:
        """The two colour scales of the legend (HTML tables with their estimated sizes)."""
        wait = _legend_scale(
            "Stage fill: share of cycle time waiting there (team on duty)",
            _bounds_labels(Palette.WAIT_BOUNDS),
            Palette.WAIT_SCALE,
        )
        util = _legend_scale(
            "Team header: utilisation", _bounds_labels(Palette.UTIL_BOUNDS), Palette.UTIL_SCALE
        )
        return [(*wait[:3], "twait"), (*util[:3], "tutil")]


def heatmap_section(result: SimulationResult) -> str | None:
    """The notebook section of a result: its heatmap as inline SVG (``None`` without a model
    or without Graphviz — the tables above still tell the story)."""
    if result.model is None:
        return None
    from procmap.errors import ProcmapError
    from procmap.render.dot import to_dot
    from procmap.render.files import find_dot, svg_text

    if find_dot() is None:
        return None
    try:
        svg = svg_text(to_dot(result.model, result))
    except (ProcmapError, ValueError, OSError):
        return None
    return f'<h4>Heatmap</h4><div class="procmap-heatmap" style="overflow:auto">{svg}</div>'
