"""The house style of every report chart, and the plumbing that turns a figure into SVG or PNG.

Every chart of a report goes through here, so that they share one look — the font, the ink and
accent colours, the title-and-subtitle header, the light grid, the human time axis — and so that a
change of taste is one edit.  Colours are the Okabe-Ito palette (readable by colour-blind
readers), inks match the flowchart's (:mod:`procmap.render.style`).

matplotlib is imported lazily, by :func:`mpl`, only when a report is made: procmap itself does
not need it, and ``pip install "procmap[report]"`` brings it.  Figures are built with
:class:`matplotlib.figure.Figure` directly — never pyplot — so no global figure manager, no GUI
backend and no ``show()`` are ever involved, and figures are freed when they go out of scope.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

from procmap.errors import RenderError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "INSTALL_HINT",
    "Ink",
    "figure",
    "format_money",
    "mpl",
    "png_bytes",
    "shorten",
    "svg_text",
    "time_axis",
]

INSTALL_HINT: Final = 'reports need matplotlib 3.11 or newer: pip install "procmap[report]"'
MIN_MATPLOTLIB: Final = (3, 11)
"""3.11 is the first matplotlib that picks a named face (Noto Sans CJK *SC*) out of a ``.ttc``
font collection; older ones take the collection's first face and draw hanzi in Japanese forms."""

CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Microsoft YaHei",
)
"""Fonts tried first, in order; the first one installed draws every label (Latin included)."""

FIG_WIDTH: Final = 8.0
TITLE_PT: Final = 11.5
SUBTITLE_PT: Final = 8.5
"""Inches; at the page's width this prints text at about the size of the body text."""


class Ink:
    """Colours.  Accents from Okabe-Ito; inks and fills as in the flowchart."""

    TEXT: Final = "#1f2933"
    MUTED: Final = "#52606d"
    FAINT: Final = "#9aa5b1"
    GRID: Final = "#e4e7eb"
    SPINE: Final = "#9aa5b1"
    BLUE: Final = "#0072b2"
    SKY: Final = "#56b4e9"
    GREEN: Final = "#009e73"
    ORANGE: Final = "#e69f00"
    VERMILLION: Final = "#d55e00"
    PURPLE: Final = "#cc79a7"
    YELLOW: Final = "#f0e442"
    GREY: Final = "#8a96a3"
    LIGHT: Final = "#cbd2d9"

    MET: Final = BLUE
    MISSED: Final = VERMILLION
    NO_GOAL: Final = GREY

    SERIES: Final = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, GREY)
    """Categorical colours for segments and scenarios, in order."""


def mpl() -> ModuleType:
    """matplotlib, imported on first use, with an install hint when it is missing or too old.

    Raises
    ------
    RenderError
        matplotlib is not installed, or older than 3.11.
    """
    try:
        import matplotlib
    except ImportError:
        raise RenderError(INSTALL_HINT) from None
    parts = tuple(int(p) for p in re.findall(r"\d+", matplotlib.__version__)[:2])
    if parts < MIN_MATPLOTLIB:
        raise RenderError(f"{INSTALL_HINT} (found matplotlib {matplotlib.__version__})")
    return matplotlib


