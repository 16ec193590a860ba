"""The README's example is true: it validates, and its error example says what the README shows."""

from __future__ import annotations

import re

import pytest

import procmap

from .conftest import ROOT


def readme_yaml() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"```yaml\n(.*?)```", text, re.S).group(1)


def test_readme_example_validates_strictly():
    model = procmap.loads(readme_yaml(), "quotes.yaml")
    assert model.findings == ()
    util = procmap.analyze(model).teams
    assert all(0.5 <= t.utilization < 0.9 for t in util.values())


def test_readme_error_example_is_what_procmap_prints():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"(quotes\.yaml:\d+:\d+: E201 .*)\n\s+hint: (.*)\n", text)
    with pytest.raises(procmap.ModelError) as info:
        procmap.loads(readme_yaml().replace("owner: tech", "owner: tec"), "quotes.yaml")
    (finding,) = info.value.findings
    assert finding.format(hint=False) == shown.group(1)
    assert finding.hint == shown.group(2)
