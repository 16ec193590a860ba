"""From replication records to figures: the statistics of SPEC §5.8–§5.12, and paired comparison.

Every figure is computed **per replication first** (a percentile from that replication's
histogram, an attainment from that replication's counts, a utilisation from its busy and
available time) and only then summarised across replications as a *figure*
``{"mean", "ci95", "n"}``: the mean, the Student-t 95 % half-width and the number of
replications that had an observation.  Ratios are therefore averaged, never pooled — a
replication with 10 cases weighs as much as one with 1,000, which is what makes the half-width
an honest statement about replication-to-replication variation.

The per-replication step builds a nested dict that mirrors the RESULT JSON with plain numbers
(or ``None``) at its leaves; :func:`replication_values` flattens it to ``path → value``, which is
also what the paired scenario comparison (:func:`compare_records`) works on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from procmap.sim.record import SlaRecord, StageRecord
from procmap.sim.stats import Histogram

if TYPE_CHECKING:
    from procmap.model.model import Model
    from procmap.model.schema import Kpi
    from procmap.sim.record import ReplicationRecord

__all__ = [
    "COMPARISON_PATHS",
    "STATS",
    "Layout",
    "Tree",
    "compare_records",
    "figure",
    "layout",
    "merge_figures",
    "merged",
    "plain",
    "replication_tree",
    "replication_values",
    "t95",
]

STATS = ("mean", "p50", "p90", "p95", "max")
_QUANTILE = {"p50": 0.5, "p90": 0.9, "p95": 0.95}
COMPARISON_PATHS = (
    "slas.*.attainment",
    "slas.*.by_segment.*.attainment",
    "cases.cycle_time_s.mean",
    "cases.cycle_time_s.p50",
    "cases.cycle_time_s.p90",
    "cases.cycle_time_s.p95",
    "cases.cost_per_case",
    "teams.*.utilization",
    "teams.*.cost",
    "kpis.*.value",
)
"""Figure paths compared by ``--compare`` (``*`` stands for exactly one id)."""

Tree = dict[str, Any]
Path = tuple[str, ...]

# --- Student t and figures ------------------------------------------------------------------

_Z975 = 1.959963984540054  # standard normal 0.975 quantile
_EXACT_DF = 1000


def _t_abs_cdf(t: float, df: int) -> float:
    """P(|T| < t) for integer ``df``: the closed forms of Abramowitz & Stegun 26.7.3/26.7.4.

    Every term of the sums is positive, so the value is accurate to rounding for any df.
    """
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2:
        total = 0.0
        if df > 1:
            term = total = math.cos(theta)
            for k in range(3, df - 1, 2):
                term *= c2 * (k - 1) / k
                total += term
        return 2.0 / math.pi * (theta + math.sin(theta) * total)
    term = total = 1.0
    for k in range(2, df - 1, 2):
        term *= c2 * (k - 1) / k
        total += term
    return math.sin(theta) * total


@lru_cache(maxsize=256)
def _t975(df: int) -> float:
    if df > _EXACT_DF:
        # Cornish-Fisher expansion around the normal quantile; its next term is below 1e-12 here
        z = _Z975
        g1 = (z**3 + z) / 4
        g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
        g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
        g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
        return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4
    lo, hi = _Z975, 13.0  # t(0.975) lies in (z, 12.71] for every df ≥ 1
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _t_abs_cdf(mid, df) < 0.95:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-14:
            break
    return 0.5 * (lo + hi)


def t95(n: int) -> float:
    """The Student-t 0.975 quantile for ``n - 1`` degrees of freedom (``n`` observations).

    Computed without scipy: for up to 1,000 degrees of freedom by inverting the exact
    closed-form distribution function (bisection to 1e-14), beyond that by the Cornish-Fisher
    series, both accurate to better than 1e-9.

    Raises
    ------
    ValueError
        ``n < 2``: one observation has no spread, so there is no interval.
    """
    if n < 2:
        raise ValueError(f"t95 needs n ≥ 2 observations, got {n}")
    return _t975(int(n) - 1)


def figure(values: Iterable[float | None]) -> dict[str, float | int | None]:
    """``{"mean", "ci95", "n"}`` over per-replication values (SPEC §5.8).

    ``None`` (and NaN) marks a replication without observations — it is left out of ``n``, so
    a figure never averages a made-up zero.  ``ci95`` is the Student-t half-width
    ``t95(n) · s / √n`` (null when ``n < 2``); ``mean`` is null when ``n == 0``.
    """
    xs = [float(v) for v in values if v is not None and math.isfinite(v)]
    n = len(xs)
    if n == 0:
        return {"mean": None, "ci95": None, "n": 0}
    mean = math.fsum(xs) / n
    if n < 2:
        return {"mean": mean, "ci95": None, "n": 1}
    var = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    return {"mean": mean, "ci95": t95(n) * math.sqrt(var / n), "n": n}


def plain(value: Any) -> Any:
    """JSON-ready data: numpy scalars and arrays become Python values, NaN and ±inf null."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        x = float(value)
        return x if math.isfinite(x) else None
    return value


