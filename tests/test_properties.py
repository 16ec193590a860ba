"""Property tests: random valid models load and round-trip; random damage never gives a traceback."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import procmap
from procmap.model.loader import check_text
from procmap.model.yaml_io import load_yaml
from procmap.testing import to_yaml

from .conftest import EXAMPLES

DISTS = st.sampled_from(
    [
        "5min",
        "exp(20min)",
        "tri(5min, 10min, 30min)",
        "pert(5min, 10min, 30min)",
        "uniform(10min, 20min)",
        "normal(30min, 5min)",
        "lognormal(20min, 10min)",
        "gamma(15min, 5min)",
        "erlang(3, 30min)",
        "weibull(1.5, 20min)",
        "empirical([5min, 7min, 12min])",
        {"dist": "tri", "min": "5min", "mode": "10min", "max": "20min"},
        "0.25",
        0.5,
        "45 minutes",
        "1 小时",
    ]
)
HOURS = st.sampled_from(
    ["09:00-18:00", ["09:00-12:00", "13:30-18:00"], "22:00-06:00", "00:00-24:00", "08:00-20:00"]
)
DAY_KEYS = st.sampled_from(["mon-fri", "daily", "mon-sat", "fri-mon", "tue-thu"])


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document: a chain of stages with random features, moderate load."""
    n_teams = draw(st.integers(1, 4))
    calendars = {}
    for i in range(draw(st.integers(0, 2))):
        cal: dict[str, Any] = {"weekly": {draw(DAY_KEYS): draw(HOURS)}}
        if draw(st.booleans()):
            cal["holidays"] = ["2026-01-07", "2026-02-16..2026-02-20"]
        if draw(st.booleans()):
            cal["workdays"] = ["2026-01-10"]
        calendars[f"cal{i}"] = cal
    cal_ids = ["always", *calendars]
    teams: dict[str, Any] = {}
    for i in range(n_teams):
        team: dict[str, Any] = {
            "name": draw(st.sampled_from(["Sales", "技术部门", "客服 一线", "Ops"]))
        }
        if draw(st.booleans()) and len(cal_ids) > 1:
            team["shifts"] = [
                {"calendar": c, "staff": draw(st.integers(20, 40))} for c in cal_ids[1:]
            ]
        else:
            team["staff"] = draw(st.integers(20, 40))
            team["calendar"] = draw(st.sampled_from(cal_ids))
        if draw(st.booleans()):
            team["availability"] = draw(st.sampled_from(["90%", 0.8, "100%"]))
        if draw(st.booleans()):
            team["cost_per_hour"] = draw(st.integers(10, 90))
        teams[f"t{i}"] = team
    segments = None
    if draw(st.booleans()):
        segments = {"vip": {"share": "20%", "priority": 0}, "std": {"share": 0.8, "priority": 1}}
    n = draw(st.integers(2, 8))
    ids = [f"s{i}" for i in range(n)]
    stages: dict[str, Any] = {}
    for i, sid in enumerate(ids):
        stage: dict[str, Any] = {"owner": f"t{i % n_teams}", "duration": draw(DISTS)}
        nxt = ids[i + 1] if i + 1 < n else "end"
        if i > 0 and draw(st.integers(0, 3)) == 0:
            back = ids[draw(st.integers(0, i))]
            p = draw(st.sampled_from(["1/3", 0.25, "10%"]))
            rest = {"1/3": "2/3", 0.25: 0.75, "10%": "90%"}[p]
            stage["next"] = [{"to": back, "p": p}, {"to": nxt, "p": rest}]
            if draw(st.booleans()):
                stage["next"][1]["handoff"] = draw(DISTS)
                stage["next"][1]["data"] = ["Ticket"]
        elif segments and draw(st.integers(0, 3)) == 0 and nxt != "end":
            stage["next"] = [
                {"to": nxt, "when": {"segment": ["vip"]}},
                {"to": "end", "otherwise": True},
            ]
        else:
            stage["next"] = nxt
        if segments and draw(st.booleans()):
            stage["duration_by_segment"] = {"vip": draw(DISTS)}
        if draw(st.booleans()):
            stage["name"] = draw(st.sampled_from(["受理", "Quote", "需求分析与评估", "Follow-up"]))
        stages[sid] = stage
    stages["end"] = {"kind": "end", "outcome": "done"}
    doc: dict[str, Any] = {
        "procmap": 1,
        "process": {"id": "random", "time_unit": draw(st.sampled_from(["h", "min", "hours"]))},
        "teams": teams,
        "arrivals": {
            "rate": draw(st.sampled_from(["1/h", "12/d", "0.5 per hour"])),
            "calendar": draw(st.sampled_from(cal_ids)),
        },
        "stages": stages,
        "slas": {"e2e": {"start": "arrival", "stop": "end.end", "target": "5d", "goal": "90%"}},
        "kpis": [{"id": "ct", "metric": "cycle_time", "stat": "p90", "target": {"at_most": "10d"}}],
        "simulation": {"horizon": "20d", "warmup": "2d", "seed": draw(st.integers(0, 10**6))},
    }
    if calendars:
        doc["calendars"] = calendars
    if segments:
        doc["segments"] = segments
    if draw(st.booleans()):
        doc["scenarios"] = {"more": {"teams": {"t0": {"name": "More"}}}}
    return doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_valid_models_load_and_round_trip(doc):
    model = procmap.loads(to_yaml(doc), "random.yaml")
    assert not [f for f in model.findings if f.is_error]
    again = procmap.loads(to_yaml(model.to_dict()), "again.yaml")
    assert again.document == model.document
    analysis = procmap.analyze(again)
    assert math.isclose(analysis.stages["end"].visits_per_case, 1.0, rel_tol=1e-9)


def _assert_clean_outcome(text: str) -> None:
    """A model, or located error findings: never another exception."""
    try:
        model, findings = check_text(text, "mutated.yaml")
    except procmap.ModelError as exc:
        model, findings = None, exc.findings
    if model is None:
        assert any(f.is_error for f in findings)
        assert all(f.line is not None and f.file == "mutated.yaml" for f in findings)


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in EXAMPLES]


JUNK = st.sampled_from(
    [
        None,
        -1,
        0,
        1.5,
        "x",
        "",
        "5m",
        "1:30",
        "，",
        "{",
        "> 3",
        [],
        {},
        [1, 2],
        {"a": None},
        True,
        1e308,
        "2026-02-30",
        "always",
        "p",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_text_mutations_never_raise_anything_but_model_errors(data):
    text = data.draw(st.sampled_from(_texts()))
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(
            st.sampled_from(["delete", "duplicate", "insert", "truncate", "indent", "swap"])
        )
        i = data.draw(st.integers(0, max(0, len(lines) - 1)))
        if not lines:
            break
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            junk = data.draw(
                st.text(alphabet=" :{}[],-#&*!|>'\"，：0123456789abcmh%./\t", max_size=12)
            )
            pos = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
        elif op == "truncate":
            lines = lines[: i + 1]
        elif op == "indent":
            lines[i] = "  " + lines[i] if data.draw(st.booleans()) else lines[i].lstrip()
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    _assert_clean_outcome("\n".join(lines))


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_value_mutations_never_raise_anything_but_model_errors(data):
    text = data.draw(st.sampled_from(_texts()))
    doc = load_yaml(text).data
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = data.draw(JUNK)
    _assert_clean_outcome(to_yaml(doc))
