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
from dataclasses import dataclass, field, fields
from functools import cached_property
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
_ARTICLE = {"mean": "a mean", "sd": "an sd", "scale": "a scale"}  # durations that must be > 0
_MIN_WEIBULL_SHAPE = 0.05  # below this Γ(1 + 2/k) overflows a float: no variance to speak of
_FIXED_HINT = "for a fixed time write the duration alone, e.g. 5min"


def _seconds(x: object, what: str) -> float:
    """A finite, non-negative float, or E124 naming the parameter."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(float(x)):
        raise ValueProblem("E124", f"{what} must be a finite number of seconds, got {x!r}")
    if x < 0:
        raise ValueProblem("E124", f"{what} cannot be negative, got {format_duration(float(x))}")
    return float(x)


def _fmt(x: float) -> str:
    """A plain number as short as reads back exactly: ``3``, ``1.5``."""
    return str(int(x)) if x == int(x) and abs(x) < 1e16 else repr(float(x))


@dataclass(frozen=True)
class Distribution(ABC):
    """A distribution of times in seconds.

    Subclasses declare ``params`` (the SPEC §2.4 names, in ``name(args)`` order, matching their
    dataclass fields) and ``kinds`` (one letter per parameter: ``d`` duration, ``k`` whole
    count, ``x`` plain number, ``L`` list of durations); checking, labels and ``to_data`` are
    driven by them.  ``labels`` are the user's words for the parameters (``"5min"``), used by
    :meth:`describe`; ``bare`` is true when any duration was a bare number (the schema warns
    "add a unit").  Neither takes part in equality: ``tri(2min, 5min, 15min)`` equals
    ``tri(120s, 300s, 900s)``.
    """

    name: ClassVar[str]
    params: ClassVar[tuple[str, ...]]
    kinds: ClassVar[str]
    example: ClassVar[str]
    ordered: ClassVar[bool] = False  # parameters must rise: min <= mode <= max, a < b
    labels: tuple[str, ...] = field(default=(), compare=False, repr=False, kw_only=True)
    bare: bool = field(default=False, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        """Normalise the parameters (floats, ints, tuples) and refuse values that cannot work."""
        for attr, param, kind in zip(self._fields(), self.params, self.kinds, strict=True):
            value, what = getattr(self, attr), f"{self.name} {param}"
            if kind == "d":
                value = _seconds(value, what)
                if param in _ARTICLE and value == 0:
                    hint = _FIXED_HINT if param == "sd" else "for no time at all write 0"
                    raise ValueProblem(
                        "E124", f"{self.name} needs {_ARTICLE[param]} above zero", hint
                    )
            elif kind == "k":
                if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                    message = f"{what} must be a whole number of at least 1, got {value!r}"
                    raise ValueProblem("E124", message, f"e.g. {self.name}({self.example})")
                value = int(value)
            elif kind == "x":
                if (
                    isinstance(value, bool)
                    or not isinstance(value, numbers.Real)
                    or not (_MIN_WEIBULL_SHAPE <= value < math.inf)
                ):
                    message = (
                        f"{what} must be a number of at least {_MIN_WEIBULL_SHAPE}, got {value!r}"
                    )
                    hint = f"{param} is a plain number (no unit), typically 0.5–5; e.g. {self.name}({self.example})"
                    raise ValueProblem("E124", message, hint)
                value = float(value)
            else:
                if (
                    isinstance(value, str | bytes)
                    or not hasattr(value, "__len__")
                    or len(value) == 0
                ):
                    message = f"{self.name} needs a list of at least one value"
                    raise ValueProblem("E124", message, f"e.g. {self.name}({self.example})")
                value = tuple(
                    _seconds(x, f"{self.name} value {i + 1}") for i, x in enumerate(value)
                )
            object.__setattr__(self, attr, value)
        if self.ordered:
            _ordered(self)

    def _fields(self) -> list[str]:
        return [f.name for f in fields(self) if not f.kw_only]

    def _params(self) -> tuple[Any, ...]:
        return tuple(getattr(self, attr) for attr in self._fields())

    @property
    @abstractmethod
    def mean(self) -> float:
        """Exact mean in seconds."""

    @property
    @abstractmethod
    def variance(self) -> float:
        """Exact variance in seconds squared."""

    @property
    def min_value(self) -> float:
        """The smallest possible sample (the infimum of the support; 0 unless bounded below)."""
        return 0.0

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Sample:
        """A float (``size=None``) or an ndarray of ``size`` draws, from ``rng`` only."""
        x = self._draw(rng, size)
        return float(x) if size is None else x

    @abstractmethod
    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        """numpy's draw; it must consume the stream value by value (batched == one at a time)."""

    def _label(self, i: int) -> str:
        if i < len(self.labels):
            return self.labels[i]
        value = self._params()[i]
        return format_duration(value) if self.kinds[i] == "d" else _fmt(value)

    def describe(self) -> str:
        """The user's words, short, for flowchart labels: ``tri 2min/5min/15min``."""
        return f"{self.name} " + "/".join(self._label(i) for i in range(len(self.params)))

    def to_data(self) -> str | dict[str, Any]:
        """A YAML value that :func:`parse_distribution` reads back as an EQUAL distribution.

        Durations are written exactly (``exact_duration_text``) and always with a unit, so the
        result does not depend on ``process.time_unit``.
        """
        args = []
        for kind, value in zip(self.kinds, self._params(), strict=True):
            if kind == "L":
                args.append("[" + ", ".join(exact_duration_text(x) for x in value) + "]")
            else:
                args.append(exact_duration_text(value) if kind == "d" else _fmt(value))
        return f"{self.name}({', '.join(args)})"


