"""The machine formats (JSON, CSV) and tabulate's formats (markdown, grid, tsv …).

JSON and CSV are written as the rows arrive, so a listing of any length
prints in bounded memory. tabulate lays out a whole table at once, so its
formats refuse a listing longer than :data:`TABULATE_MAX_ROWS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from .cells import Column, at_most

FORMAT_ALIASES = {"markdown": "github", "md": "github"}
# tabulate formats read by programs: the table only, no title or notes around it
DATA_TABLE_FORMATS = ("tsv",)
# past this many rows tabulate would hold more than a command may (a
# 100,000-row markdown table: 280 MiB)
TABULATE_MAX_ROWS = 20_000
# rows encoded before each write to the stream
_BATCH = 1000


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_json(rows: Iterable[Any], out: TextIO) -> None:
    """A JSON array, one object per line, written as the rows arrive.

    One encoder for the whole listing, and a thousand rows to a write: the
    cost of a long listing is then the encoding itself.
    """
    import json

    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    part: list[str] = []
    first = True
    out.write("[")
    for row in rows:
        part.append(encode(row))
        if len(part) == _BATCH:
            out.write(("\n  " if first else ",\n  ") + ",\n  ".join(part))
            first, part = False, []
    if part:
        out.write(("\n  " if first else ",\n  ") + ",\n  ".join(part))
        first = False
    out.write("\n]\n" if not first else "]\n")


def csv_cell(value: Any) -> str:
    """A value in a listing's CSV: empty for none, true/false, lists joined by 、."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def write_csv(rows: Iterable[Mapping[str, Any]], columns: list[Column], out: TextIO) -> None:
    """RFC 4180: a header row of the stable keys, CRLF line ends."""
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    keys = [c.key for c in columns]
    writer.writerows([csv_cell(row.get(k)) for k in keys] for row in rows)


def write_tabulate(
    lines: Iterable[list[str]],
    columns: list[Column],
    fmt: str,
    title: str | None,
    notes: Iterable[str],
    out: TextIO,
) -> None:
    """A tabulate table; a title and notes around it unless it is data only (tsv)."""
    held = at_most(lines, TABULATE_MAX_ROWS, fmt)
    from tabulate import tabulate

    tab_fmt = FORMAT_ALIASES.get(fmt, fmt)
    data_only = tab_fmt in DATA_TABLE_FORMATS
    if title and not data_only:
        # its own paragraph: in Markdown a line right above a table would
        # otherwise be read as part of it
        out.write(title + "\n\n")
    headers = [c.header for c in columns]
    out.write(tabulate(held, headers=headers, tablefmt=tab_fmt, disable_numparse=True) + "\n")
    if not data_only:
        for note in notes:
            out.write(note + "\n")
