"""The RESULT JSON of SPEC §6: per-replication figures summarised, plus what needs the model.

:mod:`procmap.sim.figures` computes each replication's values and their figures; this module
adds what comes from the model and the run (targets, goals and their verdicts, KPI targets,
the analytic check beside the simulated figures, bottlenecks, hourly series, pooled histograms)
and assembles the document, or the ``--compare`` document of several scenarios.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from procmap.sim.figures import (
    Layout,
    Tree,
    compare_records,
    figure,
    layout,
    merge_figures,
    merged,
    plain,
    replication_tree,
)
from procmap.sim.stats import BIN_EDGES

if TYPE_CHECKING:
    from procmap.model.analytic import Analysis
    from procmap.model.model import Model
    from procmap.sim.record import ReplicationRecord

__all__ = [
    "BOTTLENECK_UTILIZATION",
    "BOTTLENECK_WAIT_SHARE",
    "MAX_BOTTLENECKS",
    "aggregate",
    "comparison_document",
]

BOTTLENECK_WAIT_SHARE = 0.10
BOTTLENECK_UTILIZATION = 0.85
MAX_BOTTLENECKS = 5
_STAT_METRICS = frozenset({"cycle_time", "wait", "service", "sojourn", "queue_length"})


def _mean(fig: Mapping[str, Any] | None) -> float | None:
    return None if fig is None else fig.get("mean")


def _meets(value: float | None, op: str, target: float | None) -> bool | None:
    """``value`` against a target; the 1e-9 (relative) slack absorbs rounding in the means, so
    an attainment of exactly 95 % meets a 95 % goal however the average was summed."""
    if value is None or target is None:
        return None
    slack = 1e-9 * max(1.0, abs(target))
    if op == "at_most":
        return value <= target + slack
    if op == "at_least":
        return value >= target - slack
    return abs(value - target) <= slack


def _met_goal(attainment: Mapping[str, Any], goal: float | None) -> bool | None:
    return _meets(_mean(attainment), "at_least", goal)


def _config(model: Model, n_records: int, config: Mapping[str, Any] | None) -> Tree:
    sim = model.document.simulation
    start = sim.start
    fmt = "%Y-%m-%dT%H:%M:%S" if start.second else "%Y-%m-%dT%H:%M"
    out: Tree = {
        "start": start.strftime(fmt),
        "horizon_s": sim.horizon_s,
        "cases": sim.cases,
        "warmup_s": sim.warmup_s,
        "replications": n_records,
        "seed": sim.seed,
    }
    for key, value in (config or {}).items():
        if key not in out:
            raise ValueError(f"unknown config key {key!r} (must be one of {sorted(out)})")
        out[key] = value.strftime(fmt) if hasattr(value, "strftime") else value
    return out


def _slas(model: Model, figs: Tree, lay: Layout) -> Tree:
    out: Tree = {}
    for sid, sla in model.document.slas.items():
        f = figs[sid]
        entry: Tree = {
            "target_s": sla.target.seconds,
            "calendar": sla.calendar,
            "goal": sla.goal,
            "attainment": f["attainment"],
        }
        entry.update({k: f[k] for k in ("met", "breached", "open", "not_applicable")})
        entry["met_goal"] = _met_goal(f["attainment"], sla.goal)
        entry["escalations"] = f["escalations"]
        shares = f["breach_attribution"]
        entry["breach_attribution"] = dict(
            sorted(shares.items(), key=lambda kv: -(kv[1]["mean"] or 0.0))
        )
        if lay.by_segment:
            segs: Tree = {}
            for seg in lay.segments:
                target_s, goal, own = sla.segment_target(seg)
                sf = f["by_segment"][seg]
                segs[seg] = {
                    "target_s": target_s,
                    "goal": goal,
                    "own_goal": own,
                    **sf,
                    "met_goal": _met_goal(sf["attainment"], goal),
                }
            entry["by_segment"] = segs
        out[sid] = entry
    return out


def _kpis(model: Model, figs: Tree) -> Tree:
    out: Tree = {}
    for kpi in model.document.kpis:
        target = kpi.target.text if kpi.target is not None else None
        if kpi.source == "external":
            out[kpi.id] = {
                "metric": None,
                "stat": None,
                "value": None,
                "ci95": None,
                "n": 0,
                "target": target,
                "met": None,
            }
            continue
        f = figs[kpi.id]["value"]
        op = kpi.target.op if kpi.target is not None else ""
        out[kpi.id] = {
            "metric": kpi.metric,
            "stat": kpi.stat or ("mean" if kpi.metric in _STAT_METRICS else None),
            "value": f["mean"],
            "ci95": f["ci95"],
            "n": f["n"],
            "target": target,
            "met": _meets(f["mean"], op, kpi.target_value),
        }
    return out


def _bottlenecks(model: Model, stages: Tree, teams: Tree) -> list[Tree]:
    """SPEC §5.10: on-duty wait share ≥ 10 % or team utilisation ≥ 85 %, worst first, ≤ 5."""
    found: list[Tree] = []
    for sid, fig in stages.items():
        stage = model.document.stages[sid]
        if stage.kind != "task":
            continue
        share = _mean(fig["on_duty_wait_share"])
        team, util = stage.team, None
        for tid in stage.needs_by_team or ([stage.team] if stage.team else []):
            u = _mean(teams.get(tid, {}).get("utilization"))
            if u is not None and (util is None or u > util):
                team, util = tid, u
        if not (
            (share is not None and share >= BOTTLENECK_WAIT_SHARE - 1e-12)
            or (util is not None and util >= BOTTLENECK_UTILIZATION - 1e-12)
        ):
            continue
        reasons = []
        if util is not None:
            reasons.append(f"{team} is busy {util:.0%} of its on-duty time")
        if share is not None:
            reasons.append(f"cases wait at {sid} for {share:.0%} of their cycle time")
        found.append(
            {
                "stage": sid,
                "team": team,
                "utilization": util,
                "on_duty_wait_share": share,
                "reason": "; ".join(reasons),
            }
        )
    found.sort(key=lambda b: (-(b["on_duty_wait_share"] or 0.0), -(b["utilization"] or 0.0)))
    return found[:MAX_BOTTLENECKS]


def _series(records: Sequence[ReplicationRecord], lay: Layout) -> Tree:
    out: Tree = {}
    for tid in lay.teams:
        arrays = [np.asarray(r.teams[tid].series, dtype=float) for r in records if tid in r.teams]
        length = max((a.size for a in arrays), default=0)
        means: list[float | None] = []
        halves: list[float | None] = []
        for i in range(length):
            xs = [float(a[i]) for a in arrays if a.size > i and math.isfinite(a[i])]
            means.append(math.fsum(xs) / len(xs) if xs else None)
            halves.append(figure(xs)["ci95"] if xs else None)
        # the per-hour 95 % half-width across replications draws the report's band
        out[tid] = {"bin_s": 3600, "queue_length": means, "queue_length_ci95": halves}
    return out


def _histograms(records: Sequence[ReplicationRecord], lay: Layout) -> Tree:
    """Pooled cycle-time counts, trimmed to the occupied bins.

    ``counts[i]`` counts values in ``[edges[i], edges[i+1])``; the first bin may be the exact
    zero bin ``[0, 0]``.  The last upper edge of the overflow bin is the largest value seen.
    """
    by_seg = {
        seg: merged(r.cycle_time[seg] for r in records if seg in r.cycle_time)
        for seg in lay.segments
    }
    pooled = merged(by_seg.values())
    nonzero = np.flatnonzero(pooled.counts)
    out: Tree = {"edges": [], "counts": []}
    if nonzero.size:
        lo, hi = int(nonzero[0]), int(nonzero[-1])
        uppers = np.append(BIN_EDGES[1:], max(pooled.maximum, BIN_EDGES[-1]))
        out["edges"] = [float(BIN_EDGES[lo]), *map(float, uppers[lo : hi + 1])]
        out["counts"] = [int(c) for c in pooled.counts[lo : hi + 1]]
        if lay.by_segment:
            out["by_segment"] = {
                seg: {"counts": [int(c) for c in h.counts[lo : hi + 1]]}
                for seg, h in by_seg.items()
            }
    elif lay.by_segment:
        out["by_segment"] = {seg: {"counts": []} for seg in lay.segments}
    return out


def aggregate(
    records: Sequence[ReplicationRecord],
    model: Model,
    *,
    scenario: str | None = None,
    config: Mapping[str, Any] | None = None,
    analysis: Analysis | None = None,
) -> dict[str, Any]:
    """The RESULT JSON of SPEC §6 from one scenario's replication records.

    Parameters
    ----------
    records:
        One :class:`~procmap.sim.record.ReplicationRecord` per replication.
    model:
        The model the records were simulated from (the scenario's model).
    scenario:
        Name written into the result; default ``model.scenario``.
    config:
        The run settings actually used (``start``, ``horizon_s``, ``cases``, ``warmup_s``,
        ``replications``, ``seed``), overriding those read from ``model.document.simulation``;
        ``replications`` defaults to ``len(records)``.
    analysis:
        The analytic check of ``model`` if already computed (else it is computed here).

    Raises
    ------
    ValueError
        No records, or an unknown ``config`` key.
    """
    import procmap
    from procmap.model.analytic import analyze_document

    if not records:
        raise ValueError("aggregate needs at least one replication record")
    records = sorted(records, key=lambda r: r.replication)
    lay = layout(model, records)
    figs = merge_figures([replication_tree(r, model, lay) for r in records])
    if analysis is None:
        analysis = analyze_document(model.document, model.graph, model.calendars)

    teams: Tree = {}
    for tid in lay.teams:
        f = figs["teams"][tid]
        a = analysis.teams.get(tid)
        teams[tid] = {
            "utilization": f["utilization"],
            "queue_length": f["queue_length"],
            "analytic": {
                "offered_load": a.offered_load if a else None,
                "staff_on_duty": a.staff_on_duty if a else None,
                "utilization": a.utilization if a else None,
                "wait_s": a.wait_s if a else None,
            },
            "cost": f["cost"],
        }
    result: Tree = {
        "procmap": 1,
        "procmap_version": procmap.__version__,
        "model": model.id,
        "model_sha256": model.sha256,
        "scenario": scenario or model.scenario,
        "config": _config(model, len(records), config),
        "cases": figs["cases"],
        "stages": figs["stages"],
        "edges": figs["edges"],
        "joins": figs["joins"],
        "teams": teams,
        "slas": _slas(model, figs["slas"], lay),
        "kpis": _kpis(model, figs["kpis"]),
        "bottlenecks": _bottlenecks(model, figs["stages"], figs["teams"]),
        "series": {"teams": _series(records, lay)},
        "histograms": {"cycle_time_s": _histograms(records, lay)},
    }
    return plain(result)


def comparison_document(
    runs: Mapping[str, tuple[Model, Sequence[ReplicationRecord]]],
    *,
    baseline: str = "baseline",
    config: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``--compare`` JSON: every scenario's RESULT and each one's comparison with baseline.

    ``runs`` maps scenario names (``baseline`` included) to ``(model, records)``.

    Raises
    ------
    ValueError
        ``baseline`` is not one of ``runs``.
    """
    if baseline not in runs:
        raise ValueError(f"no run named {baseline!r} to compare with (runs: {sorted(runs)})")
    base_model, base_records = runs[baseline]
    return {
        "procmap": 1,
        "model": base_model.id,
        "scenarios": {
            name: aggregate(recs, m, scenario=name, config=config)
            for name, (m, recs) in runs.items()
        },
        "comparison": {
            name: compare_records(base_records, recs, base_model, m)
            for name, (m, recs) in runs.items()
            if name != baseline
        },
    }