@dataclass(frozen=True)
class Constant(Distribution):
    """Always ``value`` seconds (a bare duration in YAML)."""

    name: ClassVar[str] = "const"
    params: ClassVar[tuple[str, ...]] = ("x",)
    kinds: ClassVar[str] = "d"
    example: ClassVar[str] = "5min"
    value: float

    mean = property(lambda self: self.value)
    variance = property(lambda self: 0.0)
    min_value = property(lambda self: self.value)

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return self.value if size is None else np.full(size, self.value)

    def describe(self) -> str:
        return self._label(0)

    def to_data(self) -> str:
        return exact_duration_text(self.value)


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential with mean ``mean_time``: memoryless arrivals and service."""

    name: ClassVar[str] = "exp"
    params: ClassVar[tuple[str, ...]] = ("mean",)
    kinds: ClassVar[str] = "d"
    example: ClassVar[str] = "10min"
    mean_time: float

    mean = property(lambda self: self.mean_time)
    variance = property(lambda self: self.mean_time**2)

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return rng.exponential(self.mean_time, size)

    def describe(self) -> str:
        return f"exp {self._label(0)}"


def _ordered(dist: Distribution) -> None:
    """Check the parameters rise (low < high, a mode in between), naming the pair that does not."""
    values, names = dist._params(), dist.params
    for i in range(len(values) - 1):
        if values[i] > values[i + 1]:
            pair = f"{names[i]} {dist._label(i)} is above {names[i + 1]} {dist._label(i + 1)}"
            message = f"{dist.name} needs {' <= '.join(names)}: {pair}"
            raise ValueProblem("E124", message, f"write the values in the order {', '.join(names)}")
    if values[0] == values[-1]:
        message = f"{dist.name} needs {names[0]} below {names[-1]}, both are {dist._label(0)}"
        raise ValueProblem("E124", message, _FIXED_HINT)


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on [low, high] (``uniform(a, b)``)."""

    name: ClassVar[str] = "uniform"
    params: ClassVar[tuple[str, ...]] = ("a", "b")
    kinds: ClassVar[str] = "dd"
    example: ClassVar[str] = "2min, 5min"
    low: float
    high: float

    ordered: ClassVar[bool] = True
    mean = property(lambda self: (self.low + self.high) / 2)
    variance = property(lambda self: (self.high - self.low) ** 2 / 12)
    min_value = property(lambda self: self.low)

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return rng.uniform(self.low, self.high, size)

    def describe(self) -> str:
        return f"uniform {self._label(0)}-{self._label(1)}"


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular on [low, high] peaking at ``mode``: the workshop's best / usual / worst."""

    name: ClassVar[str] = "tri"
    params: ClassVar[tuple[str, ...]] = ("min", "mode", "max")
    kinds: ClassVar[str] = "ddd"
    example: ClassVar[str] = "2min, 5min, 15min"
    low: float
    mode: float
    high: float

    ordered: ClassVar[bool] = True
    min_value = property(lambda self: self.low)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def variance(self) -> float:
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return rng.triangular(self.low, self.mode, self.high, size)


