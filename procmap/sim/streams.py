"""Named random streams (SPEC §5.7): one generator per purpose, seeded by name, drawn in batches.

A stream's generator is seeded from ``SeedSequence(seed, spawn_key=(replication, crc32(name)))``,
so a scenario that changes one stage leaves every other stream's sequence untouched (common
random numbers).  Numbers are drawn in growing batches; numpy's generators give the same
sequence batched or one at a time, and procmap's distributions keep that property.
"""

from __future__ import annotations

import numpy as np

from procmap.model.distributions import Constant, Distribution
from procmap.sim.compile import stream_key

__all__ = ["Stream", "generator"]

_MAX_BATCH = 4096


def generator(seed: int, replication: int, name: str) -> np.random.Generator:
    """The generator of stream ``name`` in a replication."""
    seq = np.random.SeedSequence(seed, spawn_key=(replication, stream_key(name)))
    return np.random.Generator(np.random.PCG64(seq))


class Stream:
    """Numbers from one named stream: uniforms, or samples of a distribution."""

    __slots__ = ("_buf", "_constant", "_dist", "_next_size", "_pos", "_rng", "name")

    def __init__(
        self, seed: int, replication: int, name: str, dist: Distribution | None = None
    ) -> None:
        self.name = name
        self._dist = dist
        self._constant: float | None = None
        if isinstance(dist, Constant):
            self._constant = float(dist.mean)  # no randomness: no generator needed
            self._rng = None
        else:
            self._rng = generator(seed, replication, name)
        self._buf: list[float] = []
        self._pos = 0
        self._next_size = 16

    def _refill(self) -> None:
        size = self._next_size
        self._next_size = min(size * 2, _MAX_BATCH)
        if self._dist is None:
            values = self._rng.random(size)
        else:
            values = self._dist.sample(self._rng, size)
        self._buf = values.tolist()
        self._pos = 0

    def next(self) -> float:
        """The next number of the stream."""
        if self._constant is not None:
            return self._constant
        pos = self._pos
        if pos >= len(self._buf):
            self._refill()
            pos = 0
        self._pos = pos + 1
        return self._buf[pos]

    def exponential(self, mean: float) -> float:
        """An exponential variate with this mean, from the stream's uniforms (−mean·ln(1−u))."""
        import math

        return -mean * math.log1p(-self.next())
