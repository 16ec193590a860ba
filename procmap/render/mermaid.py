"""The flowchart as Mermaid text: ``flowchart LR`` with one subgraph per team.

For places Graphviz does not reach: GitHub and GitLab render Mermaid inside Markdown, wikis and
slide tools paste it, and the HTML page falls back to it when the ``dot`` program is missing.
Same lanes, shapes and words as the Graphviz map (shapes by kind, edge labels with share,
segment, hand-off and data; data flows dotted), with generated ASCII ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from procmap.model.graphs import flow_order, lanes
from procmap.render.content import Words

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = ["to_mermaid"]


def _escape(text: str) -> str:
    return (
        text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def _text(text: str) -> str:
    """A Mermaid label: quoted, with quotes and markup-significant characters as entities."""
    return f'"{_escape(text)}"'


def to_mermaid(model: Model, direction: Literal["LR", "TB"] = "LR") -> str:
    """Mermaid ``flowchart`` source of the swimlane map (pure: same model, same text)."""
    doc = model.document
    words = Words(model)
    graph = model.graph
    order = flow_order(graph, doc.entry)
    lane_of = lanes(graph, doc.entry)
    ids = {sid: f"s{i}" for i, sid in enumerate(doc.stages)}
    team_ids = {tid: f"t{i}" for i, tid in enumerate(doc.teams)}
    out = [f"flowchart {direction}"]
    out.append(f"  %% {doc.process.id}: {model.name}".replace("\n", " "))
    out.append('  start(("start"))')

    def node(sid: str) -> str:
        stage = doc.stages[sid]
        parts = [words.stage_name(sid)]
        if stage.duration is not None:
            parts.append(stage.duration.describe())
        if stage.system:
            parts.append(f"▣ {stage.system}")
        label = _label(parts)
        nid = ids[sid]
        if stage.kind == "decision":
            return f"{nid}{{{label}}}"
        if stage.kind == "end":
            caption = words.stage_name(sid) + (f" ({stage.outcome})" if stage.outcome else "")
            return f"{nid}((({_label([caption])})))"
        if stage.kind == "join":
            return f"{nid}[{_label([stage.name or 'join'])}]:::bar"
        if stage.kind == "wait":
            return f"{nid}([{label}]):::wait"
        return f"{nid}({label})"

    for tid in doc.teams:
        members = [sid for sid in order if lane_of.get(sid) == tid]
        if not members and not any(f.to == tid or f.from_ == tid for f in doc.data_flows):
            continue
        out.append(f"  subgraph {team_ids[tid]}[{_label([words.team_name(tid)])}]")
        out.append(f"    direction {direction}")
        for sid in members:
            out.append(f"    {node(sid)}")
            if doc.stages[sid].is_split:
                out.append(f'    {ids[sid]}_split[" "]:::bar')
        out.append("  end")
    orphans = [sid for sid in order if lane_of.get(sid) not in doc.teams]
    for sid in orphans:
        out.append(f"  {node(sid)}")
    out.append(f"  start --> {ids[doc.entry]}")
    for sid in order:
        stage = doc.stages[sid]
        if stage.is_split:
            out.append(f"  {ids[sid]} --> {ids[sid]}_split")
            for branch in stage.branches:
                out.append(f"  {ids[sid]}_split --> {ids[branch.to]}")
            continue
        for branch in stage.branches:
            block = words.branch_block(stage, branch)
            text = " · ".join(line.text for line in block.lines)
            arrow = f"-->|{_text(text)}|" if text else "-->"
            out.append(f"  {ids[sid]} {arrow} {ids[branch.to]}")
    for flow in doc.data_flows:
        src = ids.get(flow.from_) or team_ids.get(flow.from_)
        dst = ids.get(flow.to) or team_ids.get(flow.to)
        if src is None or dst is None:
            continue
        text = ", ".join(flow.data) + (f" (▣ {flow.system})" if flow.system else "")
        out.append(f"  {src} -.->|{_text(text)}| {dst}")
    out.append("  classDef wait stroke-dasharray: 5 4")
    out.append("  classDef bar fill:#3e4c59,stroke:#3e4c59,color:#ffffff")
    return "\n".join(out) + "\n"


def _label(parts: list[str]) -> str:
    """Lines of a node label, each escaped, joined with Mermaid's line break."""
    return '"' + "<br>".join(_escape(p) for p in parts) + '"'