@dataclass(frozen=True)
class Pert(Triangular):
    """Beta-PERT with λ = 4: like ``tri``, with less weight in the tails.

    ``low + (high - low) · Beta(α, β)`` with α = 1 + 4(mode − low)/(high − low) and
    β = 1 + 4(high − mode)/(high − low): mean (low + 4·mode + high)/6, variance
    (mean − low)(high − mean)/7.
    """

    name: ClassVar[str] = "pert"

    @property
    def mean(self) -> float:
        return (self.low + 4 * self.mode + self.high) / 6

    @property
    def variance(self) -> float:
        return (self.mean - self.low) * (self.high - self.mean) / 7

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        span = self.high - self.low
        alpha, beta = 1 + 4 * (self.mode - self.low) / span, 1 + 4 * (self.high - self.mode) / span
        return self.low + span * rng.beta(alpha, beta, size)


@dataclass(frozen=True)
class _MeanSd(Distribution):
    """Shared parts of the distributions given by a mean and a standard deviation."""

    params: ClassVar[tuple[str, ...]] = ("mean", "sd")
    kinds: ClassVar[str] = "dd"
    example: ClassVar[str] = "40min, 20min"
    mean_time: float
    sd: float

    mean = property(lambda self: self.mean_time)
    variance = property(lambda self: self.sd**2)

    def describe(self) -> str:
        return f"{self.name} {self._label(0)}±{self._label(1)}"


@dataclass(frozen=True)
class Normal(_MeanSd):
    """Normal(``mean_time``, ``sd``) resampled while ≤ 0, i.e. truncated to (0, ∞).

    Truncation shifts the mean UP and shrinks the variance, and :attr:`mean` and
    :attr:`variance` are those of the truncated distribution (closed form with the standard
    normal pdf φ and cdf Φ: α = −μ/σ, λ = φ(α)/(1 − Φ(α)); mean μ + σλ, variance
    σ²(1 + αλ − λ²)).  ``normal(40min, 20min)`` has mean 41.1 min; ``normal(40min, 40min)``
    51.5 min.

    Sampling walks the normal stream in order and keeps the positive draws, so a batch of n
    is the first n positive draws of the stream — exactly what n single draws return.  Each
    round of a batch draws only as many values as are still missing, so it never consumes a
    draw past the n-th accepted one and leaves the generator in the same state too.
    """

    name: ClassVar[str] = "normal"
    mu = property(lambda self: self.mean_time, doc="The untruncated normal's mean (mean_time).")
    sigma = property(lambda self: self.sd, doc="The untruncated normal's sd.")

    def _alpha_lambda(self) -> tuple[float, float]:
        alpha = -self.mean_time / self.sd
        pdf = math.exp(-alpha * alpha / 2) / math.sqrt(2 * math.pi)
        return alpha, pdf / (0.5 * math.erfc(alpha / math.sqrt(2)))  # erfc form: 1 − Φ(α)

    @property
    def mean(self) -> float:
        return self.mean_time + self.sd * self._alpha_lambda()[1]

    @property
    def variance(self) -> float:
        alpha, lam = self._alpha_lambda()
        return self.sd**2 * (1 + alpha * lam - lam * lam)

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        if size is None:
            while (x := rng.normal(self.mean_time, self.sd)) <= 0:
                pass
            return x
        out, filled = np.empty(size), 0
        while filled < size:
            draw = rng.normal(self.mean_time, self.sd, size - filled)
            kept = draw[draw > 0]
            out[filled : filled + kept.size] = kept
            filled += kept.size
        return out


