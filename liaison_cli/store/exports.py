"""Export of deputies, cases and contacts: the rows, in the import's columns.

An export is meant to be opened in Excel and imported again, so its columns
are exactly those the importer reads (:mod:`..domain.ledger`), and a deputy whose name another
deputy shares is written ``name(unit)`` so that the file names each deputy
unambiguously. These are the export's queries: the service
(:mod:`liaison_cli.services.exporter`) runs them in one transaction and
:mod:`liaison_cli.output.export` writes the rows as CSV, XLSX or JSON.

The rows are read in SQLAlchemy Core, a thousand at a time, and handed on
column by column (:class:`Export`): a hundred thousand cases are two million
cells, and the writer then treats a column with one C-level ``map`` instead
of a Python call per cell. The deputies (and co-departments) come from one
more query each, streamed alongside in the same order
(:func:`_names_in_order`), rather than an ``IN`` query a chunk; dates are
read as the database gives them (ISO text on SQLite, ``date`` on
PostgreSQL), not parsed only to be written back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, func, select, type_coerce

from . import schema as t
from .deputies import deputies_query

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

NAME_SEPARATOR = "、"
CHUNK = 1000
TABLES = ("deputies", "cases", "contacts")

# a thousand rows of an export, column by column, in the order of Export.keys
Chunk = list[list[Any]]


@dataclass
class Export:
    """The rows of one table, in the columns the import reads."""

    table: str
    keys: tuple[str, ...]  # domain.ledger.TABLES[table]'s fields, in order
    dates: frozenset[str]  # the keys holding dates (ISO text or ``date``)
    chunks: Iterator[Chunk]


DEPUTY_KEYS = ("id", "name", "body", "level", "term", "delegation", "unit", "sector", "phone",
               "address", "liaison")  # fmt: skip
CASE_KEYS = ("id", "number", "kind", "title", "deputies", "status", "received", "assigned",
             "department", "co_departments", "handler", "due", "replied", "reply_method",
             "result", "closed", "satisfaction", "round", "proc_replied", "key",
             "content")  # fmt: skip
CONTACT_KEYS = ("id", "date", "type", "deputies", "staff", "summary")
DATES = frozenset({"received", "assigned", "due", "replied", "closed", "proc_replied", "date"})


def _text(column: Any) -> Any:
    """A date column as the database stores it, without SQLAlchemy's conversion."""
    return type_coerce(column, String)


def deputy_labels(conn: Connection) -> dict[int, str]:
    """``name(unit)`` for deputies whose name is shared (else ``name(#id)``)."""
    d = t.deputies.c
    shared = select(d.name).group_by(d.name).having(func.count() > 1).scalar_subquery()
    rows = conn.execute(select(d.id, d.name, d.unit).where(d.name.in_(shared))).all()
    units: dict[tuple[str, str | None], int] = {}
    for _i, name, unit in rows:
        units[(name, unit)] = units.get((name, unit), 0) + 1
    labels = {}
    for i, name, unit in rows:
        qualifier = unit if unit and units[(name, unit)] == 1 else f"#{i}"
        labels[i] = f"{name}({qualifier})"
    return labels


def _names_in_order(
    conn: Connection, stmt: Any, labels: dict[int, str]
) -> Callable[[list[int]], list[str]]:
    """The deputies of each owner, read alongside the owners in the same order.

    ``stmt`` yields ``(owner id, deputy id, name)`` ordered as the owners
    are: the returned function takes the next owners' ids, in order, and
    gives their names joined with 、 (empty for an owner with none). One
    streamed query for the whole export, instead of one ``IN`` a chunk.
    """
    rows = chain.from_iterable(conn.execute(stmt.execution_options(yield_per=CHUNK)).partitions())
    groups = groupby(rows, key=itemgetter(0))
    pending = next(groups, None)

    def names_for(ids: list[int]) -> list[str]:
        nonlocal pending
        out = []
        for owner in ids:
            if pending is not None and pending[0] == owner:
                out.append(NAME_SEPARATOR.join([labels.get(d, n) for _o, d, n in pending[1]]))
                pending = next(groups, None)
            else:
                out.append("")
        return out

    return names_for


