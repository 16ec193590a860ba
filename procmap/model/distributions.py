"""Random durations: the distributions of SPEC §2.4 as small immutable value objects.

Each one knows its exact mean and variance (the analytic check of SPEC §4 uses them), its
smallest possible value (to spot SLA targets that can never be met), the user's words for a
flowchart label, and how to write itself back as YAML.  It samples from a
``numpy.random.Generator`` it is given, never a global one, and a batched draw of ``n`` values
equals ``n`` one-at-a-time draws from a generator seeded the same (SPEC §5.7: streams may be
batched without changing results).

Parameters are float seconds.  Finding codes: E122 unknown distribution name; E123 malformed
distribution (syntax, number of arguments, missing or unknown keys); E124 a parameter value
that cannot work (min above mode, sd not above zero, k not a whole number...).  Values inside
the arguments are parsed by :func:`procmap.model.units.parse_duration` and keep its codes.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from procmap.model.units import (
    ValueProblem,
    check_fullwidth,
    exact_duration_text,
    format_duration,
    parse_duration,
    parse_time_unit,
)

__all__ = [
    "Constant",
    "Distribution",
    "Empirical",
    "Erlang",
    "Exponential",
    "Gamma",
    "Lognormal",
    "Normal",
    "Pert",
    "Triangular",
    "Uniform",
    "Weibull",
    "parse_distribution",
]

Sample = float | np.ndarray


def _seconds(x: object, what: str) -> float:
    """A finite, non-negative float, or E124 naming the parameter."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(float(x)):
        raise ValueProblem("E124", f"{what} must be a finite number of seconds, got {x!r}")
    if x < 0:
        raise ValueProblem("E124", f"{what} cannot be negative, got {format_duration(float(x))}")
    return float(x)


def _positive(x: float, what: str, dist: str) -> None:
    if x <= 0:
        hint = "for a fixed time write the duration alone, e.g. 5min"
        hint = hint if "sd" in what else "for no time at all write 0"
        raise ValueProblem("E124", f"{dist} needs {what} above zero", hint)


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) and abs(x) < 1e16 else repr(x)


@dataclass(frozen=True)
class Distribution(ABC):
    """A distribution of times in seconds.

    ``labels`` are the user's words for the parameters (``"5min"``), used by :meth:`describe`;
    ``bare`` is true when any of them was a bare number (so the schema can warn "add a unit").
    Neither takes part in equality: ``tri(2min, 5min, 15min)`` equals ``tri(120s, 300s, 900s)``.
    """

    name: ClassVar[str]
    labels: tuple[str, ...] = field(default=(), compare=False, repr=False, kw_only=True)
    bare: bool = field(default=False, compare=False, repr=False, kw_only=True)

    @property
    @abstractmethod
    def mean(self) -> float:
        """Exact mean in seconds."""

    @property
    @abstractmethod
    def variance(self) -> float:
        """Exact variance in seconds squared."""

    @property
    @abstractmethod
    def min_value(self) -> float:
        """The smallest possible sample (the infimum of the support)."""

    @abstractmethod
    def _params(self) -> tuple[float, ...]:
        """Parameters in the order of the ``name(args)`` form (durations in seconds)."""

    @abstractmethod
    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        """A float (``size=None``) or an ndarray of ``size`` draws from ``rng``."""

    def _label(self, i: int) -> str:
        return self.labels[i] if i < len(self.labels) else format_duration(self._params()[i])

    def describe(self) -> str:
        """The user's words, short, for flowchart labels: ``tri 2min/5min/15min``."""
        return f"{self.name} " + "/".join(self._label(i) for i in range(len(self._params())))

    def to_data(self) -> str | dict[str, Any]:
        """A YAML value that :func:`parse_distribution` reads back as an equal distribution."""
        args = ", ".join(exact_duration_text(x) for x in self._params())
        return f"{self.name}({args})"


