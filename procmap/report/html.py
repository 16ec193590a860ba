"""The page around the charts: one self-contained HTML document, styles inline, nothing fetched.

A report is mailed to a client and opened on a laptop in a meeting room without a network, or
printed; so the page has no scripts, no web fonts and no external references at all — every chart
is an inline ``<svg>`` and the only links are to anchors in the page itself.  It prints cleanly
(charts never split across pages) and reads well on a narrow screen.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from procmap.render.style import FONT_STACK_CSS as FONT_STACK
from procmap.report import theme

__all__ = ["Cell", "Page", "Section", "chart_figure", "notice", "table", "tiles"]

esc = html.escape

CSS = f"""
:root {{ --ink: {theme.Ink.TEXT}; --muted: {theme.Ink.MUTED}; --faint: {theme.Ink.FAINT};
  --rule: #d9dee4; --band: #f5f7fa; --accent: {theme.Ink.BLUE}; --bad: {theme.Ink.VERMILLION};
  --good: #1a7f37; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-text-size-adjust: 100%; }}
body {{ margin: 0; color: var(--ink); background: #fff; font: 15px/1.55 {FONT_STACK}; }}
main {{ max-width: 1020px; margin: 0 auto; padding: 28px 28px 60px; }}
header.report {{ border-bottom: 3px solid var(--ink); padding-bottom: 14px; margin-bottom: 18px; }}
header.report .kicker {{ text-transform: uppercase; letter-spacing: .08em; font-size: 12px;
  color: var(--muted); margin: 0 0 4px; }}
h1 {{ font-size: 28px; line-height: 1.25; margin: 0 0 6px; }}
h2 {{ font-size: 20px; margin: 38px 0 8px; padding-top: 10px; border-top: 1px solid var(--rule); }}
h3 {{ font-size: 16px; margin: 22px 0 6px; }}
p {{ margin: 6px 0 10px; }}
.lead {{ font-size: 16px; color: var(--muted); margin: 0; }}
.facts {{ font-size: 13px; color: var(--muted); margin-top: 8px; }}
.facts span + span::before {{ content: " · "; color: var(--faint); }}
nav.toc {{ font-size: 13.5px; margin: 14px 0 6px; }}
nav.toc ol {{ columns: 3 220px; margin: 0; padding-left: 20px; }}
nav.toc a {{ color: var(--accent); text-decoration: none; }}
nav.toc a:hover {{ text-decoration: underline; }}
.tiles {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;
  margin: 16px 0 6px; }}
.tile {{ border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }}
.tile .label {{ font-size: 12px; color: var(--muted); }}
.tile .value {{ font-size: 21px; font-weight: 700; line-height: 1.3; }}
.tile .note {{ font-size: 12px; color: var(--muted); }}
.tile.bad {{ border-color: var(--bad); }} .tile.bad .value {{ color: var(--bad); }}
.tile.good .value {{ color: var(--ink); }}
table {{ border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0 14px; }}
caption {{ text-align: left; font-weight: 700; padding: 4px 0; }}
th, td {{ padding: 5px 9px; border-bottom: 1px solid var(--rule); vertical-align: top;
  text-align: left; }}
th {{ font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--ink); white-space: nowrap; }}
tbody tr:nth-child(even) {{ background: var(--band); }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.sub {{ padding-left: 26px; color: var(--muted); }}
.ok {{ color: var(--good); font-weight: 600; }}
.miss {{ color: var(--bad); font-weight: 600; }}
.na {{ color: var(--faint); }}
figure.chart {{ margin: 12px 0 18px; break-inside: avoid; page-break-inside: avoid; }}
figure.chart svg {{ display: block; width: 100%; height: auto; max-width: 100%; }}
figure.chart figcaption, .help {{ font-size: 13px; color: var(--muted); margin-top: 4px; }}
figure.map {{ margin: 12px 0 18px; overflow-x: auto; border: 1px solid var(--rule);
  border-radius: 6px; padding: 8px; }}
figure.map svg {{ display: block; max-width: 100%; height: auto; }}
.notice {{ border-left: 4px solid var(--faint); background: var(--band); padding: 8px 12px;
  margin: 10px 0; font-size: 14px; }}
.notice.warn {{ border-left-color: {theme.Ink.ORANGE}; }}
ul.reasons {{ margin: 4px 0 12px; padding-left: 20px; }}
details.scenario {{ border: 1px solid var(--rule); border-radius: 6px; margin: 12px 0;
  padding: 4px 14px; }}
details.scenario > summary {{ cursor: pointer; font-weight: 700; font-size: 17px; padding: 6px 0; }}
footer {{ margin-top: 40px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: 12.5px;
  color: var(--muted); }}
td.group {{ font-weight: 700; padding-top: 12px; background: #fff; }}
td.total {{ font-weight: 700; }}
@media print {{
  body {{ font-size: 11pt; }} main {{ max-width: none; padding: 0; }}
  nav.toc {{ display: none; }} h2 {{ break-after: avoid; page-break-after: avoid; }}
  details.scenario {{ border: 0; padding: 0; }}
  table, .tiles {{ break-inside: avoid; page-break-inside: avoid; }}
}}
@media (max-width: 640px) {{ main {{ padding: 16px; }} h1 {{ font-size: 23px; }} }}
"""


@dataclass(frozen=True)
class Cell:
    """A table cell: text, how it aligns, and an optional CSS class (``ok``, ``miss``, ``sub``)."""

    text: str
    numeric: bool = False
    css: str = ""
    title: str = ""
    span: int = 1

    def render(self, tag: str = "td") -> str:
        classes = " ".join(c for c in ("num" if self.numeric else "", self.css) if c)
        attrs = f' class="{classes}"' if classes else ""
        if self.span > 1:
            attrs += f' colspan="{self.span}"'
        if self.title:
            attrs += f' title="{esc(self.title, quote=True)}"'
        return f"<{tag}{attrs}>{esc(self.text)}</{tag}>"


def table(
    headers: Sequence[str | Cell],
    rows: Iterable[Sequence[str | Cell]],
    *,
    caption: str = "",
    css: str = "",
) -> str:
    """An HTML table; plain strings are left-aligned text, :class:`Cell` says more."""

    def cell(c: str | Cell) -> Cell:
        return c if isinstance(c, Cell) else Cell(c)

    head = "".join(cell(h).render("th") for h in headers)
    body = "".join("<tr>" + "".join(cell(c).render() for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def tiles(items: Iterable[tuple[str, str, str, str]]) -> str:
    """Key-figure tiles: ``(label, value, note, state)`` with state ``""``, ``good`` or ``bad``."""
    out = []
    for label, value, note, state in items:
        cls = f"tile {state}".strip()
        out.append(
            f'<div class="{cls}"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)}</div><div class="note">{esc(note)}</div></div>'
        )
    return '<div class="tiles">' + "".join(out) + "</div>"


def notice(text: str, *, warn: bool = False) -> str:
    """A short boxed remark (a chart left out, a program missing)."""
    cls = "notice warn" if warn else "notice"
    return f'<p class="{cls}">{esc(text)}</p>'


def chart_figure(svg: str, key: str, caption: str) -> str:
    """One chart: the inline SVG and a caption saying how to read it."""
    return (
        f'<figure class="chart" id="chart-{esc(key, quote=True)}" data-chart="{esc(key, quote=True)}">'
        f"{svg}<figcaption>{esc(caption)}</figcaption></figure>"
    )


@dataclass
class Section:
    """A numbered part of the page with an anchor for the table of contents."""

    key: str
    title: str
    body: list[str] = field(default_factory=list)

    def add(self, *parts: str) -> Section:
        self.body.extend(p for p in parts if p)
        return self

    def render(self, level: int = 2) -> str:
        return (
            f'<section id="{esc(self.key, quote=True)}"><h{level}>{esc(self.title)}</h{level}>'
            + "".join(self.body)
            + "</section>"
        )


@dataclass
class Page:
    """The whole document: header, key figures, contents, sections, method note, footer."""

    title: str
    kicker: str
    lead: str = ""
    facts: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
    lang: str = "en"

    def render(self) -> str:
        toc = "".join(
            f'<li><a href="#{esc(s.key, quote=True)}">{esc(s.title)}</a></li>'
            for s in self.sections
        )
        facts = "".join(f"<span>{esc(f)}</span>" for f in self.facts)
        lead = f'<p class="lead">{esc(self.lead)}</p>' if self.lead else ""
        today = date.today().isoformat()
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{self.lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="procmap"><title>{esc(self.title)}</title>'
            f"<style>{CSS}</style></head><body><main>"
            f'<header class="report"><p class="kicker">{esc(self.kicker)}</p>'
            f"<h1>{esc(self.title)}</h1>{lead}"
            f'<div class="facts">{facts}</div></header>'
            + "".join(self.intro)
            + f'<nav class="toc" aria-label="Contents"><ol>{toc}</ol></nav>'
            + "".join(s.render() for s in self.sections)
            + f"<footer>{esc(self.footer)} Report made on {today}.</footer>"
            "</main></body></html>\n"
        )
