"""The YAML format (SPEC §2) as strict, frozen pydantic v2 models.

``Document`` is the whole file.  Field docstrings become the descriptions of the JSON Schema
that editors show (``procmap schema``).  Checks that involve one object only (a team with both
``staff`` and ``shifts``, a task without a duration) live here as model validators; checks across
objects (references, the graph, capacity) live in :mod:`procmap.model.validate`, which runs on a
schema-valid document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    Tag,
    ValidationInfo,
    model_validator,
)

from procmap.model.calendar import WeeklyHours, parse_weekly
from procmap.model.fields import (
    DateTimeField,
    DistField,
    DurationField,
    EventField,
    Id,
    Label,
    LabelList,
    NewId,
    ProbabilityField,
    RateField,
    ShareField,
    TargetField,
    TimeUnitField,
    _parsing,
    problem,
)
from procmap.model.profile import Profile, parse_profile
from procmap.model.units import parse_date_range, parse_duration, parse_rate, parse_share

__all__ = [
    "ArrivalSource",
    "Branch",
    "CalendarSpec",
    "DataFlow",
    "Document",
    "Escalation",
    "Kpi",
    "Process",
    "ScenarioSpec",
    "Segment",
    "SegmentTarget",
    "Shift",
    "Simulation",
    "Sipoc",
    "Sla",
    "Split",
    "Stage",
    "Team",
]

StageKind = Literal["task", "wait", "decision", "join", "end"]
Metric = Literal[
    "cycle_time",
    "wait",
    "service",
    "sojourn",
    "utilization",
    "queue_length",
    "throughput",
    "sla_attainment",
    "end_share",
    "cost_per_case",
]
Stat = Literal["mean", "p50", "p90", "p95", "max"]

TIME_METRICS = frozenset({"cycle_time", "wait", "service", "sojourn"})
SHARE_METRICS = frozenset({"utilization", "sla_attainment", "end_share"})
# metric -> (required subject keys, optional subject keys)
METRIC_SUBJECTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "cycle_time": (frozenset(), frozenset({"segment"})),
    "wait": (frozenset({"stage"}), frozenset({"segment"})),
    "service": (frozenset({"stage"}), frozenset({"segment"})),
    "sojourn": (frozenset({"stage"}), frozenset({"segment"})),
    "utilization": (frozenset({"team"}), frozenset()),
    "queue_length": (frozenset({"team"}), frozenset()),
    "throughput": (frozenset(), frozenset({"segment"})),
    "sla_attainment": (frozenset({"sla"}), frozenset()),
    "end_share": (frozenset({"stage"}), frozenset()),
    "cost_per_case": (frozenset(), frozenset()),
}
SUBJECT_KEYS = ("stage", "team", "segment", "sla")


class Base(BaseModel):
    """Strict and frozen: unknown keys are errors, nothing changes after loading."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        use_attribute_docstrings=True,
        arbitrary_types_allowed=True,
    )


def _kind_of(value: Any) -> str | None:
    """Discriminator for fields that take several YAML shapes: the tag names the shape."""
    if isinstance(value, str):
        return "@id"
    if isinstance(value, list | tuple):
        return "@list"
    if isinstance(value, dict):
        return "@all" if "all" in value else "@map"
    if isinstance(value, BaseModel):
        return "@all" if isinstance(value, Split) else "@map"
    return None


# --- process and SIPOC ----------------------------------------------------------------------


class Process(Base):
    id: NewId
    """Short id of the process (letters, digits, '_' and '-')."""
    name: Label | None = None
    """Display name; any language."""
    description: str | None = None
    time_unit: TimeUnitField | None = None
    """Unit of bare numbers and of displays: s, min, h (default), d or w."""
    currency: Label | None = None
    entry: Id | None = None
    """The start stage; default: the first stage listed."""


class Sipoc(Base):
    suppliers: LabelList = ()
    inputs: LabelList = ()
    outputs: LabelList = ()
    customers: LabelList = ()


# --- calendars and teams --------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklySpec:
    """Parsed weekly hours, with the mapping as written (for round trips and display)."""

    hours: WeeklyHours
    raw: dict[str, Any]


