"""Rendering (SPEC §7, §8 ``procmap render``): the DOT text, the drawings and the command.

Golden files: ``tests/golden/<example>.dot`` hold the DOT of every bundled example.  After a
deliberate change of the drawing, regenerate them with

    PROCMAP_REGEN=1 .venv/bin/python -m pytest tests/test_render.py -k golden

and look at the pictures before committing them.  Tests that need the Graphviz ``dot`` program
carry the ``exe`` marker and are skipped, with the reason, where it is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli import app
from procmap.model.graphs import lanes
from procmap.render import files as render_files
from procmap.render import (
    find_dot,
    render,
    render_bytes,
    sipoc_rows,
    sipoc_table,
    to_dot,
    to_mermaid,
)
from procmap.render.content import Words
from procmap.render.style import Palette, text_width, wrap
from procmap.sim.result import SimulationResult
from procmap.testing import generate_document, to_yaml

from .conftest import EXAMPLES, ROOT

GOLDEN = Path(__file__).parent / "golden"
HAVE_DOT = find_dot() is not None
runner = CliRunner()

NODE = re.compile(r'^\s+(\w+) \[pos="([\d.-]+),([\d.-]+)" width=([\d.]+) height=([\d.]+) (.*)\];$')
EDGE = re.compile(r"^\s+(\w+) -> (\w+) \[(.*)\];$")
CLUSTER = re.compile(r'^\s+subgraph cluster_(\w+) \{\n\s+graph \[bb="([\d.,-]+)"', re.M)
TOOLTIP = re.compile(r'tooltip="((?:[^"\\]|\\.)*)"')


def _id(path: Path) -> str:
    return path.stem


@pytest.fixture(scope="module")
def models() -> dict[str, procmap.Model]:
    return {p.stem: procmap.load(p) for p in EXAMPLES}


@pytest.fixture(scope="module")
def generated() -> procmap.Model:
    return procmap.loads(to_yaml(generate_document(stages=40, teams=6)), "generated.yaml")


@pytest.fixture(scope="module")
def desk_result(models: dict[str, procmap.Model]) -> SimulationResult:
    return procmap.simulate(models["service_desk"], replications=2, horizon="6d", jobs=1)


class Parsed:
    """The parts of procmap's DOT that tests look at (its layout is regular by construction)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.nodes: dict[str, dict[str, object]] = {}
        self.edges: list[tuple[str, str, str]] = []
        for line in text.splitlines():
            m = NODE.match(line)
            if m:
                name, x, y, w, h, rest = m.groups()
                tip = TOOLTIP.search(rest)
                self.nodes[name] = {
                    "x": float(x),
                    "y": float(y),
                    "w": float(w) * 72,
                    "h": float(h) * 72,
                    "attrs": rest,
                    "tooltip": tip.group(1) if tip else "",
                }
                continue
            m = EDGE.match(line)
            if m:
                self.edges.append(m.groups())
        self.lanes: dict[str, tuple[float, float, float, float]] = {}
        for name, bb in CLUSTER.findall(text):
            x0, y0, x1, y1 = (float(v) for v in bb.split(","))
            self.lanes[name] = (x0, y0, x1, y1)

    def team_lanes(self) -> dict[str, list[str]]:
        """Team id → the lane clusters that hold its header (several when the map wraps)."""
        out: dict[str, list[str]] = {}
        for name, node in self.nodes.items():
            tip = str(node["tooltip"])
            if name in self.lanes and tip.startswith("team "):
                out.setdefault(tip[5:], []).append(name)
        return out

    def stage_node(self, sid: str) -> str:
        for name, node in self.nodes.items():
            if str(node["tooltip"]).split(": ", 1)[0] == sid and name.startswith("s"):
                return name
        raise AssertionError(f"no node for stage {sid!r}")

    def labels(self, tooltip: str) -> str:
        """The text of the edge label nodes whose tooltip is ``u → v``."""
        texts = [
            re.sub(r"<[^>]+>", " ", str(n["attrs"]))
            for n in self.nodes.values()
            if n["tooltip"] == tooltip and "plaintext" in str(n["attrs"])
        ]
        return " ".join(texts)


