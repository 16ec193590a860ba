"""Results from hand-made replication records: every figure checked against arithmetic by hand.

The records below are built field by field (no simulation runs), so each expected number is
worked out in the test from the values put in — means, Student-t half-widths, percentiles from
histograms, attainment averaged per replication (not pooled), bottleneck cut-offs, KPI verdicts,
paired differences — and the JSON is checked against ``procmap schema --results``.
"""

from __future__ import annotations

import io
import json
import math

import jsonschema
import numpy as np
import pytest

from procmap.model.schema_json import results_schema
from procmap.sim.record import (
    EdgeRecord,
    ReplicationRecord,
    SlaRecord,
    StageRecord,
    TeamRecord,
)
from procmap.sim.result import (
    SimulationResult,
    aggregate,
    compare_records,
    comparison_document,
    figure,
    replication_values,
    t95,
)
from procmap.sim.stats import Histogram
from procmap.sim.summary import summary_renderables
from procmap.sim.table import Table

H = 3600.0
DAY = 86400.0
WINDOW_H = 9 * 24.0  # horizon 10d, warm-up 1d

TINY = """
procmap: 1
process: {id: tiny, name: 小流程, time_unit: min}
teams:
  a: {staff: 2, cost_per_hour: 10}
  b: {staff: 1, cost_per_hour: 20}
  cust: {staff: unlimited}
segments:
  vip: {share: 20%, priority: 0}
  std: {share: 80%, priority: 1}
arrivals: {rate: 1/h}
stages:
  s1:
    owner: a
    duration: exp(10min)
    next:
      - {to: s2, p: 0.5, handoff: 5min}
      - {to: s3, p: 0.5}
  s2: {owner: b, duration: exp(10min), next: won}
  s3: {owner: a, duration: exp(10min), next: wait}
  wait: {kind: wait, owner: cust, duration: 1h, next: lost}
  won: {kind: end, outcome: won}
  lost: {kind: end, outcome: lost}
slas:
  resp:
    start: arrival
    stop: s1.end
    target: 30min
    goal: 90%
    by_segment: {vip: {target: 15min, goal: 95%}, std: 40min}
    escalate: [{after: 20min, notify: lead}]
  done:
    start: arrival
    stop: [won.end, lost.end]
    target: 4h
    goal: 50%
kpis:
  - {id: ct_p90, metric: cycle_time, stat: p90, target: {at_most: 2h}}
  - {id: ct_vip, metric: cycle_time, segment: vip, target: {at_most: 10min}}
  - {id: wait_s1, metric: wait, stage: s1, stat: max, target: {at_most: 10min}}
  - {id: serv_s1_vip, metric: service, stage: s1, segment: vip, target: "<= 1h"}
  - {id: soj_s1, metric: sojourn, stage: s1, target: {at_most: 1h}}
  - {id: util_a, metric: utilization, team: a, target: {at_most: 85%}}
  - {id: q_a, metric: queue_length, team: a, target: {at_most: 1}}
  - {id: qmax_a, metric: queue_length, team: a, stat: max, target: {equals: 4}}
  - {id: tput, metric: throughput, target: {at_least: 0.04}}
  - {id: tput_vip, metric: throughput, segment: vip, target: {at_least: 1/h}}
  - {id: att, metric: sla_attainment, sla: resp, target: {at_least: 50%}}
  - {id: win, metric: end_share, stage: won, target: {at_least: 50%}}
  - {id: cpc, metric: cost_per_case, target: {at_most: 1000}}
  - {id: csat, target: {at_least: 4.5}, source: external}
simulation: {horizon: 10d, warmup: 1d, replications: 3, seed: 7}
"""


def hist(*values: float) -> Histogram:
    h = Histogram()
    h.add_array(np.asarray(values, dtype=float))
    return h


def blank(rep: int, end_s: float = 10 * DAY) -> ReplicationRecord:
    return ReplicationRecord(replication=rep, start_s=0.0, end_s=end_s, warmup_s=DAY)