# --- per replication ------------------------------------------------------------------------


def merged(hists: Iterable[Histogram]) -> Histogram:
    """A new histogram holding all of ``hists`` (the records are left untouched)."""
    out = Histogram()
    for h in hists:
        out.merge(h)
    return out


def _stat(h: Histogram | None, stat: str) -> float | None:
    if h is None or h.n == 0:
        return None
    if stat == "mean":
        return h.total / h.n
    if stat == "max":
        return float(h.maximum)
    value = h.quantile(_QUANTILE[stat])
    return None if value is None else float(value)


def _dist(h: Histogram | None) -> Tree:
    return {s: _stat(h, s) for s in STATS}


def _ratio(num: float, den: float) -> float | None:
    return num / den if den > 0 else None


@dataclass(frozen=True)
class Layout:
    """What a RESULT reports, from the model (plus keys only the records know)."""

    segments: tuple[str, ...]
    by_segment: bool
    stages: tuple[str, ...]
    ends: tuple[str, ...]
    joins: tuple[str, ...]
    edges: tuple[str, ...]
    teams: tuple[str, ...]
    notify: dict[str, tuple[str, ...]]
    attribution: dict[str, tuple[str, ...]]


def layout(model: Model, records: Sequence[ReplicationRecord]) -> Layout:
    """The ids a RESULT lists, fixed once for all replications so their trees line up.

    Task and wait stages always appear (a stage nobody reached reports 0 visits); other stages
    when the engine recorded them.  Notify labels come from the model and the records;
    attribution keys (``stage:<id>:wait`` …) only from the records.
    """
    doc = model.document
    seen_stages = {s for r in records for s in r.stages}
    stages = tuple(
        sid for sid, st in doc.stages.items() if st.kind in ("task", "wait") or sid in seen_stages
    )
    edges = [f"{a}>{b}" for a, b in model.graph.edges]
    edges += sorted({e for r in records for e in r.edges} - set(edges))
    notify: dict[str, tuple[str, ...]] = {}
    attribution: dict[str, tuple[str, ...]] = {}
    for sid, sla in doc.slas.items():
        labels = [e.notify for e in sla.escalate if e.notify]
        for r in records:
            rec = r.slas.get(sid)
            labels += [k for k in rec.escalations if k] if rec else []
        notify[sid] = tuple(dict.fromkeys(labels))
        keys = [k for r in records if sid in r.slas for k in r.slas[sid].attribution]
        attribution[sid] = tuple(dict.fromkeys(keys))
    return Layout(
        segments=doc.segment_ids,
        by_segment=doc.segment_ids != ("default",),
        stages=stages,
        ends=tuple(sid for sid, st in doc.stages.items() if st.kind == "end"),
        joins=tuple(sid for sid, st in doc.stages.items() if st.kind == "join"),
        edges=tuple(edges),
        teams=tuple(doc.teams),
        notify=notify,
        attribution=attribution,
    )


def _cases_tree(rec: ReplicationRecord, lay: Layout) -> Tree:
    hours = rec.window_s / 3600.0
    completed = sum(rec.completed.values())
    in_window = sum(rec.completions_in_window.values())
    tree: Tree = {
        "arrived": float(sum(rec.arrived.values())),
        "completed": float(completed),
        "open_at_end": float(sum(rec.open_at_end.values())),
        "throughput_per_h": _ratio(in_window, hours),
        "cycle_time_s": _dist(merged(rec.cycle_time.values())),
        "cost_per_case": _ratio(sum(t.cost for t in rec.teams.values()), in_window),
        "end_share": {e: _ratio(rec.end_counts.get(e, 0), completed) for e in lay.ends},
    }
    if lay.by_segment:
        tree["by_segment"] = {
            seg: {
                "arrived": float(rec.arrived.get(seg, 0)),
                "completed": float(rec.completed.get(seg, 0)),
                "open_at_end": float(rec.open_at_end.get(seg, 0)),
                "throughput_per_h": _ratio(rec.completions_in_window.get(seg, 0), hours),
                "cycle_time_s": _dist(rec.cycle_time.get(seg)),
            }
            for seg in lay.segments
        }
    return tree


_VISIT_TIMES = (("wait_s", "wait"), ("service_s", "service"), ("suspended_s", "suspended"))