# --- the pure DOT -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_golden_dot(path: Path, models: dict[str, procmap.Model]) -> None:
    """The DOT of every example is exactly the checked-in one (regenerate: see the module doc)."""
    text = to_dot(models[path.stem])
    golden = GOLDEN / f"{path.stem}.dot"
    if os.environ.get("PROCMAP_REGEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), (
        "no golden file: run PROCMAP_REGEN=1 pytest tests/test_render.py -k golden"
    )
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_every_stage_sits_inside_its_teams_lane(
    path: Path, models: dict[str, procmap.Model]
) -> None:
    model = models[path.stem]
    dot = Parsed(to_dot(model))
    lane_of = lanes(model.graph, model.entry)
    team_lanes = dot.team_lanes()
    for sid, team in lane_of.items():
        node = dot.nodes[dot.stage_node(sid)]
        (cluster,) = team_lanes[team]
        x0, y0, x1, y1 = dot.lanes[cluster]
        assert x0 < node["x"] < x1, (sid, team)
        assert y0 < node["y"] < y1, (sid, team)


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_lanes_keep_the_yaml_order(path: Path, models: dict[str, procmap.Model]) -> None:
    model = models[path.stem]
    for direction in ("LR", "TB"):
        dot = Parsed(to_dot(model, direction=direction))
        shown = [t for t in model.document.teams if t in dot.team_lanes()]
        boxes = [dot.lanes[dot.team_lanes()[t][0]] for t in shown]
        if direction == "LR":  # rows from the top down (DOT's y grows upwards)
            assert [b[3] for b in boxes] == sorted((b[3] for b in boxes), reverse=True)
        else:  # columns from left to right
            assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)
        assert len(shown) == len(set(boxes))


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_edges_and_labels_are_those_of_the_yaml(
    path: Path, models: dict[str, procmap.Model]
) -> None:
    model = models[path.stem]
    dot = Parsed(to_dot(model))
    pairs = {(a, b) for a, b, _ in dot.edges}
    words = Words(model)
    for sid, stage in model.document.stages.items():
        src = dot.stage_node(sid)
        for branch in stage.branches:
            dst = dot.stage_node(branch.to)
            if stage.is_split:
                bar = f"p{src[1:]}"
                assert (src, bar) in pairs
                assert (bar, dst) in pairs
                continue
            assert (src, dst) in pairs, (sid, branch.to)
            text = dot.labels(f"{sid} → {branch.to}")
            if branch.p is not None and len(stage.branches) > 1:
                assert f"{branch.p * 100:g}"[:2] in text
                assert "%" in text
            if branch.when is not None:
                assert words.segment_name(branch.when.segment[0]) in text
            if branch.otherwise:
                assert "otherwise" in text
            if branch.handoff is not None:
                assert "hand-off" in text
            for item in branch.data:
                assert item.split()[0] in text, (sid, branch.to, item)


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_data_flows_are_dashed_and_labelled(path: Path, models: dict[str, procmap.Model]) -> None:
    model = models[path.stem]
    dot = Parsed(to_dot(model))
    for flow in model.document.data_flows:
        tip = f"{flow.from_} → {flow.to}"
        drawn = [attrs for _, _, attrs in dot.edges if f'tooltip="{tip}"' in attrs]
        assert drawn, tip
        assert all("style=dashed" in a for a in drawn), tip
        assert flow.data[0].split()[0] in dot.labels(tip)


def test_same_dot_on_every_run_and_hash_seed(models: dict[str, procmap.Model]) -> None:
    """Byte-identical DOT twice in-process and under two PYTHONHASHSEED values."""
    code = (
        "import hashlib, procmap; from procmap.render import to_dot; "
        "print(hashlib.sha256(''.join(to_dot(procmap.load(p)) for p in %r).encode()).hexdigest())"
        % [str(p) for p in EXAMPLES]
    )
    here = hashlib.sha256("".join(to_dot(models[p.stem]) for p in EXAMPLES).encode()).hexdigest()
    again = hashlib.sha256("".join(to_dot(models[p.stem]) for p in EXAMPLES).encode()).hexdigest()
    seeds = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        seeds.append(out.stdout.strip())
    assert here == again == seeds[0] == seeds[1]


