"""Everything liaison prints or writes: listings, records, exports, the report.

Commands hand rows (dicts keyed by the stable snake_case names) and their
:class:`Column` s to :func:`render_rows`; files for a spreadsheet go through
:mod:`.files` (the one atomic write, the one formula-neutralising cell).
Services never print or write: they return the rows, and this package turns
them into text.

- :mod:`.cells`: columns and how a value reads
- :mod:`.plain`, :mod:`.table`: the human formats (aligned text, rich)
- :mod:`.formats`: JSON, CSV and tabulate's formats
- :mod:`.files`: atomic writes, spreadsheet cells, formats by extension
- :mod:`.export`, :mod:`.xlsx`, :mod:`.markdown`, :mod:`.report`: the files
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from .cells import Column, shown_lines
from .formats import write_json

__all__ = ["Column", "is_machine", "render_record", "render_rows", "valid_formats", "write_json"]

HUMAN_FORMATS = ("table", "plain")
MACHINE_FORMATS = ("csv", "json")


def is_machine(fmt: str) -> bool:
    return fmt in MACHINE_FORMATS


def valid_formats() -> list[str]:
    from tabulate import tabulate_formats

    return ["table", "plain", "csv", "json", "markdown", *sorted(set(tabulate_formats) - {"plain"})]


def render_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: list[Column],
    fmt: str,
    *,
    title: str | None = None,
    notes: Iterable[str] = (),
    out: TextIO | None = None,
) -> None:
    """Print ``rows`` in ``fmt``; ``notes`` follow human formats only.

    ``rows`` is read once. JSON, CSV and plain print a listing of any length
    in bounded memory; table and the tabulate formats lay out the whole table
    and refuse, in one line, a listing too long for that.
    """
    stream = out or sys.stdout
    if fmt == "json":
        write_json(rows, stream)
    elif fmt == "csv":
        from .formats import write_csv

        write_csv(rows, columns, stream)
    elif fmt == "plain":
        from .plain import write_plain

        write_plain(shown_lines(rows, columns), [c.header for c in columns], notes, stream)
    elif fmt == "table":
        from .table import write_table

        write_table(shown_lines(rows, columns), columns, title, notes, stream)
    else:
        from .formats import DATA_TABLE_FORMATS, spreadsheet_rows, write_tabulate

        if fmt in DATA_TABLE_FORMATS:  # (TSV: a spreadsheet opens it)
            rows = spreadsheet_rows(rows, columns)
        write_tabulate(shown_lines(rows, columns), columns, fmt, title, notes, stream)


def render_record(pairs: list[tuple[str, Any]], fmt: str, out: TextIO | None = None) -> None:
    """A single record as label/value lines (human formats)."""
    from .cells import display_width

    stream = out or sys.stdout
    width = max((display_width(k) for k, _ in pairs), default=0)
    for label, value in pairs:
        pad = " " * (width - display_width(label))
        shown = "" if value is None else str(value)
        stream.write(f"{label}{pad}  {shown}".rstrip() + "\n")
