"""The case lifecycle commands: add-suggestion, assign, remind, extend, reply,
close, reopen, show, cases, overdue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import typer

from ..domain.vocab import SATISFACTION
from ..i18n import N_, _
from .common import (
    check_limit,
    emit_result,
    handle_errors,
    note,
    parse_day,
    parse_day_optional,
    state,
)

app = typer.Typer()


def listing(rows: Iterable[Mapping[str, object]]) -> Iterable[dict[str, Any]]:
    """Typed rows (TypedDicts) as the renderer's rows: the same objects, no copy."""
    return cast("Iterable[dict[str, Any]]", rows)


CASE_HELP = N_("Case number (e.g. 2026-0001) or id.")
DATE_HELP = N_(
    "Date it happened: 2026-11-20, 2026年11月20日, today, yesterday, -3d (default today)."
)


@app.command(
    "add-suggestion",
    help=N_("Register a suggestion, motion, proposal, letter, case of concern or petition."),
)
@handle_errors
def add_suggestion(
    ctx: typer.Context,
    deputy: list[str] = typer.Option(
        ...,
        "--deputy",
        help=N_(
            "Deputy id or name; repeat for co-signers (the first leads), or list them: "
            "李红梅、周建华."
        ),
    ),
    title: str = typer.Option(..., "--title", help=N_("Title of the case.")),
    kind: str = typer.Option(
        "suggestion",
        "--kind",
        help=N_(
            "suggestion, motion, proposal, letter, concern or petition (建议/议案/提案/来信/关注案件/信访)."
        ),
    ),
    received: str | None = typer.Option(
        None, "--received", help=N_("Date received (default today).")
    ),
    number: str | None = typer.Option(
        None, "--number", help=N_("Official number; default YYYY-NNNN by year received.")
    ),
    content: str | None = typer.Option(None, "--content", help=N_("Full text or summary.")),
    key: bool = typer.Option(False, "--key", help=N_("Under key supervision (重点督办).")),
) -> None:
    from ..services.cases import add_case

    st = state(ctx)
    on = parse_day(received)
    done = add_case(
        st.db,
        st.actor,
        deputies=deputy,
        title=title,
        kind=kind,
        received=on,
        number=number,
        content=content,
        key=key,
    )
    message = _("registered case {number}").format(number=done.row["number"])
    if done.proc_due:
        message += _("; ") + _("procedural reply due {d}").format(d=done.proc_due)
    emit_result(st, message, done.record())


@app.command("assign", help=N_("Assign a case to a department (交办); starts the deadline."))
@handle_errors
def assign(
    ctx: typer.Context,
    case: str = typer.Argument(..., help=CASE_HELP),
    dept: str = typer.Option(..., "--dept", help=N_("Lead handling department (主办).")),
    handler: str | None = typer.Option(None, "--handler", help=N_("Handler (承办人).")),
    co_dept: list[str] = typer.Option(
        [], "--co-dept", help=N_("Co-handling department (协办); repeatable.")
    ),
    date: str | None = typer.Option(None, "--date", help=DATE_HELP),
    due: str | None = typer.Option(None, "--due", help=N_("Deadline instead of the rule's.")),
    complex_: bool = typer.Option(
        False, "--complex", help=N_("Wide-ranging or difficult: 6 months (涉及面广、处理难度大).")
    ),
    other_dept: bool = typer.Option(
        False, "--other-dept", help=N_("The handler is of another department, on purpose.")
    ),
) -> None:
    from ..services.cases import assign as do_assign

    st = state(ctx)
    on = parse_day(date)
    due_on = parse_day_optional(due)
    done = do_assign(
        st.db,
        st.actor,
        case,
        dept=dept,
        on=on,
        handler=handler,
        co_depts=co_dept,
        due=due_on,
        complex_=complex_,
        other_dept=other_dept,
    )
    emit_result(
        st,
        _("assigned {number} to {department}, due {due}").format(**done.row),
        done.record(),
    )


@app.command("remind", help=N_("Record a reminder sent to the handler (催办)."))
@handle_errors
def remind(
    ctx: typer.Context,
    case: str = typer.Argument(..., help=CASE_HELP),
    note: str | None = typer.Option(None, "--note", help=N_("What was said.")),
    date: str | None = typer.Option(None, "--date", help=DATE_HELP),
) -> None:
    from ..services.cases import remind as do_remind

    st = state(ctx)
    on = parse_day(date)
    done = do_remind(st.db, st.actor, case, on=on, note=note)
    row = done.record()
    emit_result(st, _("reminder {reminders} recorded for {number}").format(**row), row)


