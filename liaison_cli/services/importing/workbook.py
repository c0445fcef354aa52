"""Reading an XLSX workbook's sheet safely, streamed.

- The archive's declared sizes are checked before anything is inflated (an
  XLSX is a zip; Python's zipfile inflates no member beyond its declared
  size), which bounds a zip bomb: at most ``MAX_UNZIPPED`` bytes in all, and
  no member over a megabyte more than ``MAX_RATIO`` times its compressed size.
- A password-protected workbook is not a zip but an OLE2 file holding an
  ``EncryptedPackage``; an old .xls is OLE2 too. Both are named as such.
- Every row the sheet holds is read, not the range its ``<dimension>``
  declares (many generators write a stale one), and no missing row is made
  up: a million declared empty rows cost nothing.
- A workbook with several sheets holding data needs ``--sheet``.
- A merged range's value applies to every cell it covers; read-only
  openpyxl does not see merged ranges, so they come from a scan of the sheet
  XML's ``<mergeCells>``.
- A formula cell with no saved value (a file written by a program that does
  not calculate) is refused rather than read as blank.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ImportFileError
from ...i18n import _
from .files import Raw, ReadOptions, read_error, short_list

MAX_UNZIPPED = 200 << 20  # bytes, all members together
MAX_RATIO = 100  # uncompressed / compressed, for a member of at least RATIO_FROM bytes
RATIO_FROM = 1 << 20

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

# <mergeCell ref="D2:D4"/>, with or without a namespace prefix
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,20}:)?mergeCell\s[^>]{0,200}?\bref\s*=\s*[\"']"
    rb"([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)[\"']"
)
# a row tag (<row r="7" …>, <x:row …>) and its attributes, from the "row"
_ROW_TAGS = (b"<row", b":row")
_ROW = re.compile(rb"row\b([^>]{0,400})>")
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"']([0-9]{1,7})[\"']")
# what only a cell with a value or a formula holds: <v>, <is> (inline text), <f>
_VALUES = (
    *(b"<v>", b"<v ", b"<v/", b":v>", b":v ", b":v/"),
    *(b"<is>", b":is>"),
    *(b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/"),
)
_OVERLAP = 1024  # longer than any match above


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB"


def _check_ole2(path: Path) -> None:
    """An encrypted workbook or an old .xls: both OLE2 compound files."""
    encrypted = False
    tail = b""
    try:
        with path.open("rb") as f:
            if f.read(len(_OLE2)) != _OLE2:
                return
            while block := f.read(1 << 20):
                if _ENCRYPTED in tail + block:
                    encrypted = True
                    break
                tail = block[-len(_ENCRYPTED) :]
    except OSError as exc:
        raise read_error(path, exc) from exc
    if encrypted:
        raise ImportFileError(
            _(
                "{path} is encrypted (password-protected): save it in Excel without a "
                "password and import that copy"
            ).format(path=path)
        )
    raise ImportFileError(
        _("{path} is an Excel 97-2003 (.xls) workbook: save it as .xlsx first").format(path=path)
    )


def check_archive(path: Path) -> None:
    """Refuse what is no XLSX, or would inflate beyond the caps, before opening it."""
    _check_ole2(path)
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except OSError as exc:
        raise read_error(path, exc) from exc
    except zipfile.BadZipFile:
        raise ImportFileError(
            _("cannot read {path} as an XLSX workbook: it is not a zip archive").format(path=path)
        ) from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED:
        raise ImportFileError(
            _(
                "{path} would unpack to {size}, more than an import reads ({cap}): "
                "split the workbook"
            ).format(path=path, size=_mib(total), cap=_mib(MAX_UNZIPPED))
        )
    for m in members:
        if m.file_size >= RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ImportFileError(
                _(
                    "{path} is not a plausible workbook: its part {part} unpacks to "
                    "{ratio:.0f} times its size"
                ).format(path=path, part=m.filename, ratio=m.file_size / max(m.compress_size, 1))
            )


def _parser_class() -> type:
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        """openpyxl's sheet parser, refusing a formula without a saved value."""

        strict = True

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if self.strict and cell["value"] is None and element.find(FORMULA_TAG) is not None:
                saved = element.find(VALUE_TAG)
                # an empty <v/> is a saved value only for a text result (t="str")
                if saved is None or (not saved.text and element.get("t", "n") != "str"):
                    from openpyxl.utils import get_column_letter

                    name = f"{get_column_letter(cell['column'])}{cell['row']}"
                    raise ImportFileError(
                        _(
                            "cell {cell} holds a formula with no saved value; open and save "
                            "the file in Excel first"
                        ).format(cell=name)
                    )
            return cell

    return Parser


