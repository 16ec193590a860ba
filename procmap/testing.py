"""Helpers for tests and benchmarks: generated process documents of any size.

``generate_document(stages=2000, teams=20)`` gives a valid document with a main line of tasks,
rework loops back a few stages, probabilistic shortcuts and office-hours teams, with utilisation
kept moderate so that no capacity warning fires.
"""

from __future__ import annotations

import random
from typing import Any

__all__ = ["generate_document", "to_yaml"]


def generate_document(
    stages: int = 40,
    teams: int = 6,
    *,
    seed: int = 1,
    rework: float = 0.1,
    rate_per_h: float = 2.0,
) -> dict[str, Any]:
    """A valid procmap document (plain data) with ``stages`` stages owned by ``teams`` teams."""
    if stages < 2:
        raise ValueError("a generated model needs at least 2 stages")
    rng = random.Random(seed)
    team_ids = [f"team_{i + 1}" for i in range(teams)]
    owners = [team_ids[(i * teams) // (stages - 1)] for i in range(stages - 1)]
    doc_stages: dict[str, Any] = {}
    ids = [f"s{i + 1:04d}" for i in range(stages - 1)] + ["done"]
    mean_min: list[float] = []
    for i, sid in enumerate(ids[:-1]):
        minutes = rng.choice((5, 10, 15, 20, 30))
        mean_min.append(minutes)
        stage: dict[str, Any] = {
            "name": f"Step {i + 1}",
            "owner": owners[i],
            "duration": f"exp({minutes}min)"
            if i % 3
            else f"tri({minutes // 2}min, {minutes}min, {minutes * 2}min)",
        }
        nxt = ids[i + 1]
        if i >= 3 and i % 7 == 0 and rework > 0:
            back = ids[i - rng.randint(1, 3)]
            stage["next"] = [{"to": nxt, "p": round(1 - rework, 6)}, {"to": back, "p": rework}]
        elif i % 11 == 5 and i + 2 < len(ids):
            stage["next"] = [
                {"to": nxt, "p": 0.7},
                {"to": ids[i + 2], "p": 0.3, "handoff": "exp(15min)"},
            ]
        else:
            stage["next"] = nxt
        doc_stages[sid] = stage
    doc_stages["done"] = {"kind": "end"}
    # staff each team for about 60 % load (visits ≈ 1, rework adds a little)
    load: dict[str, float] = dict.fromkeys(team_ids, 0.0)
    for owner, minutes in zip(owners, mean_min, strict=True):
        load[owner] += rate_per_h * minutes / 60 * (1 + 2 * rework)
    doc_teams = {
        tid: {
            "name": f"Team {i + 1}",
            "staff": max(1, round(load[tid] / 0.6 + 0.5)),
            "calendar": "always",
        }
        for i, tid in enumerate(team_ids)
    }
    return {
        "procmap": 1,
        "process": {
            "id": f"generated-{stages}",
            "name": f"Generated {stages}-stage process",
            "time_unit": "h",
        },
        "teams": doc_teams,
        "arrivals": {"rate": f"{rate_per_h}/h"},
        "stages": doc_stages,
        "slas": {
            "end_to_end": {
                "start": "arrival",
                "stop": "done.end",
                "target": f"{stages}h",
                "goal": "90%",
            }
        },
        "simulation": {"horizon": "30d", "warmup": "2d", "replications": 5, "seed": 1},
    }


def to_yaml(data: dict[str, Any]) -> str:
    """Plain data as block-style YAML text (keys in order, Unicode kept)."""
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
