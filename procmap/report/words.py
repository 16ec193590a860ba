"""What a report calls things: display names, figure texts, KPI targets — with or without a model.

A report can be made from a result read back from JSON, without the model that produced it; then
every name falls back to its id and targets are read from the result's own target texts.  With
the model, names are the user's own (``二线技术`` rather than ``l2``).  Charts and tables both ask
here, so a stage is called the same everywhere on the page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmap.model.units import format_duration

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = [
    "CycleTarget",
    "Names",
    "duration",
    "fci",
    "fmean",
    "pretty_target",
    "share_text",
    "short_duration",
    "sla_target",
]


def fmean(fig: Any) -> float | None:
    """The mean of a figure ``{"mean", "ci95", "n"}`` (or a plain number), ``None`` if absent."""
    if isinstance(fig, Mapping):
        fig = fig.get("mean")
    if isinstance(fig, bool) or not isinstance(fig, int | float) or not math.isfinite(fig):
        return None
    return float(fig)


def fci(fig: Any) -> float:
    """The 95 % half-width of a figure; 0 when there is none (a single replication)."""
    if isinstance(fig, Mapping):
        ci = fig.get("ci95")
        if isinstance(ci, int | float) and math.isfinite(ci):
            return float(ci)
    return 0.0


def share_text(value: float | None, decimals: int = 1) -> str:
    """``97.8%``; ``—`` for a missing value."""
    return "—" if value is None else f"{100 * value:.{decimals}f}%"


@dataclass(frozen=True)
class CycleTarget:
    """A cycle-time KPI target, to be marked on the distribution."""

    label: str
    stat: str
    seconds: float
    segment: str | None

    @property
    def quantile(self) -> float | None:
        """0.9 for ``p90``; ``None`` for ``mean`` and ``max`` (no point on the ECDF)."""
        return int(self.stat[1:]) / 100 if self.stat.startswith("p") else None


class Names:
    """Display names of stages, teams, SLAs, segments, KPIs and scenarios."""

    def __init__(self, model: Model | None, result: Mapping[str, Any] | None = None) -> None:
        self.model = model
        self.result = result or {}

    def _doc_name(self, kind: str, key: str) -> str:
        if self.model is None:
            return key
        doc = self.model.document
        table: Mapping[str, Any] = {
            "stages": doc.stages,
            "teams": doc.teams,
            "slas": doc.slas,
            "segments": doc.segments or {},
        }.get(kind, {})
        obj = table.get(key)
        return getattr(obj, "name", None) or key

    def stage(self, sid: str) -> str:
        return self._doc_name("stages", sid)

    def team(self, tid: str) -> str:
        return self._doc_name("teams", tid)

    def sla(self, lid: str) -> str:
        return self._doc_name("slas", lid)

    def segment(self, seg: str) -> str:
        return self._doc_name("segments", seg)

    def kpi(self, kid: str) -> str:
        if self.model is not None:
            for kpi in self.model.document.kpis:
                if kpi.id == kid:
                    return kpi.name or kid
        return kid

    @property
    def process(self) -> str:
        if self.model is not None:
            return self.model.name
        return str(self.result.get("model", "process"))

    @property
    def currency(self) -> str | None:
        return self.model.document.process.currency if self.model is not None else None

    def stage_team(self, sid: str) -> str | None:
        if self.model is None or sid not in self.model.document.stages:
            return None
        return self.model.document.stages[sid].team

    def unlimited(self, tid: str) -> bool:
        """Whether a team has unlimited staff (an external party: it never queues, costs 0)."""
        if self.model is None or tid not in self.model.document.teams:
            return False
        return self.model.document.teams[tid].staff == "unlimited"

    def attribution(self, key: str) -> tuple[str, str]:
        """``(label, kind)`` of a breach-attribution key (SPEC §5.11).

        Kinds: ``wait``, ``service``, ``suspended``, ``handoff``, ``sync``, ``closed``, ``pause``.
        """
        if key == "closed_hours":
            return "outside SLA hours (clock stopped)", "closed"
        if key == "pause":
            return "paused (e.g. waiting on the customer)", "pause"
        head, _, rest = key.partition(":")
        ident, _, part = rest.rpartition(":")
        if head == "stage":
            words = {"wait": "queue wait", "service": "work", "suspended": "held off duty"}
            return f"{self.stage(ident)}: {words.get(part, part)}", part
        if head == "edge":
            a, _, b = ident.partition(">")
            return f"hand-off {self.stage(a)} → {self.stage(b)}", "handoff"
        if head == "join":
            return f"{self.stage(ident)}: waiting for parallel work", "sync"
        return key, "other"

    def cycle_targets(self) -> list[CycleTarget]:
        """KPIs on cycle time with a duration target (from the model, else the result's text)."""
        out: list[CycleTarget] = []
        if self.model is not None:
            for kpi in self.model.document.kpis:
                if kpi.metric == "cycle_time" and kpi.target_value is not None:
                    stat = kpi.stat or "mean"
                    out.append(CycleTarget(kpi.name or kpi.id, stat, kpi.target_value, kpi.segment))
            return out
        from procmap.model.units import parse_duration, parse_target

        for kid, k in (self.result.get("kpis") or {}).items():
            if k.get("metric") != "cycle_time" or not k.get("target"):
                continue
            try:
                seconds = parse_duration(str(parse_target(k["target"]).value)).seconds
            except Exception:  # a target text this version cannot read: leave it unmarked
                continue
            out.append(CycleTarget(kid, k.get("stat") or "mean", seconds, None))
        return out


def pretty_target(text: Any) -> str:
    """``<= 5d`` as ``≤ 5d`` (results keep the ASCII form)."""
    return str(text or "").replace("<=", "≤").replace(">=", "≥")


_SHORT_UNITS = (("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0))


def short_duration(seconds: float) -> str:
    """One unit, two significant figures (``1.1h``, ``37min``): enough for a difference or a
    ± half-width, where ``1h 6min ± 14min 29s`` would claim a precision the interval denies."""
    unit, size = next(((u, z) for u, z in _SHORT_UNITS if seconds >= z), ("s", 1.0))
    v = seconds / size
    return (f"{v:.0f}" if v >= 10 else f"{v:.1f}".removesuffix(".0")) + unit


def sla_target(seconds: float | None, calendar: str | None) -> str:
    """An SLA target: an SLA on a calendar counts open hours, so a long target shows in hours
    (``75h`` rather than ``3d 3h``, which would read as clock days)."""
    if seconds is not None and calendar and seconds >= 86400:
        return f"{seconds / 3600:.4g}h"
    return duration(seconds)


def duration(seconds: float | None) -> str:
    """A short duration (``1d 11h``), ``—`` when missing."""
    return "—" if seconds is None else format_duration(seconds)