def tiny_records() -> list[ReplicationRecord]:
    """Three replications; the third has no breaches, no s2 visits and a different horizon."""
    recs = []
    # rep 0 ----------------------------------------------------------------------------------
    r = blank(0)
    r.arrived = {"vip": 2, "std": 8}
    r.completed = {"vip": 2, "std": 6}
    r.open_at_end = {"vip": 0, "std": 2}
    r.completions_in_window = {"vip": 2, "std": 7}
    r.cycle_time = {"vip": hist(600, 1200), "std": hist(1800, 2400, 3000, 3600, 4200, 4800)}
    r.eligible_cycle_total = 1800 + 19800
    r.end_counts = {"won": 2, "lost": 6}
    r.stages = {
        "s1": StageRecord(
            visits={"vip": 2, "std": 8},
            wait={"vip": hist(0, 60), "std": hist(120, 240, 360, 480, 600, 720, 840, 960)},
            service={"vip": hist(300, 300), "std": hist(*[600] * 8)},
            suspended={"vip": hist(0, 0), "std": hist(*[0] * 8)},
            sojourn={
                "vip": hist(300, 360),
                "std": hist(720, 840, 960, 1080, 1200, 1320, 1440, 1560),
            },
            on_duty_wait=2160.0,
            open_at_end=1,
        ),
        "s2": StageRecord(visits={"vip": 1, "std": 1}, wait={"vip": hist(100), "std": hist(200)}),
    }
    r.edges = {"s1>s2": EdgeRecord(traversals=2, handoff=hist(300, 300))}
    r.teams = {
        "a": TeamRecord(
            busy=50 * H,
            available=100 * H,
            rostered=100 * H,
            queue_area=108 * H,
            queue_max=4,
            series=np.array([1.0, 2.0, 3.0]),
            cost=1000.0,
        ),
        "b": TeamRecord(
            busy=90 * H,
            available=100 * H,
            rostered=100 * H,
            queue_area=0.0,
            queue_max=1,
            series=np.array([0.0, 1.0]),
            cost=2000.0,
        ),
    }
    r.slas = {
        "resp": SlaRecord(
            met={"vip": 2, "std": 6},
            breached={"vip": 0, "std": 2},
            open={"std": 1},
            not_applicable={},
            escalations={"lead": 3},
            attribution={"stage:s1:wait": 30.0, "closed_hours": 10.0},
        ),
        "done": SlaRecord(met={"vip": 2, "std": 6}),
    }
    recs.append(r)
    # rep 1 ----------------------------------------------------------------------------------
    r = blank(1)
    r.arrived = {"vip": 4, "std": 8}
    r.completed = {"vip": 4, "std": 6}
    r.open_at_end = {"vip": 0, "std": 2}
    r.completions_in_window = {"vip": 4, "std": 6}
    r.cycle_time = {"vip": hist(300, 300, 900, 900), "std": hist(*[3600] * 6)}
    r.eligible_cycle_total = 2400 + 21600
    r.end_counts = {"won": 6, "lost": 4}
    r.stages = {
        "s1": StageRecord(
            visits={"vip": 4, "std": 8},
            wait={"vip": hist(60, 60, 60, 60), "std": hist(*[1200] * 8)},
            service={"vip": hist(*[900] * 4), "std": hist(*[600] * 8)},
            suspended={"vip": hist(*[0] * 4), "std": hist(*[0] * 8)},
            sojourn={"vip": hist(*[960] * 4), "std": hist(*[1800] * 8)},
            on_duty_wait=4800.0,
            open_at_end=0,
        ),
        "s2": StageRecord(visits={"vip": 2}, wait={"vip": hist(0, 0)}),
    }
    r.edges = {"s1>s2": EdgeRecord(traversals=2, handoff=hist(300, 300))}
    r.teams = {
        "a": TeamRecord(
            busy=90 * H,
            available=100 * H,
            rostered=100 * H,
            queue_area=216 * H,
            queue_max=2,
            series=np.array([3.0, 4.0, 5.0, 6.0]),
            cost=1000.0,
        ),
        "b": TeamRecord(
            busy=70 * H,
            available=100 * H,
            rostered=100 * H,
            queue_area=21.6 * H,
            queue_max=3,
            series=np.array([2.0]),
            cost=2000.0,
        ),
    }
    r.slas = {
        "resp": SlaRecord(
            met={"vip": 4, "std": 6},
            breached={"vip": 0, "std": 90},
            open={},
            not_applicable={"std": 1},
            escalations={"lead": 5, "": 2},
            attribution={"stage:s1:wait": 10.0, "stage:s1:service": 10.0},
        ),
        "done": SlaRecord(met={"vip": 3, "std": 3}, breached={"vip": 1, "std": 3}),
    }
    recs.append(r)
    # rep 2: shorter run (cases mode), nothing breached, no visits at s2 ---------------------
    r = blank(2, end_s=DAY + 108 * H)
    r.arrived = {"vip": 0, "std": 6}
    r.completed = {"vip": 0, "std": 6}
    r.open_at_end = {"vip": 0, "std": 0}
    r.completions_in_window = {"vip": 0, "std": 6}
    r.cycle_time = {"vip": Histogram(), "std": hist(*[1200] * 6)}
    r.eligible_cycle_total = 7200.0
    r.end_counts = {"won": 0, "lost": 6}
    r.stages = {
        "s1": StageRecord(
            visits={"std": 6},
            wait={"std": hist(*[0] * 6)},
            service={"std": hist(*[600] * 6)},
            suspended={"std": hist(*[0] * 6)},
            sojourn={"std": hist(*[600] * 6)},
        )
    }
    r.teams = {
        "a": TeamRecord(
            busy=40 * H,
            available=100 * H,
            rostered=50 * H,
            queue_area=0.0,
            queue_max=0,
            series=np.array([0.0]),
            cost=600.0,
        ),
        "b": TeamRecord(busy=0.0, available=50 * H, rostered=50 * H, cost=1000.0),
    }
    r.slas = {"resp": SlaRecord(met={"std": 6}), "done": SlaRecord(met={"std": 6})}
    recs.append(r)
    return recs


@pytest.fixture
def tiny(load_text):
    return load_text(TINY)


@pytest.fixture
def tiny_result(tiny):
    return aggregate(tiny_records(), tiny)


