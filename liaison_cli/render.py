"""Turning rows into output: rich tables, tabulate formats, CSV and JSON.

Rows are dicts keyed by the stable snake_case names that JSON and CSV use;
``Column`` says how a person reads a value (its header in the interface
language, a label for a code). Machine formats print the raw values and
stream, so a large listing does not have to fit in memory.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

HUMAN_FORMATS = ("table", "plain")
MACHINE_FORMATS = ("csv", "json")
FORMAT_ALIASES = {"markdown": "github", "md": "github"}
# tabulate formats read by programs: the table only, no title or notes around it
DATA_TABLE_FORMATS = ("tsv",)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    show: Callable[[Any], str] | None = None
    justify: str = "left"


def is_machine(fmt: str) -> bool:
    return fmt in MACHINE_FORMATS


def valid_formats() -> list[str]:
    from tabulate import tabulate_formats

    return ["table", "plain", "csv", "json", "markdown", *sorted(set(tabulate_formats) - {"plain"})]


def _human(col: Column, value: Any) -> str:
    if value is None or value == "":
        return ""
    if col.show is not None:
        return col.show(value)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """A JSON array, one object per line, written as the rows arrive."""
    first = True
    out.write("[")
    for row in rows:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(row, ensure_ascii=False, default=_json_default))
        first = False
    out.write("\n]\n" if not first else "]\n")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def write_csv(rows: Iterable[dict[str, Any]], columns: list[Column], out: TextIO) -> None:
    """RFC 4180: a header row of the stable keys, CRLF line ends."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key)) for c in columns])


def render_rows(
    rows: Iterable[dict[str, Any]],
    columns: list[Column],
    fmt: str,
    *,
    title: str | None = None,
    notes: Iterable[str] = (),
    out: TextIO | None = None,
) -> None:
    """Print ``rows`` in ``fmt``; ``notes`` follow human formats only."""
    stream = out or sys.stdout
    if fmt == "json":
        write_json(rows, stream)
        return
    if fmt == "csv":
        write_csv(rows, columns, stream)
        return
    cells = [[_human(c, row.get(c.key)) for c in columns] for row in rows]
    if fmt == "table":
        from rich import box
        from rich.cells import cell_len
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        for i, c in enumerate(columns):
            # short values (numbers, dates, counts) keep their width on a
            # narrow terminal; long text folds instead
            longest = max((cell_len(line[i]) for line in cells), default=0)
            table.add_column(
                Text(c.header),
                justify=c.justify,  # type: ignore[arg-type]
                overflow="fold",
                min_width=longest if longest <= 12 else None,
            )
        for line in cells:
            # Text, not str: a cell holding "[red]" is data, not rich markup
            table.add_row(*(Text(x) for x in line))
        console = Console(file=stream, highlight=False, soft_wrap=False)
        console.print(table)
        for note in notes:
            console.print(note, markup=False)
        return
    if fmt == "plain":
        _write_plain(cells, [c.header for c in columns], stream)
        for note in notes:
            stream.write(note + "\n")
        return
    from tabulate import tabulate

    tab_fmt = FORMAT_ALIASES.get(fmt, fmt)
    data_only = fmt == "plain" or tab_fmt in DATA_TABLE_FORMATS
    if title and not data_only:
        # its own paragraph: in Markdown a line right above a table would
        # otherwise be read as part of it
        stream.write(title + "\n\n")
    stream.write(
        tabulate(
            cells, headers=[c.header for c in columns], tablefmt=tab_fmt, disable_numparse=True
        )
        + "\n"
    )
    if tab_fmt not in DATA_TABLE_FORMATS:
        for note in notes:
            stream.write(note + "\n")


def _write_plain(cells: list[list[str]], headers: list[str], stream: TextIO) -> None:
    """Columns aligned by display width (CJK counts double), two spaces apart.

    The layout of tabulate's "plain" (a header gets two cells of room beyond
    its text), padded here with rich's width measure: the default output of a
    piped command then pays neither tabulate's import (importlib.metadata,
    wcwidth) nor rich's table layout, which takes a second for a few hundred
    rows.
    """
    from rich.cells import cell_len

    widths = [cell_len(h) + 2 for h in headers]
    measured = [[cell_len(x) for x in line] for line in cells]
    for lens in measured:
        for i, n in enumerate(lens):
            if n > widths[i]:
                widths[i] = n

    def line(texts: list[str], lens: list[int]) -> str:
        padded = (x + " " * (widths[i] - lens[i]) for i, x in enumerate(texts))
        return "  ".join(padded).rstrip() + "\n"

    stream.write(line(headers, [cell_len(h) for h in headers]))
    for texts, lens in zip(cells, measured, strict=True):
        stream.write(line(texts, lens))


def render_record(pairs: list[tuple[str, Any]], fmt: str, out: TextIO | None = None) -> None:
    """A single record as label/value lines (human formats)."""
    stream = out or sys.stdout
    width = max((_display_width(k) for k, _ in pairs), default=0)
    for label, value in pairs:
        pad = " " * (width - _display_width(label))
        shown = "" if value is None else str(value)
        stream.write(f"{label}{pad}  {shown}".rstrip() + "\n")


def _display_width(text: str) -> int:
    from wcwidth import wcswidth

    w = wcswidth(text)
    return w if w >= 0 else len(text)
