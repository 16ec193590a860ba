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


def _figure() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "mean": {"type": ["number", "null"]},
            "ci95": {"type": ["number", "null"]},
            "n": {"type": "integer", "minimum": 0},
        },
        "required": ["mean", "ci95", "n"],
        "additionalProperties": False,
    }


def results_schema() -> dict[str, Any]:
    """The JSON Schema of ``procmap simulate --json`` output (SPEC §6)."""
    figure = {"$ref": "#/$defs/figure"}
    dist = {"$ref": "#/$defs/distribution"}
    result = {
        "type": "object",
        "required": [
            "procmap",
            "procmap_version",
            "model",
            "model_sha256",
            "scenario",
            "config",
            "cases",
            "stages",
            "teams",
            "slas",
            "kpis",
            "bottlenecks",
        ],
        "properties": {
            "procmap": {"const": 1},
            "procmap_version": {"type": "string"},
            "model": {"type": "string"},
            "model_sha256": {"type": "string"},
            "scenario": {"type": "string"},
            "config": {"type": "object"},
            "cases": {"type": "object"},
            "stages": {"type": "object", "additionalProperties": {"type": "object"}},
            "edges": {"type": "object"},
            "joins": {"type": "object"},
            "teams": {"type": "object"},
            "slas": {"type": "object"},
            "kpis": {"type": "object"},
            "bottlenecks": {"type": "array"},
            "series": {"type": "object"},
            "histograms": {"type": "object"},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "procmap.results.schema.json",
        "title": "procmap simulation result",
        "$defs": {
            "figure": _figure(),
            "distribution": {
                "type": "object",
                "properties": dict.fromkeys(("mean", "p50", "p90", "p95", "max"), figure),
                "additionalProperties": False,
            },
            "result": result,
        },
        "oneOf": [
            {"$ref": "#/$defs/result"},
            {
                "type": "object",
                "required": ["procmap", "model", "scenarios", "comparison"],
                "properties": {
                    "procmap": {"const": 1},
                    "model": {"type": "string"},
                    "scenarios": {
                        "type": "object",
                        "additionalProperties": {"$ref": "#/$defs/result"},
                    },
                    "comparison": {"type": "object"},
                },
            },
        ],
        "x-distribution": dist,
    }