def ci(values: list[float]) -> float:
    """Student-t half-width worked out independently of figure()."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in values) / (n - 1))
    return t95(n) * sd / math.sqrt(n)


# --- Student t and figures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        (1, 12.7062047),
        (2, 4.3026527),
        (5, 2.5705818),
        (9, 2.2621572),
        (10, 2.2281389),
        (20, 2.0859634),
        (29, 2.0452296),
        (30, 2.0422725),
        (60, 2.0002978),
        (100, 1.9839715),
        (120, 1.9799304),
        (1000, 1.9623391),
        (100_000, 1.9599877),  # z + (z³ + z) / 4ν to first order
    ],
)
def test_t95_matches_published_quantiles(df, expected):
    assert t95(df + 1) == pytest.approx(expected, abs=1e-6)


def test_t95_series_joins_the_exact_inversion_smoothly():
    """Past 1,000 degrees of freedom the series takes over; it must agree with the exact form."""
    from procmap.sim.figures import _t_abs_cdf

    assert _t_abs_cdf(t95(1002), 1001) == pytest.approx(0.95, abs=1e-12)
    assert t95(1001) > t95(1002) > t95(1003) > 1.959963984540054


def test_t95_needs_two_observations():
    with pytest.raises(ValueError, match="n ≥ 2"):
        t95(1)


def test_figure_mean_ci_and_n_leave_out_empty_replications():
    f = figure([1.0, 2.0, 3.0, None, float("nan")])
    assert f["n"] == 3
    assert f["mean"] == 2.0
    assert f["ci95"] == pytest.approx(4.30265272974946 / math.sqrt(3), abs=1e-12)
    assert figure([5.0]) == {"mean": 5.0, "ci95": None, "n": 1}
    assert figure([None, None]) == {"mean": None, "ci95": None, "n": 0}
    assert figure([2.0, 2.0, 2.0])["ci95"] == 0.0


# --- the RESULT -----------------------------------------------------------------------------


def test_header_and_config(tiny_result, tiny):
    res = tiny_result
    assert res["procmap"] == 1
    assert res["model"] == "tiny"
    assert res["model_sha256"] == tiny.sha256
    assert len(res["model_sha256"]) == 64
    assert res["scenario"] == "baseline"
    assert res["config"] == {
        "start": "2026-01-05T00:00",
        "horizon_s": 864000.0,
        "cases": None,
        "warmup_s": 86400.0,
        "replications": 3,
        "seed": 7,
    }
    over = aggregate(tiny_records(), tiny, scenario="x", config={"seed": 99, "horizon_s": None})
    assert over["scenario"] == "x"
    assert over["config"]["seed"] == 99
    with pytest.raises(ValueError, match="unknown config key 'jobs'"):
        aggregate(tiny_records(), tiny, config={"jobs": 2})
    with pytest.raises(ValueError, match="at least one"):
        aggregate([], tiny)


def test_case_counts_throughput_and_cost(tiny_result):
    c = tiny_result["cases"]
    assert c["arrived"]["mean"] == pytest.approx(28 / 3)
    assert c["arrived"]["ci95"] == pytest.approx(ci([10, 12, 6]))
    assert c["completed"]["mean"] == pytest.approx(8.0)
    # completions in the window / window hours: 9 / 216 h, 10 / 216 h, 6 / 108 h
    tput = [9 / WINDOW_H, 10 / WINDOW_H, 6 / 108]
    assert c["throughput_per_h"]["mean"] == pytest.approx(sum(tput) / 3)
    assert c["throughput_per_h"]["ci95"] == pytest.approx(ci(tput))
    # Σ team cost / completions in the window: 3000/9, 3000/10, 1600/6
    cpc = [3000 / 9, 300.0, 1600 / 6]
    assert c["cost_per_case"]["mean"] == pytest.approx(sum(cpc) / 3)
    # end shares per replication: won 2/8, 6/10, 0/6
    assert c["end_share"]["won"]["mean"] == pytest.approx((0.25 + 0.6 + 0.0) / 3)
    assert c["end_share"]["lost"]["mean"] == pytest.approx((0.75 + 0.4 + 1.0) / 3)
    vip = c["by_segment"]["vip"]
    assert vip["arrived"]["mean"] == pytest.approx(2.0)
    assert vip["throughput_per_h"]["mean"] == pytest.approx((2 / WINDOW_H + 4 / WINDOW_H) / 3)


def test_cycle_time_percentiles_per_replication_from_histograms(tiny_result):
    ct = tiny_result["cases"]["cycle_time_s"]
    # means per replication: 21600/8, 24000/10, 1200
    assert ct["mean"]["mean"] == pytest.approx((2700 + 2400 + 1200) / 3)
    assert ct["max"]["mean"] == pytest.approx((4800 + 3600 + 1200) / 3)
    # p90 per replication: rep 0 the 8th smallest of 8 is 4800 (rank 7.2 → 8th),
    # rep 1 the 9th of 10 = 3600, rep 2 = 1200; each within 1 % of the histogram
    assert ct["p90"]["mean"] == pytest.approx((4800 + 3600 + 1200) / 3, rel=0.01)
    # vip has no completed cases in rep 2: n counts only replications with observations
    vip = tiny_result["cases"]["by_segment"]["vip"]["cycle_time_s"]
    assert vip["mean"]["n"] == 2
    assert vip["mean"]["mean"] == pytest.approx((900 + 600) / 2)
    assert vip["p50"]["mean"] == pytest.approx((600 + 300) / 2, rel=0.01)


def test_percentiles_of_many_values_stay_within_one_percent(tiny):
    """1,000 values 60 s … 60,000 s: p50, p90, p95 within 1 % of the exact order statistics."""
    values = np.arange(1, 1001) * 60.0
    recs = tiny_records()
    recs[0].cycle_time = {"vip": Histogram(), "std": hist(*values)}
    one = aggregate(recs[:1], tiny)["cases"]["cycle_time_s"]
    assert one["p50"]["mean"] == pytest.approx(500 * 60.0, rel=0.01)
    assert one["p90"]["mean"] == pytest.approx(900 * 60.0, rel=0.01)
    assert one["p95"]["mean"] == pytest.approx(950 * 60.0, rel=0.01)
    assert one["max"]["mean"] == 60000.0
    assert one["p50"]["ci95"] is None
    assert one["p50"]["n"] == 1


def test_stage_times_shares_and_empty_replications(tiny_result):
    s1 = tiny_result["stages"]["s1"]
    assert s1["visits"]["mean"] == pytest.approx((10 + 12 + 6) / 3)
    # wait means per replication: 4380/10, 9840/12, 0
    waits = [4380 / 10, 9840 / 12, 0.0]
    assert s1["wait_s"]["mean"]["mean"] == pytest.approx(sum(waits) / 3)
    assert s1["wait_s"]["mean"]["ci95"] == pytest.approx(ci(waits))
    # wait share = Σ wait / Σ cycle time of eligible cases, per replication, averaged
    shares = [4380 / 21600, 9840 / 24000, 0.0]
    assert s1["wait_share"]["mean"] == pytest.approx(sum(shares) / 3)
    on_duty = [2160 / 21600, 4800 / 24000, 0.0]
    assert s1["on_duty_wait_share"]["mean"] == pytest.approx(sum(on_duty) / 3)
    assert s1["by_segment"]["vip"]["wait_s"]["mean"]["mean"] == pytest.approx((30 + 60) / 2)
    assert s1["by_segment"]["vip"]["wait_s"]["mean"]["n"] == 2
    # s2 had no visit in replication 2: visits count it as 0, times leave it out
    s2 = tiny_result["stages"]["s2"]
    assert s2["visits"]["mean"] == pytest.approx((2 + 2 + 0) / 3)
    assert s2["wait_s"]["mean"]["n"] == 2
    assert s2["wait_s"]["mean"]["mean"] == pytest.approx((150 + 0) / 2)
    # the wait stage is reported (zero visits) and ends/decisions only if records hold them
    assert set(tiny_result["stages"]) == {"s1", "s2", "s3", "wait"}
    assert tiny_result["edges"]["s1>s2"]["traversals"]["mean"] == pytest.approx(4 / 3)
    assert tiny_result["edges"]["s1>s2"]["handoff_s"]["mean"]["n"] == 2
    assert tiny_result["edges"]["s1>s3"]["handoff_s"]["mean"] == {
        "mean": None,
        "ci95": None,
        "n": 0,
    }


def test_teams_utilisation_queue_cost_and_analytic(tiny_result):
    a = tiny_result["teams"]["a"]
    assert a["utilization"]["mean"] == pytest.approx((0.5 + 0.9 + 0.4) / 3)
    assert a["utilization"]["ci95"] == pytest.approx(ci([0.5, 0.9, 0.4]))
    # queue area / window: 108h/216h, 216h/216h, 0/108h
    assert a["queue_length"]["mean"]["mean"] == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    assert a["queue_length"]["max"]["mean"] == pytest.approx(2.0)
    assert a["cost"]["mean"] == pytest.approx(2600 / 3)
    assert a["analytic"]["offered_load"] == pytest.approx(1 * (10 + 5) / 60)  # s1 + half s3
    assert a["analytic"]["staff_on_duty"] == pytest.approx(2.0)
    cust = tiny_result["teams"]["cust"]
    assert cust["utilization"]["n"] == 0
    assert cust["analytic"]["staff_on_duty"] is None  # unlimited: infinite, written as null
    series = tiny_result["series"]["teams"]["a"]
    assert series["bin_s"] == 3600
    assert series["queue_length"] == [pytest.approx(4 / 3), 3.0, 4.0, 6.0]


def test_attainment_is_averaged_per_replication_not_pooled(tiny_result):
    resp = tiny_result["slas"]["resp"]
    # replications: 8/10, 10/100, 6/6  → averaged 0.6333; pooled would be 24/116 = 0.207
    assert resp["attainment"]["mean"] == pytest.approx((0.8 + 0.1 + 1.0) / 3)
    assert resp["attainment"]["mean"] != pytest.approx(24 / 116, abs=0.1)
    assert resp["attainment"]["ci95"] == pytest.approx(ci([0.8, 0.1, 1.0]))
    assert resp["target_s"] == 1800.0
    assert resp["goal"] == 0.9
    assert resp["met_goal"] is False
    assert resp["breached"]["mean"] == pytest.approx(92 / 3)
    assert resp["open"]["mean"] == pytest.approx(1 / 3)
    assert resp["not_applicable"]["mean"] == pytest.approx(1 / 3)
    done = tiny_result["slas"]["done"]
    # 1.0, 6/10, 1.0 → 0.8667 ≥ 50 %
    assert done["attainment"]["mean"] == pytest.approx((1 + 0.6 + 1) / 3)
    assert done["met_goal"] is True


def test_segment_targets_and_goals(tiny_result):
    segs = tiny_result["slas"]["resp"]["by_segment"]
    vip, std = segs["vip"], segs["std"]
    assert (vip["target_s"], vip["goal"], vip["own_goal"]) == (900.0, 0.95, True)
    assert vip["attainment"]["mean"] == 1.0
    assert vip["attainment"]["n"] == 2
    assert vip["met_goal"] is True
    # {seg: target} inherits the SLA's goal, for reporting only
    assert (std["target_s"], std["goal"], std["own_goal"]) == (2400.0, 0.9, False)
    assert std["attainment"]["mean"] == pytest.approx((6 / 8 + 6 / 96 + 1.0) / 3)
    assert std["met_goal"] is False
    done_vip = tiny_result["slas"]["done"]["by_segment"]["vip"]
    assert (done_vip["target_s"], done_vip["own_goal"]) == (14400.0, False)


def test_escalations_and_breach_attribution(tiny_result):
    resp = tiny_result["slas"]["resp"]
    assert resp["escalations"]["total"]["mean"] == pytest.approx((3 + 7 + 0) / 3)
    assert list(resp["escalations"]["by_notify"]) == ["lead"]  # steps without notify: total only
    assert resp["escalations"]["by_notify"]["lead"]["mean"] == pytest.approx(8 / 3)
    attr = resp["breach_attribution"]
    # shares per replication (rep 0: 30/40, 10/40; rep 1: 10/20, 10/20), then averaged over
    # the two replications that had breaches; largest share first
    assert list(attr) == ["stage:s1:wait", "stage:s1:service", "closed_hours"]
    assert attr["stage:s1:wait"] == {
        "mean": pytest.approx(0.625),
        "ci95": pytest.approx(ci([0.75, 0.5])),
        "n": 2,
    }
    assert attr["stage:s1:service"]["mean"] == pytest.approx(0.25)
    assert attr["closed_hours"]["mean"] == pytest.approx(0.125)
    assert tiny_result["slas"]["done"]["breach_attribution"] == {}


KPI_EXPECTED = {
    # id: (value, met)
    "ct_p90": ((4800 + 3600 + 1200) / 3, True),  # 3200 s ≤ 2 h
    "ct_vip": ((900 + 600) / 2, False),  # 750 s > 10 min
    "wait_s1": ((960 + 1200 + 0) / 3, False),  # max per replication
    "serv_s1_vip": ((300 + 900) / 2, True),
    "soj_s1": ((9780 / 10 + 18240 / 12 + 600) / 3, True),
    "util_a": ((0.5 + 0.9 + 0.4) / 3, True),
    "q_a": (0.5, True),
    "qmax_a": (2.0, False),  # equals 4
    "tput": ((9 / WINDOW_H + 10 / WINDOW_H + 6 / 108) / 3, True),
    "tput_vip": ((2 / WINDOW_H + 4 / WINDOW_H + 0) / 3, False),
    "att": ((0.8 + 0.1 + 1.0) / 3, True),
    "win": ((0.25 + 0.6 + 0) / 3, False),
    "cpc": ((3000 / 9 + 300 + 1600 / 6) / 3, True),
}


@pytest.mark.parametrize("kid", list(KPI_EXPECTED))
def test_kpi_values_and_verdicts(tiny_result, kid):
    value, met = KPI_EXPECTED[kid]
    kpi = tiny_result["kpis"][kid]
    rel = 0.01 if kid == "ct_p90" else 1e-9
    assert kpi["value"] == pytest.approx(value, rel=rel)
    assert kpi["met"] is met


def test_kpi_target_text_and_external(tiny_result):
    kpis = tiny_result["kpis"]
    assert kpis["util_a"]["target"] == "<= 85%"
    assert kpis["tput_vip"]["target"] == ">= 1/h"
    assert kpis["qmax_a"]["metric"] == "queue_length"
    assert kpis["qmax_a"]["stat"] == "max"
    assert kpis["ct_vip"]["stat"] == "mean"  # the default, written out
    assert kpis["util_a"]["stat"] is None
    assert kpis["util_a"]["n"] == 3
    assert kpis["util_a"]["ci95"] == pytest.approx(ci([0.5, 0.9, 0.4]))
    assert kpis["csat"] == {
        "metric": None,
        "stat": None,
        "value": None,
        "ci95": None,
        "n": 0,
        "target": ">= 4.5",
        "met": None,
    }


def test_kpi_equals_within_tolerance():
    from procmap.sim.assemble import _meets

    assert _meets(4.0 + 1e-12, "equals", 4.0) is True
    assert _meets(4.001, "equals", 4.0) is False
    assert _meets((0.9 + 1.0) / 2 - 1e-15, "at_least", 0.95) is True  # rounding, not a miss
    assert _meets(0.9499, "at_least", 0.95) is False
    assert _meets(None, "at_most", 4.0) is None


def test_tiny_bottleneck(tiny_result):
    # s1: on-duty wait shares 2160/21600, 4800/24000, 0 → exactly 10 % on average; team a 60 %
    assert tiny_result["bottlenecks"] == [
        {
            "stage": "s1",
            "team": "a",
            "utilization": pytest.approx(0.6),
            "on_duty_wait_share": pytest.approx(0.1),
            "reason": "a is busy 60% of its on-duty time; cases wait at s1 for 10% of their cycle time",
        }
    ]


def test_histograms_pooled_and_trimmed(tiny_result):
    h = tiny_result["histograms"]["cycle_time_s"]
    assert sum(h["counts"]) == 8 + 10 + 6
    assert len(h["edges"]) == len(h["counts"]) + 1
    assert h["counts"][0] > 0
    assert h["counts"][-1] > 0
    assert h["edges"][0] <= 300 < h["edges"][1]
    assert h["edges"][-2] <= 4800 < h["edges"][-1]
    assert sum(h["by_segment"]["vip"]["counts"]) == 6
    assert sum(h["by_segment"]["std"]["counts"]) == 18


def test_tiny_result_validates_against_the_schema(tiny_result):
    jsonschema.Draft202012Validator.check_schema(results_schema())
    jsonschema.validate(tiny_result, results_schema())
    text = json.dumps(tiny_result, allow_nan=False)  # plain: no NaN, no numpy
    assert "NaN" not in text


def test_schema_rejects_a_broken_result(tiny_result):
    broken = json.loads(json.dumps(tiny_result))
    broken["cases"]["arrived"] = {"mean": 1.0, "n": 3}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, results_schema())
    extra = json.loads(json.dumps(tiny_result))
    extra["stages"]["s1"]["wait_s"]["p99"] = extra["stages"]["s1"]["wait_s"]["p90"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(extra, results_schema())


# --- bottlenecks ----------------------------------------------------------------------------

LINE = """
procmap: 1
process: {id: line}
teams:
  t1: {staff: 1}
  t2: {staff: 1}
  t3: {staff: 1}
  t4: {staff: 1}
  t5: {staff: 1}
  t6: {staff: 1}
  t7: {staff: 1}
  t8: {staff: 1}
