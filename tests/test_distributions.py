"""Distributions of SPEC §2.4: parsing, exact moments, sampling, round trips, labels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procmap.model.distributions import (
    Constant,
    Distribution,
    Empirical,
    Erlang,
    Exponential,
    Gamma,
    Lognormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    Weibull,
    parse_distribution,
)
from procmap.model.units import ValueProblem

MIN, H = 60.0, 3600.0
N_SAMPLES = 200_000
Z = 5.0  # tolerance in standard errors: never flakes, yet a wrong formula falls outside it


def problem(value, time_unit=None) -> ValueProblem:
    with pytest.raises(ValueProblem) as info:
        parse_distribution(value, time_unit)
    return info.value


# One of each, with parameters where the formulas matter (truncation bites, skewed PERT...).
EXAMPLES: dict[str, Distribution] = {
    "const": Constant(5 * MIN),
    "exp": Exponential(10 * MIN),
    "uniform": Uniform(2 * MIN, 5 * MIN),
    "tri": Triangular(2 * MIN, 5 * MIN, 15 * MIN),
    "pert": Pert(2 * MIN, 5 * MIN, 15 * MIN),
    "normal": Normal(40 * MIN, 20 * MIN),
    "normal-truncated": Normal(40 * MIN, 40 * MIN),
    "lognormal": Lognormal(40 * MIN, 20 * MIN),
    "gamma": Gamma(50 * MIN, 25 * MIN),
    "gamma-skewed": Gamma(10 * MIN, 20 * MIN),
    "erlang": Erlang(3, H),
    "weibull": Weibull(1.5, 2 * H),
    "weibull-heavy": Weibull(0.8, H),
    "empirical": Empirical((5 * MIN, 7 * MIN, 12 * MIN, 30 * MIN)),
}


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5min", Constant(300.0)),
        ("0", Constant(0.0)),
        (300, Constant(300 * H)),
        (0.5, Constant(1800.0)),
        ("const(5min)", Constant(300.0)),
        ("exp(10min)", Exponential(600.0)),
        ("uniform(2min, 5min)", Uniform(120.0, 300.0)),
        ("tri(2min, 5min, 15min)", Triangular(120.0, 300.0, 900.0)),
        ("tri( 2 min ,5min,  15 min )", Triangular(120.0, 300.0, 900.0)),
        ("pert(1h, 2h, 4h)", Pert(3600.0, 7200.0, 14400.0)),
        ("normal(40min, 20min)", Normal(2400.0, 1200.0)),
        ("lognormal(40min, 20min)", Lognormal(2400.0, 1200.0)),
        ("gamma(50min, 25min)", Gamma(3000.0, 1500.0)),
        ("erlang(3, 1h)", Erlang(3, 3600.0)),
        ("weibull(1.5, 2h)", Weibull(1.5, 7200.0)),
        ("empirical([5min, 7min, 12min])", Empirical((300.0, 420.0, 720.0))),
        ("empirical(5min, 7min)", Empirical((300.0, 420.0))),
        ("EXP(10分钟)", Exponential(600.0)),
        ("exponential(1h)", Exponential(3600.0)),
        ("triangular(1h, 1h, 2h)", Triangular(3600.0, 3600.0, 7200.0)),
        ("tri(1小时, 2小时, 1天)", Triangular(3600.0, 7200.0, 86400.0)),
        (
            {"dist": "tri", "min": "2min", "mode": "5min", "max": "15min"},
            Triangular(120.0, 300.0, 900.0),
        ),
        ({"dist": "exp", "mean": "10min"}, Exponential(600.0)),
        ({"dist": "uniform", "a": "2min", "b": "5min"}, Uniform(120.0, 300.0)),
        ({"dist": "normal", "mean": "40min", "sd": "20min"}, Normal(2400.0, 1200.0)),
        ({"dist": "erlang", "k": 3, "mean": 1}, Erlang(3, 3600.0)),
        ({"dist": "weibull", "shape": 1.5, "scale": "2h"}, Weibull(1.5, 7200.0)),
        ({"dist": "weibull", "shape": "1.5", "scale": "2h"}, Weibull(1.5, 7200.0)),
        ({"dist": "empirical", "values": ["5min", 7, "12min"]}, Empirical((300.0, 7 * H, 720.0))),
        ({"dist": "empirical", "values": "[5min, 7min]"}, Empirical((300.0, 420.0))),
        ({"dist": "const", "x": "5min"}, Constant(300.0)),
        ({"dist": "Pert", "min": 1, "mode": 2, "max": 4}, Pert(3600.0, 7200.0, 14400.0)),
    ],
)
def test_parse_distribution(value, expected):
    assert parse_distribution(value) == expected


def test_bare_numbers_take_the_time_unit_and_are_flagged():
    assert parse_distribution("exp(10)", "min") == Exponential(600.0)
    assert parse_distribution(5, "min") == Constant(300.0)
    assert parse_distribution("exp(10)").bare
    assert parse_distribution("5").bare
    assert parse_distribution({"dist": "empirical", "values": ["5min", 7]}).bare
    assert not parse_distribution("exp(10min)").bare
    assert not parse_distribution("erlang(3, 1h)").bare  # k is a count, not a bare duration
    assert parse_distribution("exp(10)").describe() == "exp 10h"


def test_labels_do_not_take_part_in_equality():
    a = parse_distribution("tri(2min, 5min, 15min)")
    b = parse_distribution("tri(120s, 300s, 900s)")
    assert a == b
    assert hash(a) == hash(b)
    assert a.describe() != b.describe()
    assert Pert(1.0, 2.0, 3.0) != Triangular(1.0, 2.0, 3.0)


def test_parse_returns_a_distribution_unchanged():
    d = Exponential(5.0)
    assert parse_distribution(d) is d


@pytest.mark.parametrize(
    ("value", "code", "fragments", "path"),
    [
        ("expo(10min)", "E122", ["unknown distribution 'expo'"], ()),
        ("bogus(1h)", "E122", ["'bogus'"], ()),
        ({"dist": "triangle", "min": 1}, "E122", ["'triangle'"], ("dist",)),
        ({"dist": 3}, "E122", ["name"], ("dist",)),
        (
            "tri(2min, 5min)",
            "E123",
            ["tri takes 3 arguments (min, mode, max), got 2", "'tri(2min, 5min)'"],
            (),
        ),
        ("exp(1h, 2h)", "E123", ["exp takes 1 argument (mean), got 2"], ()),
        ("const()", "E123", ["got 0"], ()),
        ("exp", "E123", ["'exp' is not a distribution"], ()),
        ("tri 2min/5min/15min", "E123", ["not a distribution"], ()),
        ("exp(10min", "E123", ["not a distribution"], ()),
        ("tri(2min, [5min, 15min)", "E123", ["unbalanced"], ()),
        ("tri(2min,,5min)", "E123", ["empty argument"], ()),
        ("empirical([5min], 3)", "E123", ["not a distribution"], ()),
        ({"min": "1h"}, "E123", ["needs dist"], ()),
        ({"dist": "tri", "min": "2min", "mode": "5min"}, "E123", ["tri needs max"], ()),
        ({"dist": "exp", "mean": "1h", "sd": "1h"}, "E123", ["exp has no parameter 'sd'"], ("sd",)),
        (
            "tri(5min, 2min, 15min)",
            "E124",
            ["min 5min is above mode 2min", "'tri(5min, 2min, 15min)'"],
            (),
        ),
        ("tri(2min, 20min, 15min)", "E124", ["mode 20min is above max 15min"], ()),
        ("pert(5min, 5min, 5min)", "E124", ["min below max, both are 5min"], ()),
        ("uniform(5min, 2min)", "E124", ["a 5min is above b 2min"], ()),
        ("uniform(5min, 5min)", "E124", ["a below b"], ()),
        ("normal(40min, 0)", "E124", ["normal needs an sd above zero"], ()),
        ("lognormal(0, 20min)", "E124", ["lognormal needs a mean above zero"], ()),
        ("gamma(1h, 0s)", "E124", ["sd above zero"], ()),
        ("exp(0)", "E124", ["exp needs a mean above zero"], ()),
        ("erlang(3.5, 1h)", "E124", ["erlang k must be a whole number", "3.5"], ()),
        ("erlang(0, 1h)", "E124", ["whole number of at least 1"], ()),
        ("erlang(3h, 1h)", "E124", ["whole number"], ()),
        ({"dist": "erlang", "k": True, "mean": "1h"}, "E124", ["whole number"], ()),
        ("weibull(1.5h, 2h)", "E124", ["weibull shape must be a plain number (no unit)"], ()),
        ("weibull(0.01, 2h)", "E124", ["at least 0.05"], ()),
        ("weibull(1.5, 0)", "E124", ["scale above zero"], ()),
        ("empirical([])", "E124", ["at least one value"], ()),
        ({"dist": "empirical", "values": []}, "E124", ["at least one value"], ()),
        ({"dist": "empirical", "values": "5min"}, "E124", ["must be a list"], ("values",)),
        ("exp(10m)", "E111", ["write min", "(in 'exp(10m)')"], ()),
        ({"dist": "exp", "mean": "10m"}, "E111", ["write min"], ("mean",)),
        (
            {"dist": "tri", "min": "2min", "mode": "-5min", "max": "1h"},
            "E112",
            ["negative"],
            ("mode",),
        ),
        ({"dist": "empirical", "values": ["5min", "x"]}, "E110", ["'x'"], ("values", 1)),
        ("exp(10 hrz)", "E113", ["'hrz'"], ()),
        ("tri(2min，5min，15min)", "E119", ["full-width comma", "U+FF0C"], ()),
        ("exp（10min）", "E119", ["full-width left parenthesis"], ()),
        ("５min", "E119", ["full-width digit five"], ()),
        ("fast", "E110", ["'fast' is neither a duration nor a distribution"], ()),
        ("-5min", "E112", ["negative"], ()),
        (True, "E112", ["true"], ()),
        (None, "E110", ["expected a duration or a distribution"], ()),
        ([1, 2], "E110", ["expected a duration or a distribution"], ()),
    ],
)
def test_parse_errors(value, code, fragments, path):
    exc = problem(value)
    assert exc.code == code, exc.message
    for fragment in fragments:
        assert fragment in exc.message
    assert exc.path == path


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("expo(10min)", "did you mean exp?"),
        ("triangle(1h, 2h, 3h)", "did you mean tri?"),
        ("exp", "write exp(mean)"),
        ("tri(2min, 5min)", "write tri(min, mode, max)"),
        ({"dist": "tri", "min": 1, "mode": 2, "max": 3, "mod": 2}, "did you mean mode?"),
        ({"dist": "tri", "min": 1}, "{dist: tri, min: 2min, mode: 5min, max: 15min}"),
        ("normal(1h, 0)", "write the duration alone"),
        ("tri(3h, 2h, 4h)", "order min, mode, max"),
    ],
)
def test_parse_error_hints(value, hint):
    assert hint in problem(value).hint


def test_unknown_name_lists_the_names():
    hint = problem("foo(1h)").hint
    for name in (
        "const",
        "exp",
        "uniform",
        "tri",
        "pert",
        "normal",
        "lognormal",
        "gamma",
        "erlang",
        "weibull",
        "empirical",
    ):
        assert name in hint


def test_constructors_check_their_parameters():
    with pytest.raises(ValueProblem, match="min 2s is above mode 1s"):
        Triangular(2.0, 1.0, 3.0)
    with pytest.raises(ValueProblem, match="finite"):
        Exponential(math.nan)
    with pytest.raises(ValueProblem, match="cannot be negative"):
        Constant(-1.0)
    with pytest.raises(ValueProblem, match="whole number"):
        Erlang(2.5, 1.0)  # type: ignore[arg-type]


# --- labels, repr, data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "described"),
    [
        ("5min", "5min"),
        (90, "90h"),
        ("exp(10min)", "exp 10min"),
        ("tri(2min, 5min, 15min)", "tri 2min/5min/15min"),
        ("pert(1h, 2h, 4h)", "pert 1h/2h/4h"),
        ("uniform(2min, 5min)", "uniform 2min-5min"),
        ("lognormal(40min, 20min)", "lognormal 40min±20min"),
        ("normal(40min, 20min)", "normal 40min±20min"),
        ("gamma(50 min, 25 min)", "gamma 50 min±25 min"),
        ("erlang(3, 1h)", "erlang 3×1h"),
        ("weibull(1.5, 2h)", "weibull 1.5, 2h"),
        ("exp(30分钟)", "exp 30分钟"),
        ("empirical([" + ", ".join(["5min"] * 12) + "])", "empirical (12 values)"),
        ("empirical([5min])", "empirical (1 value)"),
    ],
)
def test_describe_uses_the_users_words(value, described):
    assert parse_distribution(value).describe() == described


@pytest.mark.parametrize(
    ("dist", "described"),
    [
        (Triangular(120.0, 300.0, 900.0), "tri 2min/5min/15min"),
        (Exponential(5400.0), "exp 1.5h"),
        (Erlang(2, 7200.0), "erlang 2×2h"),
        (Weibull(2.0, 3600.0), "weibull 2, 1h"),
        (Constant(0.0), "0s"),
        (Lognormal(2400.0, 1200.0), "lognormal 40min±20min"),
    ],
)
def test_describe_without_user_words(dist, described):
    assert dist.describe() == described


@pytest.mark.parametrize(
    ("dist", "text"),
    [
        (Triangular(120.0, 300.0, 900.0), "Triangular(low=120.0, mode=300.0, high=900.0)"),
        (Constant(300.0), "Constant(value=300.0)"),
        (Exponential(600.0), "Exponential(mean_time=600.0)"),
        (Uniform(1.0, 2.0), "Uniform(low=1.0, high=2.0)"),
        (Pert(1.0, 2.0, 4.0), "Pert(low=1.0, mode=2.0, high=4.0)"),
        (Normal(2400.0, 1200.0), "Normal(mean_time=2400.0, sd=1200.0)"),
        (Lognormal(1.0, 2.0), "Lognormal(mean_time=1.0, sd=2.0)"),
        (Gamma(1.0, 2.0), "Gamma(mean_time=1.0, sd=2.0)"),
        (Erlang(3, 3600.0), "Erlang(k=3, mean_time=3600.0)"),
        (Weibull(1.5, 7200.0), "Weibull(shape=1.5, scale=7200.0)"),
        (Empirical((300.0, 420.0)), "Empirical(values=(300.0, 420.0))"),
    ],
)
def test_repr_reads_like_a_constructor_call(dist, text):
    assert repr(dist) == text
    assert repr(parse_distribution(dist.to_data())) == text


@pytest.mark.parametrize(
    ("dist", "data"),
    [
        (Constant(300.0), "5min"),
        (Exponential(600.0), "exp(10min)"),
        (Triangular(120.0, 300.0, 900.0), "tri(2min, 5min, 15min)"),
        (Erlang(3, 3600.0), "erlang(3, 1h)"),
        (Weibull(1.5, 7200.0), "weibull(1.5, 2h)"),
        (Empirical((300.0, 420.0)), "empirical([5min, 7min])"),
        (Normal(2400.0, 1200.0), "normal(40min, 20min)"),
        (Uniform(0.0, 90.0), "uniform(0s, 90s)"),
    ],
)
def test_to_data(dist, data):
    assert dist.to_data() == data


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_round_trip_of_each_example(name):
    dist = EXAMPLES[name]
    assert parse_distribution(dist.to_data()) == dist
    assert parse_distribution(dist.to_data(), "min") == dist  # to_data never writes bare numbers


durations = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False, allow_infinity=False)
ordered2 = st.lists(durations, min_size=2, max_size=2, unique=True).map(sorted)
ordered3 = st.tuples(ordered2, st.floats(0, 1)).map(
    lambda t: (t[0][0], t[0][0] + (t[0][1] - t[0][0]) * t[1], t[0][1])
)
any_distribution = st.one_of(
    st.builds(Constant, st.floats(0, 1e7)),
    st.builds(Exponential, durations),
    ordered2.map(lambda p: Uniform(*p)),
    ordered3.map(lambda p: Triangular(*p)),
    ordered3.map(lambda p: Pert(*p)),
    st.builds(Normal, durations, durations),
    st.builds(Lognormal, durations, durations),
    st.builds(Gamma, durations, durations),
    st.builds(Erlang, st.integers(1, 50), durations),
    st.builds(Weibull, st.floats(0.05, 20), durations),
    st.builds(Empirical, st.lists(st.floats(0, 1e7), min_size=1, max_size=8).map(tuple)),
)


@settings(max_examples=50, deadline=None, database=None)
@given(any_distribution)
def test_round_trip_property(dist):
    data = dist.to_data()
    again = parse_distribution(data)
    assert again == dist
    assert again.to_data() == data
    assert math.isfinite(dist.mean)
    assert math.isfinite(dist.variance)
    assert dist.variance >= 0
    assert dist.min_value <= dist.mean * (1 + 1e-12)
    assert dist.describe()


# --- exact moments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dist", "mean", "variance", "min_value"),
    [
        (Constant(300.0), 300.0, 0.0, 300.0),
        (Exponential(600.0), 600.0, 360000.0, 0.0),
        (Uniform(120.0, 300.0), 210.0, 2700.0, 120.0),
        (Triangular(120.0, 300.0, 900.0), 440.0, 27800.0, 120.0),
        (Pert(60.0, 120.0, 420.0), 160.0, 100 * 260 / 7, 60.0),
        (Lognormal(10.0, 3.0), 10.0, 9.0, 0.0),
        (Gamma(10.0, 3.0), 10.0, 9.0, 0.0),
        (Erlang(4, 100.0), 100.0, 2500.0, 0.0),
        (Weibull(1.0, 50.0), 50.0, 2500.0, 0.0),
        (Weibull(2.0, 1.0), math.sqrt(math.pi) / 2, 1 - math.pi / 4, 0.0),
        (Empirical((1.0, 2.0, 3.0, 6.0)), 3.0, 3.5, 1.0),
        (Normal(1e6, 1.0), 1e6, 1.0, 0.0),
    ],
)
def test_closed_forms(dist, mean, variance, min_value):
    assert dist.mean == pytest.approx(mean, rel=1e-12)
    assert dist.variance == pytest.approx(variance, rel=1e-12, abs=1e-12)
    assert dist.min_value == min_value


def test_truncated_normal_moments_match_numerical_integration():
    # Independent check of the closed form: integrate the normal density over (0, ∞).
    for mu, sigma in ((2400.0, 1200.0), (2400.0, 2400.0), (100.0, 1000.0)):
        x = np.linspace(0.0, mu + 12 * sigma, 400_001)
        w = np.exp(-0.5 * ((x - mu) / sigma) ** 2)
        mass = np.trapezoid(w, x)
        m1 = np.trapezoid(x * w, x) / mass
        m2 = np.trapezoid(x * x * w, x) / mass
        dist = Normal(mu, sigma)
        assert dist.mean == pytest.approx(m1, rel=1e-7)
        assert dist.variance == pytest.approx(m2 - m1 * m1, rel=1e-6)
        assert dist.mean > mu  # truncation at 0 shifts the mean up


def _estimate(dist: Distribution, seed: int = 20260105) -> tuple[float, float, float, float]:
    """Sample mean and variance, each with its standard error."""
    x = dist.sample(np.random.default_rng(seed), N_SAMPLES)
    mean, var = float(x.mean()), float(x.var())
    m4 = float(((x - mean) ** 4).mean())
    return mean, math.sqrt(var / x.size), var, math.sqrt(max(m4 - var * var, 0.0) / x.size)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_exact_moments_agree_with_large_samples(name):
    dist = EXAMPLES[name]
    mean, se_mean, var, se_var = _estimate(dist)
    assert abs(mean - dist.mean) <= Z * se_mean + 1e-9 * dist.mean
    assert abs(var - dist.variance) <= Z * se_var + 1e-9 * dist.variance
    x = dist.sample(np.random.default_rng(1), 10_000)
    assert x.min() >= dist.min_value


# Plausible wrong formulas: the tolerance above must reject each of them.
WRONG = [
    ("normal-truncated", "mean", 40 * MIN),  # forgot the truncation
    ("normal-truncated", "variance", (40 * MIN) ** 2),
    ("normal", "mean", 40 * MIN),
    ("pert", "variance", (13 * MIN / 6) ** 2),  # the textbook ((max - min)/6)^2 shortcut
    ("pert", "mean", (2 + 5 + 15) / 3 * MIN),  # the triangular mean
    ("tri", "variance", (13 * MIN) ** 2 / 24),
    ("lognormal", "mean", 40 * MIN * math.exp(0.125)),  # mean/sd taken as the log's parameters
    ("gamma-skewed", "variance", 10 * MIN * 20 * MIN),  # shape mean/sd, scale sd
    ("erlang", "variance", H * H),  # k exponentials each of mean `mean`, not mean/k
    ("weibull", "mean", 2 * H),  # forgot Γ(1 + 1/k)
    ("weibull-heavy", "variance", H * H * (math.gamma(1 + 2 / 0.8) - 1)),
    ("empirical", "variance", EXAMPLES["empirical"].variance * 4 / 3),  # sample, not population
]


@pytest.mark.parametrize(("name", "moment", "wrong"), WRONG)
def test_a_wrong_formula_would_fail(name, moment, wrong):
    mean, se_mean, var, se_var = _estimate(EXAMPLES[name])
    if moment == "mean":
        assert abs(mean - wrong) > Z * se_mean
    else:
        assert abs(var - wrong) > Z * se_var


# --- sampling -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dist",
    [*EXAMPLES.values(), Normal(10 * MIN, 20 * MIN), Pert(0.0, 0.0, 1.0)],
    ids=[*EXAMPLES, "normal-mostly-rejected", "pert-at-zero"],
)
def test_batched_draws_equal_one_at_a_time(dist):
    one = np.random.default_rng(42)
    batch = np.random.default_rng(42)
    singles = [dist.sample(one) for _ in range(500)]
    assert all(type(x) is float for x in singles)
    drawn = np.concatenate(
        [dist.sample(batch, 300), dist.sample(batch, 0), dist.sample(batch, 200)]
    )
    assert drawn.dtype == np.float64
    assert drawn.shape == (500,)
    assert np.array_equal(np.array(singles), drawn)
    assert one.random() == batch.random()  # and the generators are left in the same state


def test_sampling_uses_only_the_given_generator():
    np.random.seed(1)
    before = np.random.get_state()[1].copy()
    for dist in EXAMPLES.values():
        dist.sample(np.random.default_rng(0), 10)
        dist.sample(np.random.default_rng(0))
    assert np.array_equal(np.random.get_state()[1], before)
    a = [d.sample(np.random.default_rng(9), 5) for d in EXAMPLES.values()]
    b = [d.sample(np.random.default_rng(9), 5) for d in EXAMPLES.values()]
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_truncated_normal_never_returns_zero_or_less():
    x = Normal(MIN, 10 * MIN).sample(np.random.default_rng(3), 50_000)
    assert x.min() > 0


def test_distributions_are_immutable():
    with pytest.raises(AttributeError):
        EXAMPLES["exp"].mean_time = 5.0  # type: ignore[misc]
