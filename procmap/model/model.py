"""``Model``: a validated document, its control-flow graph and its compiled calendars.

``model.graph`` is a ``networkx.DiGraph`` of the control flow only: stage ids as nodes with their
attributes, edges carrying ``p``/``when``/``handoff``/``data``.  Data flows live apart in
``model.data_graph`` so that reachability, cycles and visit counts never see them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import networkx as nx

from procmap.errors import Finding
from procmap.model.calendar import Calendar
from procmap.model.schema import Document, Stage

if TYPE_CHECKING:
    from procmap.model.yaml_io import Locator

__all__ = ["Model", "Source", "build_calendars", "build_graph"]


@dataclass(frozen=True)
class Source:
    """Where a model came from: the file, its text and the loaded plain data with node marks."""

    filename: str
    text: str
    data: dict[str, Any]
    locator: Locator

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def build_graph(doc: Document) -> nx.DiGraph:
    """The control-flow graph of a (reference-checked) document."""
    graph = nx.DiGraph(process=doc.process.id, entry=doc.entry)
    for sid, stage in doc.stages.items():
        graph.add_node(
            sid,
            kind=stage.kind,
            name=stage.name or sid,
            team=stage.team,
            owner=stage.owner,
            duration=stage.duration,
            duration_by_segment=stage.duration_by_segment,
            needs=stage.needs_by_team,
            inputs=stage.inputs,
            outputs=stage.outputs,
            system=stage.system,
            outcome=stage.outcome,
            split=stage.is_split,
            stage=stage,
        )
    for sid, stage in doc.stages.items():
        for index, branch in enumerate(stage.branches):
            when: tuple[str, ...] | str | None = None
            if branch.when is not None:
                when = branch.when.segment
            elif branch.otherwise:
                when = "otherwise"
            graph.add_edge(
                sid,
                branch.to,
                index=index,
                p=branch.p if branch.p is not None else (None if stage.is_split or when else 1.0),
                when=when,
                split=stage.is_split,
                handoff=branch.handoff,
                calendar=branch.calendar,
                data=branch.data,
                channel=branch.channel,
            )
    return graph


def build_data_graph(doc: Document) -> nx.MultiDiGraph:
    """Data flows between stages or teams, kept apart from the control flow."""
    graph = nx.MultiDiGraph()
    for flow in doc.data_flows:
        graph.add_edge(flow.from_, flow.to, data=flow.data, system=flow.system)
    return graph


def build_calendars(doc: Document, origin: datetime | None = None) -> dict[str, Calendar]:
    """Every calendar of the document (plus ``always``), with ``extends`` resolved."""
    origin = origin or doc.simulation.start
    out: dict[str, Calendar] = {"always": Calendar.always(origin)}

    def resolve(cid: str, seen: tuple[str, ...] = ()) -> tuple[Any, set[Any], set[Any]]:
        spec = doc.calendars[cid]
        holidays = {d for a, b in spec.holidays for d in _days(a, b)}
        workdays = {d for a, b in spec.workdays for d in _days(a, b)}
        weekly = spec.weekly.hours if spec.weekly is not None else None
        if spec.extends and spec.extends in doc.calendars and spec.extends not in seen:
            p_weekly, p_holidays, p_workdays = resolve(spec.extends, (*seen, cid))
            holidays |= p_holidays
            workdays |= p_workdays
            if weekly is None:
                weekly = p_weekly
        return weekly or {}, holidays, workdays

    for cid in doc.calendars:
        weekly, holidays, workdays = resolve(cid)
        out[cid] = Calendar(
            weekly, holidays=sorted(holidays), workdays=sorted(workdays), origin=origin, name=cid
        )
    return out


def _days(a: Any, b: Any) -> Iterator[Any]:
    from datetime import timedelta

    day = a
    while day <= b:
        yield day
        day += timedelta(days=1)


@dataclass(frozen=True, eq=False)
class Model:
    """A loaded process model (one scenario of it).

    Attributes
    ----------
    document:
        The validated :class:`~procmap.model.schema.Document` (immutable).
    graph:
        The control flow as a ``networkx.DiGraph``.
    data_graph:
        Data flows (``from`` → ``to``, stages or teams) as a ``networkx.MultiDiGraph``.
    calendars:
        Compiled calendars by id (``always`` included), on a time axis of seconds from
        ``simulation.start``.
    findings:
        Warnings found while loading (errors raise instead).
    scenario:
        ``"baseline"`` or the scenario this model applies.
    """

    document: Document
    graph: nx.DiGraph
    data_graph: nx.MultiDiGraph
    calendars: dict[str, Calendar]
    source: Source
    findings: tuple[Finding, ...] = ()
    scenario: str = "baseline"
    _scenario_models: dict[str, Model] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.document.process.id

    @property
    def name(self) -> str:
        return self.document.process.name or self.document.process.id

    @property
    def stages(self) -> dict[str, Stage]:
        return self.document.stages

    @property
    def entry(self) -> str:
        return self.document.entry

    @property
    def scenarios(self) -> tuple[str, ...]:
        """Names of the scenarios defined in the file."""
        return tuple(self.document.scenarios)

    @property
    def sha256(self) -> str:
        return self.source.sha256

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)

    def with_scenario(self, name: str | None) -> Model:
        """The model with scenario ``name`` applied (``None`` or ``"baseline"``: this model)."""
        if name in (None, "baseline", self.scenario):
            return self
        if name in self._scenario_models:
            return self._scenario_models[name]
        from procmap.model.loader import build_scenario

        model = build_scenario(self, name)
        self._scenario_models[name] = model
        return model

    def to_dict(self) -> dict[str, Any]:
        """The document as plain data that loads back into an equal model."""
        return self.document.to_data()

    def _repr_html_(self) -> str:
        """Notebook display: the swimlane flowchart, inline (Mermaid source without Graphviz)."""
        from procmap.render.html import model_html

        return model_html(self)

    def __repr__(self) -> str:
        return (
            f"<procmap.Model {self.id!r} scenario={self.scenario!r} "
            f"stages={len(self.stages)} teams={len(self.document.teams)}>"
        )