@dataclass(frozen=True)
class Constant(Distribution):
    """Always ``value`` seconds (a bare duration in YAML)."""

    name: ClassVar[str] = "const"
    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _seconds(self.value, "const x"))

    mean = property(lambda self: self.value)
    variance = property(lambda self: 0.0)
    min_value = property(lambda self: self.value)

    def _params(self) -> tuple[float, ...]:
        return (self.value,)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        return self.value if size is None else np.full(size, self.value)

    def describe(self) -> str:
        return self._label(0)

    def to_data(self) -> str:
        return exact_duration_text(self.value)


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential with mean ``mean_time``: memoryless arrivals and service."""

    name: ClassVar[str] = "exp"
    mean_time: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean_time", _seconds(self.mean_time, "exp mean"))
        _positive(self.mean_time, "a mean", "exp")

    mean = property(lambda self: self.mean_time)
    variance = property(lambda self: self.mean_time**2)
    min_value = property(lambda self: 0.0)

    def _params(self) -> tuple[float, ...]:
        return (self.mean_time,)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        x = rng.exponential(self.mean_time, size)
        return float(x) if size is None else x


def _ordered(dist: Distribution, names: tuple[str, ...]) -> None:
    """Check the parameters rise (low < high, a mode in between), naming the pair that does not."""
    values, order = dist._params(), ", ".join(names)
    for i in range(len(values) - 1):
        if values[i] > values[i + 1]:
            pair = f"{names[i]} {dist._label(i)} is above {names[i + 1]} {dist._label(i + 1)}"
            message = f"{dist.name} needs {' <= '.join(names)}: {pair}"
            raise ValueProblem("E124", message, f"write the values in the order {order}")
    if values[0] == values[-1]:
        message = f"{dist.name} needs {names[0]} below {names[-1]}, both are {dist._label(0)}"
        raise ValueProblem("E124", message, "for a fixed time write the duration alone, e.g. 5min")


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on [low, high] (``uniform(a, b)``)."""

    name: ClassVar[str] = "uniform"
    low: float
    high: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", _seconds(self.low, "uniform a"))
        object.__setattr__(self, "high", _seconds(self.high, "uniform b"))
        _ordered(self, ("a", "b"))

    mean = property(lambda self: (self.low + self.high) / 2)
    variance = property(lambda self: (self.high - self.low) ** 2 / 12)
    min_value = property(lambda self: self.low)

    def _params(self) -> tuple[float, ...]:
        return (self.low, self.high)

    def describe(self) -> str:
        return f"uniform {self._label(0)}-{self._label(1)}"

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        x = rng.uniform(self.low, self.high, size)
        return float(x) if size is None else x


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular on [low, high] peaking at ``mode``: the workshop's best / usual / worst."""

    name: ClassVar[str] = "tri"
    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        for attr, what in (("low", "min"), ("mode", "mode"), ("high", "max")):
            object.__setattr__(self, attr, _seconds(getattr(self, attr), f"{self.name} {what}"))
        _ordered(self, ("min", "mode", "max"))

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def variance(self) -> float:
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    min_value = property(lambda self: self.low)

    def _params(self) -> tuple[float, ...]:
        return (self.low, self.mode, self.high)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        x = rng.triangular(self.low, self.mode, self.high, size)
        return float(x) if size is None else x


@dataclass(frozen=True)
class Pert(Triangular):
    """Beta-PERT with λ = 4: like ``tri`` but with less weight in the tails.

    It is ``low + (high - low) · Beta(α, β)`` with α = 1 + 4(mode − low)/(high − low) and
    β = 1 + 4(high − mode)/(high − low); mean (low + 4·mode + high)/6.
    """

    name: ClassVar[str] = "pert"

    def _shape(self) -> tuple[float, float]:
        span = self.high - self.low
        return 1 + 4 * (self.mode - self.low) / span, 1 + 4 * (self.high - self.mode) / span

    @property
    def mean(self) -> float:
        return (self.low + 4 * self.mode + self.high) / 6

    @property
    def variance(self) -> float:
        return (self.mean - self.low) * (self.high - self.mean) / 7

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        alpha, beta = self._shape()
        x = self.low + (self.high - self.low) * rng.beta(alpha, beta, size)
        return float(x) if size is None else x


