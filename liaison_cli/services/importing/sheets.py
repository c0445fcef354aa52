"""Reading a ledger file (CSV, XLSX or JSON) into rows keyed by our field names.

An office's ledger (台账) arrives as a CSV saved by Excel (UTF-8 with or
without a BOM, or GB18030 on Chinese Windows) or as an XLSX workbook. This
module turns either into rows of plain values keyed by our field names, each
with the line number a clerk will look for: the header is line 1 of a CSV,
and an XLSX row keeps the sheet's own row number. The columns themselves are
in :mod:`liaison_cli.domain.ledger`, shared with export.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...domain.ledger import Table, unneutralise
from ...errors import ImportFileError
from ...i18n import _


def cell_text(value: Any, quoted: bool = True) -> str | date | None:
    """A cell as stripped text, or a date for a spreadsheet's date cell.

    ``quoted``: the file is a spreadsheet export whose formula-like cells
    carry a leading ``'`` (CSV, XLSX; not JSON).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if quoted:
        text = unneutralise(text)
    return text or None


# -- files ----------------------------------------------------------------------------

Raw = Iterator[tuple[int, list[Any]]]  # (line, cells) from line 1


@dataclass
class Sheet:
    """A ledger file mapped to our field keys; its rows can be read more than once."""

    table: Table
    headers: dict[str, str]  # field key -> header as written in the file
    ignored: list[str]  # headers we do not know (序号, 备注 …)
    total: int  # an estimate of the data rows, for the progress bar
    _open: Callable[[], Raw]
    _header_line: int
    _positions: dict[str, int]
    _quoted: bool = True  # cells may carry the export's leading ' (see neutralise)
    _text_only: bool = False  # every cell is a str (CSV)

    def column(self, key: str) -> Iterator[tuple[int, Any]]:
        """``(line, value)`` of one column, non-blank values only (a quick pass)."""
        pos = self._positions[key]
        quoted = self._quoted
        for line, values in self._open():
            if line <= self._header_line or pos >= len(values):
                continue
            v = values[pos]
            if v.__class__ is str:
                v = v.strip()
                if quoted and v[:1] == "'":
                    v = unneutralise(v)
            elif v is not None:
                v = cell_text(v, quoted)
            if v:
                yield line, v

    def rows(self, keys: Iterable[str] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(line, {key: value})`` for every non-blank row below the header.

        Values are stripped text (``None`` for a blank cell, the export's
        ``'`` removed), or a ``date`` for a spreadsheet's date cell.
        """
        items = [(k, p) for k, p in self._positions.items() if keys is None or k in keys]
        quoted, text_only = self._quoted, self._text_only
        width = max((p for _k, p in items), default=-1) + 1
        for line, values in self._open():
            if line <= self._header_line:
                continue
            if len(values) < width:
                values = [*values, *[None] * (width - len(values))]
            # the usual CSV row: all text, no cell quoted by an export
            if (text_only or all(v.__class__ is str for v in values)) and not (
                quoted and "'" in "".join(values)
            ):
                row = {key: values[pos].strip() or None for key, pos in items}
                if any(row.values()):
                    yield line, row
                continue
            row = {}
            filled = False
            for key, pos in items:
                v = values[pos]
                if v.__class__ is str:
                    v = v.strip()
                    if not v:
                        v = None
                    elif quoted and v[0] == "'":
                        v = unneutralise(v)
                elif v is not None:
                    v = cell_text(v, quoted)
                if v is not None:
                    filled = True
                row[key] = v
            if filled:
                yield line, row

    def error(self, line: int, key: str | None, reason: str) -> ImportFileError:
        """``line 7, column 收到日期: reason``, naming the column as the file does."""
        return file_error(line, None if key is None else self.headers.get(key, key), reason)


def file_error(line: int, column: str | None, reason: str) -> ImportFileError:
    if column is None:
        return ImportFileError(_("line {line}: {reason}").format(line=line, reason=reason))
    return ImportFileError(
        _("line {line}, column {column}: {reason}").format(line=line, column=column, reason=reason)
    )


def _read_error(path: Path, exc: OSError) -> ImportFileError:
    return ImportFileError(
        _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
    )


def sniff_encoding(path: Path) -> tuple[str, int]:
    """UTF-8 (a BOM is dropped), else GB18030, which Excel on Chinese Windows
    writes; and the number of lines. Reads the file in blocks, holding none."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        offset = 0
        try:
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    decoder.decode(block)
                    lines += block.count(b"\n")
                    offset += len(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            failed_at = offset + exc.start
            continue
        except OSError as exc:
            raise _read_error(path, exc) from exc
        return encoding, lines
    raise ImportFileError(
        _("cannot read the file as UTF-8 or GB18030 text (byte {pos})").format(pos=failed_at)
    )


def _csv_source(path: Path) -> tuple[Callable[[], Raw], int]:
    encoding, lines = sniff_encoding(path)

    def rows() -> Raw:
        start = 1
        try:
            with path.open(encoding=encoding, newline="") as f:
                reader = csv.reader(f, strict=False)
                for record in reader:
                    # the line where this record starts (a quoted cell may span lines)
                    yield start, record
                    start = reader.line_num + 1
        except csv.Error as exc:
            raise file_error(start, None, str(exc)) from exc
        except OSError as exc:
            raise _read_error(path, exc) from exc

    return rows, lines


def _xlsx_source(path: Path) -> tuple[Callable[[], Raw], int]:
    """The first sheet, streamed (openpyxl read-only); formulas give their cached value."""
    from openpyxl import load_workbook

    def load() -> Any:
        try:
            return load_workbook(path, read_only=True, data_only=True)
        except OSError as exc:
            raise _read_error(path, exc) from exc
        except Exception as exc:  # a zip that is no workbook, a damaged part …
            raise ImportFileError(
                _("cannot read {path} as an XLSX workbook: {reason}").format(path=path, reason=exc)
            ) from exc

    wb = load()
    if not wb.worksheets:
        raise ImportFileError(_("{path} has no sheet").format(path=path))
    total = wb.worksheets[0].max_row or 0
    wb.close()

    def rows() -> Raw:
        book = load()
        try:
            ws = book.worksheets[0]
            for line, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                yield line, list(values)
        finally:
            book.close()

    return rows, total


def _json_source(path: Path) -> tuple[Callable[[], Raw], int]:
    """A JSON array of objects, as ``liaison export … --out x.json`` writes it.

    Object N counts as line N + 1, as if the keys were a header line.
    """
    import json

    encoding, _lines = sniff_encoding(path)
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except OSError as exc:
        raise _read_error(path, exc) from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("line {line}: not valid JSON: {reason}").format(line=exc.lineno, reason=exc.msg)
        ) from exc
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ImportFileError(_("a JSON import file must be an array of objects"))
    keys: list[str] = []
    for obj in data:
        for k in obj:
            if k not in keys:
                keys.append(k)

    def cell(v: Any) -> Any:
        if isinstance(v, list):
            return "、".join(str(x) for x in v)
        return v

    def rows() -> Raw:
        yield 1, list(keys)
        for i, obj in enumerate(data, start=2):
            yield i, [cell(obj.get(k)) for k in keys]

    return rows, len(data)


SOURCES: dict[str, Callable[[Path], tuple[Callable[[], Raw], int]]] = {
    ".csv": _csv_source,
    ".txt": _csv_source,
    ".xlsx": _xlsx_source,
    ".xlsm": _xlsx_source,
    ".json": _json_source,
}

# how many rows at the top may precede the header (a title row, a blank row)
HEADER_SEARCH = 10


def _find_header(raw: Raw, table: Table) -> tuple[int, list[Any]]:
    """The first row naming at least two of our columns (a ledger often has a
    title row above its header), else the first non-blank row."""
    first: tuple[int, list[Any]] | None = None
    for line, values in raw:
        if any(cell_text(v) for v in values):
            if first is None:
                first = (line, values)
            if sum(1 for v in values if v is not None and table.find(str(v))) >= 2:
                return line, values
        if line >= HEADER_SEARCH:
            break
    if first is None:
        raise ImportFileError(_("the file is empty: no header row"))
    return first


def open_sheet(path: str | Path, table: Table) -> Sheet:
    """Open ``path`` and map its header row to ``table``'s fields."""
    p = Path(path)
    source = SOURCES.get(p.suffix.lower())
    if source is None:
        raise ImportFileError(
            _("cannot import {name}: use a .csv, .xlsx or .json file").format(name=p.name)
        )
    if not p.is_file():
        raise ImportFileError(_("no such file: {path}").format(path=p))
    opener, total = source(p)
    raw = opener()
    try:
        header_line, header = _find_header(raw, table)
    finally:
        close = getattr(raw, "close", None)
        if close is not None:
            close()

    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for pos, value in enumerate(header):
        text = "" if value is None else str(value).replace("\ufeff", "").strip()
        if not text:
            continue
        f = table.find(text)
        if f is None:
            ignored.append(text)
            continue
        if f.ignored:
            continue
        if f.key in positions:
            raise file_error(
                header_line,
                text,
                _("the same column as {other!r}").format(other=headers[f.key]),
            )
        positions[f.key] = pos
        headers[f.key] = text
    missing = [f for f in table.fields if f.required and f.key not in positions]
    if missing:
        raise file_error(
            header_line,
            None,
            _("missing column {columns}").format(
                columns=", ".join(f"{f.key} ({f.zh})" for f in missing)
            ),
        )
    suffix = p.suffix.lower()
    return Sheet(
        table,
        headers,
        ignored,
        max(total - header_line, 0),
        opener,
        header_line,
        positions,
        _quoted=suffix != ".json",
        _text_only=source is _csv_source,
    )