def test_node_ids_are_ascii_and_unicode_only_in_labels(models: dict[str, procmap.Model]) -> None:
    text = to_dot(models["manufacturing_requirements"])
    for line in text.splitlines():
        m = NODE.match(line) or EDGE.match(line)
        if m:
            assert m.group(1).isascii()
            assert m.group(2).isascii()
    assert "客户需求收集" in text
    assert "销售部" in text


def test_a_long_process_wraps_into_bands_that_keep_lanes_and_stages(
    generated: procmap.Model,
) -> None:
    """40 stages, 6 teams, rework loops: bands stacked for a slide, each stage in its lane."""
    dot = Parsed(to_dot(generated))
    team_lanes = dot.team_lanes()
    assert max(len(v) for v in team_lanes.values()) >= 2, "expected the map to wrap"
    width = max(b[2] for b in dot.lanes.values())
    height = max(b[3] for b in dot.lanes.values())
    assert 0.8 < width / height < 3.0
    lane_of = lanes(generated.graph, generated.entry)
    for sid, team in lane_of.items():
        node = dot.nodes[dot.stage_node(sid)]
        inside = [c for c in team_lanes[team] if dot.lanes[c][1] < node["y"] < dot.lanes[c][3]]
        assert inside, sid
    letters = [
        str(n["tooltip"]) for n in dot.nodes.values() if str(n["tooltip"]).startswith("connector")
    ]
    assert letters
    assert all(letters.count(t) == 2 for t in letters)


def test_unknown_view_or_direction_is_refused(models: dict[str, procmap.Model]) -> None:
    with pytest.raises(ValueError, match=r"unknown view: 'gantt'"):
        to_dot(models["service_desk"], view="gantt")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"unknown direction"):
        to_dot(models["service_desk"], direction="RL")  # type: ignore[arg-type]


def test_wrap_and_measure_cjk_and_latin() -> None:
    assert text_width("客户需求", 10) > 1.6 * text_width("abcd", 10)
    assert wrap("hand-off pert 7.5h/15h/37.5h (中国工作日历)", 7.5, 100)[-1] == "(中国工作日历)"
    assert all(text_width(line, 10) <= 60 for line in wrap("解决方案制定与客户确认流程", 10, 60))


# --- heatmap ----------------------------------------------------------------------------------


def test_heatmap_colours_stages_teams_and_slas(
    models: dict[str, procmap.Model], desk_result: SimulationResult
) -> None:
    model = models["service_desk"]
    dot = to_dot(model, desk_result)
    assert "busy " in dot
    assert "of cycle time waiting" in dot
    assert any(colour in dot for colour in Palette.WAIT_SCALE)
    assert any(colour in dot for colour in Palette.UTIL_SCALE)
    assert "Stage fill: share of cycle time waiting" in dot
    assert "Team header: utilisation" in dot
    for lid, sla in desk_result.data["slas"].items():
        if sla["met_goal"] is False:
            assert Palette.SLA_MISSED in dot, lid
    plain = Parsed(to_dot(model))
    heat = Parsed(dot)
    assert set(plain.lanes) == set(heat.lanes)


def test_heatmap_from_a_result_file_equals_heatmap_from_the_object(
    tmp_path: Path, models: dict[str, procmap.Model], desk_result: SimulationResult
) -> None:
    path = tmp_path / "r.json"
    desk_result.to_json(path)
    model = models["service_desk"]
    assert to_dot(model, path) == to_dot(model, desk_result) == to_dot(model, desk_result.data)


def test_heatmap_refuses_results_of_another_process(
    models: dict[str, procmap.Model], desk_result: SimulationResult
) -> None:
    with pytest.raises(ValueError, match="results are of process 'service-desk'"):
        to_dot(models["sales_pipeline"], desk_result)


# --- SIPOC, Mermaid -----------------------------------------------------------------------------