def _phi(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


@dataclass(frozen=True)
class _MeanSd(Distribution):
    """Shared parts of the distributions given by a mean and a standard deviation."""

    mean_time: float
    sd: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean_time", _seconds(self.mean_time, f"{self.name} mean"))
        object.__setattr__(self, "sd", _seconds(self.sd, f"{self.name} sd"))
        _positive(self.mean_time, "a mean", self.name)
        _positive(self.sd, "an sd", self.name)

    min_value = property(lambda self: 0.0)

    def _params(self) -> tuple[float, ...]:
        return (self.mean_time, self.sd)

    def describe(self) -> str:
        return f"{self.name} {self._label(0)}±{self._label(1)}"


@dataclass(frozen=True)
class Normal(_MeanSd):
    """Normal(``mean_time``, ``sd``) resampled while ≤ 0, i.e. truncated to (0, ∞).

    Truncation shifts the mean UP and shrinks the variance: :attr:`mean` and :attr:`variance`
    are those of the truncated distribution (closed form with the standard normal pdf φ and
    cdf Φ; α = −μ/σ, λ = φ(α)/(1 − Φ(α)): mean μ + σλ, variance σ²(1 + αλ − λ²)).  With
    ``normal(40min, 20min)`` the shift is about 2.3 s; with ``normal(40min, 40min)`` about 11 min.

    Sampling takes normal draws in stream order and keeps the positive ones, so a batch of n
    is the first n positive draws of the stream — exactly what n single draws return.  Each
    round of a batch draws only as many values as are still missing, so it never consumes a
    draw beyond the n-th accepted one and leaves the generator in the same state.
    """

    name: ClassVar[str] = "normal"

    def _alpha_lambda(self) -> tuple[float, float]:
        alpha = -self.mean_time / self.sd
        return alpha, _phi(alpha) / _cdf(-alpha)

    @property
    def mean(self) -> float:
        _, lam = self._alpha_lambda()
        return self.mean_time + self.sd * lam

    @property
    def variance(self) -> float:
        alpha, lam = self._alpha_lambda()
        return self.sd**2 * (1 + alpha * lam - lam * lam)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        if size is None:
            while True:
                x = float(rng.normal(self.mean_time, self.sd))
                if x > 0:
                    return x
        out = np.empty(size)
        filled = 0
        while filled < size:
            draw = rng.normal(self.mean_time, self.sd, size - filled)
            kept = draw[draw > 0]
            out[filled : filled + kept.size] = kept
            filled += kept.size
        return out


@dataclass(frozen=True)
class Lognormal(_MeanSd):
    """Lognormal whose own mean and sd are ``mean_time`` and ``sd`` (not those of its log)."""

    name: ClassVar[str] = "lognormal"

    mean = property(lambda self: self.mean_time)
    variance = property(lambda self: self.sd**2)

    def _log_params(self) -> tuple[float, float]:
        sigma2 = math.log1p((self.sd / self.mean_time) ** 2)
        return math.log(self.mean_time) - sigma2 / 2, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        mu, sigma = self._log_params()
        x = rng.lognormal(mu, sigma, size)
        return float(x) if size is None else x


@dataclass(frozen=True)
class Gamma(_MeanSd):
    """Gamma with this mean and sd: shape (mean/sd)², scale sd²/mean."""

    name: ClassVar[str] = "gamma"

    mean = property(lambda self: self.mean_time)
    variance = property(lambda self: self.sd**2)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        shape, scale = (self.mean_time / self.sd) ** 2, self.sd**2 / self.mean_time
        x = rng.gamma(shape, scale, size)
        return float(x) if size is None else x


@dataclass(frozen=True)
class Erlang(Distribution):
    """The sum of ``k`` exponentials whose total mean is ``mean_time`` (each k-th of it).

    Drawn as Gamma(k, mean/k), the same distribution in one draw per value.
    """

    name: ClassVar[str] = "erlang"
    k: int
    mean_time: float

    def __post_init__(self) -> None:
        k = self.k
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
            message = f"erlang k must be a whole number of at least 1, got {k!r}"
            raise ValueProblem("E124", message, "e.g. erlang(3, 1h)")
        object.__setattr__(self, "k", int(k))
        object.__setattr__(self, "mean_time", _seconds(self.mean_time, "erlang mean"))
        _positive(self.mean_time, "a mean", "erlang")

    mean = property(lambda self: self.mean_time)
    variance = property(lambda self: self.mean_time**2 / self.k)
    min_value = property(lambda self: 0.0)

    def _params(self) -> tuple[float, ...]:
        return (self.k, self.mean_time)

    def describe(self) -> str:
        return f"erlang {self._label(0) if self.labels else self.k}×{self._label(1)}"

    def to_data(self) -> str:
        return f"erlang({self.k}, {exact_duration_text(self.mean_time)})"

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        x = rng.gamma(self.k, self.mean_time / self.k, size)
        return float(x) if size is None else x


_MIN_WEIBULL_SHAPE = 0.05  # below this Γ(1 + 2/k) overflows a float and no variance exists


@dataclass(frozen=True)
class Weibull(Distribution):
    """Weibull with ``shape`` k (a plain number) and ``scale`` λ (a duration).

    Mean λ·Γ(1 + 1/k), variance λ²·(Γ(1 + 2/k) − Γ(1 + 1/k)²).
    """

    name: ClassVar[str] = "weibull"
    shape: float
    scale: float

    def __post_init__(self) -> None:
        shape = self.shape
        if isinstance(shape, bool) or not isinstance(shape, numbers.Real) or not (
            _MIN_WEIBULL_SHAPE <= shape < math.inf
        ):
            raise ValueProblem(
                "E124",
                f"weibull shape must be a number of at least {_MIN_WEIBULL_SHAPE}, got {shape!r}",
                "shape is a plain number (no unit), typically 0.5–5; e.g. weibull(1.5, 2h)",
            )
        object.__setattr__(self, "shape", float(shape))
        object.__setattr__(self, "scale", _seconds(self.scale, "weibull scale"))
        _positive(self.scale, "a scale", "weibull")

    @property
    def mean(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)

    @property
    def variance(self) -> float:
        g1, g2 = math.gamma(1 + 1 / self.shape), math.gamma(1 + 2 / self.shape)
        return self.scale**2 * (g2 - g1 * g1)

    min_value = property(lambda self: 0.0)

    def _params(self) -> tuple[float, ...]:
        return (self.shape, self.scale)

    def describe(self) -> str:
        return f"weibull {self.labels[0] if self.labels else _fmt(self.shape)}, {self._label(1)}"

    def to_data(self) -> str:
        return f"weibull({_fmt(self.shape)}, {exact_duration_text(self.scale)})"

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        x = self.scale * rng.weibull(self.shape, size)
        return float(x) if size is None else x


@dataclass(frozen=True)
class Empirical(Distribution):
    """Resamples the observed ``values`` uniformly (each equally likely).

    Mean and variance are those of that discrete uniform distribution (population variance).
    """

    name: ClassVar[str] = "empirical"
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if isinstance(self.values, str | bytes) or not hasattr(self.values, "__len__"):
            hint = "e.g. empirical([5min, 7min])"
            raise ValueProblem("E124", "empirical needs a list of durations", hint)
        if len(self.values) == 0:
            raise ValueProblem(
                "E124", "empirical needs at least one value", "e.g. empirical([5min, 7min, 12min])"
            )
        values = tuple(_seconds(x, f"empirical value {i + 1}") for i, x in enumerate(self.values))
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "_array", np.array(values))

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / len(self.values)

    @property
    def variance(self) -> float:
        m = self.mean
        return math.fsum((x - m) ** 2 for x in self.values) / len(self.values)

    min_value = property(lambda self: min(self.values))

    def _params(self) -> tuple[float, ...]:
        return self.values

    def describe(self) -> str:
        n = len(self.values)
        return f"empirical ({n} value{'s' if n != 1 else ''})"

    def to_data(self) -> str:
        return f"empirical([{', '.join(exact_duration_text(x) for x in self.values)}])"

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        arr: np.ndarray = self._array  # type: ignore[attr-defined]
        if size is None:
            return float(arr[rng.integers(0, arr.size)])
        return arr[rng.integers(0, arr.size, size)]


