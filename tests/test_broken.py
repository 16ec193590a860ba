"""The corpus of broken documents (``tests/broken/``): every mistake gives exactly its findings.

Each file starts with a comment naming its mistake, then one header line per finding it must
give::

    # expect: E201 line 12 'sale' hint "did you mean 'sales'?" scenario more_sales

``CODE line N`` are required; the quoted text must appear in the finding's message, the quoted
``hint`` text in its hint, and ``scenario NAME`` names the scenario a finding belongs to.  The
findings of a file must be exactly the listed ones (no extra finding, no duplicate).  Two more
header lines are understood: ``# encode: gbk`` (the test saves the text in that encoding before
loading it, so the corpus holds no binary files) and ``# xfail: reason`` (a known bug in a module
owned elsewhere: the test is expected to fail until it is fixed).  Documents that cannot carry a
comment (an empty file, binary data) are generated below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procmap.cli import app
from procmap.errors import Finding, ModelError
from procmap.model.loader import check_text

from .conftest import ROOT

CORPUS = ROOT / "tests" / "broken"
EXPECT = re.compile(
    r"# expect: (?P<code>[EW]\d{3}) line (?P<line>\d+)"
    r"(?: (?P<q>['\"])(?P<text>.+?)(?P=q))?"
    r"(?: hint (?P<hq>['\"])(?P<hint>.+?)(?P=hq))?"
    r"(?: scenario (?P<scenario>\S+))?\s*\Z"
)


@dataclass(frozen=True)
class Expect:
    code: str
    line: int
    text: str | None = None
    hint: str | None = None
    scenario: str | None = None

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.code, self.line, self.scenario or "")


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    expects: tuple[Expect, ...]
    xfail: str | None = None


def _parse(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    expects = []
    for line in header:
        if line.startswith("# expect:"):
            m = EXPECT.fullmatch(line)
            assert m, f"{path.name}: cannot read {line!r}"
            expects.append(Expect(m["code"], int(m["line"]), m["text"], m["hint"], m["scenario"]))
    encoding = next((line.split()[2] for line in header if line.startswith("# encode:")), "utf-8")
    xfail = next(
        (line[len("# xfail:") :].strip() for line in header if line.startswith("# xfail:")), None
    )
    return Case(path.stem, text.encode(encoding), tuple(expects), xfail)


GENERATED = [
    Case("empty_file", b"", (Expect("E003", 1, "empty"),)),
    Case(
        "binary_png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        (Expect("E002", 3, "binary", "UTF-8"),),
    ),
    Case(
        "control_character",
        b"procmap: 1\nprocess: {id: lead-to-contract, name: \x07Sales}\n",
        (Expect("E002", 2, "U+0007"),),
    ),
]
CASES = [_parse(p) for p in sorted(CORPUS.glob("*.yaml"))] + GENERATED


PARAMS = [
    pytest.param(
        case,
        id=case.name,
        marks=[pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else [],
    )
    for case in CASES
]


def _findings(case: Case) -> list[Finding]:
    try:
        return check_text(case.data, f"{case.name}.yaml")[1]
    except ModelError as exc:
        return exc.findings


def test_the_corpus_is_complete():
    files = sorted(CORPUS.glob("*.yaml"))
    assert len(files) >= 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), f"{path.name} must start with a comment naming its mistake"
        assert "# expect: " in text, f"{path.name} lists no expected finding"
    # every kind of mistake the corpus was asked to cover still has its file
    codes = {e.code for case in CASES for e in case.expects}
    assert codes >= {
        *("E001", "E002", "E003", "E008", "E009", "E010", "E011", "E012", "E013", "E014"),
        *("E100", "E101", "E102", "E103", "E104", "E111", "E115", "E117", "E118", "E119"),
        *("E124", "E140", "E143", "E150", "E151", "E155", "E160", "E161", "E170", "E212"),
        *("E201", "E202", "E203", "E204", "E205", "E206", "E207", "E210", "E211", "E213"),
        *("E214", "E217", "E219", "E224", "E225", "W020", "W301", "W302"),
        *("W401", "W402", "W403", "W404", "W405", "W406", "W410", "W411", "W412", "W413"),
    }


@pytest.mark.parametrize("case", PARAMS)
def test_findings(case: Case):
    found = _findings(case)
    shown = "\n".join(f.format() for f in found)
    assert case.expects, case.name
    got = sorted((f.code, f.line or 0, f.scenario or "") for f in found)
    assert got == sorted(e.key for e in case.expects), shown
    for expect in case.expects:
        (finding,) = [f for f in found if (f.code, f.line, f.scenario or "") == expect.key]
        assert finding.file == f"{case.name}.yaml"
        assert (finding.col or 0) >= 1
        assert finding.is_error == expect.code.startswith("E")
        if expect.text is not None:
            assert expect.text in finding.message, shown
        if expect.hint is not None:
            assert expect.hint in (finding.hint or ""), shown


runner = CliRunner()


@pytest.mark.parametrize("case", PARAMS)
def test_cli(case: Case, tmp_path: Path):
    path = tmp_path / f"{case.name}.yaml"
    path.write_bytes(case.data)
    strict = runner.invoke(app, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1, strict.output
    assert "Traceback" not in strict.output
    for expect in case.expects:
        line = rf"^{re.escape(str(path))}:{expect.line}:\d+: {expect.code} "
        if expect.scenario:
            line += re.escape(f"[scenario {expect.scenario}] ")
        if expect.text is not None:
            line += rf".*{re.escape(expect.text)}"
        assert re.search(line, strict.output, re.MULTILINE), strict.output
    if all(e.code.startswith("W") for e in case.expects):
        relaxed = runner.invoke(app, ["validate", str(path)])
        assert relaxed.exit_code == 0, relaxed.output
        assert "Traceback" not in relaxed.output


def test_every_code_is_documented():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "procmap").rglob("*.py"))
    emitted = set(re.findall(r"\"([EW]\d{3})\"", source))
    documented = set(
        re.findall(r"^### ([EW]\d{3}) — ", (ROOT / "docs" / "errors.md").read_text("utf-8"), re.M)
    )
    assert emitted - documented == set(), "codes missing from docs/errors.md"
    assert documented - emitted == set(), "docs/errors.md documents codes procmap never emits"


# --- valid documents that once gave a finding (found while building the corpus) -----------


def test_an_sla_between_parallel_branches_is_not_a_slip():
    text = """\
procmap: 1
process: {id: lead-to-contract, time_unit: h}
teams:
  sales: {staff: 4}
  legal: {staff: 3}
arrivals: {rate: 1/h}
stages:
  capture: {owner: sales, duration: 20min, next: {all: [price, review]}}
  price: {owner: sales, duration: 1h, next: both_done}
  review: {owner: legal, duration: 2h, next: both_done}
  both_done: {kind: join, next: won}
  won: {kind: end}
slas:
  legal_after_price: {start: price.end, stop: review.end, target: 4h}
"""
    _, findings = check_text(text, "parallel.yaml")
    assert [f.format() for f in findings] == []
