"""The statements behind ``stats cases``: the counts of cases, grouped, in SQL.

Every table is one statement (``GROUP BY`` with ``SUM(CASE …)``), so a million
cases cost one scan and nothing loops over cases in Python. These functions
return the raw counts of each group; the rates, the names of the groups and
their order are the service's (:mod:`liaison_cli.services.stats`).

Case counts are taken "as the ledger stood" on the as-of date: each case
counts once, in its handling round that was current then; a reply, close,
result, feedback, assignment or extension dated after that day counts as not
having happened, except that the overdue figure of a period that has ended
is judged on its last day (:func:`overdue_day`). The contact counts are
:mod:`.contact_stats`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from . import schema as t
from .case_queries import due_as_of, round_as_of
from .sql import month_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CaseGrouping = Literal["none", "dept", "handler", "kind", "level", "month"]

C = t.cases.c
R = t.case_rounds.c
_lead_link = t.case_deputies.alias("lead_link")
_lead = t.deputies.alias("lead")


@dataclass(frozen=True)
class CaseCounts:
    """The counts of one group of cases; ``group`` is the grouping's raw key.

    The key is a department's or a staff member's id, a kind, a level or a
    ``YYYY-MM`` month; None for the cases without one (and for ``by=none``).
    """

    group: int | str | None
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
    on_time: int
    no_feedback: int
    no_result: int
    late_extensions: int


COUNT_COLUMNS = (
    "received",
    "replied",
    "closed",
    "overdue",
    "satisfied",
    "basic",
    "dissatisfied",
    "result_a",
    "result_b",
    "result_c",
    "result_d",
    "on_time",
    "no_feedback",
    "no_result",
    "late_extensions",
)


def _case_counts(group: int | str | None, row: Mapping[Any, Any]) -> CaseCounts:
    """A result row as counts; a sum over no rows (NULL) counts 0."""
    return CaseCounts(group, *(int(row[k] or 0) for k in COUNT_COLUMNS))


def sum_counts(rows: Iterable[CaseCounts]) -> CaseCounts:
    """The counts of all ``rows`` together: the total row of a grouped table."""
    totals = dict.fromkeys(COUNT_COLUMNS, 0)
    for row in rows:
        for key in COUNT_COLUMNS:
            totals[key] += getattr(row, key)
    return _case_counts(None, totals)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """``SUM(CASE WHEN condition THEN 1 ELSE 0 END)``, 0 on an empty set."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def overdue_day(as_of: date, end: date | None) -> date:
    """The day a period's overdue figure is judged on: its end, or ``as_of`` if earlier.

    A period that has ended keeps the overdue figure it had on its last day:
    a reply or an extension recorded after it does not make its late cases
    on time after the fact.
    """
    return as_of if end is None or as_of <= end else end


class _RoundTests:
    """The as-of tests of one round, shared by both shapes of the case query.

    Everything is judged on ``as_of`` except overdue, judged on ``overdue_on``
    (the period's end when it is earlier, :func:`overdue_day`).
    """

    def __init__(self, as_of: date, overdue_on: date | None = None) -> None:
        late_on = as_of if overdue_on is None else overdue_on
        self.replied = R.replied_on <= as_of
        self.closed = R.closed_on <= as_of
        not_replied = or_(R.replied_on.is_(None), R.replied_on > late_on)
        self.on_time = and_(self.replied, or_(R.due.is_(None), R.replied_on <= R.due))
        self.overdue = and_(R.assigned_on <= late_on, not_replied, due_as_of(late_on) < late_on)
        self.no_feedback = and_(self.closed, R.satisfaction.is_(None))
        self.no_result = and_(self.replied, R.result.is_(None))
        e = t.extensions.c
        late_extension = (
            select(e.id)
            .where(e.round_id == R.id, e.extended_on <= as_of, e.extended_on > e.old_due)
            .exists()
        )
        # a round never extended keeps its first due date: no look-up for it
        self.late_extension = and_(R.due != R.due_original, late_extension)


def _case_aggregates(as_of: date, overdue_on: date) -> list[ColumnElement[Any]]:
    """The counts of one table row, as SQL aggregates over case ⋈ round."""
    x = _RoundTests(as_of, overdue_on)
    return [
        func.count().label("received"),
        _flag(x.replied).label("replied"),
        _flag(x.closed).label("closed"),
        _flag(x.overdue).label("overdue"),
        _flag(and_(x.closed, R.satisfaction == "satisfied")).label("satisfied"),
        _flag(and_(x.closed, R.satisfaction == "basic")).label("basic"),
        _flag(and_(x.closed, R.satisfaction == "dissatisfied")).label("dissatisfied"),
        _flag(and_(x.replied, R.result == "A")).label("result_a"),
        _flag(and_(x.replied, R.result == "B")).label("result_b"),
        _flag(and_(x.replied, R.result == "C")).label("result_c"),
        _flag(and_(x.replied, R.result == "D")).label("result_d"),
        _flag(x.on_time).label("on_time"),
        _flag(x.no_feedback).label("no_feedback"),
        _flag(x.no_result).label("no_result"),
        _flag(x.late_extension).label("late_extensions"),
    ]


# The leading columns of the index ``ix_case_rounds_stats_groups``, in its order.
_STREAMED_KEYS = (R.department_id, R.handler_id, R.satisfaction, R.result)


