"""Reading a ledger file (CSV, XLSX or JSON) into rows keyed by our field names.

An office's ledger (台账) arrives as a CSV saved by Excel (UTF-8 with or
without a BOM, or GB18030 on Chinese Windows) or as an XLSX workbook. This
module turns either into rows of plain values keyed by our field names, each
with the line number a clerk will look for: the header is line 1 of a CSV,
and an XLSX row keeps the sheet's own row number. The columns themselves are
in :mod:`liaison_cli.domain.ledger`, shared with export.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...domain.ledger import Table, unneutralise
from ...errors import ImportFileError
from ...i18n import _
from .encoding import sniff_encoding
from .files import Raw, ReadOptions, read_error
from .workbook import xlsx_source


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
    _header_width: int | None = None  # a CSV row may not be longer than its header

    def _too_long(self, line: int, values: list[Any]) -> None:
        """A CSV row with more filled cells than its header has columns is refused."""
        width = self._header_width
        if width is None or len(values) <= width or not any(v.strip() for v in values[width:]):
            return
        cells = len(values)
        while not values[cells - 1].strip():
            cells -= 1
        raise file_error(
            line,
            None,
            _("the row has {n} cells but the header (line {header}) has {m}").format(
                n=cells, header=self._header_line, m=width
            ),
        )

    def column(self, key: str) -> Iterator[tuple[int, Any]]:
        """``(line, value)`` of one column, non-blank values only (a quick pass)."""
        pos = self._positions[key]
        quoted = self._quoted
        width = self._header_width
        for line, values in self._open():
            if line <= self._header_line:
                continue
            if width is not None and len(values) > width:
                self._too_long(line, values)
            if pos >= len(values):
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
        quoted, text_only, header_width = self._quoted, self._text_only, self._header_width
        width = max((p for _k, p in items), default=-1) + 1
        blank = "" if text_only else None  # a missing cell is an empty one
        for line, values in self._open():
            if line <= self._header_line:
                continue
            if len(values) < width:
                values = [*values, *[blank] * (width - len(values))]
            elif header_width is not None and len(values) > header_width:
                self._too_long(line, values)
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


def _csv_source(path: Path, options: ReadOptions) -> tuple[Callable[[], Raw], int]:
    encoding, lines = sniff_encoding(path, options.encoding)

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
            raise read_error(path, exc) from exc

    return rows, lines


def _json_source(path: Path, options: ReadOptions) -> tuple[Callable[[], Raw], int]:
    """A JSON array of objects, as ``liaison export … --out x.json`` writes it.

    Object N counts as line N + 1, as if the keys were a header line. A value
    is text, a number, true/false, null or a list of these.
    """
    import json

    encoding, _lines = sniff_encoding(path, options.encoding)
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except OSError as exc:
        raise read_error(path, exc) from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("line {line}: not valid JSON: {reason}").format(line=exc.lineno, reason=exc.msg)
        ) from exc
    except RecursionError:
        raise ImportFileError(_("not valid JSON for an import: nested too deeply")) from None
    except ValueError:  # an integer of more digits than Python converts
        raise ImportFileError(
            _("not valid JSON for an import: a number with too many digits")
        ) from None
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ImportFileError(_("a JSON import file must be an array of objects"))
    keys: dict[str, None] = {}
    for obj in data:
        keys.update(dict.fromkeys(obj))

    def scalar(line: int, k: str, v: Any) -> Any:
        if isinstance(v, dict | list):
            raise file_error(line, k, _("a value must be text, a number or a list of these"))
        return v

    def cell(line: int, k: str, v: Any) -> Any:
        if isinstance(v, list):
            return "、".join(str(scalar(line, k, x)) for x in v if x is not None)
        return scalar(line, k, v)

    def rows() -> Raw:
        yield 1, list(keys)
        for i, obj in enumerate(data, start=2):
            yield i, [cell(i, k, obj.get(k)) for k in keys]

    return rows, len(data)


SOURCES: dict[str, Callable[[Path, ReadOptions], tuple[Callable[[], Raw], int]]] = {
    ".csv": _csv_source,
    ".txt": _csv_source,
    ".xlsx": xlsx_source,
    ".xlsm": xlsx_source,
    ".json": _json_source,
}

# how many lines at the top may precede the header (a title, notes, blank rows)
HEADER_SEARCH = 50


def _known(values: list[Any], table: Table) -> int:
    return sum(1 for v in values if v is not None and table.find(str(v)))


def _find_header(raw: Raw, table: Table) -> tuple[int, list[Any]]:
    """The first row of the first ``HEADER_SEARCH`` lines naming at least two
    of our columns (a ledger often has a title row or notes above its header),
    else the first non-blank row if it names one."""
    first: tuple[int, list[Any]] | None = None
    more = False
    for line, values in raw:
        if line > HEADER_SEARCH:
            more = True
            break
        if any(cell_text(v) for v in values):
            if first is None:
                first = (line, values)
            if _known(values, table) >= 2:
                return line, values
    if first is not None and _known(first[1], table):
        return first
    if first is None and not more:
        raise ImportFileError(_("the file is empty: no header row"))
    columns = _(", ").join(f"{f.zh} ({f.key})" for f in table.fields if f.required)
    message = _("no header row in the first {n} lines: expected a row naming the columns {columns}")
    raise ImportFileError(message.format(n=HEADER_SEARCH, columns=columns))


def _width(header: list[Any]) -> int:
    """The header's columns, up to its last named one."""
    width = len(header)
    while width and not str(header[width - 1] or "").strip():
        width -= 1
    return width


def open_sheet(path: str | Path, table: Table, options: ReadOptions | None = None) -> Sheet:
    """Open ``path`` and map its header row to ``table``'s fields."""
    p = Path(path)
    options = options or ReadOptions()
    source = SOURCES.get(p.suffix.lower())
    if source is None:
        raise ImportFileError(
            _("cannot import {name}: use a .csv, .xlsx or .json file").format(name=p.name)
        )
    if not p.is_file():
        raise ImportFileError(_("no such file: {path}").format(path=p))
    if options.sheet is not None and source is not xlsx_source:
        raise ImportFileError(_("--sheet is for an .xlsx workbook, not {name}").format(name=p.name))
    if options.encoding is not None and source is xlsx_source:
        raise ImportFileError(
            _("--encoding is for a .csv or .json file, not {name}").format(name=p.name)
        )
    opener, total = source(p, options)
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
        _header_width=_width(header) if source is _csv_source else None,
    )