@dataclass(frozen=True)
class Lognormal(_MeanSd):
    """Lognormal whose own mean and sd are ``mean_time`` and ``sd`` (not those of its log).

    The log has σ² = ln(1 + sd²/mean²) and μ = ln(mean) − σ²/2.
    """

    name: ClassVar[str] = "lognormal"

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        sigma2 = math.log1p((self.sd / self.mean_time) ** 2)
        return rng.lognormal(math.log(self.mean_time) - sigma2 / 2, math.sqrt(sigma2), size)


@dataclass(frozen=True)
class Gamma(_MeanSd):
    """Gamma with this mean and sd: shape (mean/sd)², scale sd²/mean."""

    name: ClassVar[str] = "gamma"

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return rng.gamma((self.mean_time / self.sd) ** 2, self.sd**2 / self.mean_time, size)


@dataclass(frozen=True)
class Erlang(Distribution):
    """The sum of ``k`` exponentials whose total mean is ``mean_time`` (each a k-th of it).

    Drawn as Gamma(k, mean/k) — the same distribution, one stream draw per value.
    """

    name: ClassVar[str] = "erlang"
    params: ClassVar[tuple[str, ...]] = ("k", "mean")
    kinds: ClassVar[str] = "kd"
    example: ClassVar[str] = "3, 1h"
    k: int
    mean_time: float

    mean = property(lambda self: self.mean_time)
    variance = property(lambda self: self.mean_time**2 / self.k)

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return rng.gamma(self.k, self.mean_time / self.k, size)

    def describe(self) -> str:
        return f"erlang {self._label(0)}×{self._label(1)}"


@dataclass(frozen=True)
class Weibull(Distribution):
    """Weibull with ``shape`` k (a plain number) and ``scale`` λ (a duration).

    Mean λ·Γ(1 + 1/k), variance λ²·(Γ(1 + 2/k) − Γ(1 + 1/k)²).
    """

    name: ClassVar[str] = "weibull"
    params: ClassVar[tuple[str, ...]] = ("shape", "scale")
    kinds: ClassVar[str] = "xd"
    example: ClassVar[str] = "1.5, 2h"
    shape: float
    scale: float

    @property
    def mean(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)

    @property
    def variance(self) -> float:
        g1, g2 = math.gamma(1 + 1 / self.shape), math.gamma(1 + 2 / self.shape)
        return self.scale**2 * (g2 - g1 * g1)

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return self.scale * rng.weibull(self.shape, size)

    def describe(self) -> str:
        return f"weibull {self._label(0)}, {self._label(1)}"


@dataclass(frozen=True)
class Empirical(Distribution):
    """Resamples the observed ``values``, each equally likely.

    Mean and variance are those of that discrete uniform distribution (population variance).
    """

    name: ClassVar[str] = "empirical"
    params: ClassVar[tuple[str, ...]] = ("values",)
    kinds: ClassVar[str] = "L"
    example: ClassVar[str] = "[5min, 7min, 12min]"
    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / len(self.values)

    @property
    def variance(self) -> float:
        m = self.mean
        return math.fsum((x - m) ** 2 for x in self.values) / len(self.values)

    min_value = property(lambda self: min(self.values))

    @cached_property
    def _array(self) -> np.ndarray:
        return np.array(self.values)

    def _draw(self, rng: np.random.Generator, size: int | None) -> Any:
        return self._array[rng.integers(0, len(self.values), size)]

    def describe(self) -> str:
        n = len(self.values)
        return f"empirical ({n} value{'s' if n != 1 else ''})"


# --- parsing -------------------------------------------------------------------------------

_CLASSES: dict[str, type[Distribution]] = {
    cls.name: cls
    for cls in (
        Constant,
        Exponential,
        Uniform,
        Triangular,
        Pert,
        Normal,
        Lognormal,
        Gamma,
        Erlang,
        Weibull,
        Empirical,
    )
}
_ALIASES = {"exponential": "exp", "triangular": "tri", "constant": "const", "lognorm": "lognormal"}
_CALL_RE = re.compile(r"(?P<name>[^\W\d][\w-]*)\s*\((?P<args>.*)\)", re.DOTALL)
_WORD_RE = re.compile(r"(?P<name>[^\W\d][\w-]*)(?:\s.*)?", re.DOTALL)
_FORMS = "5min, exp(10min), tri(2min, 5min, 15min), lognormal(40min, 20min), erlang(3, 1h)"