def test_sipoc_follows_the_provided_received_rule(models: dict[str, procmap.Model]) -> None:
    rows = {r.stage: r for r in sipoc_rows(models["service_desk"])}
    assert list(rows)[:2] == ["intake", "triage"]  # flow order
    assert rows["intake"].suppliers == ("Customer",)  # sipoc.inputs → sipoc.suppliers
    assert rows["fix_l2"].inputs == ("Ticket", "Logs")  # data moved on the incoming branch
    assert "triage (一线支持)" in rows["fix_l2"].suppliers
    assert "受理 (一线支持)" in rows["fix_l2"].suppliers  # upstream stage outputs the Ticket
    assert "Customer success" in rows["fix_l2"].customers  # the data flow to the csm team
    assert "Customer" in rows["fix_l2"].customers  # Resolved ticket is a sipoc output
    assert rows["fix_l2"].owner == "二线技术"
    assert rows["intake"].system == "CRM"


def test_sipoc_formats(models: dict[str, procmap.Model]) -> None:
    model = models["sales_pipeline"]
    md = sipoc_table(model, "md")
    assert md.splitlines()[4] == "| Suppliers | Inputs | Process | Outputs | Customers |"
    assert md.count("\n| ") == len(model.document.stages) + 1
    csv_text = sipoc_table(model, "csv")
    assert csv_text.splitlines()[0].startswith("stage,step,owner,system,suppliers")
    assert len(csv_text.splitlines()) == len(model.document.stages) + 1
    html = sipoc_table(model, "html")
    assert html.startswith('<table class="procmap-sipoc">')
    assert html.count("<tr>") == len(model.document.stages) + 1
    with pytest.raises(ValueError, match="unknown SIPOC format"):
        sipoc_table(model, "xlsx")  # type: ignore[arg-type]


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_mermaid_has_a_subgraph_per_team_and_every_edge(
    path: Path, models: dict[str, procmap.Model]
) -> None:
    model = models[path.stem]
    text = to_mermaid(model)
    assert text.startswith("flowchart LR\n")
    lane_of = lanes(model.graph, model.entry)
    assert text.count("  subgraph ") == len({t for t in lane_of.values() if t})
    arrows = sum(1 for line in text.splitlines() if " --> " in line or "-->|" in line)
    splits = sum(1 for s in model.document.stages.values() if s.is_split)
    assert arrows == model.graph.number_of_edges() + 1 + splits  # + start, + stage → split bar
    assert text.count("-.->") == len(model.document.data_flows)
    assert to_mermaid(model) == text


# --- files, Graphviz, fonts ---------------------------------------------------------------------


def test_formats_and_default_names(models: dict[str, procmap.Model]) -> None:
    model = models["service_desk"]
    assert render_files.format_of("map.PNG", None) == "png"
    assert render_files.format_of("map.mmd", None) == "mermaid"
    assert render_files.format_of(None, None, "sipoc") == "md"
    assert render_files.default_name(model, "flow", "svg") == "service-desk.svg"
    assert render_files.default_name(model, "sipoc", "md") == "service-desk-sipoc.md"
    with pytest.raises(ValueError, match="the flow view has no csv format"):
        render_files.format_of(None, "csv", "flow")
    with pytest.raises(ValueError, match="cannot tell the format"):
        render_files.format_of("map.jpeg", None)


def test_without_dot_text_formats_work_and_drawings_say_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models: dict[str, procmap.Model]
) -> None:
    monkeypatch.setenv("PROCMAP_DOT", str(tmp_path / "no-such-dot"))
    model = models["service_desk"]
    assert find_dot() is None
    with pytest.raises(procmap.GraphvizNotFound, match="apt-get install graphviz fonts-noto-cjk"):
        render(model, tmp_path / "map.svg")
    assert not (tmp_path / "map.svg").exists()
    for name in ("map.dot", "map.mermaid", "sipoc.csv"):
        view = "sipoc" if name.startswith("sipoc") else "flow"
        assert render(model, tmp_path / name, view=view).stat().st_size > 100
    page = render(model, tmp_path / "map.html").read_text(encoding="utf-8")
    assert "flowchart LR" in page
    assert "was not found" in page
    assert "<svg" not in page
    shown = model._repr_html_()
    assert "Mermaid" in shown
    assert "flowchart LR" in shown


