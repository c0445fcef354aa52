"""The statements behind ``stats contacts``: activities, person-times, deputies reached.

Each table is one ``GROUP BY`` statement; the coverage denominators are one
more. The service (:mod:`liaison_cli.services.stats`) names the groups,
orders them and divides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import ColumnElement, Select, func, select

from . import schema as t
from .sql import month_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

ContactGrouping = Literal["none", "level", "type", "month", "staff"]

K = t.contacts.c
KD = t.contact_deputies.c
_contact_staff = t.staff.alias("contact_staff")


@dataclass(frozen=True)
class ContactCounts:
    """The counts of one group of contacts.

    ``group`` is the grouping's raw key (a level, a type, a month, a staff
    member's id; None for contacts without one); ``name`` is the staff
    member's name when grouped by staff.
    """

    group: int | str | None
    name: str | None
    activities: int
    person_times: int
    deputies_reached: int


def deputies_per_level(conn: Connection) -> dict[str, int]:
    """Deputies on the registry per level (the coverage denominators)."""
    d = t.deputies.c
    return {
        str(level): int(n)
        for level, n in conn.execute(select(d.level, func.count()).group_by(d.level)).all()
    }


def _contact_aggregates() -> list[ColumnElement[Any]]:
    return [
        func.count(K.id.distinct()).label("activities"),
        func.count(KD.deputy_id).label("person_times"),
        func.count(KD.deputy_id.distinct()).label("deputies_reached"),
    ]


def _contact_period(stmt: Select[Any], start: date | None, end: date | None) -> Select[Any]:
    if start is not None:
        stmt = stmt.where(K.held_on >= start)
    if end is not None:
        stmt = stmt.where(K.held_on <= end)
    return stmt


def _contact_counts(
    group: int | str | None, name: str | None, row: Mapping[Any, Any]
) -> ContactCounts:
    return ContactCounts(
        group,
        name,
        int(row["activities"] or 0),
        int(row["person_times"] or 0),
        int(row["deputies_reached"] or 0),
    )


def contact_total(conn: Connection, *, start: date | None, end: date | None) -> ContactCounts:
    """The counts of all contacts held in the period (each contact once)."""
    stmt = select(*_contact_aggregates()).select_from(t.contacts)
    stmt = stmt.outerjoin(t.contact_deputies, KD.contact_id == K.id)
    return _contact_counts(
        None, None, conn.execute(_contact_period(stmt, start, end)).mappings().one()
    )


def contact_counts(
    conn: Connection, *, start: date | None, end: date | None, by: ContactGrouping
) -> list[ContactCounts]:
    """The counts of the contacts held in the period, one entry per group (``by`` not none).

    Grouped by level, a contact with deputies of two levels is one activity
    in each. Groups come in the database's order.
    """
    keys: list[ColumnElement[Any]]
    if by == "level":
        keys = [t.deputies.c.level]
    elif by == "type":
        keys = [K.type]
    elif by == "month":
        keys = [month_of(K.held_on)]
    else:  # staff
        keys = [_contact_staff.c.id, _contact_staff.c.name]
    labelled = [k.label(f"k{i}") for i, k in enumerate(keys)]
    stmt = select(*labelled, *_contact_aggregates()).select_from(t.contacts)
    if by == "level":
        stmt = stmt.join(t.contact_deputies, KD.contact_id == K.id).join(
            t.deputies, t.deputies.c.id == KD.deputy_id
        )
    else:
        stmt = stmt.outerjoin(t.contact_deputies, KD.contact_id == K.id)
    if by == "staff":
        stmt = stmt.outerjoin(_contact_staff, _contact_staff.c.id == K.staff_id)
    stmt = _contact_period(stmt, start, end).group_by(*labelled)
    return [
        _contact_counts(m["k0"], m["k1"] if by == "staff" else None, m)
        for m in conn.execute(stmt).mappings()
    ]
