"""The one exception tree of procmap, and findings as data.

Every problem procmap finds in a user's document is a :class:`Finding`: a severity, a stable
code (documented in ``docs/errors.md``), a message that says what is wrong, a hint that says
how to fix it, and the ``file:line:col`` of the YAML node it is about.  Loading collects all
findings in one pass and raises one :class:`ModelError` holding them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = [
    "FileError",
    "Finding",
    "GraphvizNotFound",
    "ModelError",
    "ProcmapError",
    "RenderError",
    "SimulationError",
]

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """One problem found in a document.

    ``line`` and ``col`` are 1-based, as editors count.  ``path`` is where in the document the
    problem sits (``("stages", "triage", "owner")``); it is what locations are looked up by,
    and tests may match on it.
    """

    severity: Severity
    code: str
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    col: int | None = None
    path: Path = field(default=())
    scenario: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def where(self) -> str:
        """``file:line:col`` (parts that are unknown are left out)."""
        parts = [self.file or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def format(self, *, hint: bool = True) -> str:
        """The line printed for a user: ``file:line:col: CODE message`` (and an indented hint)."""
        scen = f"[scenario {self.scenario}] " if self.scenario else ""
        text = f"{self.where()}: {self.code} {scen}{self.message}"
        if hint and self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "path": list(self.path),
            "scenario": self.scenario,
        }

    def with_file(self, file: str | None) -> Finding:
        return replace(self, file=file)

    def __str__(self) -> str:
        return self.format()


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in document order (then by code), errors and warnings mixed as they appear."""
    return sorted(
        findings,
        key=lambda f: (
            f.scenario or "",
            f.line if f.line is not None else 10**9,
            f.col if f.col is not None else 0,
            f.code,
            f.message,
        ),
    )


class ProcmapError(Exception):
    """Root of every error procmap raises on purpose."""


class ModelError(ProcmapError, ValueError):
    """A document could not be loaded: it holds every finding (errors and warnings)."""

    def __init__(self, findings: Iterable[Finding], message: str | None = None) -> None:
        self.findings: list[Finding] = sort_findings(findings)
        errors = [f for f in self.findings if f.is_error]
        if message is None:
            shown = errors or self.findings
            head = shown[0].format(hint=False) if shown else "invalid model"
            more = len(shown) - 1
            message = head + (f" (and {more} more)" if more > 0 else "")
        super().__init__(message)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]


class FileError(ProcmapError, OSError):
    """A file could not be read or written (missing, unreadable, a directory)."""


class SimulationError(ProcmapError, RuntimeError):
    """A simulation could not run (e.g. a model that did not drain)."""


class RenderError(ProcmapError, RuntimeError):
    """A drawing could not be made."""


class GraphvizNotFound(RenderError):  # noqa: N818 - the name says what happened
    """The Graphviz ``dot`` program is missing."""
