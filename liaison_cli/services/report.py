"""The annual report (年度报告): the year's figures in one document.

Cases received in the year by kind and by department with every rate, the
cases overdue as of the report date, and contacts by level and by type, each
table followed by the definitions of its figures. The figures come from
``services.stats`` and ``case_queries.overdue`` (so the report says exactly
what ``liaison stats`` and ``liaison overdue`` say); this module gathers them
and writes them as XLSX (a sheet per table, numbers as numbers), Markdown or
CSV. It never prints: the command renders the same sections in the terminal.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any, TextIO

from ..errors import InvalidValue
from ..i18n import _
from ..render import Column

FORMATS = {".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown", ".csv": "csv"}
# columns holding a percentage (a float, or None when its denominator is 0)
RATE_SUFFIXES = ("_rate", "coverage")


@dataclass
class Section:
    """One table of the report: raw rows (codes, numbers) and how to show them."""

    key: str  # cases_by_kind, cases_by_dept, overdue, contacts_by_level, contacts_by_type
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    # the group column's label for a raw value (vocabulary label, "total" …)
    group: Callable[[Any], str] | None = None
    sheet: str = ""  # a short name for its XLSX sheet (at most 31 characters)

    def shown(self, key: str, value: Any) -> str:
        """A cell as a person reads it."""
        if key == "group" and self.group is not None:
            return self.group(value)
        if is_rate(key):
            return "—" if value is None else f"{value:.2f}%"
        col = next(c for c in self.columns if c.key == key)
        if value is None or value == "":
            return ""
        if col.show is not None:
            return col.show(value)
        return str(value)

    def for_render(self) -> list[dict[str, Any]]:
        """Rows for ``render_rows``: groups and rates shown, the rest left to the columns."""
        out = []
        for r in self.rows:
            row = dict(r)
            for c in self.columns:
                if c.key == "group" or is_rate(c.key):
                    row[c.key] = self.shown(c.key, r.get(c.key))
            out.append(row)
        return out


@dataclass
class Report:
    year: int
    as_of: date
    summary: list[str]
    sections: list[Section]


def is_rate(key: str) -> bool:
    return key.endswith(RATE_SUFFIXES)


def format_for(path: str) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InvalidValue(
            _("cannot write a report to {name}: use a .xlsx, .md or .csv file").format(
                name=Path(path).name
            )
        )
    return fmt


def gather(conn: Any, *, year: int, as_of: date) -> dict[str, Any]:
    """The raw figures of ``year`` as the ledger stood on ``as_of``."""
    from dataclasses import asdict

    from .case_queries import overdue
    from .stats import case_table, contact_table, resolve_period

    start, end = resolve_period(year, None, None)
    assert start is not None and end is not None
    period = {"date_from": start, "date_to": end}
    late, _summary = overdue(conn, as_of=as_of)
    return {
        "cases_by_kind": [asdict(r) for r in case_table(conn, **period, as_of=as_of, by="kind")],
        "cases_by_dept": [asdict(r) for r in case_table(conn, **period, as_of=as_of, by="dept")],
        # the overdue cases among those received in the year
        "overdue": [r for r in late if start.isoformat() <= r["received"] <= end.isoformat()],
        "contacts_by_level": [asdict(r) for r in contact_table(conn, **period, by="level")],
        "contacts_by_type": [asdict(r) for r in contact_table(conn, **period, by="type")],
    }


def summary_lines(figures: dict[str, Any], year: int) -> list[str]:
    """The sentences an office's report opens with (受理…件，已办结…件，办结率…)."""
    cases = figures["cases_by_kind"][-1]
    contacts = figures["contacts_by_level"][-1]

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.2f}%"

    return [
        _(
            "{year}: {received} cases received, {replied} replied, {closed} closed; "
            "completion rate {completion}, on-time rate {on_time}, satisfaction rate {sat}."
        ).format(
            year=year,
            received=cases["received"],
            replied=cases["replied"],
            closed=cases["closed"],
            completion=pct(cases["completion_rate"]),
            on_time=pct(cases["on_time_rate"]),
            sat=pct(cases["satisfaction_rate"]),
        ),
        _(
            "{activities} contacts, {person_times} person-times, {reached} deputies reached "
            "(coverage {coverage}); {overdue} cases on the overdue list."
        ).format(
            activities=contacts["activities"],
            person_times=contacts["person_times"],
            reached=contacts["deputies_reached"],
            coverage=pct(contacts["coverage"]),
            overdue=len(figures["overdue"]),
        ),
    ]


