"""Streaming histograms: bins within 1 % of every value, exact zero bin, exact sums."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procmap.sim.stats import HIGH, LOW, Histogram, VisitTally, bin_index, bin_value


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=LOW, max_value=HIGH / 1.1, allow_nan=False))
def test_every_value_is_within_one_percent_of_its_bin(x):
    value = bin_value(int(bin_index(np.array([x]))[0]))
    assert abs(value - x) <= 0.01 * x


def test_zero_underflow_and_overflow_bins():
    idx = bin_index(np.array([0.0, LOW / 10, HIGH * 2]))
    assert idx[0] == 0
    assert bin_value(int(idx[0])) == 0.0
    assert idx[1] == 1
    assert idx[2] == len(Histogram().counts) - 1


def test_quantiles_and_exact_moments():
    rng = np.random.default_rng(1)
    values = rng.exponential(100.0, 50_000)
    h = Histogram()
    h.add_array(values[:20_000])
    h.add_array(values[20_000:])
    assert h.n == 50_000
    assert h.total == pytest.approx(np.sum(values), rel=1e-12)
    assert h.maximum == values.max()
    for q in (0.5, 0.9, 0.95):
        assert abs(h.quantile(q) - np.quantile(values, q)) <= 0.011 * np.quantile(values, q)
    assert h.quantile(1.0) == values.max()


def test_visit_tally_folds_batches_into_four_histograms():
    tally = VisitTally()
    for i in range(10):
        tally.add(float(i), 2.0, 0.0)
    tally.flush()
    assert tally.visits == 10
    assert tally.wait.total == 45.0
    assert tally.sojourn.total == 65.0
    assert tally.suspended.counts[0] == 10  # all exactly zero
