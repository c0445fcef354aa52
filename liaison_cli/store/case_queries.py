"""Reading cases: listings, the overdue report, and the as-of conditions.

Written in SQLAlchemy Core against ``schema.py`` so that the commands a clerk
runs most (``overdue``, ``cases``) never import the ORM. Each function takes
anything with ``.execute`` (a Core connection, or an ORM session when a write
command prints the row it just changed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, bindparam, case, cast, func, null, or_, select

from ..domain.lifecycle import STATUSES, Action
from ..domain.vocab import KINDS, PROCEDURAL_KINDS
from . import overdue_rows
from . import schema as t
from .case_reads import CaseRow
from .listing_sqlite import listed
from .refs import department_id, deputy_id, labelled_deputies, staff_id

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

C = t.cases.c
R = t.case_rounds.c
_handler = t.staff.alias("handler")


# the keys of a listed case (CaseRow's, in order)
CASE_KEYS = tuple(CaseRow.__annotations__)


def _date_text(column: Any) -> Any:
    """A date column as ISO text, made by the database: SQLite's stored text
    as it is, PostgreSQL's ``date`` through its pinned ISO datestyle."""
    return cast(column, String)


def case_columns() -> list[Any]:
    """The columns of a listed case, one per key of :data:`CASE_KEYS`, in order.

    ``deputies`` is a placeholder (NULL) filled in from a second lookup, so
    that a row is ``dict(zip(CASE_KEYS, row))``.
    """
    return [
        C.id,
        C.number,
        C.kind,
        C.title,
        null().label("deputies"),
        C.status,
        _date_text(C.received),
        t.departments.c.name.label("department"),
        _handler.c.name.label("handler"),
        _date_text(R.due),
        _date_text(R.replied_on),
        R.result,
        _date_text(R.closed_on),
        R.satisfaction,
        C.round,
        C.key,
    ]


def joined(stmt: Any, as_of: date | None = None) -> Any:
    """Join each case to its current round (or to its round in force on ``as_of``)."""
    which = R.round == C.round if as_of is None else round_as_of(as_of)
    return (
        stmt.select_from(t.cases)
        .join(t.case_rounds, and_(R.case_id == C.id, which))
        .outerjoin(t.departments, R.department_id == t.departments.c.id)
        .outerjoin(_handler, R.handler_id == _handler.c.id)
    )


def _deputies_of_ids() -> Any:
    """``(case id, deputy name)`` of the cases listed in the expanding parameter
    ``ids``, lead deputy first."""
    cd, d = t.case_deputies.c, labelled_deputies()
    return (
        select(cd.case_id, d.c.label)
        .join(d, d.c.id == cd.deputy_id)
        .where(cd.case_id.in_(bindparam("ids", expanding=True)))
        .order_by(cd.case_id, cd.position)
    )


# case ids per lookup of their deputies: well inside every engine's limit on
# bound parameters (SQLite 32766, PostgreSQL 65535)
_IDS_PER_QUERY = 5000


def deputy_names(conn: Connection, case_ids: list[int]) -> dict[int, str]:
    """Names of each case's deputies, lead first, joined with 、.

    On SQLite the ids go as one JSON parameter (:func:`deputies_of_json`):
    SQLAlchemy renders an expanding ``IN`` a parameter at a time, and reading
    100,000 cases took 0.85 s of CPU that way against 0.78 s (median of 4).
    """
    if conn.dialect.name == "sqlite":
        stmt = deputies_of_json(bindparam("ids"))
        pairs = _driver_rows(conn, stmt, ids=json.dumps(case_ids))
        return overdue_rows.join_names(pairs)
    stmt = _deputies_of_ids()
    pairs = []
    for i in range(0, len(case_ids), _IDS_PER_QUERY):
        pairs.extend(_driver_rows(conn, stmt, ids=case_ids[i : i + _IDS_PER_QUERY]))
    return overdue_rows.join_names(pairs)


def _case_dicts(conn: Connection, part: Sequence[Any]) -> list[CaseRow]:
    """Rows of :func:`case_columns` as listed cases, their deputies looked up at once."""
    return listed(part, deputy_names(conn, [raw[0] for raw in part]))


def case_row(conn: Connection, case_id: int) -> CaseRow:
    """The case as ``liaison cases --format json`` shows it."""
    found = conn.execute(joined(select(*case_columns())).where(C.id == case_id)).one()
    return _case_dicts(conn, [found])[0]