def _lookup(name: str) -> type[Distribution]:
    key = _ALIASES.get(name.lower(), name.lower())
    if key in _CLASSES:
        return _CLASSES[key]
    close = difflib.get_close_matches(key, [*_CLASSES, *_ALIASES], n=1, cutoff=0.6)
    guess = f"did you mean {_ALIASES.get(close[0], close[0])}? " if close else ""
    raise ValueProblem(
        "E122", f"unknown distribution '{name}'", f"{guess}known: {', '.join(_CLASSES)}"
    )


def _usage(cls: type[Distribution]) -> str:
    return f"write {cls.name}({', '.join(cls.params)}), e.g. {cls.name}({cls.example})"


def _split_args(text: str, whole: str) -> list[str]:
    """Split at top-level commas (a list in ``[...]`` stays one argument)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "[(") - (ch in "])")
        if depth < 0:
            break
        if ch == "," and depth == 0:
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


def _duration(raw: object, time_unit: str | None) -> tuple[float, str, bool]:
    """(seconds, label, bare); a bare number's label gets its unit: ``90`` → ``90h``."""
    d = parse_duration(raw, time_unit)
    unit = "h" if time_unit is None else parse_time_unit(time_unit)
    return d.seconds, d.text + unit if d.bare else d.text, d.bare


def _number(kind: str, raw: object, what: str) -> tuple[Any, str]:
    """A count (``k``) or plain number (``x``) from YAML or from text; the constructor checks it."""
    value = raw.strip() if isinstance(raw, str) else raw
    if isinstance(value, str):
        try:
            value = int(value) if re.fullmatch(r"[+-]?\d+", value) else float(value)
        except ValueError:
            fix = "a plain number (no unit)" if kind == "x" else "a whole number such as 3"
            raise ValueProblem("E124", f"{what} must be {fix}, got '{raw}'") from None
    if kind == "k" and isinstance(value, float) and value.is_integer():
        value = int(value)
    return value, str(raw).strip()


def _build(
    cls: type[Distribution], raws: list[Any], time_unit: str | None, paths: list[tuple]
) -> Distribution:
    """Parse each argument by its kind, then construct (the constructor checks the values)."""
    values, labels, bare = [], [], False
    for kind, param, raw, path in zip(cls.kinds, cls.params, raws, paths, strict=True):
        try:
            if kind == "d":
                value, label, was_bare = _duration(raw, time_unit)
                bare = bare or was_bare
            elif kind == "L":
                if isinstance(raw, str) and re.fullmatch(r"\s*\[.*\]\s*", raw, re.DOTALL):
                    raw = _split_args(raw.strip()[1:-1], raw.strip())
                if not isinstance(raw, list | tuple):
                    message = f"{cls.name} {param} must be a list, got {raw!r}"
                    raise ValueProblem("E124", message, f"e.g. {cls.example}")
                items = []
                for i, item in enumerate(raw):
                    try:
                        items.append(_duration(item, time_unit))
                    except ValueProblem as exc:
                        raise ValueProblem(exc.code, exc.message, exc.hint, (i,)) from None
                value, label = tuple(x[0] for x in items), ""
                bare = bare or any(x[2] for x in items)
            else:
                value, label = _number(kind, raw, f"{cls.name} {param}")
        except ValueProblem as exc:
            raise ValueProblem(exc.code, exc.message, exc.hint, path + exc.path) from None
        values.append(value)
        labels.append(label)
    return cls(*values, labels=tuple(labels), bare=bare)


