"""XLSX files: an export's one streamed sheet, and the report's workbook.

Counts and rates are numbers, dates are date cells; every text cell has been
through :func:`liaison_cli.domain.ledger.neutralise` before it gets here (the export) or
goes through it here (the report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any, TypeVar

from ..domain.ledger import neutralise
from ..i18n import _

if TYPE_CHECKING:
    from .report_model import Report

T = TypeVar("T")

# export columns wider than the default 12 characters
_WIDE = {"title": 40, "content": 40, "summary": 40, "unit": 24, "address": 24}


def write_export_sheet(
    lines: Iterable[Sequence[Any]], columns: list[tuple[str, str]], sheet: str, target: IO[bytes]
) -> int:
    """One sheet, streamed (openpyxl write-only): a bold header, then the lines."""
    return cleanly(lambda: _fill_export_sheet(lines, columns, sheet, target))


def _fill_export_sheet(
    lines: Iterable[Sequence[Any]],
    columns: list[tuple[str, str]],
    sheet: str,
    target: IO[bytes],
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # (the workbook lives in this frame only: see :func:`cleanly`)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for i, (key, _h) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDE.get(key, 12)
    bold = Font(bold=True)
    header = []
    for _k, h in columns:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    n = 0
    for line in lines:
        cells: list[Any] = []
        for v in line:
            if isinstance(v, date):
                day: Any = v  # openpyxl stores a date as a date cell; its stubs say datetime
                c = WriteOnlyCell(ws, value=day)
                c.number_format = "yyyy-mm-dd"
                cells.append(c)
            else:
                cells.append(v)
        ws.append(cells)
        n += 1
    wb.save(target)
    return n


def cleanly(write: Callable[[], T]) -> T:
    """``write()`` (a workbook's), failing with one error and nothing after it.

    openpyxl streams each sheet through a temporary file and a zip archive;
    when a write fails (a full disk) the half-written streams are left to the
    garbage collector, which closes them, so they write and fail again and
    the interpreter prints each such failure as a traceback after the one
    error line. They are collected here with those failures dropped, and the
    first error raised anew, free of their frames.
    """
    import gc
    import sys

    failure: OSError | None = None
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        try:
            return write()
        except OSError as exc:
            failure = OSError(exc.errno, exc.strerror)
        # (the frames of the failed write are freed here, as ``exc`` goes)
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise failure


def write_report_workbook(report: Report, target: IO[bytes]) -> None:
    """A summary sheet, then a sheet per table; counts and rates are numbers.

    A rate is stored as the fraction it is (0.3333, shown 33.33%), so that a
    formula over it computes with the right number.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .report_model import heading, is_rate

    wb = Workbook()
    bold = Font(bold=True)
    first = wb.active
    assert first is not None
    first.title = _("Summary")[:31]
    first.append([neutralise(heading(report))])
    first["A1"].font = Font(bold=True, size=14)
    for line in report.summary:
        first.append([neutralise(line)])
    first.column_dimensions["A"].width = 100
    used: set[str] = {first.title}
    for s in report.sections:
        ws = wb.create_sheet(_sheet_name(s.sheet or s.title, used))
        ws.append([neutralise(s.title)])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([neutralise(c.header) for c in s.columns])
        for cell in ws[2]:
            cell.font = bold
        for r in s.rows:
            row: list[Any] = []
            for c in s.columns:
                v = r.get(c.key)
                if c.key != "group" and isinstance(v, int | float) and not isinstance(v, bool):
                    row.append(round(v / 100, 10) if is_rate(c.key) else v)
                elif is_rate(c.key) and v is None:
                    row.append("—")
                else:
                    row.append(neutralise(s.shown(c.key, v)))
            ws.append(row)
            for c, cell in zip(s.columns, ws[ws.max_row], strict=True):
                if is_rate(c.key) and isinstance(cell.value, float | int):
                    cell.number_format = "0.00%"
        ws.append([])
        for note in s.notes:
            ws.append([neutralise(note)])
        for i in range(1, len(s.columns) + 1):
            ws.column_dimensions[get_column_letter(i)].width = 30 if i == 1 else 12
    cleanly(lambda: wb.save(target))


def _sheet_name(title: str, used: set[str]) -> str:
    """A worksheet name: at most 31 characters, none of ``[]:*?/\\``, unique."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "sheet"
    name, n = clean, 2
    while name in used:
        suffix = f" {n}"
        name = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name
