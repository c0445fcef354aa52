"""Queries on the liaison log (联络台账): contacts and the deputies in each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import insert, select

from . import schema as t
from .refs import labelled_deputies

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

NAME_SEPARATOR = "、"
# contacts per query of their deputies' names
CHUNK = 500


class ContactRow(TypedDict):
    """A contact as listed and exported (this key order)."""

    id: int
    date: str | None
    type: str
    deputies: str
    staff: str | None
    summary: str | None


def insert_contact(
    conn: Connection,
    *,
    held_on: date,
    type: str,
    staff_id: int | None,
    summary: str | None,
    deputy_ids: Sequence[int],
) -> int:
    """One contact and one person-time per deputy."""
    stmt = insert(t.contacts).values(held_on=held_on, type=type, staff_id=staff_id, summary=summary)
    contact_id = int(conn.execute(stmt.returning(t.contacts.c.id)).scalar_one())
    conn.execute(
        insert(t.contact_deputies),
        [{"contact_id": contact_id, "deputy_id": d} for d in deputy_ids],
    )
    return contact_id


def deputy_names(conn: Connection, deputy_ids: Sequence[int]) -> dict[int, str]:
    d = t.deputies.c
    return {i: n for i, n in conn.execute(select(d.id, d.name).where(d.id.in_(deputy_ids)))}


def deputy_labels(conn: Connection, deputy_ids: Sequence[int]) -> dict[int, str]:
    """The names as listings show them (a shared name with its unit)."""
    d = labelled_deputies()
    return dict(conn.execute(select(d.c.id, d.c.label).where(d.c.id.in_(deputy_ids))).all())


def _names_of_contacts(conn: Connection, contact_ids: list[int]) -> dict[int, str]:
    """Names of the deputies of each contact, in one query per chunk of contacts."""
    cd, d = t.contact_deputies.c, labelled_deputies()
    names: dict[int, list[str]] = {}
    for i in range(0, len(contact_ids), CHUNK):
        chunk = contact_ids[i : i + CHUNK]
        for contact_id, name in conn.execute(
            select(cd.contact_id, d.c.label)
            .join(d, d.c.id == cd.deputy_id)
            .where(cd.contact_id.in_(chunk))
            .order_by(cd.contact_id, d.c.id)
        ):
            names.setdefault(contact_id, []).append(name)
    return {k: NAME_SEPARATOR.join(v) for k, v in names.items()}


def contact_rows(
    conn: Connection,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    deputy_id: int | None = None,
    type: str | None = None,
    limit: int | None = None,
) -> Iterator[ContactRow]:
    """Contacts matching the filters, oldest first, streamed in chunks.

    Each chunk's deputy names come in one query, so a long log does not have
    to fit in memory.
    """
    c, s, cd = t.contacts.c, t.staff.c, t.contact_deputies.c
    stmt = select(c.id, c.held_on, c.type, s.name.label("staff"), c.summary).outerjoin(
        t.staff, s.id == c.staff_id
    )
    if date_from:
        stmt = stmt.where(c.held_on >= date_from)
    if date_to:
        stmt = stmt.where(c.held_on <= date_to)
    if type:
        stmt = stmt.where(c.type == type)
    if deputy_id is not None:
        stmt = stmt.where(c.id.in_(select(cd.contact_id).where(cd.deputy_id == deputy_id)))
    stmt = stmt.order_by(c.held_on, c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    result = conn.execute(stmt.execution_options(yield_per=1000))
    for part in result.partitions():
        names = _names_of_contacts(conn, [r.id for r in part])
        for r in part:
            yield ContactRow(
                id=r.id,
                date=r.held_on.isoformat() if r.held_on else None,
                type=r.type,
                deputies=names.get(r.id, ""),
                staff=r.staff,
                summary=r.summary,
            )