@app.command("extend", help=N_("Extend a case's deadline (延期), with the reason."))
@handle_errors
def extend(
    ctx: typer.Context,
    case: str = typer.Argument(..., help=CASE_HELP),
    due: str = typer.Option(..., "--due", help=N_("New deadline.")),
    reason: str = typer.Option(..., "--reason", help=N_("Why the extension was granted.")),
    date: str | None = typer.Option(None, "--date", help=DATE_HELP),
    late: bool = typer.Option(
        False,
        "--late",
        help=N_("Granted after the deadline had passed (补批); the days overdue stay overdue."),
    ),
) -> None:
    from ..domain.dates import parse_date
    from ..services.cases import extend as do_extend

    st = state(ctx)
    on = parse_day(date)
    new_due = parse_date(due)
    row = do_extend(st.db, st.actor, case, due=new_due, reason=reason, on=on, late=late).record()
    emit_result(st, _("{number}: due {old_due} → {due}").format(**row), row)


@app.command("reply", help=N_("Record the reply to the deputy (答复), or --procedural."))
@handle_errors
def reply(
    ctx: typer.Context,
    case: str = typer.Argument(..., help=CASE_HELP),
    method: str | None = typer.Option(
        None, "--method", help=N_("written, in-person or phone (书面/当面/电话).")
    ),
    result: str | None = typer.Option(None, "--result", help=N_("Result class A, B, C or D.")),
    procedural: bool = typer.Option(
        False, "--procedural", help=N_("The 7-day procedural reply of a letter or case of concern.")
    ),
    date: str | None = typer.Option(None, "--date", help=DATE_HELP),
    summary: str | None = typer.Option(None, "--summary", help=N_("What the reply said.")),
) -> None:
    from ..errors import InvalidValue
    from ..services import cases as svc

    st = state(ctx)
    on = parse_day(date)
    if procedural and result:
        raise InvalidValue(_("--procedural takes no --result"))
    if not procedural and not method:
        raise InvalidValue(_("--method is required (written, in-person or phone)"))
    done: svc.Replied | svc.ProcedurallyReplied
    if procedural:
        done = svc.reply_procedural(st.db, st.actor, case, on=on, method=method, summary=summary)
        due = done.proc_due
        message = _("procedural reply recorded for {number}").format(**done.row)
    else:
        assert method is not None
        done = svc.reply(
            st.db, st.actor, case, method=method, on=on, result=result, summary=summary
        )
        due = done.row["due"]
        message = _("reply recorded for {number}").format(**done.row)
    row = done.record()
    if due:
        when = _("on time") if done.on_time else _("late")
        message += _(": ") + _("{when} (due {due})").format(when=when, due=due)
    emit_result(st, message, row)
    if not procedural and not result:
        note(
            _(
                "no --result given: the solve rate leaves {number} out "
                "(counted as no_result in `liaison stats cases`)"
            ).format(**done.row)
        )


@app.command("close", help=N_("Close a replied case (办结) with the deputy's satisfaction."))
@handle_errors
def close(
    ctx: typer.Context,
    case: str = typer.Argument(..., help=CASE_HELP),
    satisfaction: str | None = typer.Option(
        None, "--satisfaction", help=N_("satisfied, basic or dissatisfied (满意/基本满意/不满意).")
    ),
    date: str | None = typer.Option(None, "--date", help=DATE_HELP),
) -> None:
    from ..services.cases import close as do_close

    st = state(ctx)
    on = parse_day(date)
    row = do_close(st.db, st.actor, case, on=on, satisfaction=satisfaction).row
    if row["satisfaction"]:
        message = _("closed {number} ({satisfaction})").format(
            number=row["number"], satisfaction=SATISFACTION.label(row["satisfaction"])
        )
    else:
        message = _("closed {number}").format(**row)
    emit_result(st, message, dict(row))
    if not row["satisfaction"]:
        note(
            _(
                "no --satisfaction given: the satisfaction rates leave {number} out "
                "(counted as no_feedback in `liaison stats cases`)"
            ).format(**row)
        )


