"""Plain hand-written SimPy models: the baseline that ``bench_sim.py`` times procmap against.

Written the way a typical SimPy model is written: one generator process per customer,
``simpy.Resource`` (``PriorityResource`` where priorities matter), ``env.timeout`` and a numpy
``Generator`` drawing one number at a time.  The only statistic kept is a list of queue waits
(for the mean wait), the minimum a model would keep.  Every model takes ``n`` cases: arrivals
stop after ``n`` and the run goes on until every case has finished.

Times are in seconds, like procmap's engine.  Each function returns a :class:`PlainResult`.

* :func:`tandem` — (b) 6 stations in series, 1 server each, exponential service with mean 48 s,
  Poisson arrivals 1/min (ρ = 0.8 everywhere).  Same network as ``models/tandem.yaml``.
* :func:`jackson` — (c) 5 stations with branching and two rework loops (``models/jackson.yaml``)::

      in → s1 → s2 → s3 (0.6) | s4 (0.4)
                s3 → s2 (0.2) | s5 (0.8)          rework loop s3 → s2
                s4 → s5
                s5 → out (0.9) | s3 (0.1)         rework loop s5 → s3

  Poisson arrivals 1/min, exponential service; staff 1/2/1/1/2, loads 0.70/0.76/0.61/0.56/0.78.
* :func:`service_desk` — (a) ``examples/service_desk.yaml`` with every calendar taken as always
  open (``models/service_desk_always.yaml`` is that model in procmap): l1 = 7, l2 = 3, csm = 4
  as ``PriorityResource`` (VIP priority 0, regular 1), the same routing, durations and hand-off,
  the wait stage as a plain timeout and the parallel split/join as two processes and an
  ``AllOf``.  The first-response escalation (45 min before the end of triage → priority 0) is
  applied to every request made after it fell due; requests already queued are not re-sorted
  (procmap re-sorts them), a difference that changes a handful of queue orders, not the network.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

__all__ = ["MODELS", "PlainResult", "jackson", "service_desk", "tandem"]

MIN = 60.0
HOUR = 3600.0


@dataclass
class PlainResult:
    cases: int
    visits: int
    """Queueing visits (one per resource request)."""
    mean_wait: float
    """Mean queue wait per visit (seconds)."""
    end: float
    """Simulated time when the last case finished (seconds)."""


def _result(n: int, env: simpy.Environment, waits: list[float]) -> PlainResult:
    return PlainResult(n, len(waits), sum(waits) / len(waits) if waits else 0.0, env.now)


# -- (b) tandem line ------------------------------------------------------------------------------


def tandem(n: int, seed: int = 1, stations: int = 6) -> PlainResult:
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    servers = [simpy.Resource(env, capacity=1) for _ in range(stations)]
    waits: list[float] = []

    def customer() -> Generator[Any, Any, None]:
        for server in servers:
            t0 = env.now
            with server.request() as req:
                yield req
                waits.append(env.now - t0)
                yield env.timeout(rng.exponential(48.0))

    def source() -> Generator[Any, Any, None]:
        for _ in range(n):
            yield env.timeout(rng.exponential(60.0))
            env.process(customer())

    env.process(source())
    env.run()
    return _result(n, env, waits)


# -- (c) Jackson network with rework --------------------------------------------------------------

JACKSON_STAFF = (1, 2, 1, 1, 2)
JACKSON_MEAN_S = (0.7 * MIN, 1.3 * MIN, 0.75 * MIN, 1.2 * MIN, 1.4 * MIN)


def jackson(n: int, seed: int = 1) -> PlainResult:
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    stations = [simpy.Resource(env, capacity=c) for c in JACKSON_STAFF]
    waits: list[float] = []

    def route(s: int) -> int:
        """The next station after s (−1: leave)."""
        if s == 0:
            return 1
        if s == 1:
            return 2 if rng.random() < 0.6 else 3
        if s == 2:
            return 1 if rng.random() < 0.2 else 4
        if s == 3:
            return 4
        return -1 if rng.random() < 0.9 else 2

    def customer() -> Generator[Any, Any, None]:
        s = 0
        while s >= 0:
            t0 = env.now
            with stations[s].request() as req:
                yield req
                waits.append(env.now - t0)
                yield env.timeout(rng.exponential(JACKSON_MEAN_S[s]))
            s = route(s)

    def source() -> Generator[Any, Any, None]:
        for _ in range(n):
            yield env.timeout(rng.exponential(60.0))
            env.process(customer())

    env.process(source())
    env.run()
    return _result(n, env, waits)


# -- (a) the service desk, every calendar always open ---------------------------------------------

VIP, REGULAR = 0, 1
L2_STAFF = 3  # the office shift of examples/service_desk.yaml (evening shift and shrinkage dropped)


def service_desk(n: int, seed: int = 1) -> PlainResult:
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    l1 = simpy.PriorityResource(env, capacity=7)
    l2 = simpy.PriorityResource(env, capacity=L2_STAFF)
    csm = simpy.PriorityResource(env, capacity=4)
    waits: list[float] = []
    # lognormal(40min, 20min): the mean and sd of the variable itself
    ln_s2 = math.log1p((20.0 / 40.0) ** 2)
    ln_mu, ln_sigma = math.log(40 * MIN) - ln_s2 / 2, math.sqrt(ln_s2)

    def customer(segment: int) -> Generator[Any, Any, None]:
        arrival = env.now
        escalate_at = arrival + 45 * MIN  # first response: arrival → end of the first triage
        triaged_at: float | None = None

        def prio() -> int:
            if segment == VIP:
                return 0
            due = env.now >= escalate_at if triaged_at is None else triaged_at >= escalate_at
            return 0 if due else 1

        def work(team: simpy.PriorityResource, duration: float) -> Generator[Any, Any, None]:
            t0 = env.now
            with team.request(priority=prio()) as req:
                yield req
                waits.append(env.now - t0)
                yield env.timeout(duration)

        yield from work(l1, rng.triangular(2 * MIN, 5 * MIN, 15 * MIN))  # intake
        while True:
            yield from work(l1, rng.exponential(10 * MIN))  # triage
            if triaged_at is None:
                triaged_at = env.now
            if rng.random() < 0.6:
                yield from work(l1, rng.lognormal(ln_mu, ln_sigma))  # fix_l1
                if rng.random() < 0.1:
                    continue  # rework: back to triage
            else:
                yield env.timeout(rng.exponential(30 * MIN))  # hand-off to tier 2
                if segment == VIP:
                    d = rng.gamma(4.0, 10 * MIN)  # gamma(40min, 20min)
                else:
                    d = rng.gamma(4.0, 15 * MIN)  # gamma(60min, 30min)
                yield from work(l2, d)  # fix_l2
            break
        yield env.timeout(rng.exponential(4 * HOUR))  # confirm: the customer's wait
        survey = env.process(work(csm, 5 * MIN))  # parallel split
        revisit = env.process(work(csm, 20 * MIN))
        yield survey & revisit  # join

    def source() -> Generator[Any, Any, None]:
        for _ in range(n):
            yield env.timeout(rng.exponential(10 * MIN))  # 6/h
            env.process(customer(VIP if rng.random() < 0.1 else REGULAR))

    env.process(source())
    env.run()
    return _result(n, env, waits)


MODELS: dict[str, Callable[[int, int], PlainResult]] = {
    "service_desk": service_desk,
    "tandem": tandem,
    "jackson": jackson,
}