# rows read at a time (and deputies looked up at a time)
_CHUNK = 2000


def _stream(conn: Connection, stmt: Any) -> Iterator[CaseRow]:
    """The listed cases of ``stmt``, a chunk at a time (a server-side cursor on
    PostgreSQL), with the dates as the database's ISO text: no date is parsed
    only to be turned back into text."""
    for part in conn.execute(stmt.execution_options(yield_per=_CHUNK)).partitions():
        yield from _case_dicts(conn, part)


def listing(*conditions: Any) -> Any:
    """The statement of ``liaison cases``: the listed cases meeting
    ``conditions``, oldest received first.

    ``scripts/compile_sql.py`` compiles it for the SQLite fast path
    (:mod:`.listing_sqlite`) with the period as parameters, the conditions
    :func:`list_cases` makes of ``--from`` and ``--to``.
    """
    return joined(select(*case_columns())).where(*conditions).order_by(C.received, C.id)


def list_cases(
    conn: Connection,
    *,
    status: str | None = None,
    kind: str | None = None,
    dept: str | None = None,
    deputy: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    key: bool | None = None,
    limit: int | None = None,
    handler: str | None = None,
    replied_from: date | None = None,
    replied_to: date | None = None,
    closed_from: date | None = None,
    closed_to: date | None = None,
    search: str | None = None,
) -> Iterator[CaseRow]:
    """Cases received in the period matching the filters, oldest first.

    The handler, reply and close filters look at the current round (the one a
    listing shows); ``search`` is a piece of the title, ``%`` and ``_`` in it
    meaning themselves, letters of either case.
    """
    conditions = []
    if status:
        conditions.append(C.status == STATUSES.parse(status))
    if kind:
        conditions.append(C.kind == KINDS.parse(kind))
    if dept:
        conditions.append(R.department_id == department_id(conn, dept))
    if deputy:
        cd = t.case_deputies.c
        conditions.append(
            C.id.in_(select(cd.case_id).where(cd.deputy_id == deputy_id(conn, deputy)))
        )
    if date_from:
        conditions.append(C.received >= date_from)
    if date_to:
        conditions.append(C.received <= date_to)
    if key is not None:
        conditions.append(C.key.is_(key))
    if handler:
        conditions.append(R.handler_id == staff_id(conn, handler))
    for column, start, end in (
        (R.replied_on, replied_from, replied_to),
        (R.closed_on, closed_from, closed_to),
    ):
        if start:
            conditions.append(column >= start)
        if end:
            conditions.append(column <= end)
    if search:
        conditions.append(C.title.icontains(search, autoescape=True))
    stmt = listing(*conditions)
    if limit is not None:
        stmt = stmt.limit(limit)
    # the filters are resolved above, before the caller prints anything: a
    # bad reference must not leave half a JSON array on stdout
    return _stream(conn, stmt)


