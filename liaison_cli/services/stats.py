"""The figures an office reports: case rates and contact counts for a period.

The counts are SQL aggregates (:mod:`liaison_cli.store.stats`, one statement
per table), and the total row adds up the groups' counts: nothing loops over
cases in Python. Here the groups get their names and a reader's order, and
the counts are divided into percentages, which keeps the integer division
and boolean quirks of SQLite and PostgreSQL out of the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, cast, get_args

from ..domain.ordering import department_sort_key
from ..domain.vocab import CONTACT_TYPES, KINDS, LEVELS
from ..errors import InvalidValue
from ..i18n import _
from ..store import contact_stats as contact_sql
from ..store import stats as sql
from ..store.contact_stats import ContactCounts, ContactGrouping
from ..store.registry import staff_labels
from ..store.stats import CaseCounts, CaseGrouping
from ..store.uow import unit_of_work
from .stats_text import CONTACT_DEFINITIONS, COUNT_DEFINITIONS, RATE_DEFINITIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from ..store.database import Database

CASE_GROUPINGS: tuple[str, ...] = get_args(CaseGrouping)
CONTACT_GROUPINGS: tuple[str, ...] = get_args(ContactGrouping)
TOTAL = "total"


def rate_definitions() -> list[str]:
    """The translated definition of every rate, in the order of the columns."""
    return [RATE_DEFINITIONS[k] for k in RATE_KEYS]


def case_notes() -> list[str]:
    """Lines printed under a case stats table: the rates, then the counts."""
    return [*rate_definitions(), *COUNT_DEFINITIONS.values()]


def contact_notes() -> list[str]:
    """Lines printed under a contact stats table."""
    return list(CONTACT_DEFINITIONS.values())


# -- the period --------------------------------------------------------------------


def resolve_period(
    year: int | None, date_from: date | None, date_to: date | None
) -> tuple[date | None, date | None]:
    """``--year`` or ``--from``/``--to`` as one inclusive range (either end open).

    Pure: the command line checks its options with it before anything is
    opened, and the services check a period they are given the same way.
    """
    if year is not None:
        if date_from is not None or date_to is not None:
            raise InvalidValue(_("give either --year or --from/--to, not both"))
        _check_year(year)
        return date(year, 1, 1), date(year, 12, 31)
    for day in (date_from, date_to):
        if day is not None:
            _check_year(day.year)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidValue(
            _("--from {start} is after --to {end}").format(start=date_from, end=date_to)
        )
    return date_from, date_to


# The years a period may fall in: the ledger of a people's congress office starts
# with 1949, and a year past 2100 (or a two-digit 26 read as 0026) is a typo.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValue(
            _("year {year} is outside {first}–{last}").format(
                year=year, first=FIRST_YEAR, last=LAST_YEAR
            )
        )


def percent(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` as a percentage rounded half-up to 2 decimals.

    None when the denominator is 0: a rate over nothing is unknown, not 0%.
    Decimal rounding so that 20/21 gives 95.24 and 86/93 gives 92.47 exactly
    as a person computing by hand would.
    """
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return float(value)


# -- cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFigures:
    """One row of ``stats cases``: its group, the counts, then the rates in percent.

    ``group`` is a department's or handler's name, a kind or level code, a
    ``YYYY-MM`` month, None for the cases without one, or ``"total"``. A
    rate is None when its denominator is 0. The fields are :data:`CASE_KEYS`.
    The last three counts came later, so a script reading CSV columns by
    position finds the earlier ones where they were: the cases closed
    without feedback and replied without a result class (left out of the
    satisfaction and solve rates), and the cases whose deadline was extended
    after it had passed.
    """

    group: str | None
    received: int
    replied: int
    closed: int
    overdue: int
    satisfied: int
    basic: int
    dissatisfied: int
    result_a: int
    result_b: int
    result_c: int
    result_d: int
    completion_rate: float | None
    reply_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None
    strict_satisfaction_rate: float | None
    solve_rate: float | None
    resolution_rate: float | None
    no_feedback: int
    no_result: int
    late_extensions: int


# The keys of a row (JSON, CSV), in the order of the fields.
CASE_KEYS = tuple(f.name for f in fields(CaseFigures))
RATE_KEYS = tuple(k for k in CASE_KEYS if k.endswith("_rate"))
COUNT_KEYS = tuple(k for k in CASE_KEYS[1:] if k not in RATE_KEYS)


def _case_figures(group: str | None, c: CaseCounts) -> CaseFigures:
    feedback = c.satisfied + c.basic + c.dissatisfied
    classified = c.result_a + c.result_b + c.result_c + c.result_d
    return CaseFigures(
        group=group,
        received=c.received,
        replied=c.replied,
        closed=c.closed,
        overdue=c.overdue,
        satisfied=c.satisfied,
        basic=c.basic,
        dissatisfied=c.dissatisfied,
        result_a=c.result_a,
        result_b=c.result_b,
        result_c=c.result_c,
        result_d=c.result_d,
        completion_rate=percent(c.closed, c.received),
        reply_rate=percent(c.replied, c.received),
        on_time_rate=percent(c.on_time, c.replied),
        satisfaction_rate=percent(c.satisfied + c.basic, feedback),
        strict_satisfaction_rate=percent(c.satisfied, feedback),
        solve_rate=percent(c.result_a + c.result_b, classified),
        resolution_rate=percent(c.result_a, c.received),
        no_feedback=c.no_feedback,
        no_result=c.no_result,
        late_extensions=c.late_extensions,
    )


