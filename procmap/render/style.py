"""The house style of every procmap drawing, in one place: fonts, sizes, colours, text metrics.

Everything a reader notices — the font, the ink colours, the lane tints, the heatmap scales — is
a constant here, so that a change of taste is one edit and the flowchart, the SIPOC table, the
Mermaid text and the HTML page stay consistent.

Text is measured here too.  The layout computes node sizes itself (so that the DOT text is a
pure function of the model, byte-identical on every machine), which needs the width of a label
without asking a font library.  The table below holds the advance widths of the printable ASCII
characters of Noto Sans CJK SC (measured once with Graphviz at 100 pt); every other character
counts as a full em (CJK ideographs, full-width punctuation — and ``≤ ± · →``, which this font
also draws full-width), except Latin letters with accents, which count as an average letter.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = [
    "FONT",
    "FONT_STACK_CSS",
    "Palette",
    "text_width",
    "wrap",
]

FONT: Final = "Noto Sans CJK SC"
"""The one font of every label.  Named with its SC face: the collection's default face draws some
hanzi (e.g. 说, 吗) in their Japanese forms.  Its Latin letters are a clean sans, so one font
serves Chinese and English labels alike; where it is missing, fontconfig substitutes a sans."""

FONT_STACK_CSS: Final = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif"
)
"""The same choice for browsers (SVG and HTML), with the usual system fallbacks."""

# Point sizes.
TITLE_PT: Final = 15.0
SUBTITLE_PT: Final = 9.0
NAME_PT: Final = 10.0
DETAIL_PT: Final = 8.0
EDGE_PT: Final = 7.5
LANE_PT: Final = 10.5
LEGEND_PT: Final = 8.0

LINE_GAP: Final = 1.28
"""Line height as a multiple of the point size (Graphviz's HTML labels use about 1.2-1.3)."""


class Palette:
    """Ink and fills.  Accents come from the Okabe-Ito palette, which colour-blind readers can
    tell apart; the heatmap scales are ColorBrewer's sequential YlOrRd and Purples."""

    INK: Final = "#1f2933"
    MUTED: Final = "#52606d"
    FAINT: Final = "#9aa5b1"
    LINE: Final = "#3e4c59"
    NODE_FILL: Final = "#ffffff"
    WAIT_FILL: Final = "#fbfcfd"
    DECISION_FILL: Final = "#fffaf0"
    BAR: Final = "#3e4c59"
    LANE_FILLS: Final = ("#f5f7fa", "#eaeef3")
    LANE_BORDER: Final = "#c3ccd6"
    HEADER_FILL: Final = "#dde4ec"
    LABEL_BG: Final = "#ffffff"
    SLA: Final = "#0072b2"  # Okabe-Ito blue
    SLA_MISSED: Final = "#d55e00"  # vermillion
    KPI: Final = "#007a5e"  # a darker Okabe-Ito bluish green, readable as text
    DATA: Final = "#a4487a"  # a darker reddish purple, readable as text
    SYSTEM: Final = "#0072b2"
    BOTTLENECK: Final = "#d55e00"
    START_FILL: Final = "#e8f1fa"
    END_FILL: Final = "#3e4c59"

    WAIT_SCALE: Final = ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#e31a1c")
    """Stages by on-duty wait share (ColorBrewer YlOrRd, light = little waiting)."""
    WAIT_BOUNDS: Final = (0.01, 0.03, 0.06, 0.10, 0.20)
    """Upper bounds of the first five classes of :attr:`WAIT_SCALE` (shares of cycle time); from
    10 %, the bottleneck threshold of SPEC §5.10, the classes turn orange and red."""
    UTIL_SCALE: Final = ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f")
    """Teams by utilisation (ColorBrewer Purples)."""
    UTIL_BOUNDS: Final = (0.50, 0.65, 0.75, 0.85, 0.95)


_ASCII_EM: Final = (
    # advance widths in em of chr(32) ... chr(126), regular face
    0.226, 0.323, 0.473, 0.556, 0.556, 0.923, 0.683, 0.278, 0.338, 0.338, 0.466, 0.556, 0.278,
    0.346, 0.278, 0.391, 0.556, 0.556, 0.556, 0.556, 0.556, 0.556, 0.556, 0.556, 0.556, 0.556,
    0.278, 0.278, 0.556, 0.556, 0.556, 0.473, 0.946, 0.601, 0.661, 0.611, 0.691, 0.593, 0.556,
    0.691, 0.728, 0.293, 0.493, 0.646, 0.541, 0.811, 0.721, 0.743, 0.631, 0.743, 0.638, 0.580,
    0.601, 0.721, 0.585, 0.878, 0.571, 0.533, 0.587, 0.338, 0.391, 0.338, 0.556, 0.563, 0.608,
    0.563, 0.616, 0.490, 0.623, 0.556, 0.323, 0.563, 0.608, 0.278, 0.278, 0.556, 0.286, 0.923,
    0.608, 0.608, 0.623, 0.623, 0.391, 0.466, 0.355, 0.608, 0.518, 0.803, 0.496, 0.518, 0.473,
    0.338, 0.271, 0.338, 0.556,
)  # fmt: skip
_BOLD_FACTOR: Final = 1.07
_SAFETY: Final = 1.04
"""Labels are measured a little wide: a box a hair too large reads fine, a clipped one does not."""


def _char_em(ch: str) -> float:
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII_EM[code - 32]
    if unicodedata.combining(ch):
        return 0.0
    if 0xC0 <= code < 0x250:  # Latin letters with accents
        return 0.58
    return 1.0


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of one line of ``text`` at ``size`` points in :data:`FONT`."""
    em = sum(_char_em(ch) for ch in text)
    return em * size * (_BOLD_FACTOR if bold else 1.0) * _SAFETY


def line_height(size: float) -> float:
    """The height in points of one line of text at ``size`` points."""
    return size * LINE_GAP


def wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` points.

    Breaks at spaces where there are any; runs of CJK text (no spaces) break between any two
    characters, as Chinese typesetting does, but never before closing punctuation.
    """
    if text_width(text, size, bold=bold) <= max_width:
        return [text]
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        candidate = current + token
        if current and text_width(candidate.rstrip(), size, bold=bold) > max_width:
            cut = _last_cut(current.rstrip())
            if " " not in token and cut > len(current) * 0.4:
                # a line of words ending in a CJK run: break at its last space or bracket
                lines.append(current[:cut].rstrip())
                current = current[cut:].lstrip() + token
            else:
                lines.append(current.rstrip())
                current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines or [text]


_NO_BREAK_BEFORE: Final = frozenset("，。、；：？！）》」』】,.;:?!)%％")
_NO_BREAK_AFTER: Final = frozenset("（《「『【(")


def _last_cut(line: str) -> int:
    """Where a line may break best: after its last space or before its last opening bracket."""
    space = line.rfind(" ") + 1
    bracket = max(line.rfind(ch) for ch in _NO_BREAK_AFTER)
    return max(space, bracket)


def _tokens(text: str) -> list[str]:
    """Words with their trailing space, and single wide characters.

    Closing punctuation stays with what precedes it and opening brackets with what follows,
    as Chinese typesetting rules (and English habit) want.
    """
    tokens: list[str] = []
    word = ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if ch == " ":
            tokens.append(word + ch)
            word = ""
        elif ch in _NO_BREAK_BEFORE and not word and tokens:
            tokens[-1] += ch
        elif wide and ch not in _NO_BREAK_BEFORE and ch not in _NO_BREAK_AFTER:
            tokens.append(word + ch)
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def heat_colour(value: float | None, bounds: tuple[float, ...], scale: tuple[str, ...]) -> str:
    """The class colour of ``value`` on a sequential scale (``bounds`` are upper class limits)."""
    if value is None:
        return Palette.NODE_FILL
    for bound, colour in zip(bounds, scale, strict=False):
        if value < bound:
            return colour
    return scale[-1]


def ink_on(fill: str) -> str:
    """Dark or white text, whichever reads better on ``fill`` (a ``#rrggbb`` colour)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#ffffff" if luminance < 0.45 else Palette.INK