@app.command("reopen", help=N_("Reopen a case closed dissatisfied: a new handling round."))
@handle_errors
def reopen(
    ctx: typer.Context,
    case: str = typer.Argument(..., help=CASE_HELP),
    reason: str = typer.Option(..., "--reason", help=N_("Why it is handled again.")),
    date: str | None = typer.Option(None, "--date", help=DATE_HELP),
) -> None:
    from ..services.cases import reopen as do_reopen

    st = state(ctx)
    on = parse_day(date)
    row = do_reopen(st.db, st.actor, case, reason=reason, on=on).record()
    emit_result(st, _("reopened {number}: round {round}, due {due}").format(**row), row)


@app.command("show", help=N_("A case with its deputies, deadline, status and timeline."))
@handle_errors
def show(ctx: typer.Context, case: str = typer.Argument(..., help=CASE_HELP)) -> None:
    from ..domain.dates import today
    from ..services.cases import show_case
    from .case_view import print_case

    st = state(ctx)
    data = show_case(st.db, case, today())
    print_case(data, st.format)


@app.command("cases", help=N_("List cases, with filters."))
@handle_errors
def cases(
    ctx: typer.Context,
    status: str | None = typer.Option(
        None, "--status", help=N_("registered, assigned, replied or closed.")
    ),
    kind: str | None = typer.Option(None, "--kind", help=N_("Case kind.")),
    dept: str | None = typer.Option(None, "--dept", help=N_("Handling department.")),
    deputy: str | None = typer.Option(None, "--deputy", help=N_("Deputy id or name.")),
    date_from: str | None = typer.Option(None, "--from", help=N_("Received on or after.")),
    date_to: str | None = typer.Option(None, "--to", help=N_("Received on or before.")),
    key: bool = typer.Option(False, "--key", help=N_("Only cases under key supervision.")),
    handler: str | None = typer.Option(None, "--handler", help=N_("Handler id or name.")),
    replied_from: str | None = typer.Option(
        None, "--replied-from", help=N_("Replied on or after.")
    ),
    replied_to: str | None = typer.Option(None, "--replied-to", help=N_("Replied on or before.")),
    closed_from: str | None = typer.Option(None, "--closed-from", help=N_("Closed on or after.")),
    closed_to: str | None = typer.Option(None, "--closed-to", help=N_("Closed on or before.")),
    search: str | None = typer.Option(
        None, "--search", help=N_("Only cases whose title contains this text.")
    ),
    limit: int | None = typer.Option(None, "--limit", metavar="N", help=N_("Show at most N rows.")),
) -> None:
    from ..output import render_rows
    from ..services.listing import case_listing
    from .columns import case_columns, case_list_columns

    st = state(ctx)
    start, end = parse_day_optional(date_from), parse_day_optional(date_to)
    with case_listing(
        st.db,
        status=status,
        kind=kind,
        dept=dept,
        deputy=deputy,
        date_from=start,
        date_to=end,
        key=True if key else None,
        limit=check_limit(limit),
        handler=handler,
        replied_from=parse_day_optional(replied_from),
        replied_to=parse_day_optional(replied_to),
        closed_from=parse_day_optional(closed_from),
        closed_to=parse_day_optional(closed_to),
        search=search,
    ) as rows:
        columns = case_columns() if st.format in ("json", "csv") else case_list_columns()
        render_rows(listing(rows), columns, st.format, title=_("Cases"))


@app.command("overdue", help=N_("Cases past their deadline, most overdue first."))
@handle_errors
def overdue(
    ctx: typer.Context,
    as_of: str | None = typer.Option(
        None, "--as-of", help=N_("Judge as of this date (default today).")
    ),
    within: int = typer.Option(
        0, "--within", metavar="N", help=N_("Also list the cases due in the next N days.")
    ),
    dept: str | None = typer.Option(None, "--dept", help=N_("Only this department.")),
    limit: int | None = typer.Option(None, "--limit", metavar="N", help=N_("Show at most N rows.")),
) -> None:
    from ..output import render_rows
    from ..services.overdue import overdue_report
    from .columns import overdue_columns

    st = state(ctx)
    day = parse_day(as_of)
    report = overdue_report(st.db, as_of=day, within=within, dept=dept, limit=check_limit(limit))
    summary = report.counts
    note = (
        _("{overdue} overdue, {due_soon} due within {days} days, as of {day}").format(
            days=within, day=day, **summary
        )
        if within
        else _("{overdue} overdue as of {day}").format(day=day, **summary)
    )
    render_rows(
        listing(report.rows),
        overdue_columns(machine=st.format in ("json", "csv"), within=within > 0),
        st.format,
        title=_("Overdue cases"),
        notes=[note],
    )
    if st.format in ("json", "csv"):
        typer.echo(note, err=True)
