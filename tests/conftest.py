"""Shared fixtures: paths to the bundled examples and a loader for inline YAML."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import procmap

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture
def load_text():
    """Load dedented YAML text as a model (raises ModelError like procmap.loads)."""

    def _load(text: str, filename: str = "test.yaml") -> procmap.Model:
        return procmap.loads(textwrap.dedent(text), filename)

    return _load
