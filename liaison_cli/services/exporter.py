"""Export of deputies, cases and contacts: the rows, in the import's columns.

An export is meant to be opened in Excel and imported again, so its columns
are exactly those :mod:`io_read` reads, and a deputy whose name another
deputy shares is written ``name(unit)`` so that the file names each deputy
unambiguously. This module only reads: :mod:`liaison_cli.output.export`
writes the rows as CSV, XLSX or JSON.

The rows are read in SQLAlchemy Core, a thousand at a time, each thousand's
deputies (and co-departments) in one more query with an expanding ``IN``
(compiled once for the whole export, not once a chunk).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, func, select

from ..store import schema as t
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from ..store.database import Database

NAME_SEPARATOR = "、"
CHUNK = 1000
TABLES = ("deputies", "cases", "contacts")

# A row of an export: its keys are the fields of io_read.TABLES[table]
Row = dict[str, str | int | bool | date | None]


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


def _joined_by(
    conn: Connection, stmt: Any, ids: list[int], labels: dict[int, str] | None = None
) -> dict[int, str]:
    """Owner id → its names (deputies or departments) joined with 、, in order."""
    names: dict[int, list[str]] = {}
    for owner, other_id, name in conn.execute(stmt, {"ids": ids}):
        shown = labels.get(other_id, name) if labels else name
        names.setdefault(owner, []).append(shown)
    return {k: NAME_SEPARATOR.join(v) for k, v in names.items()}


def deputy_rows(conn: Connection) -> Iterator[Row]:
    d = t.deputies.c
    liaison = t.staff.alias("liaison")
    stmt = (
        select(
            d.id,
            d.name,
            d.body,
            d.level,
            d.term,
            d.delegation,
            d.unit,
            d.sector,
            d.phone,
            d.address,
            liaison.c.name,
        )  # fmt: skip
        .outerjoin(liaison, d.liaison_id == liaison.c.id)
        .order_by(d.id)
    )
    keys = ("id", "name", "body", "level", "term", "delegation", "unit", "sector", "phone",
            "address", "liaison")  # fmt: skip
    for part in conn.execute(stmt.execution_options(yield_per=CHUNK)).partitions():
        for r in part:
            yield dict(zip(keys, r, strict=True))


def case_rows(conn: Connection) -> Iterator[Row]:
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
            c.received,
            r.assigned_on,
            dept.name,
            handler.c.name,
            r.due,
            r.replied_on,
            r.reply_method,
            r.result,
            r.closed_on,
            r.satisfaction,
            c.round,
            c.proc_replied_on,
            c.key,
            c.content,
            r.id,
        )  # fmt: skip
        .join(t.case_rounds, and_(r.case_id == c.id, r.round == c.round))
        .outerjoin(t.departments, r.department_id == dept.id)
        .outerjoin(handler, r.handler_id == handler.c.id)
        .order_by(c.received, c.id)
    )
    deputies_of = (
        select(cd.case_id, cd.deputy_id, d.name)
        .join(t.deputies, d.id == cd.deputy_id)
        .where(cd.case_id.in_(bindparam("ids", expanding=True)))
        .order_by(cd.case_id, cd.position)
    )
    co_departments_of = (
        select(co.round_id, co.department_id, dept.name)
        .join(t.departments, dept.id == co.department_id)
        .where(co.round_id.in_(bindparam("ids", expanding=True)))
        .order_by(co.round_id, dept.name)
    )
    for part in conn.execute(stmt.execution_options(yield_per=CHUNK)).partitions():
        names = _joined_by(conn, deputies_of, [row[0] for row in part], labels)
        co_names = _joined_by(conn, co_departments_of, [row[-1] for row in part])
        for (
            case_id, number, kind, title, status, received, assigned, department, handler_name,
            due, replied, method, result, closed, satisfaction, round_, proc_replied, key,
            content, round_id,
        ) in part:  # fmt: skip
            yield {
                "id": case_id,
                "number": number,
                "kind": kind,
                "title": title,
                "deputies": names.get(case_id, ""),
                "status": status,
                "received": received,
                "assigned": assigned,
                "department": department,
                "co_departments": co_names.get(round_id) or None,
                "handler": handler_name,
                "due": due,
                "replied": replied,
                "reply_method": method,
                "result": result,
                "closed": closed,
                "satisfaction": satisfaction,
                "round": round_,
                "proc_replied": proc_replied,
                "key": bool(key),
                "content": content,
            }


def contact_rows(conn: Connection) -> Iterator[Row]:
    labels = deputy_labels(conn)
    k, s, cd, d = t.contacts.c, t.staff.c, t.contact_deputies.c, t.deputies.c
    stmt = (
        select(k.id, k.held_on, k.type, s.name, k.summary)
        .outerjoin(t.staff, k.staff_id == s.id)
        .order_by(k.held_on, k.id)
    )
    deputies_of = (
        select(cd.contact_id, cd.deputy_id, d.name)
        .join(t.deputies, d.id == cd.deputy_id)
        .where(cd.contact_id.in_(bindparam("ids", expanding=True)))
        .order_by(cd.contact_id, cd.deputy_id)
    )
    for part in conn.execute(stmt.execution_options(yield_per=CHUNK)).partitions():
        names = _joined_by(conn, deputies_of, [row[0] for row in part], labels)
        for contact_id, held_on, kind, staff, summary in part:
            yield {
                "id": contact_id,
                "date": held_on,
                "type": kind,
                "deputies": names.get(contact_id, ""),
                "staff": staff,
                "summary": summary,
            }


_ROWS = {"deputies": deputy_rows, "cases": case_rows, "contacts": contact_rows}


def export_rows(db: Database, table: str) -> Iterator[Row]:
    """The rows of ``table``, read in one transaction while they are consumed."""
    with unit_of_work(db) as conn:
        yield from _ROWS[table](conn)
