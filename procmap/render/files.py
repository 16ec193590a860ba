"""The file layer: formats, default names, the ``dot`` program, atomic writes.

Everything else in :mod:`procmap.render` returns text; this module is where drawings become
files.  Graphviz is found through ``PROCMAP_DOT`` (a path to ``dot``), then ``PATH``; when it is
missing, the formats that need it raise :class:`~procmap.GraphvizNotFound` with the install
hint, and the text formats (``dot``, ``mermaid``, ``md``, ``csv``) and an ``html`` page (with
the Mermaid source instead of the drawing) still work.  Files are written through a temporary
file and ``os.replace``, so a reader never sees half a drawing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from procmap.errors import GraphvizNotFound, RenderError
from procmap.render import style

if TYPE_CHECKING:
    from procmap.model.model import Model
    from procmap.sim.result import SimulationResult

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "INSTALL_HINT",
    "TEXT_FORMATS",
    "default_name",
    "find_dot",
    "format_of",
    "render",
    "render_bytes",
    "run_dot",
    "svg_text",
    "write_bytes_atomic",
]

FORMATS: Final = ("svg", "png", "pdf", "dot", "mermaid", "html", "md", "csv")
TEXT_FORMATS: Final = frozenset({"dot", "mermaid", "html", "md", "csv", "svg"})
"""Formats that are text (``-o -`` writes them to stdout)."""
BINARY_FORMATS: Final = frozenset({"png", "pdf"})
NEEDS_DOT: Final = frozenset({"svg", "png", "pdf"})
VIEW_FORMATS: Final = {
    "flow": ("svg", "png", "pdf", "dot", "mermaid", "html", "md"),
    "sipoc": ("svg", "png", "pdf", "dot", "html", "md", "csv"),
}
_EXTENSIONS: Final = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mermaid": "mermaid",
    ".mmd": "mermaid",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
}
INSTALL_HINT: Final = (
    "install Graphviz and the CJK font: apt-get install graphviz fonts-noto-cjk "
    "(macOS: brew install graphviz), or set PROCMAP_DOT to the path of the dot program; "
    "the dot, mermaid, md and csv formats work without it"
)
PNG_DPI: Final = 144
"""Pixels per inch of PNG output: sharp on a projector and on a high-density screen."""


def find_dot() -> str | None:
    """The ``dot`` program: ``$PROCMAP_DOT`` if set (and executable), else the one on PATH."""
    configured = os.environ.get("PROCMAP_DOT")
    if configured:
        path = Path(configured)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        found = shutil.which(configured)
        return found
    return shutil.which("dot")


def format_of(path: str | os.PathLike[str] | None, fmt: str | None, view: str = "flow") -> str:
    """The output format: ``fmt`` if given, else from the file's extension, else ``svg``.

    Raises
    ------
    ValueError
        An unknown format or extension, or a format the view cannot be drawn in.
    """
    if fmt is None:
        if path is None or str(path) == "-":
            fmt = "svg" if view == "flow" else "md"
        else:
            ext = Path(path).suffix.lower()
            if ext not in _EXTENSIONS:
                raise ValueError(
                    f"cannot tell the format from the extension {ext or '(none)'!r} of {os.fspath(path)!r}"
                    f" (give --format, one of {sorted(FORMATS)})"
                )
            fmt = _EXTENSIONS[ext]
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt!r} (must be one of {sorted(FORMATS)})")
    if view not in VIEW_FORMATS:
        raise ValueError(f"unknown view: {view!r} (must be one of ['flow', 'sipoc'])")
    if fmt not in VIEW_FORMATS[view]:
        raise ValueError(
            f"the {view} view has no {fmt} format (must be one of {sorted(VIEW_FORMATS[view])})"
        )
    return fmt


def default_name(model: Model, view: str, fmt: str) -> str:
    """``<process.id>[-<view>].<format>`` (SPEC §7): ``service-desk.svg``, ``service-desk-sipoc.md``."""
    suffix = "" if view == "flow" else f"-{view}"
    return f"{model.id}{suffix}.{fmt}"


def run_dot(source: str, fmt: str, *, dpi: int | None = None) -> bytes:
    """Draw DOT text with Graphviz (``dot -Kneato -n2``: the positions are ours).

    Raises
    ------
    GraphvizNotFound
        No ``dot`` program (see :func:`find_dot`).
    RenderError
        Graphviz failed (its message is included).
    """
    dot = find_dot()
    if dot is None:
        where = "$PROCMAP_DOT" if os.environ.get("PROCMAP_DOT") else "PATH"
        raise GraphvizNotFound(f"the Graphviz dot program was not found on {where}; {INSTALL_HINT}")
    args = [dot, "-Kneato", "-n2", f"-T{fmt}"]
    if fmt == "png":
        args.append(f"-Gdpi={dpi or PNG_DPI}")
    try:
        done = subprocess.run(
            args, input=source.encode("utf-8"), capture_output=True, timeout=300, check=False
        )
    except OSError as exc:
        raise GraphvizNotFound(
            f"cannot run {dot!r} ({exc.strerror or exc}); {INSTALL_HINT}"
        ) from None
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took more than 300 s to draw the {fmt}") from None
    errors = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not done.stdout:
        raise RenderError(f"Graphviz failed to draw the {fmt} [stderr: {errors or 'none'}]")
    return done.stdout


_FONT_ATTR = re.compile(r'font-family="([^"]*)"')


def svg_text(source: str) -> str:
    """SVG of DOT text, with a font list browsers without Noto CJK can still use."""
    svg = run_dot(source, "svg").decode("utf-8")
    stack = style.FONT_STACK_CSS.replace("'", "&apos;")
    return _FONT_ATTR.sub(
        lambda m: f'font-family="{stack}"' if style.FONT in m.group(1) else m.group(0), svg
    )


def render_bytes(
    model: Model,
    fmt: str,
    *,
    view: str = "flow",
    results: Any = None,
    direction: Literal["LR", "TB"] = "LR",
    dpi: int | None = None,
) -> bytes:
    """The drawing of ``model`` in ``fmt``, as bytes (UTF-8 for text formats).

    Raises
    ------
    GraphvizNotFound
        ``svg``, ``png`` or ``pdf`` without the ``dot`` program.
    RenderError, ValueError, FileError
        See :func:`procmap.render.dot.to_dot` and :func:`run_dot`.
    """
    from procmap.render.dot import to_dot

    fmt = format_of(None, fmt, view)
    if fmt == "dot":
        return to_dot(model, results, view, direction=direction).encode("utf-8")
    if fmt == "mermaid":
        from procmap.render.mermaid import to_mermaid

        return to_mermaid(model, direction).encode("utf-8")
    if fmt in ("md", "csv") and view == "sipoc":
        from procmap.render.sipoc import sipoc_table

        return sipoc_table(model, fmt).encode("utf-8")  # type: ignore[arg-type]
    if fmt == "md":
        from procmap.render.mermaid import to_mermaid

        title = f"# {model.name}\n\n"
        return (title + "```mermaid\n" + to_mermaid(model, direction) + "```\n").encode("utf-8")
    if fmt == "html":
        from procmap.render.html import page

        return page(model, results=results, view=view, direction=direction).encode("utf-8")
    source = to_dot(model, results, view, direction=direction)
    if fmt == "svg":
        return svg_text(source).encode("utf-8")
    return run_dot(source, fmt, dpi=dpi)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` so that readers never see half a file (a temp file, then ``os.replace``)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(
    model: Model,
    path: str | os.PathLike[str] | None = None,
    *,
    format: str | None = None,
    results: SimulationResult | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    view: str = "flow",
    direction: Literal["LR", "TB"] = "LR",
    dpi: int | None = None,
) -> Path:
    """Draw ``model`` into a file and return its path.

    Parameters
    ----------
    model:
        A loaded :class:`~procmap.Model` (apply a scenario first with ``with_scenario``).
    path:
        The file to write; default ``<process.id>[-<view>].<format>`` in the current directory.
    format:
        ``svg``, ``png``, ``pdf``, ``dot``, ``mermaid``, ``html``, ``md`` or ``csv``; default
        from the extension of ``path``, else ``svg`` (``md`` for the SIPOC view).
    results:
        Simulation results for a heatmap: a :class:`~procmap.SimulationResult`, its dict, or a
        result JSON file.
    view:
        ``flow`` (the swimlane flowchart) or ``sipoc`` (the SIPOC table).
    direction:
        ``LR`` or ``TB``.

    Raises
    ------
    GraphvizNotFound
        ``svg``, ``png`` or ``pdf`` without the Graphviz ``dot`` program.
    RenderError
        Graphviz failed.
    ValueError
        An unknown format, view or direction, or results of another process.
    FileError
        The results file cannot be read.
    OSError
        The file cannot be written.
    """
    fmt = format_of(path, format, view)
    target = Path(path) if path is not None else Path(default_name(model, view, fmt))
    data = render_bytes(model, fmt, view=view, results=results, direction=direction, dpi=dpi)
    write_bytes_atomic(target, data)
    return target
