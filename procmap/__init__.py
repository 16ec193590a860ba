"""procmap: model business processes and their service levels.

Write a process down as YAML (its SIPOC, teams, stages, SLAs and KPIs), then validate, analyse,
draw and simulate it::

    import procmap
    model = procmap.load("examples/service_desk.yaml")
    procmap.analyze(model)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from procmap.errors import (
    FileError,
    Finding,
    GraphvizNotFound,
    ModelError,
    ProcmapError,
    RenderError,
    SimulationError,
)
from procmap.model.analytic import Analysis
from procmap.model.loader import load, loads
from procmap.model.model import Model
from procmap.render import render, to_dot
from procmap.sim.advise import Advice, AdviceError, advise
from procmap.sim.compare import Comparison, compare
from procmap.sim.result import SimulationResult
from procmap.sim.sensitivity import Sweep, SweepError, sensitivity
from procmap.sim.simulate import CapacityError, simulate
from procmap.sim.table import Table

try:
    __version__ = version("procmap")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"


def analyze(model: Model, scenario: str | None = None) -> Analysis:
    """The analytic check of SPEC §4: visits, offered load, utilisation, Erlang C, value stream.

    Raises
    ------
    ModelError
        ``scenario`` is not defined in the model.
    """
    from procmap.model.analytic import analyze_document

    m = model.with_scenario(scenario)
    return analyze_document(m.document, m.graph, m.calendars)


__all__ = [
    "Advice",
    "AdviceError",
    "Analysis",
    "CapacityError",
    "Comparison",
    "FileError",
    "Finding",
    "GraphvizNotFound",
    "Model",
    "ModelError",
    "ProcmapError",
    "RenderError",
    "SimulationError",
    "SimulationResult",
    "Sweep",
    "SweepError",
    "Table",
    "__version__",
    "advise",
    "analyze",
    "compare",
    "load",
    "loads",
    "render",
    "sensitivity",
    "simulate",
    "to_dot",
]