def due_as_of(as_of: date) -> Any:
    """The due date in force on ``as_of``: extensions dated after it are ignored."""
    e = t.extensions.c
    latest_ext = (
        select(e.new_due)
        .where(e.round_id == R.id, e.extended_on <= as_of)
        .order_by(e.extended_on.desc(), e.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return case(
        (R.due == R.due_original, R.due),
        else_=func.coalesce(latest_ext, R.due_original),
    )


def round_as_of(as_of: date) -> Any:
    """The condition selecting each case's latest handling round as of a date."""
    return and_(
        R.started_on <= as_of,
        or_(R.superseded_on.is_(None), R.superseded_on > as_of),
    )


def overdue(
    conn: Connection,
    *,
    as_of: date,
    within: int = 0,
    dept: str | None = None,
    limit: int | None = None,
) -> tuple[list[overdue_rows.OverdueRow], overdue_rows.OverdueCounts]:
    """Cases past due on ``as_of`` (and, with ``within``, due in the next days).

    A case due today is not overdue until tomorrow. Letters and cases of
    concern also appear when their 7-day procedural reply is late.

    Only rounds unanswered on ``as_of`` can be late: those not replied at all,
    and those replied after it. Each is fetched through the index on
    ``replied_on`` (an ``OR`` of the two would defeat it), so the report
    reads the open cases, not the ledger.

    The statements are built in Core, but their rows are read as the driver
    returns them (see :func:`_driver_rows`): only the columns a row of the
    report is made of, each due date turned into text and days once, and the
    deputies of all the rows in one lookup. On a million cases the rows were
    most of the command's time; now the statements are.
    """
    horizon = overdue_rows.horizon(as_of, within)
    dept_id = department_id(conn, dept) if dept else None
    found: list[tuple[Any, ...]] = []
    for stmt in overdue_statements(as_of, horizon, within=bool(within), dept_id=dept_id):
        found.extend(_driver_rows(conn, stmt))
    names = deputy_names(conn, sorted({raw[0] for raw in found}))
    return overdue_rows.finish(found, names, as_of, limit)


def deputies_of_json(ids: Any) -> Any:
    """SQLite: ``(case id, deputy name)`` of the cases whose ids ``ids`` lists
    as a JSON array, lead deputy first. One parameter however many cases, so
    the statement compiles once (see :mod:`.overdue_sqlite`)."""
    cd, d = t.case_deputies.c, labelled_deputies()
    listed = func.json_each(ids).table_valued("value")
    return (
        select(cd.case_id, d.c.label)
        .join(d, d.c.id == cd.deputy_id)
        .where(cd.case_id.in_(select(listed.c.value)))
        .order_by(cd.case_id, cd.position)
    )


def department_by_name(name: Any) -> Any:
    """The id of the department named ``name`` (the rule of :func:`.refs.department_id`)."""
    return select(t.departments.c.id).where(t.departments.c.name == name)


def department_by_id(ident: Any) -> Any:
    """The id of department ``ident``, if there is one (a number typed as a reference)."""
    return select(t.departments.c.id).where(t.departments.c.id == ident)


def overdue_statements(as_of: Any, horizon: Any, *, within: bool, dept_id: Any = None) -> list[Any]:
    """The statements of the overdue report: one per kind of unanswered round.

    ``as_of``, ``horizon`` and ``dept_id`` are values, or bound parameters
    when ``scripts/compile_sql.py`` compiles them for the SQLite fast path
    (:mod:`.overdue_sqlite`), which runs exactly these statements.
    """
    ev = t.events.c
    due_expr = due_as_of(as_of)
    reminders = (
        select(func.count())
        .where(
            ev.case_id == C.id,
            ev.round == R.round,
            ev.action == Action.REMIND.value,
            ev.happened_on <= as_of,
        )
        .scalar_subquery()
    )
    dept_filter = [R.department_id == dept_id] if dept_id is not None else []

    # a round is late on its substantive deadline, on the procedural reply of
    # a letter or case of concern, or on both: one statement per kind of
    # unanswered round reads each round once and says which clocks ran out
    substantive = and_(
        R.assigned_on <= as_of,
        R.due.is_not(None),
        due_expr <= horizon if within else due_expr < as_of,
    )
    procedural = and_(
        # the procedural reply belongs to the first round; a reopened case is past it
        R.round == 1,
        C.kind.in_(PROCEDURAL_KINDS),
        C.proc_due.is_not(None),
        or_(C.proc_replied_on.is_(None), C.proc_replied_on > as_of),
        C.proc_due <= horizon if within else C.proc_due < as_of,
    )
    # the order overdue_rows.finish reads them in
    shown = select(
        C.id,
        C.number,
        C.kind,
        C.title,
        C.received,
        t.departments.c.name,
        _handler.c.name,
        case((substantive, due_expr)),
        case((procedural, C.proc_due)),
        R.round,
        R.assigned_on,
        reminders,
        C.key,
    )
    return [
        joined(shown, as_of).where(
            unanswered, C.received <= as_of, or_(substantive, procedural), *dept_filter
        )
        for unanswered in (R.replied_on.is_(None), R.replied_on > as_of)
    ]


def _driver_rows(conn: Connection, stmt: Any, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of a Core statement (its bound parameters by name in ``params``)
    as plain tuples from the DBAPI cursor.

    SQLAlchemy compiles and binds the statement (and wraps an error raised
    on execution); reading the cursor directly skips building a ``Row`` and
    parsing each SQLite date into a ``date`` that the report turns straight
    back into text. Values are the driver's own: on SQLite a date is its ISO
    text and a boolean 0 or 1, on PostgreSQL a ``date`` and a ``bool``.
    """
    result = conn.execute(stmt, params) if params else conn.execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()
