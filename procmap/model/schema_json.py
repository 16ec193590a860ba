"""JSON Schemas: of process files (for editors, via ``# yaml-language-server: $schema=``) and of
result files (``procmap schema --results``)."""

from __future__ import annotations

from typing import Any

from procmap.model.schema import Document

__all__ = ["document_schema", "results_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def document_schema() -> dict[str, Any]:
    """The JSON Schema of a procmap process file, generated from the pydantic models."""
    schema = Document.model_json_schema(by_alias=True, mode="validation")
    return {
        **schema,
        "$schema": DRAFT,
        "$id": "procmap.schema.json",
        "title": "procmap process file",
    }


# --- results (SPEC §6) ------------------------------------------------------------------------

_NUM = {"type": "number"}
_NUM_OR_NULL = {"type": ["number", "null"]}
_FIG = {"$ref": "#/$defs/figure"}
_DIST = {"$ref": "#/$defs/distribution"}


def _obj(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """A closed object: every property required except ``optional``, nothing else allowed."""
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def _map(values: dict[str, Any]) -> dict[str, Any]:
    """An object keyed by ids (stages, teams, segments, ...)."""
    return {"type": "object", "additionalProperties": values}


def _result_defs() -> dict[str, Any]:
    figure = _obj(
        {
            "mean": _NUM_OR_NULL,
            "ci95": {"type": ["number", "null"], "minimum": 0},
            "n": {"type": "integer", "minimum": 0},
        }
    )
    distribution = _obj(dict.fromkeys(("mean", "p50", "p90", "p95", "max"), _FIG))
    config = _obj(
        {
            "start": {"type": "string"},
            "horizon_s": {"type": ["number", "null"], "exclusiveMinimum": 0},
            "cases": {"type": ["integer", "null"], "minimum": 1},
            "warmup_s": {"type": "number", "minimum": 0},
            "replications": {"type": "integer", "minimum": 1},
            "seed": {"type": "integer", "minimum": 0},
        }
    )
    segment_cases = _obj(
        {
            "arrived": _FIG,
            "completed": _FIG,
            "open_at_end": _FIG,
            "throughput_per_h": _FIG,
            "cycle_time_s": _DIST,
        }
    )
    cases = _obj(
        {
            "arrived": _FIG,
            "completed": _FIG,
            "open_at_end": _FIG,
            "throughput_per_h": _FIG,
            "cycle_time_s": _DIST,
            "cost_per_case": _FIG,
            "end_share": _map(_FIG),
            "by_segment": _map(segment_cases),
        },
        optional=("by_segment",),
    )
    visit_times = dict.fromkeys(("wait_s", "service_s", "suspended_s", "sojourn_s"), _DIST)
    stage = _obj(
        {
            "visits": _FIG,
            **visit_times,
            "wait_share": _FIG,
            "on_duty_wait_share": _FIG,
            "open_at_end": _FIG,
            "by_segment": _map(_obj({"visits": _FIG, **visit_times, "wait_share": _FIG})),
        },
        optional=("by_segment",),
    )
    team = _obj(
        {
            "utilization": _FIG,
            "queue_length": _obj({"mean": _FIG, "max": _FIG}),
            "analytic": _obj(
                {
                    "offered_load": _NUM_OR_NULL,
                    "staff_on_duty": _NUM_OR_NULL,
                    "utilization": _NUM_OR_NULL,
                    "wait_s": _NUM_OR_NULL,
                }
            ),
            "cost": _FIG,
        }
    )
    share_or_null = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
    counts = dict.fromkeys(("met", "breached", "open", "not_applicable"), _FIG)
    sla_segment = _obj(
        {
            "target_s": _NUM,
            "goal": share_or_null,
            "own_goal": {"type": "boolean"},
            "attainment": _FIG,
            **counts,
            "met_goal": {"type": ["boolean", "null"]},
        }
    )
    sla = _obj(
        {
            "target_s": _NUM,
            "calendar": {"type": ["string", "null"]},
            "goal": share_or_null,
            "attainment": _FIG,
            **counts,
            "met_goal": {"type": ["boolean", "null"]},
            "escalations": _obj({"total": _FIG, "by_notify": _map(_FIG)}),
            "breach_attribution": _map(_FIG),
            "by_segment": _map(sla_segment),
        },
        optional=("by_segment",),
    )
    kpi = _obj(
        {
            "metric": {"type": ["string", "null"]},
            "stat": {"enum": ["mean", "p50", "p90", "p95", "max", None]},
            "value": _NUM_OR_NULL,
            "ci95": {"type": ["number", "null"], "minimum": 0},
            "n": {"type": "integer", "minimum": 0},
            "target": {"type": ["string", "null"]},
            "met": {"type": ["boolean", "null"]},
        }
    )
    bottleneck = _obj(
        {
            "stage": {"type": "string"},
            "team": {"type": ["string", "null"]},
            "utilization": _NUM_OR_NULL,
            "on_duty_wait_share": _NUM_OR_NULL,
            "reason": {"type": "string"},
        }
    )
    counts_list = {"type": "array", "items": {"type": "integer", "minimum": 0}}
    histogram = _obj(
        {
            "edges": {"type": "array", "items": {"type": "number", "minimum": 0}},
            "counts": counts_list,
            "by_segment": _map(_obj({"counts": counts_list})),
        },
        optional=("by_segment",),
    )
    result = _obj(
        {
            "procmap": {"const": 1},
            "procmap_version": {"type": "string"},
            "model": {"type": "string"},
            "model_sha256": {"type": "string"},
            "scenario": {"type": "string"},
            "config": config,
            "cases": cases,
            "stages": _map(stage),
            "edges": _map(_obj({"traversals": _FIG, "handoff_s": _DIST})),
            "joins": _map(_obj({"sync_s": _DIST})),
            "teams": _map(team),
            "slas": _map(sla),
            "kpis": _map(kpi),
            "bottlenecks": {"type": "array", "maxItems": 5, "items": bottleneck},
            "series": _obj(
                {
                    "teams": _map(
                        _obj(
                            {
                                "bin_s": {"type": "number", "exclusiveMinimum": 0},
                                "queue_length": {"type": "array", "items": _NUM_OR_NULL},
                                "queue_length_ci95": {"type": "array", "items": _NUM_OR_NULL},
                            }
                        )
                    )
                }
            ),
            "histograms": _obj({"cycle_time_s": histogram}),
        }
    )
    change = _obj(
        {
            "baseline": _NUM_OR_NULL,
            "scenario": _NUM_OR_NULL,
            "diff": _FIG,
            "significant": {"type": "boolean"},
        }
    )
    comparison = _obj(
        {
            "procmap": {"const": 1},
            "model": {"type": "string"},
            "scenarios": _map({"$ref": "#/$defs/result"}),
            "comparison": _map(_map(change)),
        }
    )
    return {
        "figure": figure,
        "distribution": distribution,
        "result": result,
        "change": change,
        "comparison": comparison,
    }


def results_schema() -> dict[str, Any]:
    """The JSON Schema of ``procmap simulate --json`` output (SPEC §6).

    One scenario writes a RESULT; ``--compare`` (or several ``--scenario``) writes a comparison
    holding one RESULT per scenario and, per non-baseline scenario, the paired differences by
    figure path.  A *figure* is ``{"mean", "ci95", "n"}`` (``mean`` null when ``n`` is 0,
    ``ci95`` null when ``n`` < 2); a *distribution* maps ``mean``, ``p50``, ``p90``, ``p95`` and
    ``max`` to figures.  Objects are closed, so a misspelt key fails validation.
    """
    return {
        "$schema": DRAFT,
        "$id": "procmap.results.schema.json",
        "title": "procmap simulation result",
        "$defs": _result_defs(),
        "oneOf": [{"$ref": "#/$defs/result"}, {"$ref": "#/$defs/comparison"}],
    }
