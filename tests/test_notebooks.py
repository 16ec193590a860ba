"""The example notebooks are kept in git without outputs (CI executes them with nbmake)."""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "examples" / "notebooks").glob("*.ipynb"))


def test_there_are_two_workshop_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["manufacturing_end_to_end.ipynb", "service_desk_workshop.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_are_stripped(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell.get("outputs") == []
        assert cell.get("execution_count") is None
