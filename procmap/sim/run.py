"""Replications: seeds, batches, executors and progress (SPEC §5.7–§5.8, §9).

Replication ``r`` of seed ``s`` always draws the same numbers (streams are keyed by name and
replication), so results are bit-identical whether replications run in this process, in a
process pool, or on any ``concurrent.futures.Executor`` handed in (a dask client's executor,
say).  Workers receive the model's text and rebuild the plan once per process; records come back
and are put in replication order before anything is computed from them.
"""

from __future__ import annotations

import csv
import functools
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from procmap.errors import SimulationError
from procmap.model.model import Model
from procmap.sim.compile import Plan, compile_model
from procmap.sim.engine import run_replication
from procmap.sim.record import ReplicationRecord

__all__ = ["RunConfig", "resolve_config", "run_records"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunConfig:
    """What one simulation runs: the YAML's ``simulation`` section with overrides applied."""

    replications: int
    seed: int
    horizon_s: float | None
    cases: int | None
    warmup_s: float

    def to_dict(self, model: Model) -> dict[str, Any]:
        start = model.document.simulation.start
        return {
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "horizon_s": self.horizon_s,
            "cases": self.cases,
            "warmup_s": self.warmup_s,
            "replications": self.replications,
            "seed": self.seed,
        }


def resolve_config(
    model: Model,
    *,
    replications: int | None = None,
    seed: int | None = None,
    horizon: float | None = None,
    cases: int | None = None,
    warmup: float | None = None,
) -> RunConfig:
    """Merge overrides over the YAML (``horizon`` and ``cases`` each replace both YAML keys)."""
    sim = model.document.simulation
    if horizon is not None and cases is not None:
        h, c = horizon, cases
    elif horizon is not None:
        h, c = horizon, None
    elif cases is not None:
        h, c = None, cases
    else:
        h, c = sim.horizon_s, sim.cases
    w = warmup if warmup is not None else sim.warmup_s
    if h is not None and w >= h:
        from procmap.model.units import format_duration

        raise SimulationError(
            f"the warm-up ({format_duration(w)}) must be shorter than the horizon ({format_duration(h)})"
        )
    reps = replications if replications is not None else sim.replications
    if reps < 1:
        raise SimulationError("replications must be at least 1")
    return RunConfig(reps, seed if seed is not None else sim.seed, h, c, w)


def _plan(model: Model, config: RunConfig) -> Plan:
    return compile_model(
        model,
        horizon=config.horizon_s,
        cases=config.cases,
        warmup=config.warmup_s,
        use_config=False,
    )


@functools.lru_cache(maxsize=8)
def _worker_plan(text: str, filename: str, scenario: str, config: RunConfig) -> Plan:
    from procmap.model.loader import loads

    model = loads(text, filename).with_scenario(scenario)
    return _plan(model, config)


def _run_batch(
    text: str, filename: str, scenario: str, config: RunConfig, reps: tuple[int, ...]
) -> list[ReplicationRecord]:
    """A batch of replications in a worker process (module level: executors pickle it by name)."""
    plan = _worker_plan(text, filename, scenario, config)
    return [run_replication(plan, r, config.seed) for r in reps]


def _batches(n: int, jobs: int, first: int = 0) -> list[tuple[int, ...]]:
    """Replication indices in batches: a few per worker, so progress moves and load balances."""
    size = max(1, n // (jobs * 4)) if jobs > 1 else n
    end = first + n
    return [tuple(range(i, min(i + size, end))) for i in range(first, end, size)]


def run_records(
    model: Model,
    config: RunConfig,
    *,
    jobs: int | None = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
    trace: str | os.PathLike[str] | None = None,
    first: int = 0,
) -> list[ReplicationRecord]:
    """Run every replication of ``config`` and return their records in replication order.

    ``first`` shifts the replication numbers (``first`` … ``first + replications − 1``): a caller
    adding replications to an earlier run gets exactly the records a longer run would have.
    """
    n = config.replications
    if trace is not None:
        return _run_traced(model, config, Path(trace), progress)
    if executor is None and (jobs is None or jobs > 1):
        workers = jobs or os.cpu_count() or 1
        if workers > 1 and n > 1:
            with ProcessPoolExecutor(max_workers=min(workers, n)) as pool:
                return _run_on(pool, model, config, workers, progress, first)
    if executor is not None:
        return _run_on(executor, model, config, jobs or 2, progress, first)
    plan = _plan(model, config)
    records = []
    for i, r in enumerate(range(first, first + n)):
        records.append(run_replication(plan, r, config.seed))
        if progress is not None:
            progress(i + 1, n)
    return records


def _run_on(
    pool: Executor,
    model: Model,
    config: RunConfig,
    workers: int,
    progress: Progress | None,
    first: int = 0,
) -> list[ReplicationRecord]:
    src = model.source
    futures = [
        pool.submit(_run_batch, src.text, src.filename, model.scenario, config, batch)
        for batch in _batches(config.replications, workers, first)
    ]
    records: list[ReplicationRecord] = []
    for fut in as_completed(futures):
        records.extend(fut.result())
        if progress is not None:
            progress(len(records), config.replications)
    records.sort(key=lambda r: r.replication)
    return records


TRACE_COLUMNS = ("replication", "case", "segment", "stage", "team", "event", "timestamp")


def _run_traced(
    model: Model, config: RunConfig, path: Path, progress: Progress | None
) -> list[ReplicationRecord]:
    """Run in this process, writing an event log (one row per event, process-mining style)."""
    plan = _plan(model, config)
    start = model.document.simulation.start
    tmp = path.with_name(f".{path.name}.tmp")
    records = []
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(TRACE_COLUMNS)
        for r in range(config.replications):

            def row(
                case: int, segment: str, stage: str, team: str, event: str, t: float, r: int = r
            ) -> None:
                stamp = (start + timedelta(seconds=t)).isoformat(timespec="seconds")
                writer.writerow((r, f"{r}-{case}", segment, stage, team, event, stamp))

            records.append(run_replication(plan, r, config.seed, trace=row))
            if progress is not None:
                progress(r + 1, config.replications)
    os.replace(tmp, path)
    return records


def records_for(
    models: Iterable[Model], config: RunConfig, **kwargs: Any
) -> dict[str, list[ReplicationRecord]]:
    """Records of several scenarios under the same seeds (common random numbers)."""
    return {m.scenario: run_records(m, config, **kwargs) for m in models}