@pytest.mark.exe
@pytest.mark.skipif(
    not HAVE_DOT, reason="the Graphviz dot program is not installed (apt-get install graphviz)"
)
@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
@pytest.mark.usefixtures("_tmp_cwd")
def test_render_every_example_to_svg(path: Path, models: dict[str, procmap.Model]) -> None:
    written = render(models[path.stem])
    assert written == Path(f"{models[path.stem].id}.svg")
    svg = written.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "Noto Sans CJK SC" in svg


@pytest.fixture
def _tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.exe
@pytest.mark.skipif(
    not HAVE_DOT, reason="the Graphviz dot program is not installed (apt-get install graphviz)"
)
def test_chinese_labels_are_drawn_with_a_font_that_has_their_glyphs(
    tmp_path: Path, models: dict[str, procmap.Model]
) -> None:
    """Graphviz resolves the label font to a face holding every hanzi of the map (no boxes).

    ``dot -v`` names the font file it resolved; fontconfig confirms that file covers all the
    CJK characters of the labels; and Graphviz measures a CJK label about twice as wide as as
    many Latin letters (real ideographs are a full em).
    """
    model = models["manufacturing_requirements"]
    source = to_dot(model)
    png = tmp_path / "map.png"
    done = subprocess.run(
        [find_dot(), "-Kneato", "-n2", "-v", "-Tpng", "-o", str(png)],
        input=source.encode(), capture_output=True, check=True,
    )  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    log = done.stderr.decode("utf-8", "replace")
    resolved = re.findall(r'fontname: "Noto Sans CJK SC" resolved to: \(\w+\) "([^"]+)" (\S+)', log)
    assert resolved, f"Graphviz did not report resolving the label font:\n{log[:500]}"
    face, font_file = resolved[0]
    if shutil.which("fc-list") is None:
        pytest.skip("fc-list (fontconfig) is not installed: cannot check glyph coverage")
    hanzi = sorted({ch for ch in source if 0x4E00 <= ord(ch) <= 0x9FFF})
    assert len(hanzi) > 30
    charset = " ".join(f"{ord(ch):x}" for ch in hanzi)
    covering = subprocess.run(
        ["fc-list", f":charset={charset}", "file"], capture_output=True, text=True, check=True
    )
    assert font_file in covering.stdout, f"{face} ({font_file}) lacks some of {''.join(hanzi)}"
    xdot = subprocess.run(
        [find_dot(), "-Txdot"],
        input='digraph { node [shape=plain fontname="Noto Sans CJK SC" fontsize=10]; a [label="客户需求收集"]; b [label="abcdef"]; }'.encode(),
        capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    widths = {
        m.group(2): float(m.group(1))
        for m in re.finditer(r"T [\d.]+ [\d.]+ -?\d+ ([\d.]+) \d+ -(\S+)", xdot)
    }
    assert widths["客户需求收集"] > 1.6 * widths["abcdef"]


@pytest.mark.exe
@pytest.mark.skipif(
    not HAVE_DOT, reason="the Graphviz dot program is not installed (apt-get install graphviz)"
)
def test_drawings_in_every_binary_format(
    tmp_path: Path, models: dict[str, procmap.Model], desk_result: SimulationResult
) -> None:
    model = models["service_desk"]
    assert render(model, tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
    assert render(model, tmp_path / "m.pdf").read_bytes()[:4] == b"%PDF"
    assert (
        render(model, tmp_path / "s.svg", view="sipoc").read_text(encoding="utf-8").count("<text")
        > 20
    )
    assert render(model, tmp_path / "h.png", results=desk_result).stat().st_size > 10_000
    assert "<svg" in render_bytes(model, "html", results=desk_result).decode()
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


@pytest.mark.exe
@pytest.mark.skipif(
    not HAVE_DOT, reason="the Graphviz dot program is not installed (apt-get install graphviz)"
)
def test_notebook_displays(models: dict[str, procmap.Model], desk_result: SimulationResult) -> None:
    assert "<svg" in models["service_desk"]._repr_html_()
    shown = desk_result._repr_html_()
    assert "<h4>Heatmap</h4>" in shown
    assert "<svg" in shown
    assert "Bottlenecks" in shown or "No bottlenecks" in shown
    from procmap.render.heatmap import heatmap_section

    assert heatmap_section in SimulationResult.html_sections
    assert heatmap_section(SimulationResult(desk_result.data)) is None  # no model: no map


# --- the command --------------------------------------------------------------------------------


@pytest.mark.usefixtures("_tmp_cwd")
def test_cli_text_formats_to_stdout() -> None:
    desk = str(ROOT / "examples" / "service_desk.yaml")
    result = runner.invoke(app, ["render", desk, "--view", "sipoc", "--format", "md", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "| Suppliers | Inputs | Process | Outputs | Customers |" in result.stdout
    result = runner.invoke(app, ["render", desk, "--format", "mermaid", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("flowchart LR")
    result = runner.invoke(app, ["render", desk, "--format", "dot", "--direction", "TB"])
    assert result.exit_code == 0, result.output
    assert Path("service-desk.dot").read_text(encoding="utf-8").startswith("// procmap flowchart")
    result = runner.invoke(app, ["render", desk, "--view", "sipoc", "--format", "csv"])
    assert result.exit_code == 0
    assert Path("service-desk-sipoc.csv").exists()


@pytest.mark.usefixtures("_tmp_cwd")
def test_cli_usage_errors_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    desk = str(ROOT / "examples" / "service_desk.yaml")
    assert runner.invoke(app, ["render", desk, "-o", "map.jpeg"]).exit_code == 2
    assert runner.invoke(app, ["render", desk, "--format", "png", "-o", "-"]).exit_code == 2
    assert runner.invoke(app, ["render", desk, "--results", "missing.json"]).exit_code == 2
    assert runner.invoke(app, ["render", desk, "--scenario", "nope"]).exit_code == 1
    monkeypatch.setenv("PROCMAP_DOT", "/nonexistent/dot")
    result = runner.invoke(app, ["render", desk, "-o", "map.svg"])
    assert result.exit_code == 2
    assert "apt-get install graphviz fonts-noto-cjk" in result.output
    result = runner.invoke(app, ["render", desk, "--format", "html"])
    assert result.exit_code == 0
    assert "Mermaid" in result.output
    assert "flowchart LR" in Path("service-desk.html").read_text(encoding="utf-8")


@pytest.mark.exe
@pytest.mark.skipif(
    not HAVE_DOT, reason="the Graphviz dot program is not installed (apt-get install graphviz)"
)
@pytest.mark.usefixtures("_tmp_cwd")
def test_cli_svg_heatmap_and_scenario(desk_result: SimulationResult) -> None:
    desk = str(ROOT / "examples" / "service_desk.yaml")
    result = runner.invoke(app, ["render", desk, "-o", "out.svg"])
    assert result.exit_code == 0, result.output
    assert "<svg" in Path("out.svg").read_text(encoding="utf-8")
    desk_result.to_json("r.json")
    result = runner.invoke(app, ["render", desk, "--results", "r.json", "-o", "heat.png"])
    assert result.exit_code == 0, result.output
    assert Path("heat.png").read_bytes()[:4] == b"\x89PNG"
    compared = {
        "procmap": 1,
        "model": "service-desk",
        "scenarios": {"baseline": desk_result.data},
        "comparison": {},
    }
    Path("cmp.json").write_text(json.dumps(compared), encoding="utf-8")
    result = runner.invoke(
        app, ["render", desk, "--results", "cmp.json", "--format", "dot", "-o", "-"]
    )
    assert result.exit_code == 0
    assert "busy " in result.stdout
    result = runner.invoke(app, ["render", desk, "--scenario", "more_l2", "--format", "svg"])
    assert result.exit_code == 0
    assert Path("service-desk.svg").exists()
