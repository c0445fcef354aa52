"""Queries on the registry of deputies and CPPCC members, and on a deputy's record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import Select, func, insert, or_, select, update

from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class DeputyRow(TypedDict):
    """A deputy as listed, shown and recorded in the audit trail (this key order)."""

    id: int
    name: str
    body: str
    level: str
    term: int | None
    delegation: str | None
    unit: str | None
    sector: str | None
    phone: str | None
    address: str | None
    liaison: str | None


class DeputyContact(TypedDict):
    """One contact in a deputy's profile."""

    id: int
    held_on: date
    type: str
    summary: str | None


class DeputyCase(TypedDict):
    """One case a deputy signed, with the satisfaction of its current round."""

    id: int
    number: str
    kind: str
    title: str
    status: str
    received: date
    position: int
    satisfaction: str | None


# the columns a search looks in
SEARCHED = ("name", "unit", "delegation", "sector", "phone", "address")


def deputies_query() -> Select[tuple[object, ...]]:
    """Every deputy with the liaison's name, in id order: the columns of :class:`DeputyRow`."""
    d, s = t.deputies.c, t.staff.c
    return (
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
            s.name.label("liaison"),
        )
        .outerjoin(t.staff, d.liaison_id == s.id)
        .order_by(d.id)
    )


def _row(r: object) -> DeputyRow:
    m = r._mapping  # type: ignore[attr-defined]
    return DeputyRow(
        id=m["id"],
        name=m["name"],
        body=m["body"],
        level=m["level"],
        term=m["term"],
        delegation=m["delegation"],
        unit=m["unit"],
        sector=m["sector"],
        phone=m["phone"],
        address=m["address"],
        liaison=m["liaison"],
    )


def deputy_row(conn: Connection, deputy_id: int) -> DeputyRow:
    return _row(conn.execute(deputies_query().where(t.deputies.c.id == deputy_id)).one())


def deputy_rows(
    conn: Connection,
    *,
    level: str | None = None,
    body: str | None = None,
    like: str | None = None,
    limit: int | None = None,
) -> list[DeputyRow]:
    """Deputies in id order; ``like`` is a LIKE pattern (``\\`` escapes) on any searched column."""
    d = t.deputies.c
    stmt = deputies_query()
    if level:
        stmt = stmt.where(d.level == level)
    if body:
        stmt = stmt.where(d.body == body)
    if like:
        stmt = stmt.where(or_(*(d[col].ilike(like, escape="\\") for col in SEARCHED)))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_row(r) for r in conn.execute(stmt)]


def same_person(conn: Connection, name: str, level: str, unit: str | None) -> list[int]:
    """The ids of the deputies already on the registry with this name, level and unit."""
    d = t.deputies.c
    same_unit = d.unit.is_(None) if unit is None else d.unit == unit
    stmt = select(d.id).where(d.name == name, d.level == level, same_unit).order_by(d.id)
    return [int(i) for i in conn.execute(stmt).scalars()]


def insert_deputy(conn: Connection, values: Mapping[str, object]) -> int:
    stmt = insert(t.deputies).values(dict(values)).returning(t.deputies.c.id)
    return int(conn.execute(stmt).scalar_one())


def update_deputy(conn: Connection, deputy_id: int, values: Mapping[str, object]) -> None:
    conn.execute(update(t.deputies).where(t.deputies.c.id == deputy_id).values(dict(values)))


def contacts_of(conn: Connection, deputy_id: int) -> list[DeputyContact]:
    """The contacts a deputy took part in, latest first."""
    c, cd = t.contacts.c, t.contact_deputies.c
    rows = conn.execute(
        select(c.id, c.held_on, c.type, c.summary)
        .join(t.contact_deputies, cd.contact_id == c.id)
        .where(cd.deputy_id == deputy_id)
        .order_by(c.held_on.desc(), c.id.desc())
    )
    return [DeputyContact(id=i, held_on=on, type=ty, summary=s) for i, on, ty, s in rows]


def contact_counts(conn: Connection, deputy_id: int) -> dict[str, int]:
    """A deputy's contacts counted by type."""
    c, cd = t.contacts.c, t.contact_deputies.c
    rows = conn.execute(
        select(c.type, func.count())
        .join(t.contact_deputies, cd.contact_id == c.id)
        .where(cd.deputy_id == deputy_id)
        .group_by(c.type)
    )
    return {str(ty): int(n) for ty, n in rows}


def cases_of(conn: Connection, deputy_id: int) -> list[DeputyCase]:
    """The cases a deputy signed, latest received first."""
    c, cd, r = t.cases.c, t.case_deputies.c, t.case_rounds.c
    rows = conn.execute(
        select(c.id, c.number, c.kind, c.title, c.status, c.received, cd.position, r.satisfaction)
        .join(t.case_deputies, cd.case_id == c.id)
        .join(t.case_rounds, (r.case_id == c.id) & (r.round == c.round))
        .where(cd.deputy_id == deputy_id)
        .order_by(c.received.desc(), c.id.desc())
    )
    return [
        DeputyCase(
            id=i,
            number=n,
            kind=k,
            title=ti,
            status=st,
            received=rec,
            position=pos,
            satisfaction=sat,
        )
        for i, n, k, ti, st, rec, pos, sat in rows
    ]