def _order_key(by: str, group: str | None) -> tuple[int, int | str, str]:
    """Groups in a reader's order: vocabulary order, months ascending, NULL last;
    departments 第一 … 第十一 in numeric order (:func:`department_sort_key`)."""
    if group is None:
        return (2, "", "")
    if by == "dept":
        return department_sort_key(group)
    if by == "kind":
        return (0, KINDS.codes.index(group) if group in KINDS.codes else 99, "")
    if by == "level":
        return (0, LEVELS.codes.index(group) if group in LEVELS.codes else 99, "")
    if by == "type":
        return (0, CONTACT_TYPES.codes.index(group) if group in CONTACT_TYPES.codes else 99, "")
    return (0, str(group), "")


def _ids(groups: list[CaseCounts]) -> list[int]:
    """The ids of the departments or handlers the groups are keyed by."""
    return [int(g.group) for g in groups if g.group is not None]


def _case_group_names(conn: Connection, by: str, groups: list[CaseCounts]) -> list[str | None]:
    """Each group's text: departments and handlers by name, the other keys as they are."""
    if by == "dept":
        depts = sql.department_names(conn, _ids(groups))
        return [depts.get(int(g.group)) if g.group is not None else None for g in groups]
    if by == "handler":
        staff = staff_labels(conn, sql.staff_names(conn, _ids(groups)))
        return [staff.get(int(g.group)) if g.group is not None else None for g in groups]
    return [None if g.group is None else str(g.group) for g in groups]


def case_table(
    conn: Connection,
    *,
    date_from: date | None,
    date_to: date | None,
    as_of: date,
    by: str,
) -> list[CaseFigures]:
    """The rows of ``stats cases`` read on ``conn``, in the caller's transaction.

    One row per group (``by`` = none, dept, handler, kind, level or month),
    then the row ``total``. Every count is a sum, so the total row adds up
    the groups' counts: one scan, not two.
    """
    if by not in CASE_GROUPINGS:
        raise InvalidValue(
            _("cannot group cases by {by!r}; choose from: {choices}").format(
                by=by, choices=", ".join(CASE_GROUPINGS)
            )
        )
    grouping = cast(CaseGrouping, by)
    start, end = resolve_period(None, date_from, date_to)
    groups = sql.case_counts(conn, as_of=as_of, start=start, end=end, by=grouping)
    if grouping == "none":
        return [_case_figures(TOTAL, groups[0])]
    names = _case_group_names(conn, grouping, groups)
    rows = [_case_figures(name, g) for name, g in zip(names, groups, strict=True)]
    rows.sort(key=lambda row: _order_key(grouping, row.group))
    return [*rows, _case_figures(TOTAL, sql.sum_counts(groups))]


def case_stats(
    db: Database,
    *,
    date_from: date | None,
    date_to: date | None,
    as_of: date,
    by: str,
) -> list[CaseFigures]:
    """Counts and rates of the cases received in the period, as of ``as_of``.

    One snapshot: every statement of the table reads the same transaction.
    """
    with unit_of_work(db) as conn:
        return case_table(conn, date_from=date_from, date_to=date_to, as_of=as_of, by=by)


# -- contacts ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactFigures:
    """One row of ``stats contacts``; the fields are :data:`CONTACT_KEYS`.

    ``coverage`` is the percentage of the registry's deputies reached (of
    the group's level when grouped by level), None on an empty registry.
    """

    group: str | None
    activities: int
    person_times: int
    deputies_reached: int
    coverage: float | None


CONTACT_KEYS = tuple(f.name for f in fields(ContactFigures))


def _contact_figures(group: str | None, counts: ContactCounts, registry: int) -> ContactFigures:
    return ContactFigures(
        group=group,
        activities=counts.activities,
        person_times=counts.person_times,
        deputies_reached=counts.deputies_reached,
        coverage=percent(counts.deputies_reached, registry),
    )


def _contact_group_names(
    conn: Connection, by: str, groups: list[ContactCounts]
) -> list[str | None]:
    if by == "staff":
        names = staff_labels(
            conn, [(int(g.group), g.name or "") for g in groups if g.group is not None]
        )
        return [names.get(int(g.group)) if g.group is not None else None for g in groups]
    return [None if g.group is None else str(g.group) for g in groups]


def contact_table(
    conn: Connection,
    *,
    date_from: date | None,
    date_to: date | None,
    by: str,
) -> list[ContactFigures]:
    """The rows of ``stats contacts`` read on ``conn``, in the caller's transaction.

    One row per group (``by`` = none, level, type, month or staff), then the
    row ``total``. Grouped by level, a contact with deputies of two levels is
    one activity in each; the total still counts it once.
    """
    if by not in CONTACT_GROUPINGS:
        raise InvalidValue(
            _("cannot group contacts by {by!r}; choose from: {choices}").format(
                by=by, choices=", ".join(CONTACT_GROUPINGS)
            )
        )
    grouping = cast(ContactGrouping, by)
    start, end = resolve_period(None, date_from, date_to)
    per_level = contact_sql.deputies_per_level(conn)
    registry = sum(per_level.values())
    total = _contact_figures(TOTAL, contact_sql.contact_total(conn, start=start, end=end), registry)
    if grouping == "none":
        return [total]
    groups = contact_sql.contact_counts(conn, start=start, end=end, by=grouping)
    names = _contact_group_names(conn, grouping, groups)
    rows = [
        _contact_figures(name, g, per_level.get(name or "", 0) if by == "level" else registry)
        for name, g in zip(names, groups, strict=True)
    ]
    rows.sort(key=lambda row: _order_key(grouping, row.group))
    return [*rows, total]


def contact_stats(
    db: Database,
    *,
    date_from: date | None,
    date_to: date | None,
    by: str,
) -> list[ContactFigures]:
    """Activities, person-times, deputies reached and coverage of the contacts in a period."""
    with unit_of_work(db) as conn:
        return contact_table(conn, date_from=date_from, date_to=date_to, by=by)
