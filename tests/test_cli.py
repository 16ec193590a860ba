"""The command line: exit codes, the error format, JSON outputs (SPEC §8)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from procmap.cli import app

from .conftest import EXAMPLES, ROOT

runner = CliRunner()
DESK = str(ROOT / "examples" / "service_desk.yaml")

WARNED = """\
procmap: 1
process: {id: warned}
teams:
  ops: {staff: 1}
  idle: {staff: 1}
arrivals: {rate: 1/h}
stages:
  work: {owner: ops, duration: 30min, next: done}
  done: {kind: end}
"""


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_validate_examples_strict_exit_0():
    result = invoke("validate", "--strict", *map(str, EXAMPLES))
    assert result.exit_code == 0, result.output
    assert result.output.count("— ok") == len(EXAMPLES)


def test_validate_prints_located_findings_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(WARNED.replace("owner: ops", "owner: opz"), encoding="utf-8")
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:8:17: E201 unknown team 'opz'" in result.output
    assert "hint: did you mean 'ops'?" in result.output
    assert "Traceback" not in result.output


def test_warnings_fail_only_under_strict(tmp_path):
    path = tmp_path / "warned.yaml"
    path.write_text(WARNED, encoding="utf-8")
    assert invoke("validate", str(path)).exit_code == 0
    strict = invoke("validate", "--strict", str(path))
    assert strict.exit_code == 1
    assert "W401" in strict.output


def test_validate_json_report(tmp_path):
    path = tmp_path / "warned.yaml"
    path.write_text(WARNED, encoding="utf-8")
    result = invoke("validate", "--format", "json", str(path))
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    (entry,) = report["files"]
    assert entry["valid"] is True
    assert [(f["code"], f["line"]) for f in entry["findings"]] == [("W401", 5)]


def test_missing_file_is_exit_2(tmp_path):
    result = invoke("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    result = invoke("analyze", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_binary_file_is_a_finding_not_a_traceback(tmp_path):
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:" in result.output
    assert "Traceback" not in result.output


def test_analyze_text_and_json():
    text = invoke("analyze", DESK)
    assert text.exit_code == 0, text.output
    assert "一线支持" in text.output
    assert "utilisation" in text.output
    data = json.loads(invoke("analyze", DESK, "--format", "json").stdout)
    assert set(data) >= {"stages", "teams", "value_stream"}
    assert data["stages"]["triage"]["visits_per_case"] == pytest.approx(1 / 0.94)
    assert set(data["teams"]["l2"]) == {"offered_load", "staff_on_duty", "utilization", "wait_s"}


def test_analyze_scenario_changes_staffing():
    base = json.loads(invoke("analyze", DESK, "--format", "json").stdout)
    more = json.loads(invoke("analyze", DESK, "--scenario", "more_l2", "--format", "json").stdout)
    assert more["teams"]["l2"]["staff_on_duty"] == pytest.approx(
        base["teams"]["l2"]["staff_on_duty"] + 45 / 168 * 0.85
    )
    bad = invoke("analyze", DESK, "--scenario", "nope")
    assert bad.exit_code == 1
    assert "no scenario named 'nope'" in bad.output


def test_schema_to_stdout_and_file(tmp_path):
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "procmap process file"
    out = tmp_path / "procmap.schema.json"
    assert invoke("schema", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["$id"] == "procmap.schema.json"
    results = json.loads(invoke("schema", "--results").stdout)
    assert results["title"] == "procmap simulation result"


def test_unknown_option_is_usage_exit_2():
    assert invoke("validate", "--bogus", DESK).exit_code == 2


def test_python_dash_m_runs_the_same_program():
    proc = subprocess.run(
        [sys.executable, "-m", "procmap", "validate", DESK],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stderr