def _v_weekly(value: object) -> WeeklySpec:
    if isinstance(value, WeeklySpec):
        return value
    if not isinstance(value, dict):
        raise problem(
            "E102",
            'weekly must be a mapping of day specs to hours, e.g. {mon-fri: "09:00-18:00"}',
        )
    return WeeklySpec(_parsing(lambda: parse_weekly(value)), dict(value))


WeeklyField = Annotated[
    WeeklySpec,
    PlainValidator(_v_weekly, json_schema_input_type=dict[str, str | list[str]]),
    PlainSerializer(lambda w: w.raw),
]


def _v_dates(value: object) -> tuple[tuple[Any, Any], ...]:
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        try:
            out.append(parse_date_range(item))
        except Exception as exc:  # ValueProblem; keep the index so the finding points at it
            code = getattr(exc, "code", "E116")
            raise problem(code, str(exc), getattr(exc, "hint", None), (i,)) from None
    return tuple(out)


DateRanges = Annotated[
    tuple[tuple[Any, Any], ...],
    PlainValidator(_v_dates, json_schema_input_type=list[str]),
    PlainSerializer(
        lambda rs: [a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}" for a, b in rs]
    ),
]


class CalendarSpec(Base):
    weekly: WeeklyField | None = None
    """Open hours per day spec: {mon-fri: "09:00-18:00", sat: ["10:00-12:00", "13:00-16:00"]}."""
    holidays: DateRanges = ()
    """Dates and date..date ranges closed all day."""
    workdays: DateRanges = ()
    """Make-up working days: open with Monday's hours."""
    extends: Id | None = None
    """Another calendar whose holidays and workdays (and weekly hours, if none are given) apply too."""


def _v_staff(value: object) -> int | str:
    if value == "unlimited":
        return "unlimited"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise problem(
            "E106",
            f"staff must be a whole number ≥ 1 or 'unlimited', got {value!r}",
            "write staff: 3, or staff: unlimited for an external party that never queues",
        )
    return value


StaffField = Annotated[
    int | Literal["unlimited"],
    PlainValidator(_v_staff, json_schema_input_type=int | Literal["unlimited"]),
]


def _v_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise problem("E106", f"expected a whole number ≥ 1, got {value!r}")
    return value


Count = Annotated[int, PlainValidator(_v_count, json_schema_input_type=int)]


class Shift(Base):
    calendar: Id
    """The calendar whose open hours this shift works."""
    staff: Count
    """People on this shift."""


class Team(Base):
    name: Label | None = None
    staff: StaffField | None = None
    """People in the team (whole number) or 'unlimited' (an external party: never queues)."""
    calendar: Id | None = None
    """When the team works; default 'always'."""
    shifts: tuple[Shift, ...] | None = None
    """Instead of staff + calendar: a list of {calendar, staff}."""
    availability: ShareField = 1.0
    """Share of rostered time available for process work (leave, meetings, training)."""
    cost_per_hour: Annotated[float, Field(ge=0)] | None = None
    """Cost per rostered person-hour, in process.currency."""

    @model_validator(mode="after")
    def _staffing(self) -> Team:
        if self.staff is not None and self.shifts is not None:
            raise problem(
                "E140",
                "give staff or shifts, not both",
                "a team with shifts has its staff in each shift",
                ("shifts",),
            )
        if self.staff is None and self.shifts is None:
            raise problem(
                "E141",
                "a team needs staff or shifts",
                "write staff: 3 (or staff: unlimited for an external party)",
                ("staff",),
            )
        if self.shifts is not None and self.calendar is not None:
            raise problem(
                "E142",
                "a team with shifts takes its hours from each shift's calendar",
                "move the calendar into the shifts",
                ("calendar",),
            )
        if self.shifts is not None and not self.shifts:
            raise problem(
                "E141", "shifts is empty", "list at least one {calendar, staff}", ("shifts",)
            )
        return self

    @property
    def unlimited(self) -> bool:
        return self.staff == "unlimited"

    @property
    def rosters(self) -> tuple[tuple[str, int], ...]:
        """(calendar id, staff) per shift; a team with staff has one shift on its calendar."""
        if self.shifts is not None:
            return tuple((s.calendar, s.staff) for s in self.shifts)
        if self.staff == "unlimited":
            return ()
        return ((self.calendar or "always", int(self.staff or 1)),)