arrivals: {rate: 1/h}
stages:
  a: {owner: t1, duration: 1min, next: b}
  b: {owner: t2, duration: 1min, next: c}
  c: {owner: t3, duration: 1min, next: d}
  d: {owner: t4, duration: 1min, next: e}
  e: {owner: t5, duration: 1min, next: f}
  f: {owner: t6, duration: 1min, next: g}
  g: {owner: t7, duration: 1min, next: h}
  h: {owner: t8, duration: 1min, next: out}
  out: {kind: end}
"""


def line_record(rep: int, shares: dict[str, float], utils: dict[str, float]) -> ReplicationRecord:
    r = blank(rep)
    r.eligible_cycle_total = 1000.0
    r.stages = {s: StageRecord(on_duty_wait=share * 1000.0) for s, share in shares.items()}
    r.teams = {t: TeamRecord(busy=u * 100.0, available=100.0) for t, u in utils.items()}
    return r


def test_bottleneck_cut_offs_ranking_and_limit(load_text):
    model = load_text(LINE)
    shares = {
        "a": 0.10,
        "b": 0.0999,
        "c": 0.30,
        "d": 0.02,
        "e": 0.02,
        "f": 0.50,
        "g": 0.10,
        "h": 0.0,
    }
    utils = {
        "t1": 0.5,
        "t2": 0.849,
        "t3": 0.2,
        "t4": 0.85,
        "t5": 0.99,
        "t6": 0.1,
        "t7": 0.9,
        "t8": 0.6,
    }
    result = aggregate([line_record(0, shares, utils)], model)
    got = [(b["stage"], b["team"]) for b in result["bottlenecks"]]
    # qualifying: a (share 10 %), c, d (util 85 %), e (util 99 %), f, g (10 %, 90 %);
    # b misses both cut-offs by a hair, h neither; ranked by share, then utilisation; top 5
    assert got == [("f", "t6"), ("c", "t3"), ("g", "t7"), ("a", "t1"), ("e", "t5")]
    f = result["bottlenecks"][0]
    assert f["utilization"] == pytest.approx(0.1)
    assert f["on_duty_wait_share"] == pytest.approx(0.5)
    assert (
        f["reason"]
        == "t6 is busy 10% of its on-duty time; cases wait at f for 50% of their cycle time"
    )
    # only four qualify without f and c: no padding up to five
    fewer = {**shares, "f": 0.0, "c": 0.0}
    result = aggregate([line_record(0, fewer, utils)], model)
    assert [b["stage"] for b in result["bottlenecks"]] == ["g", "a", "e", "d"]


def test_no_bottlenecks_when_nothing_qualifies(load_text):
    model = load_text(LINE)
    rec = line_record(
        0, dict.fromkeys("abcdefgh", 0.01), dict.fromkeys([f"t{i}" for i in range(1, 9)], 0.3)
    )
    assert aggregate([rec], model)["bottlenecks"] == []


# --- paired comparison ----------------------------------------------------------------------


def sla_record(rep: int, met: int, breached: int, busy: float) -> ReplicationRecord:
    r = blank(rep)
    r.slas = {"resp": SlaRecord(met={"vip": met}, breached={"vip": breached})}
    r.teams = {"a": TeamRecord(busy=busy, available=100.0, cost=100.0)}
    return r


def test_paired_comparison_is_much_narrower_than_unpaired(tiny):
    base_att = [0.5, 0.7, 0.9, 0.6, 0.8]
    noise = [0.01, -0.01, 0.0, 0.02, -0.02]
    base = [
        sla_record(i, round(x * 1000), 1000 - round(x * 1000), 50.0) for i, x in enumerate(base_att)
    ]
    scen = [
        sla_record(i, round((x + 0.05 + e) * 1000), 1000 - round((x + 0.05 + e) * 1000), 50.0)
        for i, (x, e) in enumerate(zip(base_att, noise, strict=True))
    ]
    comp = compare_records(base, scen, tiny)
    att = comp["slas.resp.attainment"]
    assert att["baseline"] == pytest.approx(0.7)
    assert att["scenario"] == pytest.approx(0.75)
    assert att["diff"]["mean"] == pytest.approx(0.05)
    assert att["diff"]["n"] == 5
    assert att["diff"]["ci95"] == pytest.approx(ci([0.06, 0.04, 0.05, 0.07, 0.03]))
    unpaired = math.hypot(ci(base_att), ci([0.56, 0.74, 0.95, 0.67, 0.83]))
    assert att["diff"]["ci95"] < unpaired / 5
    assert att["significant"] is True
    # an unchanged team: differences all zero, so not significant
    util = comp["teams.a.utilization"]
    assert util["diff"] == {"mean": 0.0, "ci95": 0.0, "n": 5}
    assert util["significant"] is False
    assert list(comp)[:3] == [
        "slas.resp.attainment",
        "slas.done.attainment",
        "slas.resp.by_segment.vip.attainment",
    ]
    assert "cases.cycle_time_s.p90" in comp
    assert "kpis.util_a.value" in comp
    assert "cases.cost_per_case" in comp
    assert "teams.b.cost" in comp
    assert "stages.s1.wait_s.mean" not in comp


def test_comparison_pairs_by_replication_number(tiny):
    base = [sla_record(i, m, 10 - m, 50.0) for i, m in enumerate([5, 6, 7])]
    scen = [sla_record(i, m, 10 - m, 50.0) for i, m in [(2, 9), (0, 7), (5, 10)]]
    att = compare_records(base, scen, tiny)["slas.resp.attainment"]
    # pairs: rep 0 (0.5 → 0.7), rep 2 (0.7 → 0.9); rep 1 and rep 5 have no partner
    assert att["diff"]["n"] == 2
    assert att["diff"]["mean"] == pytest.approx(0.2)
    assert att["scenario"] == pytest.approx((0.9 + 0.7 + 1.0) / 3)


def test_comparison_document_validates(tiny):
    more = tiny.with_scenario(None)
    doc = comparison_document({"baseline": (tiny, tiny_records()), "more": (more, tiny_records())})
    assert set(doc) == {"procmap", "model", "scenarios", "comparison"}
    assert doc["scenarios"]["more"]["scenario"] == "more"
    assert doc["comparison"]["more"]["slas.resp.attainment"]["diff"]["mean"] == 0.0
    jsonschema.validate(json.loads(json.dumps(doc, allow_nan=False)), results_schema())
    with pytest.raises(ValueError, match="no run named 'baseline'"):
        comparison_document({"more": (more, tiny_records())})


def test_replication_values_by_path(tiny):
    values = replication_values(tiny_records()[1], tiny)
    assert values["slas.resp.attainment"] == pytest.approx(0.1)
    assert values["teams.a.utilization"] == pytest.approx(0.9)
    assert values["cases.cycle_time_s.max"] == 3600.0
    assert values["stages.s1.by_segment.vip.wait_s.mean"] == 60.0
    assert values["kpis.tput_vip.value"] == pytest.approx(4 / WINDOW_H)
    assert values["cases.by_segment.vip.cycle_time_s.mean"] == 600.0


# --- Table ----------------------------------------------------------------------------------


@pytest.fixture
def table():
    rows = [
        {"stage": "triage", "wait": {"mean": 600.0, "ci95": 30.0, "n": 10}, "share": 0.25, "n": 3},
        {"stage": "受理", "wait": {"mean": None, "ci95": None, "n": 0}, "share": None, "n": 12},
    ]
    return Table(rows, key="stage", title="Stages", formats={"wait": "duration", "share": "share"})


def test_table_rows_indexing_and_columns(table):
    assert len(table) == 2
    assert table.columns == ("stage", "wait", "share", "n")
    assert table["受理"]["n"] == 12
    assert table[0]["stage"] == "triage"
    assert table[-1]["stage"] == "受理"
    assert [r["stage"] for r in table] == ["triage", "受理"]
    assert "triage" in table
    assert "nope" not in table
    with pytest.raises(KeyError, match="must be one of"):
        table["nope"]
    with pytest.raises(IndexError):
        table[5]
    row = table["triage"]
    row["n"] = 99  # rows are copies: the table does not change
    assert table["triage"]["n"] == 3
    assert table.select("stage", "n").columns == ("stage", "n")


def test_table_flattens_figures_for_pandas_and_csv(table, tmp_path):
    assert table.flat_columns == ("stage", "wait", "wait_ci95", "share", "n")
    frame = table.to_pandas()
    assert list(frame.columns) == ["wait", "wait_ci95", "share", "n"]
    assert frame.loc["triage", "wait"] == 600.0
    assert frame.loc["triage", "wait_ci95"] == 30.0
    assert math.isnan(frame.loc["受理", "wait"])
    text = table.to_csv()
    assert text == "stage,wait,wait_ci95,share,n\ntriage,600.0,30.0,0.25,3\n受理,,,,12\n"
    path = tmp_path / "out" / "stages.csv"
    assert table.to_csv(path) == text
    assert path.read_text(encoding="utf-8") == text
    assert not [p for p in path.parent.iterdir() if p.name != "stages.csv"]  # no temp file left
    table.to_csv(path, excel=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_to_pandas_without_pandas_says_how_to_install(table, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r'pip install "procmap\[pandas\]"'):
        table.to_pandas()


def test_table_displays(table):
    text = str(table)
    assert "10min ± 30s" in text
    assert "25.0%" in text
    assert "—" in text
    assert repr(table) == text
    html = table._repr_html_()
    assert html.startswith('<table class="procmap-table"')
    assert "<caption" in html
    assert 'title="n = 10"' in html
    assert "10min ± 30s" in html
    assert "&lt;" not in html
    rich_table = table.__rich__()
    assert [c.header for c in rich_table.columns] == ["stage", "wait", "share", "n"]
    assert [c.justify for c in rich_table.columns] == ["left", "right", "right", "right"]
    escaped = Table([{"name": "<b>&"}])._repr_html_()
    assert "&lt;b&gt;&amp;" in escaped


def test_cjk_rows_align_by_display_width():
    t = Table(
        [{"team": "技术部门", "busy": 0.5}, {"team": "ops", "busy": 0.25}],
        formats={"busy": "share"},
    )
    from rich.cells import cell_len

    lines = [ln for ln in str(t).splitlines() if "%" in ln]
    assert len(lines) == 2
    assert cell_len(lines[0]) == cell_len(lines[1])  # the % column ends at the same place


# --- SimulationResult -----------------------------------------------------------------------


def test_simulation_result_tables(tiny_result, tiny):
    res = SimulationResult(tiny_result, tiny)
    assert res.stages["s1"]["team"] == "a"
    assert res.stages["s1"]["wait_mean"] == tiny_result["stages"]["s1"]["wait_s"]["mean"]
    assert res.teams.keys() == ["a", "b", "cust"]
    assert res.slas["resp"]["met_goal"] is False
    assert [(r["sla"], r["segment"]) for r in res.sla_segments][:2] == [
        ("resp", "vip"),
        ("resp", "std"),
    ]
    assert res.kpis["util_a"]["value"]["mean"] == pytest.approx(0.6)
    assert res.cases.keys() == ["all", "vip", "std"]
    assert res.cases["all"]["end_share_won"]["mean"] == pytest.approx(0.85 / 3)
    assert res.bottlenecks.keys() == ["s1"]
    assert res.bottlenecks["s1"]["rank"] == 1
    assert res.stages.columns[:4] == ("stage", "name", "team", "visits")
    frame = res.stages.to_pandas()
    assert frame.loc["s1", "visits"] == pytest.approx(28 / 3)
    assert repr(res).startswith(
        "<procmap.SimulationResult 'tiny' scenario='baseline' replications=3"
    )


def test_json_round_trip(tiny_result, tiny, tmp_path):
    res = SimulationResult(tiny_result, tiny)
    path = tmp_path / "r.json"
    text = res.to_json(path)
    assert path.read_text(encoding="utf-8") == text
    assert "小流程" not in text  # the process name is not part of a result; ids are
    back = SimulationResult.from_json(path)
    assert back.data == res.data
    assert SimulationResult.from_json(text).data == res.data
    jsonschema.validate(json.loads(text), results_schema())
    from procmap.errors import FileError

    with pytest.raises(FileError, match="not JSON"):
        SimulationResult.from_json("{nope")
    with pytest.raises(FileError, match="cannot read"):
        SimulationResult.from_json(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="comparison"):
        SimulationResult({"procmap": 1, "model": "m", "scenarios": {}, "comparison": {}})


def test_notebook_view_puts_bottlenecks_first(tiny_result, tiny):
    res = SimulationResult(tiny_result, tiny)
    html = res._repr_html_()
    assert (
        html.index("Bottlenecks")
        < html.index("SLAs")
        < html.index("Cycle time")
        < html.index("Teams")
    )
    assert "✗" in html
    assert "✓" in html
    seen = []
    before = list(SimulationResult.html_sections)
    SimulationResult.html_sections.append(lambda r: seen.append(r) or "<p>heatmap here</p>")
    try:
        assert "heatmap here" in res._repr_html_()
    finally:
        SimulationResult.html_sections[:] = before  # leave the render layer's heatmap hook in place
    assert seen == [res]


def test_terminal_summary(tiny_result, tiny):
    from rich.console import Console

    res = SimulationResult(tiny_result, tiny)
    parts = summary_renderables(res)
    buf = io.StringIO()
    console = Console(file=buf, width=120, color_system=None)
    for part in parts:
        console.print(part)
    out = buf.getvalue()
    assert (
        out.index("Bottlenecks") < out.index("SLAs") < out.index("Cycle time") < out.index("Teams")
    )
    assert "tiny · baseline · 3 replications, seed 7 · 9d measured after 1d warm-up" in out
    assert "✗" in out
    assert "✓" in out
    assert "30min" in out
    assert "63.3% ± " in out
    assert summary_renderables(tiny_result)  # a plain RESULT dict works too
