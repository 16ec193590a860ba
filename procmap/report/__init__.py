"""Simulation reports: one self-contained, offline HTML page per result or comparison.

::

    result = procmap.simulate(model)
    procmap.report.write_report(result, "report.html")       # or result.to_html("report.html")
    procmap.report.write_chart_images(result, "charts/")      # the charts as PNGs, for slides

The page holds the process summary and SIPOC, the heatmap flowchart (when :mod:`procmap.render`
and Graphviz are there), bottlenecks, SLA attainment and breach attribution, cycle time, team
utilisation and queues, and cost; a comparison adds the scenario table and charts and each
scenario's details.  Charts are inline SVG drawn by matplotlib (the ``report`` extra:
``pip install "procmap[report]"``), imported only when a report is made.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmap.report.theme import INSTALL_HINT

if TYPE_CHECKING:
    from procmap.model.model import Model

__all__ = ["INSTALL_HINT", "report_html", "write_chart_images", "write_report"]


def _unpack(obj: Any, model: Model | None) -> tuple[dict[str, Any], bool, dict[str, Model]]:
    """``(data, is_comparison, models by scenario)`` from a result, comparison or JSON dict."""
    data = getattr(obj, "data", obj)
    if not isinstance(data, Mapping):
        raise TypeError(
            "a report needs a SimulationResult, a Comparison, or their JSON as a dict; "
            f"got {type(obj).__name__}"
        )
    data = dict(data)
    comparison = "scenarios" in data and "comparison" in data
    models: dict[str, Model] = dict(getattr(obj, "models", None) or {})
    own = getattr(obj, "model", None)
    if own is not None:
        models.setdefault(str(data.get("scenario", "baseline")), own)
    if model is not None:
        for name in data["scenarios"] if comparison else [data.get("scenario", "baseline")]:
            models.setdefault(name, model.with_scenario(name))
    if not comparison and not all(k in data for k in ("cases", "stages", "teams", "slas")):
        raise ValueError("not a procmap result: it lacks cases, stages, teams or slas")
    return data, comparison, models


def report_html(obj: Any, *, model: Model | None = None) -> str:
    """The report as one HTML document (text).

    Parameters
    ----------
    obj:
        A :class:`~procmap.SimulationResult`, a :class:`~procmap.sim.compare.Comparison`, or
        the JSON of either as a dict.
    model:
        The model simulated, for names, the process summary, SIPOC and the map; taken from
        ``obj`` when it carries one.  Without it the report uses ids and leaves those out.

    Raises
    ------
    RenderError
        matplotlib is missing (the message says how to install it).
    """
    from procmap.report import page

    data, comparison, models = _unpack(obj, model)
    if comparison:
        return page.comparison_page(data, models)
    return page.result_page(data, models.get(str(data.get("scenario", "baseline"))))


def write_report(obj: Any, path: str | os.PathLike[str], *, model: Model | None = None) -> Path:
    """Write :func:`report_html` to ``path`` atomically (readers never see half a file).

    Returns the path written.  Raises :class:`~procmap.errors.RenderError` without matplotlib
    and :class:`~procmap.errors.FileError` when the file cannot be written.
    """
    from procmap.errors import FileError
    from procmap.sim.table import write_text_atomic

    text = report_html(obj, model=model)
    target = Path(path)
    try:
        write_text_atomic(target, text)
    except OSError as exc:
        raise FileError(f"{target}: cannot write the report ({exc.strerror or exc})") from None
    return target


def write_chart_images(
    obj: Any,
    folder: str | os.PathLike[str],
    *,
    model: Model | None = None,
    fmt: str = "png",
    dpi: float = 110.0,
    prefix: str = "report-",
) -> list[Path]:
    """Each chart of the report as its own image file (``report-sla-attainment.png`` …).

    For slides and documents; ``fmt`` is ``png`` or ``svg``.  A comparison writes its
    comparison charts.  Returns the files written.
    """
    from procmap.report import page, theme

    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
    data, comparison, models = _unpack(obj, model)
    charts = page.all_charts(data, comparison, models)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts:
        target = out / f"{prefix}{chart.key}.{fmt}"
        if fmt == "png":
            blob = theme.png_bytes(chart.figure, dpi=dpi)
        else:
            blob = theme.svg_text(chart.figure, chart.key, chart.label).encode()
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, target)
        written.append(target)
    return written
