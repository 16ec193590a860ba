"""Loading: YAML text → located plain data → ``Document`` → checks → ``Model``.

Every problem is collected, located and raised together as one :class:`ModelError`; warnings
ride along on the returned model (``model.findings``).  Each scenario is merged and checked like
the base document, and its findings point at the scenario's lines.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from procmap.errors import FileError, Finding, ModelError
from procmap.model import validate
from procmap.model.findings import schema_findings
from procmap.model.model import Model, Source, build_calendars, build_data_graph, build_graph
from procmap.model.scenarios import ScenarioCycleError, merge_scenario, scenario_chain
from procmap.model.schema import Document
from procmap.model.units import ValueProblem, parse_time_unit
from procmap.model.yaml_io import Locator, load_yaml

__all__ = ["build_scenario", "check_text", "load", "loads"]


def load(path: str | os.PathLike[str]) -> Model:
    """Load and validate a process file.

    Raises
    ------
    FileError
        The file is missing or unreadable.
    ModelError
        The document has errors; ``exc.findings`` holds every finding, located.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FileError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise FileError(f"{p}: is a directory, not a process file") from None
    except OSError as exc:
        raise FileError(f"{p}: cannot read ({exc.strerror})") from None
    return loads(raw, filename=str(path))


def loads(text: str | bytes, filename: str = "<string>") -> Model:
    """Load and validate a process document from text (see :func:`load`)."""
    model, findings = check_text(text, filename)
    if model is None:
        raise ModelError(findings)
    return model


def check_text(text: str | bytes, filename: str = "<string>") -> tuple[Model | None, list[Finding]]:
    """Every finding of a document and, when it has no errors, its model."""
    loaded = load_yaml(text, filename)  # raises ModelError for dialect errors
    source_text = text.decode("utf-8-sig", errors="replace") if isinstance(text, bytes) else text
    findings = list(loaded.findings)
    data = loaded.data
    source = Source(filename, source_text, data, loaded.locator)
    model, base = _check(data, loaded.locator, source)
    # a dialect warning on a value the schema refuses says the same thing twice: keep the error
    refused = {f.path for f in base if f.is_error}
    findings = [f for f in findings if f.is_error or f.path not in refused]
    findings.extend(base)
    seen = {(f.code, f.path, f.message) for f in base}
    if model is None:
        # scenario checks need a valid base; still report scenario extends problems
        scenarios = data.get("scenarios") if isinstance(data, dict) else None
        for name, spec in scenarios.items() if isinstance(scenarios, dict) else ():
            if not isinstance(spec, dict):
                continue  # reported by the schema
            try:
                scenario_chain(scenarios, name)
            except ScenarioCycleError as exc:
                findings.extend(_once(_locate(exc.finding, loaded.locator, None), seen))
        return None, findings
    for name in model.document.scenarios:
        findings.extend(_scenario_findings(data, loaded.locator, source, name, seen))
    if any(f.is_error for f in findings):
        return None, findings
    return Model(
        document=model.document,
        graph=model.graph,
        data_graph=model.data_graph,
        calendars=model.calendars,
        source=source,
        findings=tuple(findings),
    ), findings


def build_scenario(model: Model, name: str) -> Model:
    """The model with scenario ``name`` applied (raises ModelError if the merge does not validate)."""
    if name not in model.document.scenarios:
        choices = ", ".join(("baseline", *model.document.scenarios))
        raise ModelError(
            [
                Finding(
                    "error",
                    "E205",
                    f"no scenario named {name!r}",
                    f"scenarios: {choices}",
                    file=model.source.filename,
                )
            ]
        )
    src = model.source
    merged, locator = merge_scenario(src.data, src.locator, name)
    built, findings = _check(merged, locator, src, scenario=name)
    if built is None:
        raise ModelError(findings)
    return Model(
        document=built.document,
        graph=built.graph,
        data_graph=built.data_graph,
        calendars=built.calendars,
        source=src,
        findings=tuple(f for f in findings if not f.is_error),
        scenario=name,
    )


def _time_unit(data: Any) -> str | None:
    process = data.get("process") if isinstance(data, dict) else None
    unit = process.get("time_unit") if isinstance(process, dict) else None
    if unit is None:
        return None
    try:
        return parse_time_unit(unit)
    except ValueProblem:
        return None  # reported by the schema


def _check(
    data: Any, locator: Locator, source: Source, *, scenario: str | None = None
) -> tuple[Model | None, list[Finding]]:
    unit = _time_unit(data)
    try:
        doc = Document.model_validate(data, context={"time_unit": unit})
    except ValidationError as exc:
        return None, schema_findings(exc, locator, Document, scenario=scenario)
    found = validate.check_references(doc, data)
    if not any(f.is_error for f in found):
        graph = build_graph(doc)
        found += validate.check_model(doc, graph, data)
    findings = [_locate(f, locator, scenario, data) for f in found]
    if any(f.is_error for f in findings):
        return None, findings
    model = Model(
        document=doc,
        graph=graph,
        data_graph=build_data_graph(doc),
        calendars=build_calendars(doc),
        source=source,
        findings=tuple(findings),
        scenario=scenario or "baseline",
    )
    return model, findings


def _locate(finding: Finding, locator: Locator, scenario: str | None, data: Any = None) -> Finding:
    if finding.line is not None:
        return finding
    # a finding about a whole mapping or list points at its key, not at its first line
    mark = locator.locate(finding.path, prefer_key=_is_collection(data, finding.path))
    return Finding(
        finding.severity,
        finding.code,
        finding.message,
        finding.hint,
        file=locator.filename,
        line=mark.line,
        col=mark.col,
        path=finding.path,
        scenario=scenario or finding.scenario,
    )


def _is_collection(data: Any, path: tuple[str | int, ...]) -> bool:
    for part in path:
        found = (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        )
        if not found:
            return False
        data = data[part]
    return isinstance(data, dict | list)


def _once(finding: Finding, seen: set[Any]) -> list[Finding]:
    """The finding, unless an equal one was reported already (a cycle seen from each member)."""
    key = (finding.code, finding.path, finding.message)
    if key in seen:
        return []
    seen.add(key)
    return [finding]


def _scenario_findings(
    data: dict[str, Any], locator: Locator, source: Source, name: str, seen: set[Any]
) -> list[Finding]:
    try:
        merged, merged_locator = merge_scenario(data, locator, name)
    except ScenarioCycleError as exc:
        return _once(_locate(exc.finding, locator, None), seen)
    _, findings = _check(merged, merged_locator, source, scenario=name)
    prefix = ("scenarios", name)
    own = {
        (m.line, m.col)
        for marks in (locator.values, locator.keys)
        for p, m in marks.items()
        if p[:2] == prefix
    }
    out = []
    for f in findings:
        if (f.code, f.path, f.message) in seen:
            continue  # the base has it already
        line, col = f.line, f.col
        if f.line is not None and (f.line, f.col) not in own:
            # caused by the scenario: at its deepest entry on the same path, else at its name
            keys: list[str] = []
            for part in f.path:
                if not isinstance(part, str) or not locator.has((*prefix, *keys, part)):
                    break
                keys.append(part)
            mark = locator.locate((*prefix, *keys), prefer_key=True)
            line, col = mark.line, mark.col
        out.append(Finding(f.severity, f.code, f.message, f.hint, f.file, line, col, f.path, name))
    return out