def _streamed_case_counts(as_of: date, by: CaseGrouping) -> Select[Any]:
    """The case table of all cases (by none, dept or handler) in two small aggregates.

    The inner one groups the rounds in force by department, handler,
    satisfaction and result: the leading columns of the index
    ``ix_case_rounds_stats_groups``, which holds every column read here, so
    SQLite reads the groups off the index in order without sorting a row,
    and counts only the four tests that do not depend on satisfaction or
    result. The outer one adds up those few hundred groups: a case is
    "satisfied" when it is closed by ``as_of`` and its satisfaction is
    'satisfied', so summing the closed counts of the 'satisfied' groups gives
    exactly that count; likewise for the other satisfactions and the results.
    """
    x = _RoundTests(as_of)
    inner = (
        select(
            *_STREAMED_KEYS,
            func.count().label("received"),
            _flag(x.replied).label("replied"),
            _flag(x.closed).label("closed"),
            _flag(x.overdue).label("overdue"),
            _flag(x.on_time).label("on_time"),
            _flag(x.late_extension).label("late_extensions"),
        )
        .where(round_as_of(as_of))
        .group_by(*_STREAMED_KEYS)
        .subquery("round_groups")
    )
    g = inner.c

    def sum_if(
        column: ColumnElement[Any], value: str, count: ColumnElement[Any]
    ) -> ColumnElement[Any]:
        """The sum of ``count`` over the groups whose ``column`` is ``value``."""
        return func.sum(case((column == value, count), else_=0))

    counts = [
        func.sum(g.received).label("received"),
        func.sum(g.replied).label("replied"),
        func.sum(g.closed).label("closed"),
        func.sum(g.overdue).label("overdue"),
        sum_if(g.satisfaction, "satisfied", g.closed).label("satisfied"),
        sum_if(g.satisfaction, "basic", g.closed).label("basic"),
        sum_if(g.satisfaction, "dissatisfied", g.closed).label("dissatisfied"),
        sum_if(g.result, "A", g.replied).label("result_a"),
        sum_if(g.result, "B", g.replied).label("result_b"),
        sum_if(g.result, "C", g.replied).label("result_c"),
        sum_if(g.result, "D", g.replied).label("result_d"),
        func.sum(g.on_time).label("on_time"),
        func.sum(case((g.satisfaction.is_(None), g.closed), else_=0)).label("no_feedback"),
        func.sum(case((g.result.is_(None), g.replied), else_=0)).label("no_result"),
        func.sum(g.late_extensions).label("late_extensions"),
    ]
    if by == "none":
        return select(*counts)
    key = g.department_id if by == "dept" else g.handler_id
    return select(key.label("k0"), *counts).group_by(key)


def _case_join(
    columns: Sequence[ColumnElement[Any]], as_of: date, start: date | None, end: date | None
) -> Select[Any]:
    """The rounds in force on ``as_of`` of the cases received in the period, with their case.

    A round in force on ``as_of`` started by then, and so was its case
    received by then (round 1 starts on receipt), so ``received <= as_of``
    needs no test of its own. The rounds are read through
    ``ix_case_rounds_stats_cases``, which leads with ``case_id`` and holds
    every column aggregated: the cases are then looked up in the order they
    are stored (for a period, each case in it finds its round with one index
    search), not at random as a scan in department order would.
    """
    stmt = (
        select(*columns)
        .select_from(t.cases)
        .join(t.case_rounds, and_(R.case_id == C.id, round_as_of(as_of)))
    )
    if start is not None:
        stmt = stmt.where(C.received >= start)
    if end is not None:
        stmt = stmt.where(C.received <= end)
    return stmt


def _case_group_key(by: CaseGrouping) -> ColumnElement[Any]:
    if by == "dept":
        return R.department_id
    if by == "handler":
        return R.handler_id
    if by == "kind":
        return C.kind
    if by == "level":
        return _lead.c.level
    return month_of(C.received)


def _case_statement(
    as_of: date, start: date | None, end: date | None, by: CaseGrouping
) -> Select[Any]:
    """The one statement of a case table: column ``k0`` the group, then the counts.

    Departments and handlers are grouped by their id, straight off the
    rounds' index, and named afterwards from their small tables: joining the
    names in first would sort every case by a string. With a case's own
    column or a period in play, the groups are sorted whatever the index,
    and one aggregate over the join is quicker than two.
    """
    if start is None and end is None and by in ("none", "dept", "handler"):
        return _streamed_case_counts(as_of, by)
    aggregates = _case_aggregates(as_of, overdue_day(as_of, end))
    if by == "none":
        return _case_join(aggregates, as_of, start, end)
    key = _case_group_key(by)
    stmt = _case_join([key.label("k0"), *aggregates], as_of, start, end)
    if by == "level":
        stmt = stmt.outerjoin(
            _lead_link, and_(_lead_link.c.case_id == C.id, _lead_link.c.position == 0)
        ).outerjoin(_lead, _lead.c.id == _lead_link.c.deputy_id)
    return stmt.group_by(key)


def case_counts(
    conn: Connection, *, as_of: date, start: date | None, end: date | None, by: CaseGrouping
) -> list[CaseCounts]:
    """The counts of the cases received in the period, one entry per group, as of ``as_of``.

    With ``by="none"`` one entry (group None) for all of them. Groups come in
    the database's order; ``start`` and ``end`` are inclusive, either open.
    """
    stmt = _case_statement(as_of, start, end, by)
    if by == "none":
        return [_case_counts(None, conn.execute(stmt).mappings().one())]
    return [_case_counts(m["k0"], m) for m in conn.execute(stmt).mappings()]


def department_names(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The names of the departments ``ids``."""
    d = t.departments.c
    rows = conn.execute(select(d.id, d.name).where(d.id.in_(list(ids)))).all()
    return {int(i): str(name) for i, name in rows}


def staff_names(conn: Connection, ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, name) of the staff members ``ids``: names may repeat, so not a dict by name."""
    s = t.staff.c
    rows = conn.execute(select(s.id, s.name).where(s.id.in_(list(ids)))).all()
    return [(int(i), str(name)) for i, name in rows]
