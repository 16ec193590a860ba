"""Streaming statistics of one replication: fixed-size histograms and buffered tallies.

The engine appends raw observations to plain Python lists (the cheapest thing it can do in its
inner loop); a :class:`Tally` folds its buffer into a log-spaced :class:`Histogram` with numpy
whenever the buffer fills, so memory stays bounded whatever the number of cases.

Histogram bins: an exact zero bin, then log-spaced bins from ``LOW`` to ``HIGH`` seconds with
ratio ``RATIO`` (each bin's geometric centre is within ``(√RATIO − 1) < 1 %`` of any value in it),
plus an underflow bin (0, LOW) and an overflow bin [HIGH, ∞).  Means, sums and maxima are kept
exactly; only percentiles come from the bins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["BIN_EDGES", "HIGH", "LOW", "RATIO", "Histogram", "Tally"]

LOW = 1e-3  # seconds
HIGH = 1e10  # seconds (~317 years)
RATIO = 1.0198  # (√1.0198 − 1) ≈ 0.0099 < 1 %
_LOG_LOW = math.log(LOW)
_INV_LOG_RATIO = 1.0 / math.log(RATIO)
N_LOG_BINS = math.ceil((math.log(HIGH) - _LOG_LOW) * _INV_LOG_RATIO)
# bins: [0] exact zero, [1] (0, LOW), [2 .. N_LOG_BINS+1] log bins, [N_LOG_BINS+2] overflow
N_BINS = N_LOG_BINS + 3
BIN_EDGES = np.concatenate(([0.0, 0.0], LOW * RATIO ** np.arange(N_LOG_BINS + 1)))
"""Lower edges of each bin (zero bin, underflow, log bins, overflow)."""

FLUSH_AT = 4096  # small batches stay in the CPU caches: faster folding, flat memory


def bin_index(values: np.ndarray) -> np.ndarray:
    """Histogram bin of each value (vectorised: one log, one clip, one mask)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.floor((np.log(values) - _LOG_LOW) * _INV_LOG_RATIO) + 2
    # below LOW → the underflow bin 1; at or above HIGH → the overflow bin; zero → bin 0
    np.clip(scaled, 1, N_BINS - 2, out=scaled)
    out = scaled.astype(np.int64)
    out[values >= HIGH] = N_BINS - 1
    out[values <= 0.0] = 0
    return out


def bin_value(index: int) -> float:
    """The representative value of a bin: 0, or the geometric centre of a log bin."""
    if index == 0:
        return 0.0
    if index == 1:
        return LOW / 2
    if index >= N_BINS - 1:
        return HIGH
    lower = LOW * RATIO ** (index - 2)
    return lower * math.sqrt(RATIO)


@dataclass
class Histogram:
    """Counts per bin plus exact count, sum, sum of squares and maximum."""

    counts: np.ndarray = field(default_factory=lambda: np.zeros(N_BINS, dtype=np.int64))
    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    maximum: float = 0.0

    def __getstate__(self) -> dict[str, object]:
        # Records travel between processes: send only the bins that hold something.
        nz = np.flatnonzero(self.counts)
        return {
            "bins": nz.astype(np.int32),
            "counts": self.counts[nz],
            "n": self.n,
            "total": self.total,
            "total_sq": self.total_sq,
            "maximum": self.maximum,
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        counts = np.zeros(N_BINS, dtype=np.int64)
        counts[state["bins"]] = state["counts"]  # type: ignore[index]
        self.counts = counts
        self.n = state["n"]  # type: ignore[assignment]
        self.total = state["total"]  # type: ignore[assignment]
        self.total_sq = state["total_sq"]  # type: ignore[assignment]
        self.maximum = state["maximum"]  # type: ignore[assignment]

    def add_array(self, values: np.ndarray) -> None:
        if values.size == 0:
            return
        self.counts += np.bincount(bin_index(values), minlength=N_BINS)
        self.n += int(values.size)
        self.total += float(values.sum())
        self.total_sq += float(np.dot(values, values))
        self.maximum = max(self.maximum, float(values.max()))

    def merge(self, other: Histogram) -> None:
        self.counts += other.counts
        self.n += other.n
        self.total += other.total
        self.total_sq += other.total_sq
        self.maximum = max(self.maximum, other.maximum)

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    def quantile(self, q: float) -> float | None:
        """The q-quantile (0 < q ≤ 1) to within 1 % relative error; exact for the maximum."""
        if not self.n:
            return None
        if q >= 1.0:
            return self.maximum
        rank = q * self.n
        cum = np.cumsum(self.counts)
        index = int(np.searchsorted(cum, rank, side="left"))
        # the smallest value v such that at least q·n observations are ≤ v
        return min(bin_value(index), self.maximum)


class Tally:
    """Observations appended to a list in the hot loop, folded into a histogram in batches."""

    __slots__ = ("buffer", "hist")

    def __init__(self) -> None:
        self.buffer: list[float] = []
        self.hist = Histogram()

    def flush(self) -> Histogram:
        if self.buffer:
            self.hist.add_array(np.asarray(self.buffer, dtype=np.float64))
            self.buffer.clear()
        return self.hist

    def add(self, value: float) -> None:
        buf = self.buffer
        buf.append(value)
        if len(buf) >= FLUSH_AT:
            self.flush()


class VisitTally:
    """Visits of one stage and segment: waits, service and suspended times in three flat lists
    (the cheapest appends), folded in batches into four histograms (sojourn = their sum)."""

    __slots__ = (
        "service",
        "services",
        "sojourn",
        "suspended",
        "suspensions",
        "visits",
        "wait",
        "waits",
    )

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.services: list[float] = []
        self.suspensions: list[float] = []
        self.visits = 0
        self.wait = Histogram()
        self.service = Histogram()
        self.suspended = Histogram()
        self.sojourn = Histogram()

    def add(self, wait: float, service: float, suspended: float) -> None:
        self.waits.append(wait)
        self.services.append(service)
        self.suspensions.append(suspended)
        if len(self.waits) >= FLUSH_AT:
            self.flush()

    def flush(self) -> VisitTally:
        if self.waits:
            w = np.array(self.waits, dtype=np.float64)
            sv = np.array(self.services, dtype=np.float64)
            su = np.array(self.suspensions, dtype=np.float64)
            self.visits += w.size
            self.wait.add_array(w)
            self.service.add_array(sv)
            self.suspended.add_array(su)
            self.sojourn.add_array(w + sv + su)
            self.waits.clear()
            self.services.clear()
            self.suspensions.clear()
        return self
