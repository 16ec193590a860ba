"""The simulator against exact queueing theory (marked slow; CI runs them).

Each test simulates enough cases for the estimate's standard error to be a fraction of the
tolerance, and each tolerance is tight enough that a wrong model (FIFO instead of priority,
M/D/1 instead of M/M/1, one server instead of c) fails.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest

import procmap
from procmap.model.analytic import erlang_c
from procmap.sim.compile import compile_model
from procmap.sim.engine import run_replication
from procmap.sim.stats import bin_index
from procmap.testing import generate_document, to_yaml

pytestmark = pytest.mark.slow


def simulate_records(text: str, *, replications: int, seed: int = 11):
    model = procmap.loads(textwrap.dedent(text))
    plan = compile_model(model)
    return model, [run_replication(plan, r, seed) for r in range(replications)]


def mean_and_half_width(values: list[float]) -> tuple[float, float]:
    arr = np.asarray(values)
    return float(arr.mean()), float(1.96 * arr.std(ddof=1) / math.sqrt(len(arr)))


def assert_matches(
    values: list[float], expected: float, *, precision: float, what: str = ""
) -> None:
    """The across-replication mean is within 4 standard errors of theory, and the standard error
    is small (``precision`` × expected): a wrong model is many standard errors away."""
    mean, hw = mean_and_half_width(values)
    se = hw / 1.96
    assert se < precision * expected, f"{what}: too few cases for a sharp test (se {se:.3g})"
    assert abs(mean - expected) < 4 * se, (
        f"{what}: {mean:.4g} vs theory {expected:.4g} (se {se:.3g})"
    )


def pooled_wait(records, stage: str, segment: str = "default") -> list[float]:
    """Mean wait per replication."""
    out = []
    for rec in records:
        h = rec.stages[stage].wait[segment]
        out.append(h.total / h.n)
    return out


MM1 = """
procmap: 1
process: {id: mm1, time_unit: min}
teams: {server: {staff: 1}}
arrivals: {rate: 0.7/min}
stages:
  serve: {owner: server, duration: exp(1min), next: out}
  out: {kind: end}
simulation: {horizon: 60000min, warmup: 1000min}
"""


def test_mm1_mean_wait_and_wait_distribution():
    _, records = simulate_records(MM1, replications=8)
    lam, mu = 0.7, 1.0
    rho = lam / mu
    expected = rho / (mu - lam) * 60  # seconds
    assert_matches(pooled_wait(records, "serve"), expected, precision=0.02, what="M/M/1")
    # P(W ≤ t) = 1 − ρ·exp(−(μ − λ)t), at t = 2 min (M/D/1 would give a clearly different value)
    t = 120.0
    hist = records[0].stages["serve"].wait["default"]
    for rec in records[1:]:
        hist.merge(rec.stages["serve"].wait["default"])
    share = hist.counts[: int(bin_index(np.array([t]))[0]) + 1].sum() / hist.n
    assert share == pytest.approx(1 - rho * math.exp(-(mu - lam) * 2), abs=0.01)


MMC = """
procmap: 1
process: {id: mmc, time_unit: min}
teams: {desk: {staff: 3}}
arrivals: {rate: 2.4/min}
stages:
  serve: {owner: desk, duration: exp(1min), next: out}
  out: {kind: end}
simulation: {horizon: 40000min, warmup: 500min}
"""


def test_mmc_mean_wait_is_erlang_c():
    model, records = simulate_records(MMC, replications=8)
    c, a = 3, 2.4
    expected = erlang_c(c, a) / (c - a) * 60
    assert_matches(pooled_wait(records, "serve"), expected, precision=0.025, what="M/M/3")
    assert procmap.analyze(model).teams["desk"].wait_s == pytest.approx(expected, rel=1e-12)
    # utilisation = a / c
    util = [r.teams["desk"].busy / r.teams["desk"].available for r in records]
    assert np.mean(util) == pytest.approx(a / c, rel=0.01)


JACKSON = """
procmap: 1
process: {id: jackson, time_unit: min}
teams:
  t1: {staff: 1}
  t2: {staff: 2}
  t3: {staff: 1}
  t4: {staff: 1}
  t5: {staff: 2}
arrivals: {rate: 0.5/min}
stages:
  s1: {owner: t1, duration: exp(1.2min), next: s2}
  s2: {owner: t2, duration: exp(2.5min), next: [{to: s3, p: 0.6}, {to: s4, p: 0.4}]}
  s3: {owner: t3, duration: exp(1min), next: [{to: s2, p: 0.2}, {to: s5, p: 0.8}]}
  s4: {owner: t4, duration: exp(2min), next: s5}
  s5: {owner: t5, duration: exp(2min), next: [{to: out, p: 0.9}, {to: s3, p: 0.1}]}
  out: {kind: end}
simulation: {horizon: 40000min, warmup: 1000min}
"""


def test_jackson_network_per_stage_wait_and_visits():
    model, records = simulate_records(JACKSON, replications=6)
    analysis = procmap.analyze(model)
    staff = {"s1": 1, "s2": 2, "s3": 1, "s4": 1, "s5": 2}
    for sid, c in staff.items():
        team = f"t{sid[1]}"
        fig = analysis.teams[team]
        expected = fig.wait_s
        assert expected is not None
        assert_matches(pooled_wait(records, sid), expected, precision=0.04, what=sid)
        assert fig.utilization == pytest.approx(fig.offered_load / c)
        visits = sum(r.stages[sid].visits["default"] for r in records) / sum(
            r.completed["default"] for r in records
        )
        assert visits == pytest.approx(analysis.stages[sid].visits_per_case, rel=0.015), sid


PRIORITY = """
procmap: 1
process: {id: priority, time_unit: min}
teams: {server: {staff: 1}}
segments:
  vip: {share: 30%, priority: 0}
  std: {share: 70%, priority: 1}
arrivals: {rate: 0.8/min}
stages:
  serve: {owner: server, duration: exp(1min), next: out}
  out: {kind: end}
simulation: {horizon: 40000min, warmup: 1000min}
"""


def test_non_preemptive_priority_matches_cobham():
    _, records = simulate_records(PRIORITY, replications=8)
    lam = 0.8
    rho1, rho2 = 0.3 * lam, 0.7 * lam
    w0 = lam * 2.0 / 2.0  # Σ λ_i E[S²]/2 with E[S²] = 2 for exp(1)
    expected = {"vip": w0 / (1 - rho1) * 60, "std": w0 / ((1 - rho1) * (1 - rho1 - rho2)) * 60}
    for seg, value in expected.items():
        assert_matches(pooled_wait(records, "serve", seg), value, precision=0.03, what=seg)
    # FIFO would give both classes ρ/(μ−λ) = 4 min: far from either
    assert expected["vip"] < 0.3 * 240
    assert expected["std"] > 1.2 * 240


def test_littles_law_on_a_random_model():
    doc = generate_document(30, 4, seed=5, rate_per_h=3.0)
    doc["simulation"] = {"horizon": "120d", "warmup": "0d"}
    model = procmap.loads(to_yaml(doc))
    rec = run_replication(compile_model(model), 0, 3)
    window = rec.window_s
    for tid, team in rec.teams.items():
        stages = [sid for sid, st in model.stages.items() if st.team == tid]
        waited = sum(rec.stages[s].wait["default"].total for s in stages)
        queue = team.queue_area
        assert queue > 0
        # L = λW: time-average queue length = total waiting time / window (edge effects < 1 %)
        assert queue / window == pytest.approx(waited / window, rel=0.02), tid
