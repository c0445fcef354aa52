"""``liaison stats cases`` and ``liaison stats contacts``: the reported figures."""

from __future__ import annotations

from typing import Any

import typer

from ..domain.vocab import CASE_GROUPINGS, CONTACT_GROUPINGS, CONTACT_TYPES, KINDS, LEVELS
from ..i18n import C_, N_, _
from ..output import Column
from .common import handle_errors, parse_day, parse_day_optional, state

app = typer.Typer(no_args_is_help=True)


FROM_HELP = N_("Start of the period (inclusive).")
TO_HELP = N_("End of the period (inclusive).")
YEAR_HELP = N_("The calendar year, instead of --from/--to.")


def percent_text(value: float | None) -> str:
    """A rate as people read it: ``95.24%``, or ``—`` when it is undefined."""
    return "—" if value is None else f"{value:.2f}%"


def group_label(by: str, value: Any) -> str:
    """The group in the interface language: a vocabulary label, a name or a month."""
    if value == "total":
        return _("total")
    if value is None:
        return _("(unassigned)")
    if by == "kind":
        return KINDS.label(value)
    if by == "level":
        return LEVELS.label(value)
    if by == "type":
        return CONTACT_TYPES.label(value)
    return str(value)


def _human_rows(
    rows: list[dict[str, Any]], by: str, rate_keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Rows ready for a table: labels for groups, ``95.24%`` / ``—`` for rates."""
    shown = []
    for row in rows:
        out = dict(row)
        out["group"] = group_label(by, row["group"])
        for key in rate_keys:
            out[key] = percent_text(row[key])
        shown.append(out)
    return shown


def _group_header(by: str) -> str:
    headers = {
        "none": _("group"),
        "dept": _("department"),
        "handler": _("handler"),
        "kind": _("kind"),
        "level": _("level"),
        "month": _("month"),
        "type": _("type"),
        "staff": _("staff"),
    }
    return headers[by]


def case_stat_columns(by: str) -> list[Column]:
    """The columns of ``stats cases``: keys are the JSON keys, headers translated.

    Headers take the gettext context ``stats``: here ``received`` is a count
    (受理), not the date column of a case listing (收到日期).
    """
    return [
        Column("group", _group_header(by)),
        Column("received", C_("stats", "received"), justify="right"),
        Column("replied", C_("stats", "replied"), justify="right"),
        Column("closed", C_("stats", "closed"), justify="right"),
        Column("overdue", C_("stats", "overdue"), justify="right"),
        Column("satisfied", C_("stats", "satisfied"), justify="right"),
        Column("basic", C_("stats", "basic"), justify="right"),
        Column("dissatisfied", C_("stats", "dissatisfied"), justify="right"),
        Column("result_a", "A", justify="right"),
        Column("result_b", "B", justify="right"),
        Column("result_c", "C", justify="right"),
        Column("result_d", "D", justify="right"),
        Column("completion_rate", C_("stats", "completion"), justify="right"),
        Column("reply_rate", C_("stats", "reply"), justify="right"),
        Column("on_time_rate", C_("stats", "on time"), justify="right"),
        Column("satisfaction_rate", C_("stats", "satisfaction"), justify="right"),
        Column("strict_satisfaction_rate", C_("stats", "strict sat."), justify="right"),
        Column("solve_rate", C_("stats", "solve"), justify="right"),
        Column("resolution_rate", C_("stats", "resolution"), justify="right"),
        Column("no_feedback", C_("stats", "no feedback"), justify="right"),
        Column("no_result", C_("stats", "no result"), justify="right"),
        Column("late_extensions", C_("stats", "late ext."), justify="right"),
    ]


def contact_stat_columns(by: str) -> list[Column]:
    return [
        Column("group", _group_header(by)),
        Column("activities", _("activities"), justify="right"),
        Column("person_times", _("person-times"), justify="right"),
        Column("deputies_reached", _("deputies reached"), justify="right"),
        Column("coverage", _("coverage"), justify="right"),
    ]


def _period_text(start: Any, end: Any) -> str:
    if start and end:
        return _("{start} to {end}").format(start=start, end=end)
    if start:
        return _("from {start}").format(start=start)
    if end:
        return _("up to {end}").format(end=end)
    return _("on any date")


@app.command("cases", help=N_("Case counts and rates for a period (办结率, 满意率, 解决率 …)."))
@handle_errors
def cases(
    ctx: typer.Context,
    date_from: str | None = typer.Option(None, "--from", help=FROM_HELP),
    date_to: str | None = typer.Option(None, "--to", help=TO_HELP),
    year: int | None = typer.Option(None, "--year", help=YEAR_HELP),
    by_text: str = typer.Option(
        "none",
        "--by",
        help=N_("One row per dept, handler, kind, level or month (部门/承办人/类型/级别/月份)."),
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help=N_("The ledger as it stood on this date (default today); later steps are ignored."),
    ),
) -> None:
    from dataclasses import asdict

    from ..output import render_rows
    from ..services.stats import RATE_KEYS, case_notes, case_stats, resolve_period

    st = state(ctx)
    by = CASE_GROUPINGS.parse(by_text)
    start, end = resolve_period(year, parse_day_optional(date_from), parse_day_optional(date_to))
    day = parse_day(as_of)
    figures = case_stats(st.db, date_from=start, date_to=end, as_of=day, by=by)
    rows = [asdict(row) for row in figures]
    columns = case_stat_columns(by)
    if st.format in ("json", "csv"):
        render_rows(rows, columns, st.format)
        return
    title = _("Cases received {period}, as of {day}").format(
        period=_period_text(start, end), day=day
    )
    shown = _human_rows(rows, by, RATE_KEYS)
    notes = ["", *([title] if st.format == "plain" else []), *case_notes()]
    if st.format == "table":
        # twenty-two columns do not fit a terminal: counts, then rates
        counts = [c for c in columns if c.key not in RATE_KEYS]
        rates = [c for c in columns if c.key in RATE_KEYS]
        render_rows(shown, counts, st.format, title=title)
        render_rows(shown, columns[:1] + rates, st.format, title=_("Rates"), notes=notes)
    else:
        render_rows(shown, columns, st.format, title=title, notes=notes)


@app.command(
    "contacts", help=N_("Contact counts for a period: activities, person-times, coverage.")
)
@handle_errors
def contacts(
    ctx: typer.Context,
    date_from: str | None = typer.Option(None, "--from", help=FROM_HELP),
    date_to: str | None = typer.Option(None, "--to", help=TO_HELP),
    year: int | None = typer.Option(None, "--year", help=YEAR_HELP),
    by_text: str = typer.Option(
        "none",
        "--by",
        help=N_("One row per level, type, month or staff (级别/类型/月份/联络人)."),
    ),
) -> None:
    from dataclasses import asdict

    from ..output import render_rows
    from ..services.stats import contact_notes, contact_stats, resolve_period

    st = state(ctx)
    by = CONTACT_GROUPINGS.parse(by_text)
    start, end = resolve_period(year, parse_day_optional(date_from), parse_day_optional(date_to))
    figures = contact_stats(st.db, date_from=start, date_to=end, by=by)
    rows = [asdict(row) for row in figures]
    columns = contact_stat_columns(by)
    if st.format in ("json", "csv"):
        render_rows(rows, columns, st.format)
        return
    title = _("Contacts {period}").format(period=_period_text(start, end))
    notes = ["", *([title] if st.format == "plain" else []), *contact_notes()]
    render_rows(_human_rows(rows, by, ("coverage",)), columns, st.format, title=title, notes=notes)
