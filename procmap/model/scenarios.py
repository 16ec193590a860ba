"""Scenarios: a partial document merged over the base (SPEC §2.5 ``scenarios``).

Rules: mappings merge key by key; lists of mappings merge by their key (``to`` for branches,
``calendar`` for shifts, ``id`` for KPIs); other lists and scalars replace; ``null`` deletes a
key.  ``extends`` applies another scenario first.

The merge works on the plain data from the YAML loader and carries node marks along, so a
finding in a scenario points at the scenario's own lines where the offending value came from it.
"""

from __future__ import annotations

import copy
from typing import Any

from procmap.errors import Finding
from procmap.model.findings import did_you_mean
from procmap.model.yaml_io import Locator, Mark

__all__ = ["MERGE_KEYS", "ScenarioCycleError", "merge_scenario", "scenario_chain"]

Path = tuple[str | int, ...]

# The key a list of mappings merges by, chosen by the list's own key in the document.
MERGE_KEYS = {"next": "to", "shifts": "calendar", "kpis": "id"}
# Keys of a scenario that are not document overrides.
SCENARIO_ONLY = ("description", "extends")


class ScenarioCycleError(ValueError):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def scenario_chain(scenarios: dict[str, Any], name: str) -> list[str]:
    """The scenarios to apply for ``name``, the most basic first; raises on unknown or cyclic extends."""
    chain: list[str] = []
    current: str | None = name
    while current is not None:
        if current in chain:
            # each scenario extends the next one; start the loop at the one listed first
            loop = chain[chain.index(current) :]
            first = min(loop, key=list(scenarios).index)
            loop = loop[loop.index(first) :] + loop[: loop.index(first)]
            raise ScenarioCycleError(
                Finding(
                    "error",
                    "E205",
                    f"scenario extends form a cycle: {' → '.join([*loop, first])}",
                    "remove one of the extends",
                    path=("scenarios", first, "extends"),
                    scenario=first,
                )
            )
        spec = scenarios.get(current)
        if not isinstance(spec, dict):
            listed = f"scenarios: {', '.join(scenarios) or 'none'}"
            guess = did_you_mean(str(current), scenarios)
            raise ScenarioCycleError(
                Finding(
                    "error",
                    "E205",
                    f"scenario {chain[-1] if chain else name!r} extends unknown scenario {current!r}",
                    f"{guess} ({listed})" if guess else listed,
                    path=("scenarios", chain[-1] if chain else name, "extends"),
                    scenario=chain[-1] if chain else name,
                )
            )
        chain.append(current)
        parent = spec.get("extends")
        current = parent if isinstance(parent, str) else None
    return list(reversed(chain))


def merge_scenario(
    data: dict[str, Any], locator: Locator, name: str
) -> tuple[dict[str, Any], Locator]:
    """The base document with scenario ``name`` (and what it extends) merged over it.

    The returned locator maps paths of the merged document to marks: the scenario's node where
    the value came from a scenario, the base node otherwise.
    """
    scenarios = data.get("scenarios") or {}
    chain = scenario_chain(scenarios, name)
    merged: dict[str, Any] = {k: copy.deepcopy(v) for k, v in data.items() if k != "scenarios"}
    values: dict[Path, Mark] = {
        p: m for p, m in locator.values.items() if not _under(p, "scenarios")
    }
    keys: dict[Path, Mark] = {p: m for p, m in locator.keys.items() if not _under(p, "scenarios")}
    for scen in chain:
        spec = scenarios[scen]
        for key, value in spec.items():
            if key in SCENARIO_ONLY:
                continue
            src = ("scenarios", scen, key)
            _merge_into(merged, key, value, (key,), src, locator, values, keys)
    return merged, Locator.from_marks(locator.filename, values, keys)


def _under(path: Path, top: str) -> bool:
    return bool(path) and path[0] == top


def _drop(marks: dict[Path, Mark], prefix: Path) -> None:
    n = len(prefix)
    for p in [p for p in marks if p[:n] == prefix]:
        del marks[p]


def _graft(
    locator: Locator,
    src: Path,
    dst: Path,
    values: dict[Path, Mark],
    keys: dict[Path, Mark],
) -> None:
    """Copy the marks of the scenario subtree at ``src`` to the merged path ``dst``."""
    n = len(src)
    for p, m in locator.values.items():
        if p[:n] == src:
            values[dst + p[n:]] = m
    for p, m in locator.keys.items():
        if p[:n] == src:
            keys[dst + p[n:]] = m


def _merge_into(
    parent: dict[str, Any],
    key: str,
    value: Any,
    dst: Path,
    src: Path,
    locator: Locator,
    values: dict[Path, Mark],
    keys: dict[Path, Mark],
) -> None:
    """Merge ``value`` (from the scenario at ``src``) into ``parent[key]`` (at ``dst``)."""
    if value is None:
        parent.pop(key, None)
        _drop(values, dst)
        _drop(keys, dst)
        # a deleted key is still located at the scenario's null, should a finding need it
        mark = locator.value(src)
        if mark is not None:
            values[dst] = mark
        return
    base = parent.get(key)
    if isinstance(value, dict) and isinstance(base, dict):
        k_mark = locator.key(src)
        if k_mark is not None and dst not in keys:
            keys[dst] = k_mark
        for sub_key, sub_value in value.items():
            _merge_into(
                base, sub_key, sub_value, (*dst, sub_key), (*src, sub_key), locator, values, keys
            )
        return
    merge_key = MERGE_KEYS.get(key)
    if merge_key and isinstance(value, list) and isinstance(base, dict) and merge_key in base:
        # a single branch written as a mapping merges like a one-item list
        base = parent[key] = [base]
        for p in [p for p in values if p[: len(dst)] == dst and len(p) > len(dst)]:
            values[(*dst, 0, *p[len(dst) :])] = values.pop(p)
        for p in [p for p in keys if p[: len(dst)] == dst and len(p) > len(dst)]:
            keys[(*dst, 0, *p[len(dst) :])] = keys.pop(p)
    if (
        merge_key
        and isinstance(value, list)
        and isinstance(base, list)
        and all(isinstance(item, dict) and merge_key in item for item in value)
        and all(isinstance(item, dict) for item in base)
    ):
        for i, item in enumerate(value):
            match = next(
                (j for j, b in enumerate(base) if b.get(merge_key) == item[merge_key]), None
            )
            if match is None:
                base.append({})
                match = len(base) - 1
                values[(*dst, match)] = locator.value((*src, i)) or Mark(1, 1)
            for sub_key, sub_value in item.items():
                _merge_into(
                    base[match],
                    sub_key,
                    sub_value,
                    (*dst, match, sub_key),
                    (*src, i, sub_key),
                    locator,
                    values,
                    keys,
                )
        return
    parent[key] = copy.deepcopy(value)
    _drop(values, dst)
    _drop(keys, dst)
    _graft(locator, src, dst, values, keys)
