"""``procmap.Table``: rows of dicts that show themselves well in a terminal, a notebook and pandas.

A row value is a plain scalar (text, number, bool, ``None``) or a *figure* — the
``{"mean", "ci95", "n"}`` dict of SPEC §6.  Rows keep figures whole, so nothing about the
uncertainty is lost when iterating; the flat views used for pandas and CSV split a figure column
``x`` into ``x`` (the mean) and ``x_ci95`` (its half-width), which keeps numbers numeric for
sorting and plotting.  Displays show a figure as ``"12min ± 30s"``, formatting each column by its
kind (a duration in seconds, a share 0–1, a count, money, a number).
"""

from __future__ import annotations

import csv
import html
import io
import math
import numbers
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmap.model.units import format_duration

if TYPE_CHECKING:
    import pandas
    import rich.table

__all__ = ["Table", "format_value", "is_figure", "write_text_atomic"]

Formatter = str | Callable[[Any, Mapping[str, Any]], str]
"""A column format: a kind name (see :func:`format_value`) or ``f(value, row) -> text``."""

MISSING = "—"


def is_figure(value: object) -> bool:
    """Whether ``value`` is a figure dict ``{"mean", "ci95", "n"}``."""
    return isinstance(value, Mapping) and "mean" in value and "ci95" in value


def _number(x: float) -> str:
    ax = abs(x)
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 100:
        return f"{x:.1f}"
    if ax >= 1 or ax == 0:
        return f"{x:.2f}"
    return f"{x:.3g}"


_SHORT_UNITS = (("d", 86400.0), ("h", 3600.0), ("min", 60.0))


def _short_duration(seconds: float) -> str:
    """One unit, two significant figures: enough for a ± half-width (``2.1h``, ``13min``)."""
    unit, size = next(((u, z) for u, z in _SHORT_UNITS if seconds >= z), ("s", 1.0))
    v = seconds / size
    text = f"{v:.0f}" if v >= 10 else f"{v:.1f}".removesuffix(".0")
    return text + unit


def _scalar(x: Any, kind: str) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return MISSING
    if isinstance(x, bool):
        return "✓" if x else "✗"
    if not isinstance(x, int | float):
        return str(x)
    if kind == "duration":
        return format_duration(float(x))
    if kind == "share":
        return f"{100.0 * x:.1f}%"
    if kind == "count":
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"
    if kind == "money":
        return f"{x:,.2f}"
    if kind == "text":
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    return _number(float(x))


def format_value(value: Any, kind: str = "auto") -> str:
    """Display text of a cell: ``kind`` is ``auto``, ``text``, ``number``, ``count``, ``share``,
    ``duration`` (seconds) or ``money``.

    A figure shows as ``mean ± ci95`` — just the mean when there is no interval or it is 0 (the
    same value in every replication) — with a duration's half-width in one short unit
    (``16h 46min ± 2.1h``); ``None`` shows as ``—``, booleans as ✓/✗.
    """
    if is_figure(value):
        mean, ci = value["mean"], value["ci95"]
        if mean is None:
            return MISSING
        text = _scalar(mean, kind)
        if not ci:
            return text
        half = _short_duration(ci) if kind == "duration" else _scalar(ci, kind)
        return f"{text} ± {half}"
    return _scalar(value, kind)