# --- segments and arrivals ------------------------------------------------------------------


class Segment(Base):
    name: Label | None = None
    share: ShareField
    """Share of arriving cases (shares sum to 1)."""
    priority: Annotated[int, Field(ge=0, strict=True)] = 0
    """Lower is served first; default 0."""


ProfileField = Annotated[
    Profile,
    PlainValidator(
        lambda v: _parsing(lambda: parse_profile(v)), json_schema_input_type=dict[str, float]
    ),
    PlainSerializer(lambda p: p.to_data()),
]


class ArrivalSource(Base):
    rate: RateField | None = None
    """Poisson arrivals in the calendar's open time: 6/h, 120/d."""
    interarrival: DistField | None = None
    """Instead of rate: the time between arrivals (open time)."""
    calendar: Id | None = None
    profile: ProfileField | None = None
    """Multipliers of the rate by weekday and hour range: {mon: 1.3, 09-12: 1.5}."""
    segments: dict[Id, ShareField] | None = None
    """A segment mix for this source, overriding the global shares."""

    @model_validator(mode="after")
    def _one_law(self) -> ArrivalSource:
        if self.rate is not None and self.interarrival is not None:
            raise problem("E143", "give rate or interarrival, not both", None, ("interarrival",))
        if self.rate is None and self.interarrival is None:
            raise problem(
                "E101",
                "an arrival source needs a rate (e.g. rate: 6/h) or an interarrival",
                None,
                ("rate",),
            )
        return self

    @property
    def mean_interarrival_s(self) -> float:
        """Mean time between arrivals in operational time (seconds)."""
        if self.rate is not None:
            return 1.0 / self.rate.per_second
        assert self.interarrival is not None
        return self.interarrival.mean


# --- stages ---------------------------------------------------------------------------------


class When(Base):
    segment: Annotated[
        tuple[Id, ...],
        PlainValidator(lambda v: _ids_list(v), json_schema_input_type=list[str] | str),
        PlainSerializer(list),
    ]
    """The segments this branch takes."""


def _ids_list(value: object) -> tuple[str, ...]:
    from procmap.model.fields import _id

    items = value if isinstance(value, list) else [value]
    return tuple(_id(v) for v in items)


class Branch(Base):
    to: Id
    """The next stage."""
    p: ProbabilityField | None = None
    """Probability of this branch (all branches of a list have p, or all have when/otherwise)."""
    when: When | None = None
    otherwise: Literal[True] | None = None
    handoff: DistField | None = None
    """A delay on the way: time passes, nobody works."""
    calendar: Id | None = None
    """The hand-off runs in this calendar's open time (default: clock time)."""
    data: LabelList = ()
    """What moves along this edge."""
    channel: Label | None = None


class Split(Base):
    all: Annotated[tuple[Id, ...], Field(min_length=2)]
    """Parallel branches; one join downstream merges them."""


NextField = Annotated[
    Annotated[
        str, PlainValidator(lambda v: _ids_list(v)[0], json_schema_input_type=str), Tag("@id")
    ]
    | Annotated[tuple[Branch, ...], Tag("@list")]
    | Annotated[Branch, Tag("@map")]
    | Annotated[Split, Tag("@all")],
    Discriminator(
        _kind_of,
        custom_error_type="E102",
        custom_error_message="next must be a stage id, a list of branches or {all: [...]}",
    ),
]


def _v_needs(value: object) -> int | dict[str, int]:
    from procmap.model.fields import _id

    if isinstance(value, dict):
        if not value:
            raise problem("E106", "needs is empty", "write needs: {team: count, ...}")
        out = {}
        for key, count in value.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise problem(
                    "E106",
                    f"needs of {key!r} must be a whole number ≥ 1, got {count!r}",
                    "write the number of people of that team the task needs, e.g. {sales: 1}",
                    (key,),
                )
            out[_id(key)] = count
        return out
    return _v_count(value)


NeedsField = Annotated[
    int | dict[str, int],
    PlainValidator(_v_needs, json_schema_input_type=int | dict[str, int]),
]


