"""``liaison report``: the annual report, in the terminal or as XLSX, Markdown or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from ..i18n import N_, _
from .common import handle_errors, parse_day, state
from .io import MODE_HELP, OVERWRITE_HELP

if TYPE_CHECKING:
    from ..output.report_model import Report, Section
    from ..services.report import Figures

app = typer.Typer()


def _sections(figures: Figures, year: int) -> list[Section]:
    from ..output.report_model import Section
    from ..services.stats import COUNT_DEFINITIONS, case_notes, contact_notes
    from .columns import overdue_columns
    from .stats import case_stat_columns, contact_stat_columns, group_label

    def grouped(by: str) -> Any:
        return lambda value: group_label(by, value)

    overdue_notes = [
        COUNT_DEFINITIONS["overdue"],
        _(
            "a case due today is not overdue until tomorrow; letters and cases of concern "
            "are also listed when their 7-day procedural reply is late"
        ),
    ]
    return [
        Section(
            "cases_by_kind",
            _("Cases received in {year} by kind").format(year=year),
            case_stat_columns("kind"),
            figures.cases_by_kind,
            case_notes(),
            grouped("kind"),
            _("By kind"),
        ),
        Section(
            "cases_by_dept",
            _("Cases received in {year} by department").format(year=year),
            case_stat_columns("dept"),
            figures.cases_by_dept,
            case_notes(),
            grouped("dept"),
            _("By department"),
        ),
        Section(
            "overdue",
            _("Cases overdue on {day}, whatever the year received").format(day=figures.overdue_on),
            overdue_columns(),
            figures.overdue,
            overdue_notes,
            sheet=_("Overdue"),
        ),
        Section(
            "contacts_by_level",
            _("Contacts in {year} by level").format(year=year),
            contact_stat_columns("level"),
            figures.contacts_by_level,
            contact_notes(),
            grouped("level"),
            _("Contacts by level"),
        ),
        Section(
            "contacts_by_type",
            _("Contacts in {year} by type").format(year=year),
            contact_stat_columns("type"),
            figures.contacts_by_type,
            contact_notes(),
            grouped("type"),
            _("Contacts by type"),
        ),
    ]


def _print(report: Report, fmt: str) -> None:
    """The same tables in the terminal: counts and rates apart when they would not fit."""
    from ..output import render_rows
    from ..output.report_model import heading, is_rate

    typer.echo(heading(report))
    for line in report.summary:
        typer.echo(line)
    for s in report.sections:
        typer.echo("")
        shown = s.for_render()
        rates = [c for c in s.columns if is_rate(c.key) and c.key != "coverage"]
        if fmt == "table" and rates:
            counts = [c for c in s.columns if c not in rates]
            render_rows(shown, counts, fmt, title=s.title)
            render_rows(shown, counts[:1] + rates, fmt, title=_("Rates"), notes=s.notes)
        else:
            if fmt == "plain":  # the other formats print the title themselves
                typer.echo(s.title)
            render_rows(shown, s.columns, fmt, title=s.title, notes=s.notes)


@app.command(
    "report",
    help=N_(
        "The annual report: cases by kind and by department with every rate, the overdue "
        "list, contacts by level and by type, each with its definitions."
    ),
)
@handle_errors
def report(
    ctx: typer.Context,
    year: int | None = typer.Option(None, "--year", help=N_("The year (default: this year).")),
    as_of: str | None = typer.Option(
        None, "--as-of", help=N_("The ledger as it stood on this date (default today).")
    ),
    out: str | None = typer.Option(
        None, "--out", "-o", help=N_("Write to a .xlsx, .md or .csv file instead of the terminal.")
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help=OVERWRITE_HELP),
    mode: str | None = typer.Option(None, "--mode", help=MODE_HELP),
) -> None:
    from ..domain.dates import today
    from ..output import report as document
    from ..output.files import check_target, parse_mode
    from ..services import report as svc

    st = state(ctx)
    file_mode = parse_mode(mode)
    if out is not None:
        # a bad extension, a missing folder or a file in the way fail before any work
        document.format_for(out)
        check_target(out, overwrite=overwrite)
    day = parse_day(as_of)
    the_year = year if year is not None else today().year
    figures = svc.gather(st.db, year=the_year, as_of=day)
    doc = document.Report(
        the_year, day, svc.summary_lines(figures, the_year), _sections(figures, the_year)
    )
    if out is not None:
        document.write_report(doc, out, overwrite=overwrite, mode=file_mode)
        message = _("wrote the {year} report to {file}").format(year=the_year, file=out)
        typer.echo(message, err=st.format in ("json", "csv"))
        return
    if st.format == "json":
        from ..output import write_json

        write_json(
            [
                {
                    "year": the_year,
                    "as_of": day.isoformat(),
                    "summary": doc.summary,
                    **{s.key: s.rows for s in doc.sections},
                }
            ],
            typer.get_text_stream("stdout"),
        )
        return
    if st.format in ("csv", "markdown", "md"):
        text = document.to_text(doc, "csv" if st.format == "csv" else "markdown")
        typer.echo(text, nl=False)
        return
    _print(doc, st.format)