def _stage_tree(st: StageRecord, rec: ReplicationRecord, lay: Layout) -> Tree:
    tree: Tree = {"visits": float(sum(st.visits.values()))}
    for key, attr in (*_VISIT_TIMES, ("sojourn_s", "sojourn")):
        tree[key] = _dist(merged(getattr(st, attr).values()))
    waited = sum(h.total for h in st.wait.values())
    tree["wait_share"] = _ratio(waited, rec.eligible_cycle_total)
    tree["on_duty_wait_share"] = _ratio(st.on_duty_wait, rec.eligible_cycle_total)
    tree["open_at_end"] = float(st.open_at_end)
    if lay.by_segment:
        segs: Tree = {}
        for seg in lay.segments:
            entry: Tree = {"visits": float(st.visits.get(seg, 0))}
            for key, attr in (*_VISIT_TIMES, ("sojourn_s", "sojourn")):
                entry[key] = _dist(getattr(st, attr).get(seg))
            cycle = rec.cycle_time.get(seg)
            wait = st.wait.get(seg)
            entry["wait_share"] = _ratio(wait.total if wait else 0.0, cycle.total if cycle else 0.0)
            segs[seg] = entry
        tree["by_segment"] = segs
    return tree


def _sla_counts(sla: SlaRecord, seg: str | None) -> tuple[float, float, float, float]:
    def get(d: dict[str, int]) -> float:
        return float(sum(d.values()) if seg is None else d.get(seg, 0))

    return get(sla.met), get(sla.breached), get(sla.open), get(sla.not_applicable)


def _sla_tree(sid: str, sla: SlaRecord, lay: Layout) -> Tree:
    met, breached, still_open, na = _sla_counts(sla, None)
    total = math.fsum(v for v in sla.attribution.values() if v > 0)
    tree: Tree = {
        "attainment": _ratio(met, met + breached),
        "met": met,
        "breached": breached,
        "open": still_open,
        "not_applicable": na,
        "escalations": {
            "total": float(sum(sla.escalations.values())),
            "by_notify": {k: float(sla.escalations.get(k, 0)) for k in lay.notify[sid]},
        },
        # shares of this replication's breached clock time; None when nothing breached
        "breach_attribution": {
            k: (max(sla.attribution.get(k, 0.0), 0.0) / total if total > 0 else None)
            for k in lay.attribution[sid]
        },
    }
    if lay.by_segment:
        segs: Tree = {}
        for seg in lay.segments:
            m, b, o, n = _sla_counts(sla, seg)
            segs[seg] = {
                "attainment": _ratio(m, m + b),
                "met": m,
                "breached": b,
                "open": o,
                "not_applicable": n,
            }
        tree["by_segment"] = segs
    return tree


def _kpi_value(kpi: Kpi, rec: ReplicationRecord, tree: Tree) -> float | None:
    metric, stat = kpi.metric, kpi.stat or "mean"
    if metric == "cycle_time":
        hists = rec.cycle_time
        if kpi.segment is not None:
            return _stat(hists.get(kpi.segment), stat)
        return tree["cases"]["cycle_time_s"][stat]
    if metric in ("wait", "service", "sojourn"):
        st = rec.stages.get(kpi.stage or "") or StageRecord()
        hists = getattr(st, metric)
        if kpi.segment is not None:
            return _stat(hists.get(kpi.segment), stat)
        return _stat(merged(hists.values()), stat)
    if metric == "utilization":
        return tree["teams"][kpi.team]["utilization"]
    if metric == "queue_length":
        return tree["teams"][kpi.team]["queue_length"]["max" if stat == "max" else "mean"]
    if metric == "throughput":
        counts = rec.completions_in_window
        done = counts.get(kpi.segment, 0) if kpi.segment is not None else sum(counts.values())
        return _ratio(done, rec.window_s / 3600.0)
    if metric == "sla_attainment":
        return tree["slas"][kpi.sla]["attainment"]
    if metric == "end_share":
        completed = sum(rec.completed.values())
        return _ratio(rec.end_counts.get(kpi.stage or "", 0), completed)
    if metric == "cost_per_case":
        return tree["cases"]["cost_per_case"]
    return None


