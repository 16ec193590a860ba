"""The end of a replication: close the time-weighted figures and fold buffers into a record."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from procmap.sim.record import EdgeRecord, ReplicationRecord, SlaRecord, StageRecord, TeamRecord
from procmap.sim.stats import Histogram

if TYPE_CHECKING:
    from procmap.sim.engine import Engine

__all__ = ["collect"]


def _hist(values: list[float]) -> Histogram:
    h = Histogram()
    if values:
        h.add_array(np.asarray(values, dtype=np.float64))
    return h


def collect(engine: Engine) -> ReplicationRecord:
    plan = engine.plan
    end = engine.env.now if engine.horizon is None else engine.horizon
    warm = engine.warmup
    segs = plan.segments

    # work in progress at the end: busy time so far, open counts, open SLA clocks
    open_stage = [0] * len(plan.stage_ids)
    open_cases = [0] * len(segs)
    sla_open = [[0] * len(segs) for _ in plan.slas]
    sla_breached_open = [[0] * len(segs) for _ in plan.slas]
    for case in engine.cases:
        for tok in case.tokens:
            if tok.people:
                if tok.running:
                    engine._busy_held(tok, tok.run_start, end)
            elif tok.running and tok.stage >= 0:  # the fast path: people counted, not held
                for t, n in plan.needs[tok.stage]:
                    engine.teams[t].add_busy(tok.run_start, end, n)
            if case.counted and tok.stage >= 0:
                open_stage[tok.stage] += 1
        if case.counted:
            open_cases[case.seg] += 1
            for j, clock in enumerate(case.clocks):
                if clock.state != 1:
                    continue
                if engine.elapsed(case, j, end) > plan.slas[j].targets[case.seg] + 1e-6:
                    sla_breached_open[j][case.seg] += 1
                    engine._fold_attribution(case, j, end)
                else:
                    sla_open[j][case.seg] += 1

    rec = ReplicationRecord(replication=engine.replication, start_s=0.0, end_s=end, warmup_s=warm)
    rec.events = 0
    for g, seg in enumerate(segs):
        rec.arrived[seg] = engine.arrived[g]
        rec.completed[seg] = engine.completed[g]
        rec.open_at_end[seg] = open_cases[g]
        rec.completions_in_window[seg] = engine.window_completions[g]
        rec.cycle_time[seg] = engine.cycle[g].flush()
    rec.eligible_cycle_total = engine.eligible_cycle_total
    for s, sid in enumerate(plan.stage_ids):
        if plan.outcome[s] is not None or plan.kind[s] == 4:
            rec.end_counts[sid] = engine.end_counts[s]
        st = StageRecord(on_duty_wait=engine.on_duty_wait[s], open_at_end=open_stage[s])
        for g, seg in enumerate(segs):
            tally = engine.visits[s][g].flush()
            st.visits[seg] = tally.visits
            st.wait[seg] = tally.wait
            st.service[seg] = tally.service
            st.suspended[seg] = tally.suspended
            st.sojourn[seg] = tally.sojourn
        rec.stages[sid] = st
        for b, key in enumerate(plan.edge_keys[s]):
            edge = EdgeRecord(traversals=engine.edge_traversals[s][b])
            if plan.handoffs[s][b] is not None:
                edge.handoff = engine.handoffs[s][b].flush()
            rec.edges[key] = edge
    for j, tally in engine.joins.items():
        rec.joins[plan.stage_ids[j]] = tally.flush()
    window = max(end - warm, 0.0)
    for team in engine.teams:
        team.close(end)
        tp = team.plan
        if tp.unlimited:
            rostered = 0.0
        elif tp.always_on:
            rostered = tp.staff * window
        else:
            rostered = sum(n * cal.open_between(warm, end) for cal, n in tp.shifts)
        rec.teams[tp.id] = TeamRecord(
            busy=team.busy,
            available=team.avail_area,
            rostered=rostered,
            queue_area=team.q_area,
            queue_max=team.q_max,
            series=team.series / 3600.0,
            cost=tp.cost_per_hour * rostered / 3600.0,
        )
    for j, sla in enumerate(plan.slas):
        met, breached, _, na = engine.sla_counts[j]
        rec.slas[sla.id] = SlaRecord(
            met={seg: met[g] for g, seg in enumerate(segs)},
            breached={seg: breached[g] + sla_breached_open[j][g] for g, seg in enumerate(segs)},
            open={seg: sla_open[j][g] for g, seg in enumerate(segs)},
            not_applicable={seg: na[g] for g, seg in enumerate(segs)},
            escalations=dict(engine.sla_escalations[j]),
            attribution=dict(engine.sla_attr[j]),
        )
    return rec


def _from(values: np.ndarray) -> Histogram:
    h = Histogram()
    h.add_array(values)
    return h