def _cells(wb: Any, ws: Any, strict: bool = True) -> Iterator[tuple[int, list[Any]]]:
    """``(row number, values)`` of every row the sheet's XML holds, and only those."""
    with ws._get_source() as src:
        parser = _parser_class()(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        parser.strict = strict
        for line, cells in parser.parse():
            values: list[Any] = [None] * max((c["column"] for c in cells), default=0)
            for c in cells:
                values[c["column"] - 1] = c["value"]
            yield line, values


Merges = dict[int, list[tuple[int, int, int]]]  # top row -> (first col, last col, last row)


@dataclass
class _Layout:
    """What a quick scan of a sheet's XML text tells before it is parsed."""

    merges: Merges = field(default_factory=dict)
    values: bool = False  # a cell holds a value (or a formula)
    last: int | None = None  # the last row holding one, if the rows are numbered


def _last(needles: tuple[bytes, ...], buf: bytes, end: int) -> int:
    """Where the last of ``needles`` starts before ``end`` (-1: nowhere)."""
    return max(buf.rfind(n, 0, end + len(n)) for n in needles)


def _row_number(buf: bytes, end: int, before: int | None) -> int | None:
    """The number of the last row tag starting before ``end``, else ``before``."""
    at = _last(_ROW_TAGS, buf, end)
    if at < 0:
        return before
    tag = _ROW.match(buf, at + 1)
    r = _ROW_NUMBER.search(tag.group(1)) if tag else None
    return int(r.group(1)) if r else None


def _scan(wb: Any, ws: Any) -> _Layout:
    """Merged ranges and the last row with a value, from the sheet XML's text.

    Rows below the last value (a million formatted empty rows) are not parsed.
    """
    from openpyxl.utils.cell import range_boundaries

    layout = _Layout()
    row: int | None = 0  # the number of the last row tag so far (None: unnumbered)
    tail = b""
    with wb._archive.open(ws._worksheet_path) as f:
        while True:
            block = f.read(1 << 20)
            buf = tail + block
            cut = max(len(buf) - _OVERLAP, 0) if block else len(buf)
            for m in _MERGE.finditer(buf, 0, cut + _OVERLAP) if b"mergeCell" in buf else ():
                if m.start() < cut:
                    c0, r0, c1, r1 = range_boundaries(m.group(1).decode())
                    if c0 and r0 and c1 and r1:
                        layout.merges.setdefault(r0, []).append((c0, c1, r1))
            value = _last(_VALUES, buf, cut)
            if value >= 0:
                layout.values = True
                layout.last = _row_number(buf, value, row)
            row = _row_number(buf, cut, row)
            if not block:
                return layout
            tail = buf[cut:]


def _merged(raw: Iterator[tuple[int, list[Any]]], merges: Merges) -> Raw:
    """Rows with each merged range's value in every cell the range covers."""
    active: list[tuple[int, int, int, Any]] = []  # (first col, last col, last row, value)
    for line, values in raw:
        if active:
            active = [a for a in active if a[2] >= line]
        for c0, c1, r1 in merges.get(line, ()):
            value = values[c0 - 1] if c0 <= len(values) else None
            if value is not None:
                active.append((c0, c1, r1, value))
        for c0, c1, _r1, value in active:
            if len(values) < c1:
                values.extend([None] * (c1 - len(values)))
            values[c0 - 1 : c1] = [value] * (c1 - c0 + 1)
        yield line, values


def _choose(wb: Any, path: Path, name: str | None) -> Any:
    sheets = wb.worksheets
    if not sheets:
        raise ImportFileError(_("{path} has no sheet").format(path=path))
    titles = [ws.title for ws in sheets]
    if name is not None:
        for ws in sheets:
            if ws.title == name or ws.title.strip().casefold() == name.strip().casefold():
                return ws
        raise ImportFileError(
            _("{path} has no sheet {name!r}; its sheets: {sheets}").format(
                path=path, name=name, sheets=short_list(titles)
            )
        )
    if len(sheets) == 1:
        return sheets[0]
    full = [ws for ws in sheets if _scan(wb, ws).values]
    # hidden sheets (a template's lists) count only if no visible sheet holds data
    full = [ws for ws in full if ws.sheet_state == "visible"] or full
    if len(full) > 1:
        raise ImportFileError(
            _("{path} has {n} sheets with data ({sheets}): choose one with --sheet NAME").format(
                path=path, n=len(full), sheets=short_list([ws.title for ws in full])
            )
        )
    return full[0] if full else sheets[0]


def xlsx_source(path: Path, options: ReadOptions) -> tuple[Callable[[], Raw], int]:
    """The chosen sheet, streamed; formulas give their saved value."""
    from openpyxl import load_workbook

    check_archive(path)

    def damaged(exc: Exception) -> ImportFileError:
        if isinstance(exc, ImportFileError):
            return exc
        if isinstance(exc, OSError) and exc.strerror:
            return read_error(path, exc)
        return ImportFileError(
            _("cannot read {path} as an XLSX workbook: {reason}").format(path=path, reason=exc)
        )

    def load() -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # a zip that is no workbook, a damaged part …
            raise damaged(exc) from exc

    wb = load()
    try:
        title = _choose(wb, path, options.sheet).title
        layout = _scan(wb, wb[title])
    except Exception as exc:  # a damaged part, bad XML …
        raise damaged(exc) from exc
    finally:
        wb.close()
    # rows below the last with a value are not read: none, if there is none
    stop = layout.last if layout.values else 0

    def rows() -> Raw:
        if stop == 0:
            return
        book = load()
        try:
            raw = _cells(book, book[title])
            if layout.merges:
                raw = _merged(raw, layout.merges)
            for line, values in raw:
                if stop is not None and line > stop:
                    break
                yield line, values
        except Exception as exc:
            raise damaged(exc) from exc
        finally:
            book.close()

    total = stop if stop is not None else 0
    return rows, total