class Stage(Base):
    name: Label | None = None
    description: str | None = None
    kind: StageKind = "task"
    """task (default), wait, decision, join or end."""
    owner: Id | None = None
    """The team that works the stage: its swimlane."""
    duration: DistField | None = None
    """Working time of a task, or the length of a wait: 30min, exp(10min), tri(1h, 2h, 4h)..."""
    duration_by_segment: dict[Id, DistField] | None = None
    needs: NeedsField = 1
    """People per task (default 1), or {team: count} for work several teams do together."""
    calendar: Id | None = None
    """For wait stages: the wait runs in this calendar's open time."""
    inputs: LabelList = ()
    outputs: LabelList = ()
    system: Label | None = None
    next: NextField | None = None
    """The next stage: an id, a list of branches (p or when), or {all: [...]}."""
    outcome: Label | None = None
    """For end stages: a label such as won or lost."""

    @model_validator(mode="after")
    def _by_kind(self) -> Stage:
        kind = self.kind
        if kind == "task":
            if self.owner is None and not isinstance(self.needs, dict):
                raise problem(
                    "E101",
                    "a task needs an owner (the team that works it)",
                    "add owner: <team id>",
                    ("owner",),
                )
            if self.duration is None:
                raise problem(
                    "E101",
                    "a task needs a duration",
                    "add duration: 30min (or exp(30min), tri(10min, 30min, 2h))",
                    ("duration",),
                )
        if kind == "wait" and self.duration is None:
            raise problem(
                "E101", "a wait stage needs a duration", "add duration: exp(4h)", ("duration",)
            )
        if kind in ("decision", "join", "end"):
            a_kind = f"{'an' if kind == 'end' else 'a'} {kind}"
            for key in ("duration", "duration_by_segment"):
                if getattr(self, key) is not None:
                    raise problem(
                        "E150",
                        f"{a_kind} stage takes no time: remove {key}",
                        "use kind: task or wait for work or waiting",
                        (key,),
                    )
            if self.needs != 1:
                raise problem(
                    "E150", f"{a_kind} stage needs nobody: remove needs", None, ("needs",)
                )
        if kind == "wait" and self.needs != 1:
            raise problem(
                "E150",
                "a wait stage needs nobody: remove needs",
                "use kind: task when people work",
                ("needs",),
            )
        if kind == "end" and self.next is not None:
            raise problem(
                "E151", "an end stage has no next", "remove next, or use another kind", ("next",)
            )
        if kind != "end" and self.next is None:
            raise problem(
                "E152",
                f"a {kind} stage needs a next",
                "add next: <stage id>, or kind: end if the process ends here",
                ("next",),
            )
        if kind != "end" and self.outcome is not None:
            raise problem("E153", "only end stages have an outcome", None, ("outcome",))
        if kind != "wait" and self.calendar is not None:
            raise problem(
                "E153",
                "only wait stages take a calendar (a task follows its team's hours)",
                None,
                ("calendar",),
            )
        if kind == "decision" and isinstance(self.next, str | Split):
            raise problem(
                "E154", "a decision needs a list of branches with p or when", None, ("next",)
            )
        if kind == "join" and isinstance(self.next, Split):
            raise problem(
                "E154",
                "a join cannot split again directly",
                "add a stage between the join and the split",
                ("next",),
            )
        self._check_branches()
        return self

    def _check_branches(self) -> None:
        nxt = self.next
        if not isinstance(nxt, tuple):
            return
        if not nxt:
            raise problem("E155", "next is an empty list", None, ("next",))
        with_p = [b.p is not None for b in nxt]
        with_when = [b.when is not None or b.otherwise is not None for b in nxt]
        if any(with_p) and any(with_when):
            raise problem(
                "E155",
                "branches mix p and when/otherwise",
                "give every branch p, or every branch when (and one otherwise)",
                ("next",),
            )
        if len(nxt) > 1 and not all(with_p) and not all(with_when):
            i = next(
                i for i, (a, b) in enumerate(zip(with_p, with_when, strict=True)) if not (a or b)
            )
            raise problem(
                "E155",
                f"branch to {nxt[i].to!r} has no p (or when)",
                "with several branches each one needs p: 0.3 (or when: {segment: [...]})",
                ("next", i),
            )
        if all(with_when):
            otherwise = [i for i, b in enumerate(nxt) if b.otherwise]
            if len(otherwise) != 1:
                raise problem(
                    "E155",
                    f"when-branches need exactly one otherwise branch, found {len(otherwise)}",
                    "add {to: <stage>, otherwise: true} as the last branch",
                    ("next",),
                )
            for i, b in enumerate(nxt):
                if b.when is not None and b.otherwise:
                    raise problem("E155", "a branch has both when and otherwise", None, ("next", i))
        if all(with_p) and len(nxt) >= 1:
            total = sum(b.p or 0.0 for b in nxt)
            if abs(total - 1.0) > 1e-9:
                raise problem(
                    "E212",
                    f"branch probabilities sum to {total:.6g}, not 1",
                    "make the p values add up to 1 (fractions like 1/3 are fine)",
                    ("next",),
                )
        seen: set[str] = set()
        for i, b in enumerate(nxt):
            if b.to in seen:
                raise problem(
                    "E156",
                    f"two branches go to {b.to!r}",
                    "merge them into one branch",
                    ("next", i, "to"),
                )
            seen.add(b.to)

    @property
    def team(self) -> str | None:
        """The lane: the owner, or the first team of a needs mapping."""
        if self.owner is not None:
            return self.owner
        if isinstance(self.needs, dict):
            return next(iter(self.needs))
        return None

    @property
    def needs_by_team(self) -> dict[str, int]:
        """People needed per team (empty for stages nobody works)."""
        if self.kind != "task":
            return {}
        if isinstance(self.needs, dict):
            return dict(self.needs)
        return {self.team: self.needs} if self.team else {}

    @property
    def branches(self) -> tuple[Branch, ...]:
        """Outgoing branches (for a split, one per parallel branch, without p)."""
        nxt = self.next
        if nxt is None:
            return ()
        if isinstance(nxt, str):
            return (Branch(to=nxt),)
        if isinstance(nxt, Branch):
            return (nxt,)
        if isinstance(nxt, Split):
            return tuple(Branch(to=t) for t in nxt.all)
        return nxt

    @property
    def is_split(self) -> bool:
        return isinstance(self.next, Split)


