"""What one replication hands back: raw per-replication statistics (picklable, bounded in size).

The engine fills a :class:`ReplicationRecord`; :mod:`procmap.sim.result` turns a list of them
(one per replication) into figures — mean, Student-t 95 % half-width and ``n`` across
replications (SPEC §5.8) — and the JSON of SPEC §6.

Conventions: times in seconds; counts and histograms cover only *counted* cases (arrived at or
after the warm-up) and, for visits, only visits that ended before the end of the run; team
figures integrate over the window ``[warmup, end]`` and include all work.  Per-segment entries
are keyed by segment id (``"default"`` when the model has no segments).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from procmap.sim.stats import Histogram

__all__ = [
    "EdgeRecord",
    "ReplicationRecord",
    "SlaRecord",
    "StageRecord",
    "TeamRecord",
]


def _hists() -> dict[str, Histogram]:
    return {}


@dataclass
class StageRecord:
    visits: dict[str, int] = field(default_factory=dict)
    """Counted visits that ended in the run, per segment."""
    wait: dict[str, Histogram] = field(default_factory=_hists)
    service: dict[str, Histogram] = field(default_factory=_hists)
    suspended: dict[str, Histogram] = field(default_factory=_hists)
    sojourn: dict[str, Histogram] = field(default_factory=_hists)
    on_duty_wait: float = 0.0
    """Σ queue wait of counted visits that fell in the owner team's open hours (seconds)."""
    open_at_end: int = 0
    """Counted tokens at this stage (queued, held or waiting) when the run ended."""


@dataclass
class EdgeRecord:
    traversals: int = 0
    """Counted tokens that took this edge."""
    handoff: Histogram = field(default_factory=Histogram)
    """Hand-off delays of counted tokens (empty when the edge has none)."""


@dataclass
class TeamRecord:
    busy: float = 0.0
    """Busy person-seconds in the window (needs × working time)."""
    available: float = 0.0
    """On-duty person-seconds in the window, after availability."""
    rostered: float = 0.0
    """Rostered person-seconds in the window (before availability): what the team costs."""
    queue_area: float = 0.0
    """∫ queue length dt over the window (task-seconds)."""
    queue_max: int = 0
    """Longest queue in the window."""
    series: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Mean queue length per hour of the window (length = ceil(window hours))."""
    cost: float = 0.0
    """cost_per_hour × rostered person-hours in the window (0 for unlimited teams)."""


@dataclass
class SlaRecord:
    met: dict[str, int] = field(default_factory=dict)
    breached: dict[str, int] = field(default_factory=dict)
    open: dict[str, int] = field(default_factory=dict)
    """Still running at the end and not yet past the target."""
    not_applicable: dict[str, int] = field(default_factory=dict)
    """Cases that ended without the stop event (after the start event)."""
    escalations: dict[str, int] = field(default_factory=dict)
    """Escalation steps taken by counted cases, per ``notify`` label ("" when none)."""
    attribution: dict[str, float] = field(default_factory=dict)
    """Σ over breached cases of clock seconds by where they went: ``stage:<id>:wait``,
    ``stage:<id>:service``, ``stage:<id>:suspended``, ``edge:<a>><b>:handoff``, ``join:<id>:sync``,
    ``closed_hours``, ``pause``."""


@dataclass
class ReplicationRecord:
    replication: int
    start_s: float
    """Always 0: times are seconds from ``simulation.start``."""
    end_s: float
    """When the run ended (the horizon, or when the last case finished in cases mode)."""
    warmup_s: float
    arrived: dict[str, int] = field(default_factory=dict)
    """Counted cases per segment."""
    completed: dict[str, int] = field(default_factory=dict)
    """Counted cases that reached an end stage, per segment."""
    open_at_end: dict[str, int] = field(default_factory=dict)
    """Counted cases still in the process at the end, per segment."""
    completions_in_window: dict[str, int] = field(default_factory=dict)
    """Every completion in [warmup, end] whatever its arrival time, per segment (throughput)."""
    cycle_time: dict[str, Histogram] = field(default_factory=_hists)
    """Arrival → end of counted completed cases, per segment."""
    end_counts: dict[str, int] = field(default_factory=dict)
    """Counted completed cases per end stage."""
    stages: dict[str, StageRecord] = field(default_factory=dict)
    edges: dict[str, EdgeRecord] = field(default_factory=dict)
    """Keyed ``"<from>><to>"``."""
    joins: dict[str, Histogram] = field(default_factory=dict)
    """Synchronisation time per join firing of counted cases (first token in → firing)."""
    teams: dict[str, TeamRecord] = field(default_factory=dict)
    slas: dict[str, SlaRecord] = field(default_factory=dict)
    eligible_cycle_total: float = 0.0
    """Σ cycle time of counted completed cases (the denominator of wait shares)."""
    events: int = 0
    """Events processed (for benchmarks)."""

    @property
    def window_s(self) -> float:
        return max(self.end_s - self.warmup_s, 0.0)
