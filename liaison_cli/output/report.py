"""Writing the annual report (:mod:`.report_model`) as a file or as text.

XLSX (:mod:`.xlsx`), Markdown (:mod:`.markdown`) or CSV, to a file through
the one atomic write, or as text for the terminal.
"""

from __future__ import annotations

from io import StringIO
from typing import TextIO

from ..domain.ledger import neutralise
from ..i18n import _
from .files import atomic_target, format_by_extension, text_file
from .report_model import Report, heading

FORMATS = {".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown", ".csv": "csv"}


def format_for(path: str) -> str:
    """The report format ``path`` names, or the one-line refusal."""
    return format_by_extension(
        path, FORMATS, _("cannot write a report to {name}: use a .xlsx, .md or .csv file")
    )


def write_report(
    report: Report, path: str, *, overwrite: bool = False, mode: int | None = None
) -> None:
    """Write the report to ``path`` (format by extension), all or nothing.

    Through :func:`.files.atomic_target`: mode 0600 unless ``mode`` says
    otherwise, an existing file replaced only with ``overwrite``.
    """
    fmt = format_for(path)
    with atomic_target(path, overwrite=overwrite, mode=mode) as raw:
        if fmt == "xlsx":
            from .xlsx import write_report_workbook

            write_report_workbook(report, raw)
            return
        with text_file(raw, "utf-8-sig" if fmt == "csv" else "utf-8") as f:
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
        w.writerow([neutralise(x) for x in cells])

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
