"""Field types of the schema: the value rules of SPEC §2.3 as pydantic annotated types.

Each type parses the user's text once (``"30min"``, ``"95%"``, ``"tri(1h, 2h, 4h)"``) into a small
value object and serialises back to text a user would write, so a document survives
model → dict → model.  Parse errors keep the code of the parser that found them (E11x) and
travel to :mod:`procmap.model.findings` through the error's ``ctx`` (``hint``, ``sub_path``).

Bare numbers are read in ``process.time_unit``, which reaches the validators through the
validation context (``{"time_unit": "h"}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator, PlainSerializer, PlainValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from procmap.model.distributions import Distribution, parse_distribution
from procmap.model.units import (
    Duration,
    Rate,
    Target,
    ValueProblem,
    parse_datetime,
    parse_duration,
    parse_probability,
    parse_rate,
    parse_share,
    parse_target,
    parse_time_unit,
)

__all__ = [
    "RESERVED_IDS",
    "DateTimeField",
    "DistField",
    "DurationField",
    "Event",
    "EventField",
    "Id",
    "Label",
    "LabelList",
    "NewId",
    "ProbabilityField",
    "RateField",
    "ShareField",
    "TargetField",
    "TimeUnitField",
    "problem",
]

ID_PATTERN = re.compile(r"^[\w-]+$")
RESERVED_IDS = frozenset({"baseline", "always", "default", "arrival"})

T = TypeVar("T")


def problem(
    code: str, message: str, hint: str | None = None, sub_path: tuple[str | int, ...] = ()
) -> PydanticCustomError:
    """An error pydantic carries to the findings layer with our code, hint and sub-path."""
    return PydanticCustomError(code, message, {"hint": hint, "sub_path": sub_path})


def _time_unit(info: ValidationInfo) -> str | None:
    ctx = info.context
    return ctx.get("time_unit") if isinstance(ctx, dict) else None


def _parsing(func: Callable[[], T]) -> T:
    try:
        return func()
    except ValueProblem as exc:
        raise problem(exc.code, exc.message, exc.hint, tuple(exc.path)) from None


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return f"{type(value).__name__} {value!r}"


# --- ids and labels -------------------------------------------------------------------------


def _id(value: object) -> str:
    if not isinstance(value, str):
        raise problem("E102", f"expected an id (text), got {_describe(value)}")
    if not ID_PATTERN.fullmatch(value):
        raise problem(
            "E103",
            f"{value!r} is not a valid id",
            "ids use letters (any script), digits, '_' and '-': no dots, spaces or punctuation",
        )
    return value


def _new_id(value: object) -> str:
    text = _id(value)
    if text in RESERVED_IDS:
        raise problem(
            "E104",
            f"{text!r} is a reserved word and cannot be used as an id",
            f"reserved: {', '.join(sorted(RESERVED_IDS))}; pick another name",
        )
    return text


def _label(value: object) -> object:
    # Workshops write numbers as names ("name: 2024"); keep them as text rather than refuse.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _one_or_many(value: object) -> object:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [value]
    return value


Id = Annotated[str, PlainValidator(_id, json_schema_input_type=str)]
"""A reference to something defined elsewhere (a stage, team, calendar, segment...)."""
NewId = Annotated[str, PlainValidator(_new_id, json_schema_input_type=str)]
"""An id being defined: also refuses the reserved words."""
Label = Annotated[str, BeforeValidator(_label)]
LabelList = Annotated[
    tuple[Label, ...], BeforeValidator(_one_or_many, json_schema_input_type=str | list[str])
]


# --- durations, distributions, rates, shares ------------------------------------------------


def _v_duration(value: object, info: ValidationInfo) -> Duration:
    return _parsing(lambda: parse_duration(value, _time_unit(info)))


def _s_duration(value: Duration) -> str | float:
    return value.text


def _v_dist(value: object, info: ValidationInfo) -> Distribution:
    return _parsing(lambda: parse_distribution(value, _time_unit(info)))


def _v_rate(value: object, info: ValidationInfo) -> Rate:
    return _parsing(lambda: parse_rate(value, _time_unit(info)))


def _v_time_unit(value: object) -> str:
    return _parsing(lambda: parse_time_unit(value))


DurationField = Annotated[
    Duration,
    PlainValidator(_v_duration, json_schema_input_type=str | float),
    PlainSerializer(_s_duration),
]
DistField = Annotated[
    Distribution,
    PlainValidator(_v_dist, json_schema_input_type=str | float | dict[str, Any]),
    PlainSerializer(lambda d: d.to_data()),
]
RateField = Annotated[
    Rate,
    PlainValidator(_v_rate, json_schema_input_type=str | float),
    PlainSerializer(lambda r: r.text),
]
ShareField = Annotated[
    float,
    PlainValidator(lambda v: _parsing(lambda: parse_share(v)), json_schema_input_type=str | float),
]
ProbabilityField = Annotated[
    float,
    PlainValidator(
        lambda v: _parsing(lambda: parse_probability(v)), json_schema_input_type=str | float
    ),
]
TimeUnitField = Annotated[str, PlainValidator(_v_time_unit, json_schema_input_type=str)]
DateTimeField = Annotated[
    datetime,
    PlainValidator(lambda v: _parsing(lambda: parse_datetime(v)), json_schema_input_type=str),
    PlainSerializer(lambda d: d.strftime("%Y-%m-%dT%H:%M") + (f":{d:%S}" if d.second else "")),
]
TargetField = Annotated[
    Target,
    PlainValidator(
        lambda v: _parsing(lambda: parse_target(v)),
        json_schema_input_type=str | dict[Literal["at_most", "at_least", "equals"], Any],
    ),
    PlainSerializer(lambda t: t.text),
]


# --- SLA events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """``arrival``, ``<stage>.start`` or ``<stage>.end``."""

    stage: str | None
    point: Literal["arrival", "start", "end"]

    @property
    def text(self) -> str:
        return "arrival" if self.stage is None else f"{self.stage}.{self.point}"


def _event(value: object) -> Event:
    if not isinstance(value, str):
        raise problem("E102", f"expected an event such as 'triage.end', got {_describe(value)}")
    if value == "arrival":
        return Event(None, "arrival")
    stage, dot, point = value.rpartition(".")
    if not dot or point not in ("start", "end") or not ID_PATTERN.fullmatch(stage):
        hint = "write 'arrival', '<stage>.start' or '<stage>.end', e.g. 'triage.end'"
        if ID_PATTERN.fullmatch(value):  # a bare stage id: say which end of it
            hint = f"write '{value}.start' or '{value}.end' (or 'arrival')"
        raise problem("E105", f"{value!r} is not an event", hint)
    return Event(stage, point)  # type: ignore[arg-type]


EventField = Annotated[
    Event, PlainValidator(_event, json_schema_input_type=str), PlainSerializer(lambda e: e.text)
]