def _from_text(text: str, time_unit: str | None) -> Distribution:
    call = _CALL_RE.fullmatch(text)
    if call is None:
        word = _WORD_RE.fullmatch(text)
        name = word["name"].lower() if word and "(" not in text else ""
        if (
            _ALIASES.get(name, name) in _CLASSES
        ):  # 'exp', or 'tri 2min/5min/15min' copied from a label
            raise ValueProblem("E123", f"'{text}' is not a distribution", _usage(_lookup(name)))
        try:
            return _constant(text, time_unit)
        except ValueProblem as exc:
            if exc.code != "E110":
                raise
            code, message = "E110", f"'{text}' is neither a duration nor a distribution"
            if "(" in text or ")" in text:
                code, message = "E123", f"'{text}' is not a distribution"
            raise ValueProblem(code, message, f"e.g. {_FORMS}") from None
    cls = _lookup(call["name"])
    args: list[Any] = _split_args(call["args"], text)
    if cls.kinds == "L":  # empirical([5min, 7min]), also empirical(5min, 7min)
        if any(a.startswith("[") for a in args) and not (len(args) == 1 and args[0].endswith("]")):
            raise ValueProblem("E123", f"'{text}' is not a distribution", _usage(cls))
        args = [args[0]] if len(args) == 1 and args[0].startswith("[") else [args]
    if len(args) != len(cls.params):
        n = len(cls.params)
        message = (
            f"{cls.name} takes {n} argument{'s' if n > 1 else ''} "
            f"({', '.join(cls.params)}), got {len(args)} in '{text}'"
        )
        raise ValueProblem("E123", message, _usage(cls))
    try:
        return _build(cls, args, time_unit, [()] * len(args))
    except ValueProblem as exc:
        raise ValueProblem(exc.code, f"{exc.message} (in '{text}')", exc.hint) from None


def _from_mapping(data: dict[Any, Any], time_unit: str | None) -> Distribution:
    names = ", ".join(_CLASSES)
    if "dist" not in data:
        hint = f"e.g. {{dist: tri, min: 2min, mode: 5min, max: 15min}}; names: {names}"
        raise ValueProblem("E123", "a distribution mapping needs dist: <name>", hint)
    if not isinstance(data["dist"], str):
        message = f"dist must be a distribution name, got {data['dist']!r}"
        raise ValueProblem("E122", message, f"names: {names}", ("dist",))
    try:
        cls = _lookup(data["dist"].strip())
    except ValueProblem as exc:
        raise ValueProblem(exc.code, exc.message, exc.hint, ("dist",)) from None
    for key in data:
        if key != "dist" and key not in cls.params:
            close = difflib.get_close_matches(str(key), cls.params, n=1, cutoff=0.5)
            hint = (
                f"did you mean {close[0]}? " if close else ""
            ) + f"{cls.name} takes {', '.join(cls.params)}"
            raise ValueProblem("E123", f"{cls.name} has no parameter '{key}'", hint, (key,))
    missing = [p for p in cls.params if p not in data]
    if missing:
        args = cls.example.split(", ", len(cls.params) - 1)
        pairs = ", ".join(f"{p}: {a}" for p, a in zip(cls.params, args, strict=True))
        hint = f"{cls.name} takes {', '.join(cls.params)}, e.g. {{dist: {cls.name}, {pairs}}}"
        raise ValueProblem("E123", f"{cls.name} needs {', '.join(missing)}", hint)
    return _build(cls, [data[p] for p in cls.params], time_unit, [(p,) for p in cls.params])


def _constant(value: object, time_unit: str | None) -> Constant:
    seconds, label, bare = _duration(value, time_unit)
    return Constant(seconds, labels=(label,), bare=bare)


def parse_distribution(value: object, time_unit: str | None = None) -> Distribution:
    """A distribution from a bare duration, ``"name(args)"`` or ``{dist: name, ...}``.

    Bare numbers (also inside the arguments) are in ``time_unit`` (default ``h``).  Names are
    case-insensitive, with the aliases exponential, triangular, constant and lognorm.
    """
    if isinstance(value, Distribution):
        return value
    if isinstance(value, dict):
        return _from_mapping(value, time_unit)
    if isinstance(value, str):
        text = value.strip()
        check_fullwidth(text, "distribution" if re.search(r"[(（]", text) else "duration")
        return _from_text(text, time_unit)
    if not isinstance(value, numbers.Real):  # a bool is Real: parse_duration gives it E112
        hint = f"write a duration or a distribution, e.g. {_FORMS}"
        raise ValueProblem("E110", f"expected a duration or a distribution, got {value!r}", hint)
    return _constant(value, time_unit)
