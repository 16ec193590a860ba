"""HTML reports: every section and chart present, offline, Chinese labels drawn, comparisons.

The simulations are tiny (two replications of a few days): these tests check the page, not the
statistics.  The last test opens a report in headless Chromium (Debian's ``chromium``) and checks
that every chart is laid out with a size, that nothing is logged to the console and that the page
asks for nothing over the network.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

import procmap
from procmap.errors import RenderError

pytest.importorskip(
    "matplotlib", reason='reports need the report extra: pip install "procmap[report]"'
)

from procmap.report import report_html, write_chart_images, write_report
from procmap.sim.compare import compare

ROOT = Path(__file__).resolve().parent.parent
SERVICE_DESK = ROOT / "examples" / "service_desk.yaml"
CHINESE = ROOT / "examples" / "manufacturing_requirements.yaml"

SECTIONS = (
    "process",
    "sipoc",
    "map",
    "bottlenecks",
    "slas",
    "breaches",
    "cycle",
    "kpis",
    "teams",
    "queues",
    "cost",
    "method",
)
CHARTS = (
    "sla-attainment",
    "breach-attribution",
    "cycle-time",
    "utilisation",
    "queue-length",
    "cost",
)
COMPARISON_CHARTS = (
    "scenario-slas",
    "scenario-differences",
    "scenario-teams",
    "scenario-cost-speed",
)


class Page(HTMLParser):
    """What a browser would find in the page: ids, sections, figures and their SVGs, links."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.sections: list[str] = []
        self.charts: dict[str, dict[str, object]] = {}
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []
        self._figure: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "section":
            self.sections.append(str(a.get("id")))
        if tag == "figure" and a.get("data-chart"):
            self._figure = str(a["data-chart"])
            self.charts[self._figure] = {"shapes": 0, "svg": None}
        if self._figure is not None:
            chart = self.charts[self._figure]
            if tag == "svg" and chart["svg"] is None:
                chart["svg"] = a
            if tag in ("path", "use", "polygon", "polyline", "rect", "ellipse", "text"):
                chart["shapes"] = int(chart["shapes"]) + 1  # type: ignore[call-overload]
        for name in ("href", "src", "xlink:href", "action", "poster"):
            if a.get(name):
                self.links.append(str(a[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _svg_size(attrs: dict[str, str | None]) -> tuple[float, float]:
    box = [float(v) for v in str(attrs.get("viewbox") or "0 0 0 0").split()]
    return box[2], box[3]


@pytest.fixture(scope="module")
def desk() -> procmap.Model:
    return procmap.load(SERVICE_DESK)


@pytest.fixture(scope="module")
def desk_result(desk: procmap.Model) -> procmap.SimulationResult:
    return procmap.simulate(desk, replications=2, horizon="6d", warmup="1d", jobs=1)


@pytest.fixture(scope="module")
def desk_html(desk_result: procmap.SimulationResult) -> str:
    return report_html(desk_result)


def test_every_section_is_there_and_in_the_contents(desk_html: str) -> None:
    page = Page(desk_html)
    assert desk_html.startswith("<!DOCTYPE html>")
    assert page.sections == list(SECTIONS)
    for key in SECTIONS:
        assert f"#{key}" in page.links, f"the table of contents lacks {key}"
    text = " ".join(page.text)
    for words in ("客户服务工单流程", "Suppliers", "首次响应", "Bottlenecks", "二线技术"):
        assert words in text


def test_every_chart_is_drawn_and_not_empty(desk_html: str) -> None:
    page = Page(desk_html)
    for key in CHARTS:
        assert key in page.charts, f"chart {key} is missing"
        chart = page.charts[key]
        svg = chart["svg"]
        assert isinstance(svg, dict)
        width, height = _svg_size(svg)
        assert width > 300, key
        assert height > 100, key
        assert svg.get("role") == "img", key
        assert len(str(svg.get("aria-label"))) > 20, key
        assert int(chart["shapes"]) > 40, f"chart {key} draws almost nothing"  # type: ignore[call-overload]


def test_the_process_map_is_embedded_when_graphviz_is_there(desk_html: str) -> None:
    page = Page(desk_html)
    if shutil.which("dot") is None:
        assert "needs Graphviz" in desk_html
        return
    assert "map" in page.charts
    assert int(page.charts["map"]["shapes"]) > 20  # type: ignore[call-overload]


def test_the_page_is_self_contained_and_offline(desk_html: str) -> None:
    page = Page(desk_html)
    assert not re.search(r"https?://", desk_html), "the page names a web address"
    assert all(link.startswith("#") for link in page.links), page.links
    assert not page.tags & {"script", "link", "iframe", "img", "object", "embed"}
    assert "@import" not in desk_html
    assert "@font-face" not in desk_html
    assert not re.search(r"url\((?!#)", desk_html), "the page loads a resource through url()"


def test_element_ids_are_unique(desk_html: str) -> None:
    """Several inline SVGs share one document: their glyph and clip ids must not clash."""
    ids = Page(desk_html).ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})[:5]


def test_write_report_writes_atomically(
    desk_result: procmap.SimulationResult, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "report.html"
    assert write_report(desk_result, target) == target
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.rstrip().endswith("</html>")
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_a_report_from_json_alone(desk_result: procmap.SimulationResult) -> None:
    """Without the model the report uses ids and says what it cannot show."""
    data = json.loads(desk_result.to_json())
    html = report_html(data)
    page = Page(html)
    assert set(CHARTS) <= set(page.charts)
    assert "The model was not given" in html
    assert "fix_l2" in html


def test_chinese_labels_are_drawn_with_a_chinese_font() -> None:
    from procmap.report import theme

    model = procmap.load(CHINESE)
    result = procmap.simulate(model, replications=2, horizon="30d", warmup="5d", jobs=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = report_html(result)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]
    page = Page(html)
    text = " ".join(page.text)
    for words in ("客户需求到交付流程", "技术部", "客户需求收集", "方案初稿"):
        assert words in text
    labels = " ".join(str(c["svg"].get("aria-label")) for c in page.charts.values() if c["svg"])  # type: ignore[union-attr]
    assert "技术部" in labels
    assert "方案初稿" in labels
    if theme.has_cjk_font():
        assert re.search(r'id="[\w-]*NotoSansCJKsc-(Regular|Bold)-', html), "no CJK glyph drawn"


def test_a_comparison_report(desk: procmap.Model) -> None:
    comparison = compare(desk, ["more_l2"], replications=2, horizon="6d", warmup="1d", jobs=1)
    html = report_html(comparison)
    page = Page(html)
    assert page.sections[:4] == ["scenarios", "scenario-table", "scenario-charts", "details"]
    for key in COMPARISON_CHARTS:
        assert key in page.charts, f"comparison chart {key} is missing"
        assert int(page.charts[key]["shapes"]) > 30  # type: ignore[call-overload]
    for i in range(2):  # each scenario in full, its charts with their own ids
        for key in CHARTS:
            assert f"s{i}-{key}" in page.charts
    text = " ".join(page.text)
    assert "more_l2 − baseline" in text
    assert "One more tier-2 engineer" in text
    ids = page.ids
    assert len(ids) == len(set(ids))
    assert not re.search(r"https?://", html)


def test_chart_images_for_slides(desk_result: procmap.SimulationResult, tmp_path: Path) -> None:
    written = write_chart_images(desk_result, tmp_path)
    assert [p.stem for p in written] == [f"report-{k}" for k in CHARTS]
    for path in written:
        blob = path.read_bytes()
        assert blob[:8] == b"\x89PNG\r\n\x1a\n"
        assert 10_000 < len(blob) < 200_000


def test_without_matplotlib_the_error_says_how_to_install_it(
    desk_result: procmap.SimulationResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(RenderError, match=r'pip install "procmap\[report\]"'):
        report_html(desk_result)


def test_cli_simulate_writes_a_report(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    args = [sys.executable, "-m", "procmap", "simulate", str(SERVICE_DESK), "--report", str(target)]
    args += ["--replications", "2", "--horizon", "4d", "--warmup", "1d", "--quiet", "--jobs", "1"]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert set(CHARTS) <= set(Page(target.read_text(encoding="utf-8")).charts)


# --- in a real browser ----------------------------------------------------------------------------

PROBE_URL = "http://127.0.0.1:9/procmap-probe.png"
"""Requested by the probe on purpose (loopback, port 9, refused at once): it must show up in the
network log and the console, which proves that both checks would see a request the page made."""

PROBE = """
<script>
window.addEventListener("load", function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var charts = {};
  document.querySelectorAll("figure[data-chart]").forEach(function (f) {
    var svg = f.querySelector("svg");
    var box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    charts[f.dataset.chart] = {
      width: box.width, height: box.height,
      shapes: svg ? svg.querySelectorAll("path, use, polygon, text, rect").length : 0
    };
  });
  var resources = performance.getEntriesByType("resource").map(function (r) { return r.name; });
  var out = document.createElement("pre");
  out.id = "procmap-probe";
  out.textContent = JSON.stringify({charts: charts, resources: resources});
  document.body.appendChild(out);
  console.log("procmap-probe-done");
});
var img = new Image(); img.src = "@PROBE_URL@";
</script>
""".replace("@PROBE_URL@", PROBE_URL)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    _chromium() is None, reason="headless test needs Debian's chromium (apt-get install chromium)"
)
def test_report_in_headless_chromium(desk_result: procmap.SimulationResult, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    write_report(desk_result, report)
    probe = tmp_path / "probe.html"
    probe.write_text(
        report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    netlog = tmp_path / "netlog.json"
    args = [
        str(_chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={netlog}",
        "--window-size=1200,900",
        "--dump-dom",
        probe.as_uri(),
    ]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]

    found = re.search(r'<pre id="procmap-probe">(.*?)</pre>', run.stdout, re.S)
    assert found, "the page did not finish loading"
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    expected = {*CHARTS, *(("map",) if shutil.which("dot") else ())}
    assert expected <= set(seen["charts"])
    for key, box in seen["charts"].items():
        assert box["width"] > 300, (key, box)
        assert box["height"] > 100, (key, box)
        assert box["shapes"] > 20, (key, box)

    # The console: only the probe's own lines (its marker, its refused request).
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert any("procmap-probe-done" in line for line in console), "console capture failed"
    errors = [line for line in console if "procmap-probe" not in line and PROBE_URL not in line]
    assert not errors, errors

    # The network: requests made for the page (its site is file://), not the browser's own.
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    page_urls = {
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start_job and "file://" in str(e["params"].get("network_isolation_key"))
    }
    assert PROBE_URL in page_urls, "network capture failed"
    remote = {u for u in page_urls - {PROBE_URL} if not u.startswith(("file:", "data:"))}
    assert not remote, remote
    assert [r for r in seen["resources"] if r != PROBE_URL] == []
