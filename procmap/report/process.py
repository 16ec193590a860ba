"""The first part of a report: what was modelled — the process, its teams and stages, its SIPOC.

A steering meeting starts by agreeing on the model; these tables come straight from the YAML
(in the user's own words), so the client can check them before believing any figure.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from procmap.report import theme
from procmap.report.html import Cell, Section, notice, table
from procmap.report.words import Names, share_text

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = ["flow_order", "process_section", "sipoc_section"]


def flow_order(model: Model) -> list[str]:
    """Stages in flow order: breadth first from the entry, branches in YAML order."""
    graph, seen, queue = model.graph, [model.entry], [model.entry]
    while queue:
        sid = queue.pop(0)
        succ = sorted(graph.successors(sid), key=lambda t: graph.edges[sid, t].get("index", 0))
        for t in succ:
            if t not in seen:
                seen.append(t)
                queue.append(t)
    return seen + [s for s in model.document.stages if s not in seen]


def _staffing(team: Any) -> str:
    if team.staff == "unlimited":
        return "unlimited (external)"
    if team.shifts:
        return " + ".join(f"{s.staff} {s.calendar}" for s in team.shifts)
    return f"{team.staff} {team.calendar or 'always'}"


def process_section(model: Model | None, names: Names, key: str) -> Section:
    """What was modelled: description, teams, and the stages in flow order."""
    sec = Section(key, "The process")
    if model is None:
        return sec.add(notice("The model was not given, so the process cannot be described."))
    doc = model.document
    if doc.process.description:
        sec.add(f"<p>{escape(doc.process.description)}</p>")
    rows = []
    for tid, t in doc.teams.items():
        avail = "" if t.availability == 1 else share_text(t.availability, 0)
        rate = (
            "" if t.cost_per_hour is None else theme.format_money(t.cost_per_hour, None, decimals=0)
        )
        rows.append([names.team(tid), tid, _staffing(t), Cell(avail, True), Cell(rate, True)])
    currency = f" ({names.currency})" if names.currency else ""
    sec.add(
        table(
            [
                "Team (swimlane)",
                "id",
                "staff on calendar",
                Cell("availability", True),
                Cell(f"cost per hour{currency}", True),
            ],
            rows,
            caption="Teams",
        )
    )
    rows = []
    for sid in flow_order(model):
        st = doc.stages[sid]
        dist = getattr(st.duration, "describe", lambda: "")() if st.duration is not None else ""
        owner = names.team(st.team) if st.team else ""
        rows.append([names.stage(sid), st.kind, owner, dist, st.system or ""])
    sec.add(
        table(
            ["Stage", "kind", "owner", "duration (working time)", "system"],
            rows,
            caption="Stages in flow order",
        )
    )
    return sec


def sipoc_section(model: Model | None, names: Names, key: str) -> Section:
    sec = Section(key, "SIPOC")
    if model is None:
        return sec.add(notice("The model was not given, so the SIPOC table cannot be shown."))
    s = model.document.sipoc
    sec.add(
        table(
            ["Suppliers", "Inputs", "Process", "Outputs", "Customers"],
            [
                [
                    ", ".join(s.suppliers),
                    ", ".join(s.inputs),
                    names.process,
                    ", ".join(s.outputs),
                    ", ".join(s.customers),
                ]
            ],
            caption="The process as a whole",
        ),
        _sipoc_steps(model),
    )
    return sec


def _sipoc_steps(model: Model) -> str:
    """The step-by-step SIPOC table, derived by the render layer (SPEC §7's provided/received
    rule), so the report and ``procmap render --view sipoc`` say the same."""
    try:
        from procmap.render import sipoc_rows
    except ImportError:  # pragma: no cover - a build without the render layer
        return notice("This build of procmap cannot derive the step-by-step SIPOC table.")
    rows = [
        [
            ", ".join(r.suppliers),
            ", ".join(r.inputs),
            r.process,
            ", ".join(r.outputs),
            ", ".join(r.customers),
        ]
        for r in sipoc_rows(model)
    ]
    heads = ["Suppliers", "Inputs", "Process step — owner (system)", "Outputs", "Customers"]
    return table(heads, rows, caption="Step by step")