class DataFlow(Base):
    from_: Id = Field(alias="from")
    """Stage or team the data leaves."""
    to: Id
    """Stage or team the data reaches."""
    data: LabelList
    system: Label | None = None


# --- SLAs and KPIs --------------------------------------------------------------------------


class Escalation(Base):
    after: DurationField
    """SLA clock time after which the case is escalated."""
    priority: Annotated[int, Field(ge=0, strict=True)] = 0
    """The case's new priority (it only ever rises)."""
    notify: Label | None = None


class SegmentTarget(Base):
    target: DurationField
    goal: ShareField | None = None


SegmentTargetField = Annotated[
    Annotated[DurationField, Tag("@id")] | Annotated[SegmentTarget, Tag("@map")],
    Discriminator(
        lambda v: "@map" if isinstance(v, dict | SegmentTarget) else "@id",
        custom_error_type="E102",
        custom_error_message="expected a target (45min) or {target: 45min, goal: 90%}",
    ),
]

EventsField = Annotated[
    Annotated[EventField, Tag("@id")] | Annotated[tuple[EventField, ...], Tag("@list")],
    Discriminator(lambda v: "@list" if isinstance(v, list | tuple) else "@id"),
]


class Sla(Base):
    name: Label | None = None
    start: EventsField
    """arrival, <stage>.start or <stage>.end (a list: the first of them)."""
    stop: EventsField
    target: DurationField
    goal: ShareField | None = None
    """Share of cases that must meet the target, e.g. 95%."""
    by_segment: dict[Id, SegmentTargetField] | None = None
    calendar: Id | None = None
    """The clock runs in this calendar's open time (default: clock time)."""
    pause: Annotated[
        tuple[Id, ...],
        PlainValidator(lambda v: _ids_list(v), json_schema_input_type=list[str] | str),
        PlainSerializer(list),
    ] = ()
    """Stages during which the clock stops (waiting on the customer)."""
    escalate: tuple[Escalation, ...] = ()

    @property
    def start_events(self) -> tuple[Any, ...]:
        return self.start if isinstance(self.start, tuple) else (self.start,)

    @property
    def stop_events(self) -> tuple[Any, ...]:
        return self.stop if isinstance(self.stop, tuple) else (self.stop,)

    def segment_target(self, segment: str) -> tuple[float, float | None, bool]:
        """(target seconds, goal, whether the goal is the segment's own) for a segment."""
        entry = (self.by_segment or {}).get(segment)
        if entry is None:
            return self.target.seconds, self.goal, False
        if isinstance(entry, SegmentTarget):
            own = entry.goal is not None
            return entry.target.seconds, entry.goal if own else self.goal, own
        return entry.seconds, self.goal, False