@cache
def font_family() -> tuple[str, ...]:
    """The installed CJK fonts of :data:`CJK_FONTS`, then DejaVu Sans (matplotlib's own) as the
    per-glyph fallback; asking only for installed fonts keeps matplotlib from logging misses."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return (*(name for name in CJK_FONTS if name in installed), "DejaVu Sans")


def has_cjk_font() -> bool:
    """Whether a CJK font is installed (otherwise Chinese labels would draw as boxes)."""
    return len(font_family()) > 1


def _rc() -> dict[str, Any]:
    return {
        "font.family": list(font_family()),
        "font.size": 9.0,
        "axes.titlesize": 10.0,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlepad": 8.0,
        "axes.titlecolor": Ink.TEXT,
        "axes.labelsize": 9.0,
        "axes.labelcolor": Ink.MUTED,
        "axes.edgecolor": Ink.SPINE,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.axisbelow": True,
        "axes.unicode_minus": True,
        "grid.color": Ink.GRID,
        "grid.linewidth": 0.8,
        "xtick.color": Ink.MUTED,
        "ytick.color": Ink.MUTED,
        "xtick.labelcolor": Ink.TEXT,
        "ytick.labelcolor": Ink.TEXT,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "xtick.major.size": 3.0,
        "ytick.major.size": 0.0,
        "legend.frameon": False,
        "legend.fontsize": 8.5,
        "text.color": Ink.TEXT,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "svg.fonttype": "path",
        "svg.image_inline": True,
        "hatch.color": Ink.FAINT,
    }


@contextmanager
def style() -> Iterator[None]:
    """The house style, for building *and* saving a figure (text is laid out at draw time)."""
    matplotlib = mpl()
    with matplotlib.rc_context(_rc()):
        yield


def figure(body: float, title: str, subtitle: str = "", *, width: float = FIG_WIDTH) -> Figure:
    """A new figure with the report's header: a bold title and a muted subtitle below it.

    ``body`` is the height in inches below the header (plots, axis labels, legend); the header's
    own height is added, so a subtitle that wraps never squeezes the plot.  The header sits in
    the figure's top margin, left-aligned with the figure, so that every chart of a report starts
    the same way; call inside :func:`style`.
    """
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    lines = wrap(subtitle, int(width * 72 / (SUBTITLE_PT * 0.5))) if subtitle else []
    # Extra title lines (spaces) reserve the subtitle's room inside the constrained layout.
    reserve = math.ceil(len(lines) * SUBTITLE_PT * 1.2 / (TITLE_PT * 1.35))
    header = (1 + reserve) * TITLE_PT * 1.35 / 72 + 0.2
    fig = Figure(figsize=(width, body + header), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.08, w_pad=0.08, hspace=0.06, wspace=0.06)
    title_text = fig.suptitle(
        title + "\n " * reserve,
        x=0.1 / width,
        ha="left",
        fontsize=TITLE_PT,
        fontweight="bold",
        color=Ink.TEXT,
        linespacing=1.35,
    )
    if subtitle:
        fig.add_artist(
            Annotation(
                "\n".join(lines),
                xy=(0, 1),
                xycoords=title_text,
                xytext=(0, -TITLE_PT * 1.45),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=SUBTITLE_PT,
                color=Ink.MUTED,
            )
        )
    return fig


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every ``id`` of one SVG, and the references to them, with ``prefix``.

    Several inline SVGs share one HTML document, where ids must be unique; matplotlib names
    glyphs by font and character (``DejaVuSans-41``), so two charts would otherwise define the
    same ids.
    """
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg

    def ref(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    return re.sub(r"(#)([^\s\"')]+)", ref, svg)


def inline_svg(svg: str, key: str) -> str:
    """An SVG document made fit to inline in HTML: no prolog, doctype or comments, no namespace
    declarations (the HTML parser supplies them, so the page names no web address at all), and
    ids made unique to this drawing with the prefix ``key``."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    return _unique_ids(svg, key)


def svg_text(fig: Figure, key: str, label: str) -> str:
    """The figure as an inline ``<svg>`` element: no XML prolog, unique ids, deterministic.

    Text is drawn as glyph outlines (``svg.fonttype: path``), so the page looks the same on a
    machine without the CJK font; ``label`` becomes the element's accessible name, which is also
    what a reader's search (and the tests) can find.
    """
    from html import escape

    buf = io.StringIO()
    with style(), mpl().rc_context({"svg.hashsalt": key}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", inline_svg(buf.getvalue(), key), flags=re.S)
    attrs = f'role="img" aria-label="{escape(label, quote=True)}" class="chart"'
    return svg.replace("<svg ", f"<svg {attrs} ", 1)


def png_bytes(fig: Figure, dpi: float = 110.0) -> bytes:
    """The figure as PNG bytes (for slides and the guide's pictures)."""
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


# --- text ---------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns on screen: CJK and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, width: int = 30) -> str:
    """``text`` cut to ``width`` display columns with an ellipsis (long names in chart labels)."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def wrap(text: str, width: int) -> list[str]:
    """Greedy line breaking by display width (words kept whole unless longer than a line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while display_width(word) > width:
            cut = shorten(word, width + 1)[:-1]
            if line:
                lines.append(line)
                line = ""
            lines.append(cut)
            word = word[len(cut) :]
        candidate = f"{line} {word}" if line else word
        if display_width(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def format_money(value: float | None, currency: str | None = None, *, decimals: int = 0) -> str:
    """``CNY 1,234`` (or ``1,234`` without a currency); ``—`` for a missing value."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    return f"{currency} {text}" if currency else text


# --- time axes ----------------------------------------------------------------------------------

_MIN, _H, _D, _W = 60.0, 3600.0, 86400.0, 604800.0
_NICE_TIMES: Final = (
    (1, "1s"),
    (5, "5s"),
    (15, "15s"),
    (_MIN, "1min"),
    (5 * _MIN, "5min"),
    (15 * _MIN, "15min"),
    (30 * _MIN, "30min"),
    (_H, "1h"),
    (2 * _H, "2h"),
    (4 * _H, "4h"),
    (8 * _H, "8h"),
    (_D, "1d"),
    (2 * _D, "2d"),
    (4 * _D, "4d"),
    (_W, "1w"),
    (2 * _W, "2w"),
    (4 * _W, "4w"),
    (8 * _W, "8w"),
    (16 * _W, "16w"),
    (32 * _W, "32w"),
    (52 * _W, "52w"),
)
"""Tick positions a consultant reads at a glance on a logarithmic time axis (d = 24 h)."""


def time_ticks(lo: float, hi: float, most: int = 9) -> list[tuple[float, str]]:
    """Nice ticks between ``lo`` and ``hi`` seconds, thinned to at most ``most``."""
    ticks = [(v, t) for v, t in _NICE_TIMES if lo <= v <= hi]
    while len(ticks) > most:
        ticks = ticks[::2]
    return ticks


def time_axis(ax: Axes, lo: float, hi: float, which: str = "x") -> None:
    """A logarithmic time axis from ``lo`` to ``hi`` seconds, labelled ``1h 4h 1d 1w``."""
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    (ax.set_xlim if which == "x" else ax.set_ylim)(lo, hi)
    ticks = time_ticks(lo, hi)
    axis.set_major_locator(FixedLocator([v for v, _ in ticks]))
    axis.set_major_formatter(mpl().ticker.FixedFormatter([t for _, t in ticks]))
    axis.set_minor_locator(NullLocator())
    axis.set_minor_formatter(NullFormatter())


def percent_axis(ax: Axes, which: str = "x", step: float | None = None) -> None:
    """Shares 0-1 shown as ``85%``, with ticks every ``step`` (default: matplotlib's choice)."""
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    axis = ax.xaxis if which == "x" else ax.yaxis
    if step is not None:
        axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(PercentFormatter(1.0, decimals=0))


def value_grid(ax: Axes, which: str = "x") -> None:
    """Light grid lines on the value axis only, and no spine on the category side."""
    ax.grid(True, axis=which, which="major")
    if which == "x":
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
    else:
        ax.spines["bottom"].set_color(Ink.SPINE)


def category_colours(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per name (segments, scenarios) in :attr:`Ink.SERIES` order."""
    return {n: Ink.SERIES[i % len(Ink.SERIES)] for i, n in enumerate(names)}
