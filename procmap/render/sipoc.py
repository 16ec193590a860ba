"""The SIPOC view: Suppliers | Inputs | Process | Outputs | Customers, one row per stage.

Rows follow the flow (breadth-first from the entry) and are derived from the graph with the
provided/received rule of SPEC §3, so the table a consultant hands the client says who feeds
each step, not only what the YAML lists:

* an input is *provided* by an upstream stage that outputs it, by the branch that carries it as
  data, by a data flow, or — if it is one of ``sipoc.inputs`` — by ``sipoc.suppliers``;
* an output is *received* by a downstream stage that takes it as input, by the branch that
  carries it, by a data flow's target, or — if it is one of ``sipoc.outputs`` — by
  ``sipoc.customers``.

Markdown, HTML and CSV are text; SVG (and PNG, PDF) go through Graphviz as one HTML-like table.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import networkx as nx

from procmap.model.graphs import flow_order
from procmap.render import style
from procmap.render.content import Words
from procmap.render.dot import escape
from procmap.render.style import Palette

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = ["SipocRow", "sipoc_dot", "sipoc_rows", "sipoc_table"]

COLUMNS = ("Suppliers", "Inputs", "Process", "Outputs", "Customers")


@dataclass(frozen=True)
class SipocRow:
    """One stage: who supplies what it takes in, and who receives what it gives out."""

    stage: str
    step: str
    owner: str
    system: str
    suppliers: tuple[str, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    customers: tuple[str, ...]

    @property
    def process(self) -> str:
        """``Step — Owner (System)``: the Process cell."""
        text = self.step
        if self.owner:
            text += f" — {self.owner}"
        if self.system:
            text += f" ({self.system})"
        return text


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def sipoc_rows(model: Model) -> list[SipocRow]:
    """The SIPOC rows of a model, one per stage in flow order."""
    doc = model.document
    graph = model.graph
    words = Words(model)

    def who(ref: str) -> str:
        if ref in doc.stages:
            team = doc.stages[ref].team
            name = words.stage_name(ref)
            return f"{name} ({words.team_name(team)})" if team else name
        return words.team_name(ref)

    rows = []
    for sid in flow_order(graph, doc.entry):
        stage = doc.stages[sid]
        up = sorted(nx.ancestors(graph, sid) - {sid}, key=list(doc.stages).index)
        down = sorted(nx.descendants(graph, sid) - {sid}, key=list(doc.stages).index)
        incoming = [(p, graph.edges[p, sid].get("data") or ()) for p in graph.predecessors(sid)]
        outgoing = [(s, graph.edges[sid, s].get("data") or ()) for s in graph.successors(sid)]
        flows_in = [f for f in doc.data_flows if f.to in (sid, stage.team)]
        flows_out = [f for f in doc.data_flows if f.from_ == sid]
        inputs = _unique(
            list(stage.inputs)
            + [d for _, data in incoming for d in data]
            + [d for f in flows_in for d in f.data]
        )
        outputs = _unique(
            list(stage.outputs)
            + [d for _, data in outgoing for d in data]
            + [d for f in flows_out for d in f.data]
        )
        suppliers: list[str] = []
        for item in inputs:
            suppliers += [who(u) for u in up if item in doc.stages[u].outputs]
            suppliers += [who(p) for p, data in incoming if item in data]
            suppliers += [who(f.from_) for f in flows_in if item in f.data]
            if item in doc.sipoc.inputs:
                suppliers += list(doc.sipoc.suppliers)
        customers: list[str] = []
        for item in outputs:
            customers += [who(d) for d in down if item in doc.stages[d].inputs]
            customers += [who(s) for s, data in outgoing if item in data]
            customers += [who(f.to) for f in flows_out if item in f.data]
            if item in doc.sipoc.outputs:
                customers += list(doc.sipoc.customers)
        rows.append(
            SipocRow(
                stage=sid,
                step=words.stage_name(sid),
                owner=words.team_name(stage.team) if stage.team else "",
                system=stage.system or "",
                suppliers=_unique(suppliers),
                inputs=inputs,
                outputs=outputs,
                customers=_unique(customers),
            )
        )
    return rows


def _cells(row: SipocRow) -> tuple[tuple[str, ...], ...]:
    return (row.suppliers, row.inputs, (row.process,), row.outputs, row.customers)


def _summary(model: Model) -> list[tuple[str, tuple[str, ...]]]:
    s = model.document.sipoc
    return [
        ("Suppliers", s.suppliers),
        ("Inputs", s.inputs),
        ("Outputs", s.outputs),
        ("Customers", s.customers),
    ]


def _md(text: str) -> str:
    """Text for a Markdown table cell: no raw HTML, no column breaks."""
    return html.escape(text, quote=False).replace("|", "\\|")


def _md_cell(items: tuple[str, ...]) -> str:
    return "<br>".join(_md(i) for i in items) or "—"


def sipoc_table(model: Model, format: Literal["md", "html", "csv"] = "md") -> str:
    """The SIPOC table as Markdown, an HTML fragment or CSV (one row per stage).

    Raises
    ------
    ValueError
        An unknown ``format``.
    """
    rows = sipoc_rows(model)
    name = model.name
    if format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(
            ["stage", "step", "owner", "system", "suppliers", "inputs", "outputs", "customers"]
        )
        for r in rows:
            writer.writerow(
                [r.stage, r.step, r.owner, r.system, "; ".join(r.suppliers), "; ".join(r.inputs),
                 "; ".join(r.outputs), "; ".join(r.customers)]
            )  # fmt: skip
        return buf.getvalue()
    if format == "md":
        out = [f"# SIPOC — {_md(name)}", ""]
        whole = [f"**{k}:** {_md(', '.join(v)) or '—'}" for k, v in _summary(model)]
        out += ["Whole process — " + " · ".join(whole), ""]
        out.append("| " + " | ".join(COLUMNS) + " |")
        out.append("|" + "---|" * len(COLUMNS))
        for r in rows:
            cells = [_md_cell(c) for c in _cells(r)]
            cells[2] = f"**{_md(r.step)}**" + (f"<br>{_md(r.owner)}" if r.owner else "")
            cells[2] += f"<br>▣ {_md(r.system)}" if r.system else ""
            out.append("| " + " | ".join(cells) + " |")
        return "\n".join(out) + "\n"
    if format == "html":
        e = html.escape
        head = "".join(f"<th>{c}</th>" for c in COLUMNS)
        body = []
        for r in rows:
            cells = [
                "<br>".join(e(i) for i in c) or "—"
                for c in (r.suppliers, r.inputs, (), r.outputs, r.customers)
            ]
            cells[2] = (
                f"<b>{e(r.step)}</b>"
                + (f"<br>{e(r.owner)}" if r.owner else "")
                + (f'<br><span class="system">▣ {e(r.system)}</span>' if r.system else "")
            )
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        whole = " · ".join(f"<b>{k}:</b> {e(', '.join(v)) or '—'}" for k, v in _summary(model))
        return (
            f'<table class="procmap-sipoc"><caption>SIPOC — {e(name)}<br>'
            f"<small>Whole process — {whole}</small></caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
    raise ValueError(f"unknown SIPOC format: {format!r} (must be one of ['csv', 'html', 'md'])")


def sipoc_dot(model: Model) -> str:
    """The SIPOC table as DOT: one node holding an HTML-like table (draw with Graphviz)."""
    rows = sipoc_rows(model)
    size = style.DETAIL_PT + 0.5
    width = 150.0

    def cell(items: tuple[str, ...], *, bold_first: bool = False) -> str:
        parts = []
        for n, item in enumerate(items):
            for line in style.wrap(item, size, width):
                text = escape(line)
                parts.append(f"<B>{text}</B>" if bold_first and n == 0 else text)
        return "<BR/>".join(parts) if parts else "—"

    head = "".join(
        f'<TD BGCOLOR="{Palette.HEADER_FILL}"><FONT POINT-SIZE="{size + 1}"><B>{c}</B></FONT></TD>'
        for c in COLUMNS
    )
    trs = [f"<TR>{head}</TR>"]
    for i, r in enumerate(rows):
        fill = Palette.LANE_FILLS[i % 2]
        process = (
            [r.step] + ([r.owner] if r.owner else []) + ([f"▣ {r.system}"] if r.system else [])
        )
        tds = "".join(
            f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP" BGCOLOR="{fill}"><FONT POINT-SIZE="{size}">'
            f"{cell(c, bold_first=(j == 2))}</FONT></TD>"
            for j, c in enumerate((r.suppliers, r.inputs, tuple(process), r.outputs, r.customers))
        )
        trs.append(f"<TR>{tds}</TR>")
    whole = " · ".join(f"{k}: {', '.join(v) or '—'}" for k, v in _summary(model))
    title = (
        f'<TR><TD COLSPAN="5" ALIGN="LEFT" BORDER="0"><FONT POINT-SIZE="{style.TITLE_PT - 2}">'
        f'<B>SIPOC — {escape(model.name)}</B></FONT><BR ALIGN="LEFT"/>'
        f'<FONT POINT-SIZE="{size}" COLOR="{Palette.MUTED}">Whole process — {escape(whole)}</FONT>'
        '<BR ALIGN="LEFT"/></TD></TR>'
    )
    table = (
        f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5" COLOR="{Palette.LANE_BORDER}">'
        + title
        + "".join(trs)
        + "</TABLE>"
    )
    return (
        f"// procmap SIPOC table of {model.id}\n"
        "// Draw with  dot -Kneato -n2 -Tsvg THIS.dot -o sipoc.svg\n"
        "digraph procmap_sipoc {\n"
        f'  graph [pad="0.2" bgcolor="white" fontname="{style.FONT}"];\n'
        f'  node [fontname="{style.FONT}" fontcolor="{Palette.INK}" shape=plaintext margin=0];\n'
        f'  sipoc [pos="0,0" label=<{table}>];\n'
        "}\n"
    )