# --- parsing -------------------------------------------------------------------------------

# name -> (class, parameter names of SPEC §2.4 in order, kind of each: d duration, k int, x number)
_KINDS: dict[str, tuple[type[Distribution], tuple[str, ...], str]] = {
    "const": (Constant, ("x",), "d"),
    "exp": (Exponential, ("mean",), "d"),
    "uniform": (Uniform, ("a", "b"), "dd"),
    "tri": (Triangular, ("min", "mode", "max"), "ddd"),
    "pert": (Pert, ("min", "mode", "max"), "ddd"),
    "normal": (Normal, ("mean", "sd"), "dd"),
    "lognormal": (Lognormal, ("mean", "sd"), "dd"),
    "gamma": (Gamma, ("mean", "sd"), "dd"),
    "erlang": (Erlang, ("k", "mean"), "kd"),
    "weibull": (Weibull, ("shape", "scale"), "xd"),
    "empirical": (Empirical, ("values",), "L"),
}
_ALIASES = {"exponential": "exp", "triangular": "tri", "constant": "const", "lognorm": "lognormal"}
_CALL_RE = re.compile(r"(?P<name>[^\W\d][\w-]*)\s*\((?P<args>.*)\)", re.DOTALL)
_WORD_RE = re.compile(r"(?P<name>[^\W\d][\w-]*)(?:\s.*)?", re.DOTALL)
_FORMS = "5min, exp(10min), tri(2min, 5min, 15min), lognormal(40min, 20min), erlang(3, 1h)"