class Kpi(Base):
    id: NewId
    name: Label | None = None
    description: str | None = None
    metric: Metric | None = None
    stage: Id | None = None
    team: Id | None = None
    segment: Id | None = None
    sla: Id | None = None
    stat: Stat | None = None
    target: TargetField | None = None
    """{at_most: 2d}, {at_least: 95%} or "<= 2d"."""
    source: Literal["external", "simulation"] | None = None
    """external: shown on maps, not simulated (satisfaction, NPS)."""

    _target_value: float | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _metric_rules(self, info: ValidationInfo) -> Kpi:
        if self.source == "external":
            self._target_value = _target_number(self, lambda v: _plain_number(v))
            return self
        if self.metric is None:
            raise problem(
                "E101",
                "a KPI needs a metric (or source: external)",
                f"metrics: {', '.join(METRIC_SUBJECTS)}",
                ("metric",),
            )
        required, optional = METRIC_SUBJECTS[self.metric]
        for key in SUBJECT_KEYS:
            given = getattr(self, key) is not None
            if key in required and not given:
                raise problem(
                    "E160", f"a {self.metric} KPI needs {key}", f"add {key}: <id>", (key,)
                )
            if given and key not in required and key not in optional:
                allowed = ", ".join(sorted(required | optional)) or "no subject"
                raise problem(
                    "E160",
                    f"a {self.metric} KPI takes no {key}",
                    f"{self.metric} takes {allowed}",
                    (key,),
                )
        if self.stat is not None:
            if self.metric in TIME_METRICS:
                pass
            elif self.metric == "queue_length":
                if self.stat not in ("mean", "max"):
                    raise problem(
                        "E161",
                        f"queue_length takes stat mean or max, not {self.stat}",
                        None,
                        ("stat",),
                    )
            else:
                raise problem("E161", f"{self.metric} takes no stat", "remove stat", ("stat",))
        unit = info.context.get("time_unit") if isinstance(info.context, dict) else None
        self._target_value = _target_number(self, lambda v: _metric_value(self.metric, v, unit))
        return self

    @property
    def target_value(self) -> float | None:
        """The target in SI units: seconds, a share (0–1), a count, per hour or currency."""
        return self._target_value


def _plain_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"an external KPI's target is a plain number, got {value!r}")
    return float(value)


def _metric_value(metric: str | None, value: object, unit: str | None) -> float:
    if metric in TIME_METRICS:
        return parse_duration(value, unit).seconds
    if metric in SHARE_METRICS:
        return parse_share(value)
    if metric == "throughput":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return parse_rate(value, unit).per_second * 3600.0
    return _plain_number(value)


def _target_number(kpi: Kpi, convert: Any) -> float | None:
    if kpi.target is None:
        return None
    try:
        return float(convert(kpi.target.value))
    except ValueError as exc:
        code = getattr(exc, "code", "E162")
        raise problem(
            code, f"target {kpi.target.text!r}: {exc}", getattr(exc, "hint", None), ("target",)
        ) from None


# --- simulation and scenarios ---------------------------------------------------------------


def _v_backlog(value: object) -> dict[str, int]:
    from procmap.model.fields import _id

    if not isinstance(value, dict):
        raise problem("E102", "backlog is a mapping {stage: count}")
    out = {}
    for key, count in value.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise problem(
                "E106", f"backlog count must be a whole number ≥ 0, got {count!r}", None, (key,)
            )
        out[_id(key)] = count
    return out