# -- writing --------------------------------------------------------------------------------


def write(report: Report, path: str) -> None:
    """Write the report to ``path`` (format by extension), all or nothing."""
    fmt = format_for(path)
    target = Path(path)
    if target.is_dir():
        raise InvalidValue(_("{path} is a directory").format(path=target))
    tmp = target.with_name(f".{target.name}.part")
    try:
        if fmt == "xlsx":
            write_xlsx(report, tmp)
        else:
            with open(tmp, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as f:
                (write_csv if fmt == "csv" else write_markdown)(report, f)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def heading(report: Report) -> str:
    return _("Annual report {year} (as of {day})").format(year=report.year, day=report.as_of)


def write_markdown(report: Report, out: TextIO) -> None:
    from tabulate import tabulate

    out.write(f"# {heading(report)}\n\n")
    for line in report.summary:
        out.write(f"{line}\n\n")
    for s in report.sections:
        out.write(f"## {s.title}\n\n")
        if s.rows:
            cells = [[s.shown(c.key, r.get(c.key)) for c in s.columns] for r in s.rows]
            headers = [c.header for c in s.columns]
            out.write(tabulate(cells, headers=headers, tablefmt="github", disable_numparse=True))
            out.write("\n\n")
        else:
            out.write(_("(none)") + "\n\n")
        for note in s.notes:
            out.write(f"- {note}\n")
        if s.notes:
            out.write("\n")


def write_csv(report: Report, out: TextIO) -> None:
    """Every table one after the other, each under its title, notes below it.

    Written with a BOM (the file is for Excel users); numbers as shown.
    """
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([heading(report)])
    for line in report.summary:
        w.writerow([line])
    for s in report.sections:
        w.writerow([])
        w.writerow([s.title])
        w.writerow([c.header for c in s.columns])
        for r in s.rows:
            w.writerow([s.shown(c.key, r.get(c.key)) for c in s.columns])
        for note in s.notes:
            w.writerow([note])


def write_xlsx(report: Report, path: Path) -> None:
    """A summary sheet, then a sheet per table; counts and rates are numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    first = wb.active
    first.title = _("Summary")[:31]
    first.append([heading(report)])
    first["A1"].font = Font(bold=True, size=14)
    for line in report.summary:
        first.append([line])
    first.column_dimensions["A"].width = 100
    used: set[str] = {first.title}
    for s in report.sections:
        name = _sheet_name(s.sheet or s.title, used)
        ws = wb.create_sheet(name)
        ws.append([s.title])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([c.header for c in s.columns])
        for cell in ws[2]:
            cell.font = bold
        for r in s.rows:
            row = []
            for c in s.columns:
                v = r.get(c.key)
                if c.key != "group" and isinstance(v, int | float) and not isinstance(v, bool):
                    row.append(v)
                elif is_rate(c.key) and v is None:
                    row.append("—")
                else:
                    row.append(s.shown(c.key, v))
            ws.append(row)
            for c, cell in zip(s.columns, ws[ws.max_row], strict=True):
                if is_rate(c.key) and isinstance(cell.value, float | int):
                    cell.number_format = '0.00"%"'
        ws.append([])
        for note in s.notes:
            ws.append([note])
        for i in range(1, len(s.columns) + 1):
            ws.column_dimensions[get_column_letter(i)].width = 30 if i == 1 else 12
    wb.save(path)


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


def to_text(report: Report, fmt: str) -> str:
    """The report as Markdown or CSV text (for stdout)."""
    buf = StringIO()
    (write_csv if fmt == "csv" else write_markdown)(report, buf)
    return buf.getvalue()