def replication_tree(rec: ReplicationRecord, model: Model, lay: Layout) -> Tree:
    """The per-replication values of one record, shaped like the RESULT (numbers or None)."""
    doc = model.document
    window = rec.window_s
    teams: Tree = {}
    for tid in lay.teams:
        t = rec.teams.get(tid)
        teams[tid] = {
            "utilization": _ratio(t.busy, t.available) if t else None,
            "queue_length": {
                "mean": (t.queue_area / window if window > 0 else None) if t else None,
                "max": float(t.queue_max) if t else None,
            },
            "cost": float(t.cost) if t else 0.0,
        }
    tree: Tree = {
        "cases": _cases_tree(rec, lay),
        "stages": {
            sid: _stage_tree(rec.stages.get(sid) or StageRecord(), rec, lay) for sid in lay.stages
        },
        "edges": {},
        "joins": {j: {"sync_s": _dist(rec.joins.get(j))} for j in lay.joins},
        "teams": teams,
        "slas": {sid: _sla_tree(sid, rec.slas.get(sid) or SlaRecord(), lay) for sid in doc.slas},
    }
    for key in lay.edges:
        edge = rec.edges.get(key)
        tree["edges"][key] = {
            "traversals": float(edge.traversals) if edge else 0.0,
            "handoff_s": _dist(edge.handoff if edge else None),
        }
    tree["kpis"] = {
        k.id: {"value": _kpi_value(k, rec, tree)} for k in doc.kpis if k.source != "external"
    }
    return tree


def _flatten(tree: Tree, prefix: Path = ()) -> dict[Path, float | None]:
    out: dict[Path, float | None] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flatten(value, (*prefix, key)))
        else:
            out[(*prefix, key)] = value
    return out


def replication_values(record: ReplicationRecord, model: Model) -> dict[str, float | None]:
    """Every per-replication figure of one record, keyed by its dotted RESULT path.

    ``"slas.first_response.attainment"``, ``"cases.cycle_time_s.p90"``,
    ``"stages.triage.wait_s.mean"``, ``"kpis.l2_load.value"``, …; ``None`` where the
    replication had no observation.  These are the values that :func:`aggregate` turns into
    figures and that :func:`compare_records` pairs.
    """
    tree = replication_tree(record, model, layout(model, [record]))
    return {".".join(p): v for p, v in _flatten(tree).items()}


def merge_figures(trees: Sequence[Tree]) -> Tree:
    """Figures over replications, leaf by leaf (keys in first-seen order)."""
    keys = list(dict.fromkeys(k for t in trees for k in t))
    out: Tree = {}
    for key in keys:
        values = [t.get(key) for t in trees]
        if any(isinstance(v, dict) for v in values):
            out[key] = merge_figures([v if isinstance(v, dict) else {} for v in values])
        else:
            out[key] = figure(values)
    return out


# --- paired comparison ------------------------------------------------------------------------


def _matches(path: Path, pattern: Path) -> bool:
    return len(path) == len(pattern) and all(
        p in ("*", k) for k, p in zip(path, pattern, strict=True)
    )


def _values_by_replication(
    records: Sequence[ReplicationRecord], model: Model
) -> dict[int, dict[Path, float | None]]:
    lay = layout(model, records)
    return {r.replication: _flatten(replication_tree(r, model, lay)) for r in records}


def compare_records(
    base_records: Sequence[ReplicationRecord],
    scen_records: Sequence[ReplicationRecord],
    base_model: Model,
    scen_model: Model | None = None,
    *,
    paths: Sequence[str] = COMPARISON_PATHS,
) -> dict[str, dict[str, Any]]:
    """Scenario against baseline, paired by replication number (SPEC §6 ``comparison``).

    With common random numbers, replication *r* of both runs sees the same arrivals and draws
    wherever the scenario did not change anything, so the per-replication *difference* varies
    far less than either run: its half-width is much narrower than comparing two independent
    figures would give.  For each figure path matching ``paths`` (``*`` = one id):
    ``{"baseline": mean, "scenario": mean, "diff": figure of (scenario − baseline),
    "significant": the diff's 95 % interval excludes 0}``.  Replications missing in either run,
    or without an observation on either side, are left out of the difference.
    """
    scen_model = scen_model or base_model
    base = _values_by_replication(base_records, base_model)
    scen = _values_by_replication(scen_records, scen_model)
    patterns = [tuple(p.split(".")) for p in paths]
    all_paths: dict[Path, None] = {}
    for values in (*base.values(), *scen.values()):
        all_paths.update(dict.fromkeys(p for p in values if any(_matches(p, q) for q in patterns)))
    order = {q: i for i, q in enumerate(patterns)}
    ranked = sorted(all_paths, key=lambda p: min(order[q] for q in patterns if _matches(p, q)))
    paired = sorted(set(base) & set(scen))
    out: dict[str, dict[str, Any]] = {}
    for path in ranked:
        b = figure(base[r].get(path) for r in base)
        s = figure(scen[r].get(path) for r in scen)
        diffs = []
        for r in paired:
            x, y = base[r].get(path), scen[r].get(path)
            if x is not None and y is not None:
                diffs.append(y - x)
        d = figure(diffs)
        significant = d["ci95"] is not None and abs(d["mean"]) > d["ci95"]
        out[".".join(path)] = {
            "baseline": b["mean"],
            "scenario": s["mean"],
            "diff": d,
            "significant": bool(significant),
        }
    return plain(out)