class Simulation(Base):
    start: DateTimeField = Field(default_factory=lambda: _default_start())
    """When the replication starts (naive local time); default 2026-01-05T00:00, a Monday."""
    horizon: DurationField | None = None
    """Length of a replication, counted from start, warm-up included (default 30d)."""
    cases: Count | None = None
    """Stop arrivals after this many cases and run until they finish."""
    warmup: DurationField | None = None
    """Cases arriving before this are simulated but not counted."""
    replications: Count = 10
    seed: Annotated[int, Field(ge=0, strict=True)] = 1
    backlog: Annotated[
        dict[str, int], PlainValidator(_v_backlog, json_schema_input_type=dict[str, int])
    ] = Field(default_factory=dict)
    """Cases already waiting at go-live: {stage: count}."""

    @model_validator(mode="after")
    def _window(self) -> Simulation:
        if (
            self.warmup is not None
            and self.horizon is not None
            and self.warmup.seconds >= self.horizon.seconds
        ):
            raise problem(
                "E170",
                f"warmup ({self.warmup.text}) must be shorter than horizon ({self.horizon.text})",
                None,
                ("warmup",),
            )
        if self.horizon is not None and self.horizon.seconds <= 0:
            raise problem("E170", "horizon must be longer than 0", None, ("horizon",))
        return self

    @property
    def horizon_s(self) -> float | None:
        if self.horizon is not None:
            return self.horizon.seconds
        return None if self.cases is not None else DEFAULT_HORIZON_S

    @property
    def warmup_s(self) -> float:
        return self.warmup.seconds if self.warmup is not None else 0.0


DEFAULT_HORIZON_S = 30 * 86400.0


def _default_start() -> Any:
    from datetime import datetime

    return datetime(2026, 1, 5)


class ScenarioSpec(Base):
    """A partial document merged over the base (see procmap.model.scenarios)."""

    description: str | None = None
    extends: Id | None = None
    process: Any = None
    sipoc: Any = None
    calendars: Any = None
    teams: Any = None
    segments: Any = None
    arrivals: Any = None
    stages: Any = None
    data_flows: Any = None
    slas: Any = None
    kpis: Any = None
    simulation: Any = None


def _v_version(value: object) -> int:
    if value != 1 or isinstance(value, bool):
        raise problem(
            "E107",
            f"procmap: {value!r} is not a format version this procmap reads",
            "write procmap: 1",
        )
    return 1


ArrivalsField = Annotated[
    Annotated[ArrivalSource, Tag("@map")] | Annotated[tuple[ArrivalSource, ...], Tag("@list")],
    Discriminator(
        lambda v: "@list" if isinstance(v, list | tuple) else "@map",
        custom_error_type="E102",
        custom_error_message="arrivals is a mapping or a list of mappings",
    ),
]


class Document(Base):
    """A procmap process file (format version 1)."""

    procmap: Annotated[int, PlainValidator(_v_version, json_schema_input_type=Literal[1])]
    """Format version: 1."""
    process: Process
    sipoc: Sipoc = Field(default_factory=Sipoc)
    calendars: dict[NewId, CalendarSpec] = Field(default_factory=dict)
    teams: dict[NewId, Team]
    segments: dict[NewId, Segment] | None = None
    arrivals: ArrivalsField | None = None
    stages: Annotated[dict[NewId, Stage], Field(min_length=1)]
    data_flows: tuple[DataFlow, ...] = ()
    slas: dict[NewId, Sla] = Field(default_factory=dict)
    kpis: tuple[Kpi, ...] = ()
    simulation: Simulation = Field(default_factory=Simulation)
    scenarios: dict[NewId, ScenarioSpec] = Field(default_factory=dict)

    @property
    def sources(self) -> tuple[ArrivalSource, ...]:
        if self.arrivals is None:
            return ()
        return self.arrivals if isinstance(self.arrivals, tuple) else (self.arrivals,)

    @property
    def entry(self) -> str:
        return self.process.entry or next(iter(self.stages))

    @property
    def segment_ids(self) -> tuple[str, ...]:
        return tuple(self.segments) if self.segments else ("default",)

    def segment_shares(self, source: ArrivalSource | None = None) -> dict[str, float]:
        if source is not None and source.segments:
            return {s: source.segments.get(s, 0.0) for s in self.segment_ids}
        if not self.segments:
            return {"default": 1.0}
        return {k: v.share for k, v in self.segments.items()}

    def to_data(self) -> dict[str, Any]:
        """The document as plain YAML-ready data (what a user would write)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
