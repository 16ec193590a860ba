"""Loading: examples, located findings, scenarios and round trips."""

from __future__ import annotations

import jsonschema
import pytest

import procmap
from procmap.model.schema_json import document_schema
from procmap.model.yaml_io import load_yaml
from procmap.testing import generate_document, to_yaml

from .conftest import EXAMPLES

SMALL = """\
procmap: 1
process: {id: small}
teams:
  ops: {staff: 2}
arrivals: {rate: 1/h}
stages:
  work: {owner: ops, duration: 30min, next: done}
  done: {kind: end}
"""


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_load_without_warnings(path):
    model = procmap.load(path)
    assert model.findings == ()
    for name in model.scenarios:
        scen = model.with_scenario(name)
        assert scen.scenario == name
        assert scen.findings == ()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_round_trip(path):
    model = procmap.load(path)
    again = procmap.loads(to_yaml(model.to_dict()))
    assert again.document == model.document


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_match_the_json_schema(path):
    data = load_yaml(path.read_bytes()).data
    validator = jsonschema.Draft202012Validator(document_schema())
    assert [e.message for e in validator.iter_errors(data)] == []


def test_json_schema_is_valid_and_rejects_unknown_keys():
    schema = document_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = load_yaml(SMALL).data
    data["stages"]["work"]["ownr"] = "ops"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert any("ownr" in e.message for e in errors)


def test_graph_holds_control_flow_and_keeps_data_flows_apart():
    model = procmap.load(EXAMPLES[[p.stem for p in EXAMPLES].index("service_desk")])
    g = model.graph
    assert set(g.nodes) == set(model.stages)
    assert g.edges["triage", "fix_l2"]["p"] == pytest.approx(0.4)
    assert g.edges["triage", "fix_l2"]["handoff"].mean == pytest.approx(1800)
    assert g.edges["triage", "fix_l2"]["data"] == ("Ticket", "Logs")
    assert g.nodes["confirm"]["split"] is True
    assert not g.has_edge("fix_l2", "csm")  # a data flow, not control
    assert model.data_graph.has_edge("fix_l2", "csm")


def test_unknown_owner_is_located_with_a_suggestion():
    text = SMALL.replace("owner: ops", "owner: opz")
    with pytest.raises(procmap.ModelError) as info:
        procmap.loads(text, "p.yaml")
    (finding,) = info.value.findings
    assert (finding.code, finding.line, finding.col) == ("E201", 7, 17)
    assert "'opz'" in finding.message
    assert "did you mean 'ops'?" in finding.hint
    assert finding.format().startswith("p.yaml:7:17: E201 ")


def test_every_schema_problem_is_reported_in_one_pass():
    text = (
        SMALL.replace("staff: 2", "staff: 0")
        .replace("30min", "30m")
        .replace("kind: end", "kind: fin")
    )
    with pytest.raises(procmap.ModelError) as info:
        procmap.loads(text)
    codes = sorted((f.code, f.line) for f in info.value.findings)
    assert codes == [("E102", 8), ("E106", 4), ("E111", 7)]


def test_unknown_key_points_at_the_key_and_suggests():
    text = SMALL.replace("duration: 30min", "duraton: 30min")
    with pytest.raises(procmap.ModelError) as info:
        procmap.loads(text)
    codes = {(f.code, f.line, f.col) for f in info.value.findings}
    assert ("E100", 7, 22) in codes  # the misspelt key itself
    unknown = next(f for f in info.value.findings if f.code == "E100")
    assert "did you mean 'duration'?" in unknown.hint


def test_scenario_merge_rules(load_text):
    model = procmap.load(EXAMPLES[[p.stem for p in EXAMPLES].index("service_desk")])
    more = model.with_scenario("more_l2")
    shifts = more.document.teams["l2"].shifts
    assert [(s.calendar, s.staff) for s in shifts] == [("office", 4), ("evening", 1)]  # keyed merge
    auto = model.with_scenario("auto_handoff")
    edge = auto.graph.edges["triage", "fix_l2"]
    assert edge["handoff"] is None  # null deleted the key
    assert edge["p"] == pytest.approx(0.4)  # the rest of the branch kept
    both = model.with_scenario("both")
    assert both.document.teams["l2"].shifts[0].staff == 4  # from extends
    assert both.graph.edges["triage", "fix_l2"]["handoff"] is None
    assert model.graph.edges["triage", "fix_l2"]["handoff"] is not None  # the base is untouched


def test_scenario_findings_point_at_the_scenario():
    text = (
        SMALL
        + "scenarios:\n  bad:\n    teams: {ops: {staff: 0}}\n  worse:\n    stages: {work: {owner: nobody}}\n"
    )
    with pytest.raises(procmap.ModelError) as info:
        procmap.loads(text)
    found = {(f.scenario, f.code, f.line) for f in info.value.findings}
    assert ("bad", "E106", 11) in found
    assert ("worse", "E201", 13) in found


def test_scenario_extends_cycle_is_an_error():
    text = SMALL + "scenarios:\n  a: {extends: b}\n  b: {extends: a}\n"
    with pytest.raises(procmap.ModelError) as info:
        procmap.loads(text)
    assert {f.code for f in info.value.findings} == {"E205"}


def test_unknown_scenario_is_a_model_error():
    model = procmap.loads(SMALL)
    with pytest.raises(procmap.ModelError, match="no scenario named 'nope'"):
        model.with_scenario("nope")


def test_generated_models_load_without_findings():
    model = procmap.loads(to_yaml(generate_document(120, 6)))
    assert model.findings == ()
    assert len(model.graph) == 120


def test_missing_file_is_a_file_error(tmp_path):
    with pytest.raises(procmap.FileError, match="no such file"):
        procmap.load(tmp_path / "nope.yaml")


def test_scenario_branch_list_merges_into_a_single_branch_mapping():
    text = """\
procmap: 1
process: {id: ms}
teams: {ops: {staff: 2}}
arrivals: {rate: 1/h}
stages:
  a: {owner: ops, duration: 10min, next: {to: b, handoff: 1h, data: [Order], channel: email}}
  b: {owner: ops, duration: 10min, next: done, inputs: [Order]}
  done: {kind: end}
scenarios:
  fast: {stages: {a: {next: [{to: b, handoff: null}]}}}
"""
    edge = procmap.loads(text).with_scenario("fast").graph.edges["a", "b"]
    assert edge["handoff"] is None
    assert edge["data"] == ("Order",)
    assert edge["channel"] == "email"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_keep_every_team_between_50_and_90_percent(path):
    teams = procmap.analyze(procmap.load(path)).teams
    for tid, fig in teams.items():
        if fig.utilization is not None:  # unlimited external parties have none
            assert 0.5 <= fig.utilization <= 0.9, (tid, fig.utilization)
