"""Writing an export: CSV, XLSX or JSON of the rows :mod:`services.exporter` reads.

The columns and headers are exactly those the import reads (English keys, or
the Chinese headers and words when the interface is Chinese), and every text
cell goes through :func:`.files.spreadsheet_text` so that no spreadsheet runs
it as a formula (the import removes the quote again). JSON keeps the English
keys and codes: the stable interface, as ``--format json`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, TextIO

from ..domain.vocab import BODIES, CONTACT_TYPES, KINDS, LEVELS, METHODS, SATISFACTION, STATUSES
from ..i18n import _
from .files import atomic_target, format_by_extension, spreadsheet_text

FORMATS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}

# columns holding a code of a vocabulary, written as the Chinese word in Chinese files
_VOCABULARIES = {
    "body": BODIES,
    "level": LEVELS,
    "kind": KINDS,
    "status": STATUSES,
    "reply_method": METHODS,
    "satisfaction": SATISFACTION,
    "type": CONTACT_TYPES,
}


def format_for(path: str) -> str:
    """The export format ``path`` names, or the one-line refusal."""
    return format_by_extension(
        path, FORMATS, _("cannot export to {name}: use a .csv, .xlsx or .json file")
    )


def _cell(key: str, value: Any, chinese: bool) -> Any:
    """A value as a spreadsheet cell: codes in the file's language, text neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        if chinese:
            return "是" if value else "否"
        return "true" if value else "false"
    if isinstance(value, int | date):
        return value
    if chinese and key in _VOCABULARIES:
        return _VOCABULARIES[key].chinese(value)
    return spreadsheet_text(value)


def _headers(table: str, chinese: bool) -> list[tuple[str, str]]:
    from ..services.io_read import TABLES

    return [(f.key, f.zh if chinese else f.key) for f in TABLES[table].fields]


def write_csv(
    rows: Iterable[dict[str, Any]], table: str, out: TextIO, *, chinese: bool, bom: bool
) -> int:
    """RFC 4180 with CRLF; with ``bom`` a UTF-8 BOM so Excel reads Chinese right."""
    import csv

    columns = _headers(table, chinese)
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for _k, h in columns])
    keys = [k for k, _h in columns]
    n = 0

    def line(row: dict[str, Any]) -> list[Any]:
        cells = []
        for key in keys:
            v = _cell(key, row.get(key), chinese)
            cells.append("" if v is None else v.isoformat() if isinstance(v, date) else v)
        return cells

    for n, row in enumerate(rows, 1):  # noqa: B007 - the count is the result
        writer.writerow(line(row))
    return n


def write_json(rows: Iterable[dict[str, Any]], table: str, out: TextIO) -> int:
    """The rows' import fields as a JSON array."""
    from ..services.io_read import TABLES
    from .formats import write_json as dump

    count = 0
    keys = [f.key for f in TABLES[table].fields]

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield {k: row.get(k) for k in keys}

    dump(counted(), out)
    return count


def write_export(
    rows: Iterable[dict[str, Any]],
    table: str,
    *,
    out: str | None,
    stdout: TextIO,
    fmt: str,
    chinese: bool,
    bom: bool = False,
) -> int:
    """Write the rows to the file ``out`` (format by its extension) or to ``stdout``."""
    if out is None:
        if fmt == "json":
            return write_json(rows, table, stdout)
        return write_csv(rows, table, stdout, chinese=chinese, bom=bom)
    fmt = format_for(out)
    with atomic_target(out) as tmp:
        if fmt == "xlsx":
            from .xlsx import write_export_sheet

            sheet = {"deputies": "代表", "cases": "案件", "contacts": "联络"}[table]
            columns = _headers(table, chinese)
            cells = ([_cell(k, row.get(k), chinese) for k, _h in columns] for row in rows)
            return write_export_sheet(cells, columns, sheet if chinese else table, tmp)
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            if fmt == "json":
                return write_json(rows, table, f)
            return write_csv(rows, table, f, chinese=chinese, bom=bom)
