"""``liaison log-contact`` and ``liaison contacts``: the liaison log."""

from __future__ import annotations

import typer

from ..domain.vocab import CONTACT_TYPES, SENT_CONTACT_TYPES
from ..errors import InvalidValue
from ..i18n import N_, _
from .common import (
    check_limit,
    emit_result,
    handle_errors,
    names_file,
    parse_day,
    parse_day_optional,
    state,
)

app = typer.Typer()

TYPE_HELP = N_(
    "visit, symposium, trial, inspection, open-day, hearing, briefing, bulletin, message, "
    "phone or other (走访/座谈/旁听/视察/开放日/听证/通报/专刊/短信/电话/其他)."
)


@app.command("log-contact", help=N_("Log a liaison activity (联络) with one or more deputies."))
@handle_errors
def log_contact(
    ctx: typer.Context,
    deputy: list[str] = typer.Option(
        [],
        "--deputy",
        help=N_(
            "Deputy id or name; repeat for each deputy taking part (or receiving it), or list them: 李红梅、周建华."
        ),
    ),
    deputies_file: str | None = typer.Option(
        None, "--deputies-file", help=N_("A file of the deputies taking part, one name a line.")
    ),
    level: str | None = typer.Option(
        None, "--level", help=N_("With --all: every deputy of this level.")
    ),
    all_: bool = typer.Option(
        False, "--all", help=N_("Every deputy on the registry (of --level), e.g. for a bulletin.")
    ),
    type_: str = typer.Option(..., "--type", help=TYPE_HELP),
    date: str | None = typer.Option(None, "--date", help=N_("Date it took place (default today).")),
    staff: str | None = typer.Option(None, "--staff", help=N_("Staff member who led it.")),
    summary: str | None = typer.Option(None, "--summary", help=N_("What was done or said.")),
) -> None:
    from ..services.contacts import log_contact as do_log

    st = state(ctx)
    on = parse_day(date)
    if level is not None and not all_:
        raise InvalidValue(_("--level takes --all (every deputy of that level)"))
    row = do_log(
        st.db,
        st.actor,
        deputies=[*deputy, *names_file(deputies_file)],
        everyone=all_,
        level=level,
        type=type_,
        on=on,
        staff=staff,
        summary=summary,
    )
    message = (
        _("logged contact {id}: {type} on {date} sent to {deputies}")
        if row["type"] in SENT_CONTACT_TYPES
        else _("logged contact {id}: {type} on {date} with {deputies}")
    )
    emit_result(
        st,
        message.format(
            id=row["id"],
            type=CONTACT_TYPES.label(row["type"]),
            date=row["date"],
            deputies=row["deputies"],
        ),
        dict(row),
    )


@app.command("contacts", help=N_("List logged contacts, with filters."))
@handle_errors
def contacts(
    ctx: typer.Context,
    date_from: str | None = typer.Option(None, "--from", help=N_("On or after this date.")),
    date_to: str | None = typer.Option(None, "--to", help=N_("On or before this date.")),
    deputy: str | None = typer.Option(None, "--deputy", help=N_("Deputy id or name.")),
    type_: str | None = typer.Option(None, "--type", help=TYPE_HELP),
    limit: int | None = typer.Option(None, "--limit", metavar="N", help=N_("Show at most N rows.")),
) -> None:
    from ..output import render_rows
    from ..services.contacts import list_contacts
    from .columns import contact_columns

    st = state(ctx)
    start, end = parse_day_optional(date_from), parse_day_optional(date_to)
    rows = list_contacts(
        st.db,
        date_from=start,
        date_to=end,
        deputy=deputy,
        type=type_,
        limit=check_limit(limit),
    )
    render_rows(rows, contact_columns(), st.format, title=_("Contacts"))
