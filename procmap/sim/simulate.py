"""``procmap.simulate``: the analytic check, then replications, then one ``SimulationResult``.

A model whose analytic utilisation reaches 100 % for some team (W301) cannot reach a steady state:
its queue grows without bound and every figure would depend on the horizon.  ``simulate``
refuses it with E301 unless ``force=True`` — the same rule as ``procmap simulate --force``.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from typing import Any

from procmap.errors import Finding, ModelError
from procmap.model.analytic import analyze_document
from procmap.model.model import Model
from procmap.model.units import ValueProblem, parse_duration
from procmap.sim.result import SimulationResult, aggregate
from procmap.sim.run import Progress, RunConfig, resolve_config, run_records

__all__ = ["CapacityError", "capacity_findings", "simulate"]


class CapacityError(ModelError):
    """The model overloads a team (W301): simulation refused without ``force``."""


def _seconds(value: float | str | None, what: str) -> float | None:
    if value is None or isinstance(value, int | float):
        return None if value is None else float(value)
    try:
        return parse_duration(value, "h").seconds
    except ValueProblem as exc:
        raise ValueError(f"{what}: {exc}") from None


def capacity_findings(model: Model) -> list[Finding]:
    """E301 findings for every team loaded to 100 % or more (the W301s, as refusals)."""
    return [
        Finding(
            "error",
            "E301",
            f.message + " — simulation refused",
            "fix the capacity, or pass --force (force=True) to simulate anyway",
            f.file,
            f.line,
            f.col,
            f.path,
            f.scenario,
        )
        for f in model.findings
        if f.code == "W301"
    ]


def simulate(
    model: Model,
    *,
    scenario: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    horizon: float | str | None = None,
    cases: int | None = None,
    warmup: float | str | None = None,
    progress: Progress | None = None,
    trace: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> SimulationResult:
    """Simulate a model (SPEC §5) and return its :class:`SimulationResult`.

    Parameters
    ----------
    model:
        A loaded model (``procmap.load``).
    scenario:
        Apply this scenario first (default: the baseline).
    replications, seed:
        Override ``simulation.replications`` / ``simulation.seed``.
    jobs:
        Worker processes (default: the number of cores); 1 runs in this process.
    executor:
        Any ``concurrent.futures.Executor`` (e.g. a dask ``client.get_executor()``); batches of
        replications are sent to it and it is never shut down by procmap.
    horizon, cases, warmup:
        Override the YAML: seconds or a duration text such as ``"30d"``; ``horizon`` and
        ``cases`` each replace both YAML keys.
    progress:
        Called as ``progress(done, total)`` when replications finish.
    trace:
        Write an event log (CSV: replication, case, segment, stage, team, event, timestamp);
        runs in this process.
    force:
        Simulate even when a team is loaded to 100 % or more.

    Raises
    ------
    CapacityError
        A team is overloaded (W301) and ``force`` is false.
    ModelError
        ``scenario`` is not defined.
    SimulationError
        The run could not finish (a cases-mode run that never drains).
    """
    m = model.with_scenario(scenario)
    if not force:
        refused = capacity_findings(m)
        if refused:
            raise CapacityError(refused)
    config = resolve_config(
        m,
        replications=replications,
        seed=seed,
        horizon=_seconds(horizon, "horizon"),
        cases=cases,
        warmup=_seconds(warmup, "warmup"),
    )
    records = run_records(m, config, jobs=jobs, executor=executor, progress=progress, trace=trace)
    return result_of(m, config, records)


def result_of(model: Model, config: RunConfig, records: list[Any]) -> SimulationResult:
    analysis = analyze_document(model.document, model.graph, model.calendars)
    data = aggregate(
        records, model, scenario=model.scenario, config=config.to_dict(model), analysis=analysis
    )
    return SimulationResult(data, model)