def write_text_atomic(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` so that readers never see half a file: a temp file, then ``os.replace``.

    The new file gets the permissions an ordinary ``open(path, "w")`` would give (``mkstemp``
    alone would leave it readable by its owner only).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Table:
    """Rows of dicts with a key column: iterate, index, show, export.

    Parameters
    ----------
    rows:
        Mappings; each becomes one row (copied).
    columns:
        Column order; default: every key in first-seen order.
    key:
        The column whose values index rows: ``table["triage"]``.
    title:
        Shown above the table in displays.
    formats:
        Per column, a kind (``"duration"``, ``"share"``, ``"count"``, ``"money"``,
        ``"number"``, ``"text"``) or a callable ``f(value, row) -> str``.

    Examples
    --------
    >>> t = Table([{"stage": "triage", "visits": 3}], key="stage")
    >>> t["triage"]["visits"], t[0]["stage"], len(t)
    (3, 'triage', 1)
    """

    def __init__(
        self,
        rows: Iterable[Mapping[str, Any]],
        columns: Sequence[str] | None = None,
        *,
        key: str | None = None,
        title: str | None = None,
        formats: Mapping[str, Formatter] | None = None,
    ) -> None:
        self._rows = [dict(r) for r in rows]
        if columns is None:
            columns = list(dict.fromkeys(k for r in self._rows for k in r))
        self._columns = tuple(columns)
        if key is not None and key not in self._columns:
            if self._rows:
                raise ValueError(f"key column {key!r} is not a column (columns: {list(columns)})")
            self._columns = (key, *self._columns)  # an empty table (a model without SLAs, say)
        self.key = key
        self.title = title
        self._formats = dict(formats or {})

    # --- rows ---------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[str, ...]:
        return self._columns

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (dict(r) for r in self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __bool__(self) -> bool:
        return bool(self._rows)

    def __getitem__(self, item: int | str) -> dict[str, Any]:
        """A row by position (``table[0]``, ``table[-1]``) or by key value (``table["triage"]``).

        Raises
        ------
        IndexError
            The position is out of range.
        KeyError
            No row has that key value (the message lists the keys).
        """
        if isinstance(item, numbers.Integral) and not isinstance(item, bool):
            return dict(self._rows[int(item)])
        if self.key is None:
            raise KeyError(f"{item!r}: this table has no key column; index rows by position")
        for row in self._rows:
            if row.get(self.key) == item:
                return dict(row)
        raise KeyError(f"no {self.key} {item!r} (must be one of {self.keys()})")

    def __contains__(self, item: object) -> bool:
        return self.key is not None and any(r.get(self.key) == item for r in self._rows)

    def keys(self) -> list[Any]:
        """The key column's values, in row order (empty without a key column)."""
        return [r.get(self.key) for r in self._rows] if self.key else []

    def column(self, name: str) -> list[Any]:
        """One column's values (figures stay figures)."""
        if name not in self._columns:
            raise KeyError(f"no column {name!r} (must be one of {list(self._columns)})")
        return [r.get(name) for r in self._rows]

    def select(self, *columns: str, title: str | None = None) -> Table:
        """A table with only ``columns`` (same rows, formats and key where kept)."""
        missing = [c for c in columns if c not in self._columns]
        if missing:
            raise KeyError(f"no column {missing[0]!r} (must be one of {list(self._columns)})")
        return Table(
            self._rows,
            columns,
            key=self.key if self.key in columns else None,
            title=self.title if title is None else title,
            formats={c: f for c, f in self._formats.items() if c in columns},
        )

    # --- flat views -----------------------------------------------------------------------

    def _figure_columns(self) -> set[str]:
        return {c for c in self._columns if any(is_figure(r.get(c)) for r in self._rows)}

    @property
    def flat_columns(self) -> tuple[str, ...]:
        """Columns of :meth:`flat_rows`: a figure column ``x`` becomes ``x`` and ``x_ci95``."""
        figs = self._figure_columns()
        out: list[str] = []
        for c in self._columns:
            out += [c, f"{c}_ci95"] if c in figs else [c]
        return tuple(out)

    def flat_rows(self) -> list[dict[str, Any]]:
        """Rows with every figure split into its mean and half-width (plain numbers)."""
        figs = self._figure_columns()
        out = []
        for row in self._rows:
            flat: dict[str, Any] = {}
            for c in self._columns:
                v = row.get(c)
                if c in figs:
                    flat[c] = v.get("mean") if is_figure(v) else v
                    flat[f"{c}_ci95"] = v.get("ci95") if is_figure(v) else None
                else:
                    flat[c] = v
            out.append(flat)
        return out

    def to_pandas(self) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` of :meth:`flat_rows`, indexed by the key column.

        Raises
        ------
        ImportError
            pandas is not installed (it is the optional ``pandas`` extra).
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError(
                'Table.to_pandas() needs pandas: pip install "procmap[pandas]"'
            ) from exc
        frame = pd.DataFrame(self.flat_rows(), columns=list(self.flat_columns))
        if self.key is not None:
            frame = frame.set_index(self.key)
        return frame

    def to_csv(self, path: str | os.PathLike[str] | None = None, *, excel: bool = False) -> str:
        """The flat rows as CSV text (``None`` → empty cell, numbers at full precision).

        Given ``path``, the text is also written there atomically; ``excel=True`` adds a UTF-8
        byte-order mark so that Excel opens Chinese labels correctly.
        """
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        cols = self.flat_columns
        writer.writerow(cols)
        for row in self.flat_rows():
            writer.writerow(["" if row[c] is None else _csv_cell(row[c]) for c in cols])
        text = buf.getvalue()
        if path is not None:
            write_text_atomic(path, text, encoding="utf-8-sig" if excel else "utf-8")
        return text

    # --- displays -------------------------------------------------------------------------

    def cell(self, row: Mapping[str, Any], column: str) -> str:
        """The display text of one cell."""
        fmt = self._formats.get(column, "auto")
        value = row.get(column)
        if callable(fmt):
            return fmt(value, row)
        return format_value(value, fmt)

    def _numeric(self, column: str) -> bool:
        fmt = self._formats.get(column, "auto")
        if fmt == "text":
            return False
        for row in self._rows:
            v = row.get(column)
            if v is None:
                continue
            return is_figure(v) or (isinstance(v, int | float) and not isinstance(v, bool))
        return False

    def __rich__(self) -> rich.table.Table:
        """A ``rich.table.Table`` (rich measures CJK text by display width)."""
        from rich import box
        from rich.table import Table as RichTable
        from rich.text import Text

        table = RichTable(title=self.title, box=box.SIMPLE_HEAD, title_justify="left")
        for c in self._columns:
            table.add_column(c, justify="right" if self._numeric(c) else "left")
        for row in self._rows:
            table.add_row(*(Text(self.cell(row, c)) for c in self._columns))
        return table

    def to_text(self, width: int | None = None) -> str:
        """A plain-text rendering (no colours), as ``str()`` and ``repr()`` show it."""
        from rich.console import Console

        if not self._columns:
            return "(empty table)"
        buf = io.StringIO()
        console = Console(
            file=buf,
            width=width or 10_000,
            color_system=None,
            force_terminal=False,
            soft_wrap=False,
        )
        console.print(self)
        return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()).strip("\n")

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        """A clean HTML table for Jupyter (figures carry their ``n`` as a tooltip)."""
        esc = html.escape
        parts = ['<table class="procmap-table" style="border-collapse:collapse">']
        if self.title:
            parts.append(
                f'<caption style="text-align:left;font-weight:bold">{esc(self.title)}</caption>'
            )
        numeric = {c: self._numeric(c) for c in self._columns}
        head = "".join(
            f'<th style="text-align:{"right" if numeric[c] else "left"}">{esc(c)}</th>'
            for c in self._columns
        )
        parts.append(f"<thead><tr>{head}</tr></thead><tbody>")
        for row in self._rows:
            cells = []
            for c in self._columns:
                v = row.get(c)
                tip = f' title="n = {v.get("n")}"' if is_figure(v) else ""
                style = f"text-align:{'right' if numeric[c] else 'left'}"
                if isinstance(v, bool):
                    style += ";color:" + ("#1a7f37" if v else "#cf222e")
                cells.append(f'<td style="{style}"{tip}>{esc(self.cell(row, c))}</td>')
            parts.append(f"<tr>{''.join(cells)}</tr>")
        parts.append("</tbody></table>")
        return "".join(parts)


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
