"""The annual report as a document: its sections, and writing it as CSV or text.

:mod:`services.report` gathers the figures; the command arranges them into a
:class:`Report` of :class:`Section` s (a table each, with its notes), and
this module writes it: XLSX (:mod:`.xlsx`), Markdown (:mod:`.markdown`) or
CSV, to a file through the one atomic write, or as text for the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from io import StringIO
from typing import Any, TextIO

from ..i18n import _
from .cells import Column
from .files import atomic_target, format_by_extension, spreadsheet_text

FORMATS = {".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown", ".csv": "csv"}
# columns holding a percentage (a float, or None when its denominator is 0)
RATE_SUFFIXES = ("_rate", "coverage")


def is_rate(key: str) -> bool:
    return key.endswith(RATE_SUFFIXES)


@dataclass
class Section:
    """One table of the report: raw rows (codes, numbers) and how to show them."""

    key: str  # cases_by_kind, cases_by_dept, overdue, contacts_by_level, contacts_by_type
    title: str
    columns: list[Column]
    rows: Sequence[Mapping[str, Any]]
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


def heading(report: Report) -> str:
    return _("Annual report {year} (as of {day})").format(year=report.year, day=report.as_of)


def format_for(path: str) -> str:
    """The report format ``path`` names, or the one-line refusal."""
    return format_by_extension(
        path, FORMATS, _("cannot write a report to {name}: use a .xlsx, .md or .csv file")
    )


def write_report(report: Report, path: str) -> None:
    """Write the report to ``path`` (format by extension), all or nothing."""
    fmt = format_for(path)
    with atomic_target(path) as tmp:
        if fmt == "xlsx":
            from .xlsx import write_report_workbook

            write_report_workbook(report, tmp)
            return
        with open(tmp, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as f:
            if fmt == "csv":
                write_csv(report, f)
            else:
                from .markdown import write_markdown

                write_markdown(report, f)


def write_csv(report: Report, out: TextIO) -> None:
    """Every table one after the other, each under its title, notes below it.

    Numbers as shown; every cell through the spreadsheet-safe text (the file
    is for Excel users, who get it with a BOM).
    """
    import csv

    w = csv.writer(out, lineterminator="\r\n")

    def line(cells: list[str]) -> None:
        w.writerow([spreadsheet_text(x) for x in cells])

    line([heading(report)])
    for text in report.summary:
        line([text])
    for s in report.sections:
        w.writerow([])
        line([s.title])
        line([c.header for c in s.columns])
        for r in s.rows:
            line([s.shown(c.key, r.get(c.key)) for c in s.columns])
        for note in s.notes:
            line([note])


def to_text(report: Report, fmt: str) -> str:
    """The report as Markdown or CSV text (for stdout)."""
    buf = StringIO()
    if fmt == "csv":
        write_csv(report, buf)
    else:
        from .markdown import write_markdown

        write_markdown(report, buf)
    return buf.getvalue()
