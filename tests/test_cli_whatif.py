"""``procmap simulate --compare``, ``procmap advise`` and ``procmap sensitivity`` from the CLI."""

from __future__ import annotations

import json

import jsonschema
from typer.testing import CliRunner

from procmap.cli import app
from procmap.model.schema_json import results_schema

from .conftest import ROOT

DESK = str(ROOT / "examples" / "service_desk.yaml")
SHORT = ["--replications", "2", "--horizon", "4d", "--warmup", "1d", "--jobs", "1"]
runner = CliRunner()


def test_compare_writes_a_comparison_and_a_table(tmp_path):
    out = tmp_path / "c.json"
    result = runner.invoke(app, ["simulate", DESK, "--compare", *SHORT, "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "more_l2" in result.output
    assert "SLA resolution attainment" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data["scenarios"]) == ["baseline", "more_l2", "auto_handoff", "both"]
    jsonschema.Draft202012Validator(results_schema()).validate(data)


def test_two_scenarios_compare_them_with_the_baseline():
    result = runner.invoke(
        app,
        [
            "simulate",
            DESK,
            "--scenario",
            "more_l2",
            "--scenario",
            "both",
            *SHORT,
            "--json",
            "-",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["scenarios"]) == ["baseline", "more_l2", "both"]
    assert set(data["comparison"]) == {"more_l2", "both"}


def test_advise_prints_a_plan_and_its_scenario(tmp_path):
    out = tmp_path / "a.json"
    result = runner.invoke(
        app,
        [
            "advise",
            DESK,
            "--replications",
            "2",
            "--max-replications",
            "2",
            "--horizon",
            "4d",
            "--warmup",
            "1d",
            "--jobs",
            "1",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code in (0, 3), result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {
        "feasible",
        "plan",
        "cost_per_h",
        "baseline_cost_per_h",
        "scenario",
        "result",
        "unmet",
    }
    assert "Paste under scenarios" in result.output
    assert result.exit_code == (0 if data["feasible"] else 3)


def test_advise_without_costs_says_so_and_exits_1(tmp_path):
    path = tmp_path / "nocost.yaml"
    path.write_text(
        (ROOT / "examples" / "service_desk.yaml")
        .read_text(encoding="utf-8")
        .replace(", cost_per_hour: 30", "")
        .replace("cost_per_hour: 60", "")
        .replace(", cost_per_hour: 45", ""),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["advise", str(path), "--jobs", "1"])
    assert result.exit_code == 1
    assert "cost_per_hour" in result.output


def test_sensitivity_prints_thresholds_and_writes_json(tmp_path):
    out = tmp_path / "s.json"
    result = runner.invoke(
        app, ["sensitivity", DESK, "--vary", "arrivals.rate=4/h..8/h:3", *SHORT, "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "resolution attainment" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [p["values"]["arrivals.rate"] for p in data["points"]] == ["4/h", "6/h", "8/h"]
    assert len(data["thresholds"]) == 2


def test_sensitivity_rejects_a_bad_vary():
    result = runner.invoke(app, ["sensitivity", DESK, "--vary", "nonsense", "--jobs", "1"])
    assert result.exit_code == 2
    assert "KEY=FROM..TO:STEPS" in result.output
