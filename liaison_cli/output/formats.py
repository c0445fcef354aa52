"""The machine formats (JSON, CSV) and tabulate's formats (markdown, grid, tsv …).

JSON and CSV are written as the rows arrive, so a listing of any length
prints in bounded memory. tabulate lays out a whole table at once, so its
formats refuse a listing longer than :data:`TABULATE_MAX_ROWS`.

CSV and TSV are opened by spreadsheets: every text cell of theirs goes
through :func:`liaison_cli.domain.ledger.neutralise`, as an export's does, so
that no cell runs as a formula (numbers stay numbers). JSON stays exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from ..domain.ledger import neutralise
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


def spreadsheet_cell(value: Any) -> str:
    """A listing's CSV cell, its text neutralised (a number is left as it is)."""
    if isinstance(value, str | list):
        return neutralise(csv_cell(value))
    return csv_cell(value)


def spreadsheet_rows(
    rows: Iterable[Mapping[str, Any]], columns: list[Column]
) -> Iterator[Mapping[str, Any]]:
    """Rows whose texts are neutralised, for a format a spreadsheet opens (TSV)."""
    keys = [c.key for c in columns]
    for row in rows:
        texts = {k: _neutral(v) for k in keys if isinstance(v := row.get(k), str | list)}
        yield {**row, **texts} if texts else row


def _neutral(value: str | list[Any]) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    return [neutralise(v) if isinstance(v, str) else v for v in value]


def write_csv(rows: Iterable[Mapping[str, Any]], columns: list[Column], out: TextIO) -> None:
    """RFC 4180: a header row of the stable keys, CRLF line ends, texts neutralised."""
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    keys = [c.key for c in columns]
    writer.writerows([spreadsheet_cell(row.get(k)) for k in keys] for row in rows)


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
