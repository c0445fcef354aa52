"""The annual report as Markdown: a heading, the summary, a GitHub table per section."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..i18n import _

if TYPE_CHECKING:
    from .report_model import Report


def write_markdown(report: Report, out: TextIO) -> None:
    from tabulate import tabulate

    from .report_model import heading

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