def _signature(name: str) -> str:
    return f"{name}({', '.join(_KINDS[name][1])})"


def _lookup(name: str) -> str:
    key = name.lower()
    key = _ALIASES.get(key, key)
    if key in _KINDS:
        return key
    choices = list(_KINDS) + list(_ALIASES)
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    guess = f"did you mean {_ALIASES.get(close[0], close[0])}? " if close else ""
    hint = guess + "known: " + ", ".join(_KINDS)
    raise ValueProblem("E122", f"unknown distribution '{name}'", hint)


def _split_args(text: str, whole: str) -> list[str]:
    """Split at top-level commas (a list in ``[...]`` stays one argument)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
            if depth < 0:
                break
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if depth != 0:
        raise ValueProblem("E123", f"unbalanced brackets in '{whole}'", f"e.g. {_FORMS}")
    parts.append(text[start:].strip())
    if parts == [""]:
        return []
    if "" in parts:
        raise ValueProblem("E123", f"an empty argument in '{whole}'", "remove the extra comma")
    return parts


def _param(kind: str, raw: object, what: str, time_unit: str | None) -> tuple[Any, str, bool]:
    """(value, label, bare) for one argument."""
    if kind == "d":
        d = parse_duration(raw, time_unit)
        unit = "h" if time_unit is None else parse_time_unit(time_unit)
        return d.seconds, d.text + unit if d.bare else d.text, d.bare
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str):
        try:
            text = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
        except ValueError:
            fix = "a plain number (no unit)" if kind == "x" else "a whole number such as 3"
            raise ValueProblem("E124", f"{what} must be {fix}, got '{raw}'") from None
    if kind == "k" and isinstance(text, float) and text.is_integer():
        text = int(text)
    return text, str(raw).strip(), False


def _build(
    name: str, raw_args: list[object], time_unit: str | None, paths: list[tuple]
) -> Distribution:
    """Parse each argument by its kind and construct (the constructor checks the values)."""
    cls, params, kinds = _KINDS[name]
    values, labels, bare = [], [], False
    for kind, param, raw, path in zip(kinds, params, raw_args, paths, strict=True):
        try:
            if kind == "L":
                if isinstance(raw, str) and re.fullmatch(r"\s*\[.*\]\s*", raw, re.DOTALL):
                    raw = _split_args(raw.strip()[1:-1], raw.strip())
                items = raw if isinstance(raw, list | tuple) else None
                if items is None:
                    message = f"empirical values must be a list, got {raw!r}"
                    raise ValueProblem("E124", message, "e.g. [5min, 7min, 12min]")
                parsed = []
                for i, item in enumerate(items):
                    try:
                        parsed.append(_param("d", item, f"value {i + 1}", time_unit))
                    except ValueProblem as exc:
                        raise ValueProblem(exc.code, exc.message, exc.hint, (i,)) from None
                values.append(tuple(p[0] for p in parsed))
                bare = bare or any(p[2] for p in parsed)
                continue
            value, label, was_bare = _param(kind, raw, f"{name} {param}", time_unit)
        except ValueProblem as exc:
            raise ValueProblem(exc.code, exc.message, exc.hint, path + exc.path) from None
        values.append(value)
        labels.append(label)
        bare = bare or was_bare
    return cls(*values, labels=tuple(labels), bare=bare)


def _from_text(text: str, time_unit: str | None) -> Distribution:
    call = _CALL_RE.fullmatch(text)
    if call is None:
        word = _WORD_RE.fullmatch(text)
        if word and "(" not in text:
            try:
                name = _lookup(word["name"])
            except ValueProblem:
                name = None
            if name is not None:
                hint = f"write {_signature(name)}"
                raise ValueProblem("E123", f"'{text}' is not a distribution", hint)
        try:
            return _constant(text, time_unit)
        except ValueProblem as exc:
            if exc.code != "E110":
                raise
            code, message = "E110", f"'{text}' is neither a duration nor a distribution"
            if "(" in text or ")" in text:
                code, message = "E123", f"'{text}' is not a distribution"
            raise ValueProblem(code, message, f"e.g. {_FORMS}") from None
    name = _lookup(call["name"])
    args = _split_args(call["args"], text)
    params = _KINDS[name][1]
    if name == "empirical":
        if len(args) == 1 and args[0].startswith("[") and args[0].endswith("]"):
            args = [_split_args(args[0][1:-1], text)]  # type: ignore[list-item]
        elif any(a.startswith("[") for a in args):
            hint = "write empirical([5min, 7min, 12min])"
            raise ValueProblem("E123", f"'{text}' is not a distribution", hint)
        else:
            args = [args]  # type: ignore[list-item]
    if len(args) != len(params):
        got = len(args)
        raise ValueProblem(
            "E123",
            f"{name} takes {len(params)} argument{'s' if len(params) > 1 else ''} "
            f"({', '.join(params)}), got {got} in '{text}'",
            f"write {_signature(name)}",
        )
    try:
        return _build(name, list(args), time_unit, [()] * len(args))
    except ValueProblem as exc:
        raise ValueProblem(exc.code, f"{exc.message} (in '{text}')", exc.hint) from None


def _from_mapping(data: dict[Any, Any], time_unit: str | None) -> Distribution:
    names = ", ".join(_KINDS)
    if "dist" not in data:
        hint = f"e.g. {{dist: tri, min: 2min, mode: 5min, max: 15min}}; names: {names}"
        raise ValueProblem("E123", "a distribution mapping needs dist: <name>", hint)
    raw_name = data["dist"]
    if not isinstance(raw_name, str):
        message = f"dist must be a distribution name, got {raw_name!r}"
        raise ValueProblem("E122", message, f"names: {names}", ("dist",))
    try:
        name = _lookup(raw_name.strip())
    except ValueProblem as exc:
        raise ValueProblem(exc.code, exc.message, exc.hint, ("dist",)) from None
    params = _KINDS[name][1]
    for key in data:
        if key != "dist" and key not in params:
            close = difflib.get_close_matches(str(key), params, n=1, cutoff=0.5)
            guess = f"did you mean {close[0]}? " if close else ""
            hint = f"{guess}{name} takes {', '.join(params)}"
            raise ValueProblem("E123", f"{name} has no parameter '{key}'", hint, (key,))
    missing = [p for p in params if p not in data]
    if missing:
        hint = f"{name} takes {', '.join(params)}, e.g. {_mapping_example(name)}"
        raise ValueProblem("E123", f"{name} needs {', '.join(missing)}", hint)
    return _build(name, [data[p] for p in params], time_unit, [(p,) for p in params])


def parse_distribution(value: object, time_unit: str | None = None) -> Distribution:
    """A distribution from a bare duration, ``"name(args)"`` or ``{dist: name, ...}``.

    Bare numbers (also inside the arguments) are in ``time_unit`` (default ``h``).
    """
    if isinstance(value, Distribution):
        return value
    if isinstance(value, dict):
        return _from_mapping(value, time_unit)
    if isinstance(value, str):
        text = value.strip()
        check_fullwidth(text, "distribution")
        return _from_text(text, time_unit)
    if not isinstance(value, numbers.Real):  # a bool is Real: parse_duration gives it E112
        hint = f"write a duration or a distribution, e.g. {_FORMS}"
        raise ValueProblem("E110", f"expected a duration or a distribution, got {value!r}", hint)
    return _constant(value, time_unit)


def _constant(value: object, time_unit: str | None) -> Constant:
    seconds, label, bare = _param("d", value, "duration", time_unit)
    return Constant(seconds, labels=(label,), bare=bare)


def _mapping_example(name: str) -> str:
    example = {"const": "5min", "exp": "10min", "uniform": "2min, 5min", "tri": "2min, 5min, 15min",
               "erlang": "3, 1h", "weibull": "1.5, 2h", "empirical": "[5min, 7min]"}
    args = example.get(name, "40min, 20min").split(", ", len(_KINDS[name][1]) - 1)
    pairs = ", ".join(f"{p}: {a}" for p, a in zip(_KINDS[name][1], args, strict=True))
    return f"{{dist: {name}, {pairs}}}"