def _columns(part: Sequence[Any], width: int) -> list[list[Any]]:
    """A partition of rows as its columns."""
    return [list(c) for c in zip(*part, strict=True)] if part else [[] for _ in range(width)]


def deputy_chunks(conn: Connection) -> Iterator[Chunk]:
    # the registry's own query: the export's deputy columns are its columns
    stmt = deputies_query()
    for part in conn.execute(stmt.execution_options(yield_per=CHUNK)).partitions():
        yield _columns(part, len(DEPUTY_KEYS))


def case_chunks(conn: Connection) -> Iterator[Chunk]:
    """Every case in its latest round, oldest received first."""
    labels = deputy_labels(conn)
    c, r, dept, cd, d = (
        t.cases.c, t.case_rounds.c, t.departments.c, t.case_deputies.c, t.deputies.c
    )  # fmt: skip
    co = t.round_co_departments.c
    handler = t.staff.alias("handler")
    stmt = (
        select(
            c.id,
            c.number,
            c.kind,
            c.title,
            c.status,
            _text(c.received),
            _text(r.assigned_on),
            dept.name,
            handler.c.name,
            _text(r.due),
            _text(r.replied_on),
            r.reply_method,
            r.result,
            _text(r.closed_on),
            r.satisfaction,
            c.round,
            _text(c.proc_replied_on),
            c.key,
            c.content,
        )
        .join(t.case_rounds, and_(r.case_id == c.id, r.round == c.round))
        .outerjoin(t.departments, r.department_id == dept.id)
        .outerjoin(handler, r.handler_id == handler.c.id)
        .order_by(c.received, c.id)
    )
    deputies_of = _names_in_order(
        conn,
        select(cd.case_id, cd.deputy_id, d.name)
        .join(t.cases, c.id == cd.case_id)
        .join(t.deputies, d.id == cd.deputy_id)
        .order_by(c.received, c.id, cd.position),
        labels,
    )
    # each case's co-departments in its current round, in the same order
    co_departments_of = _names_in_order(
        conn,
        select(c.id, co.department_id, dept.name)
        .select_from(t.round_co_departments)
        .join(t.case_rounds, r.id == co.round_id)
        .join(t.cases, and_(c.id == r.case_id, c.round == r.round))
        .join(t.departments, dept.id == co.department_id)
        .order_by(c.received, c.id, dept.name),
        {},
    )
    for part in conn.execute(stmt.execution_options(yield_per=CHUNK)).partitions():
        (
            ids, number, kind, title, status, received, assigned, department, handler_name,
            due, replied, method, result, closed, satisfaction, round_, proc_replied, key,
            content,
        ) = _columns(part, 19)  # fmt: skip
        yield [
            ids, number, kind, title, deputies_of(ids), status, received,
            assigned, department, [x or None for x in co_departments_of(ids)], handler_name, due,
            replied, method, result, closed, satisfaction, round_, proc_replied,
            list(map(bool, key)), content,
        ]  # fmt: skip


def contact_chunks(conn: Connection) -> Iterator[Chunk]:
    labels = deputy_labels(conn)
    k, s, cd, d = t.contacts.c, t.staff.c, t.contact_deputies.c, t.deputies.c
    stmt = (
        select(k.id, _text(k.held_on), k.type, s.name, k.summary)
        .outerjoin(t.staff, k.staff_id == s.id)
        .order_by(k.held_on, k.id)
    )
    deputies_of = _names_in_order(
        conn,
        select(cd.contact_id, cd.deputy_id, d.name)
        .join(t.contacts, k.id == cd.contact_id)
        .join(t.deputies, d.id == cd.deputy_id)
        .order_by(k.held_on, k.id, cd.deputy_id),
        labels,
    )
    for part in conn.execute(stmt.execution_options(yield_per=CHUNK)).partitions():
        ids, held_on, kind, staff, summary = _columns(part, 5)
        yield [ids, held_on, kind, deputies_of(ids), staff, summary]


# each table's columns, and the reader of its chunks
CHUNKS: dict[str, tuple[tuple[str, ...], Callable[[Connection], Iterator[Chunk]]]] = {
    "deputies": (DEPUTY_KEYS, deputy_chunks),
    "cases": (CASE_KEYS, case_chunks),
    "contacts": (CONTACT_KEYS, contact_chunks),
}
