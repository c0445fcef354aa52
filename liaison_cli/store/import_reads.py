"""What an import reads of the ledger before it writes: the registry, and the cases already there.

The importer (:mod:`liaison_cli.services.importing`) loads the registry once
and resolves every name of the file against it in memory; a re-imported
ledger's unnumbered cases are recognised by their receipt date, kind, title
and lead deputy, its contacts by their date, type, deputies, staff member and
summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select

from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, RowMapping

# a case as a re-import recognises it: received, kind, title, lead deputy's id
CaseKey = tuple[date, str, str, int]
# a contact as a re-import recognises it: date, type, the deputies' ids (sorted),
# the staff member's name, the summary
ContactKey = tuple[date, str, tuple[int, ...], str | None, str | None]
# ids per IN list: well under any driver's limit of bound parameters
_IN_CHUNK = 1000


def deputy_names(conn: Connection) -> list[tuple[int, str, str | None]]:
    """Every deputy's id, name and unit."""
    d = t.deputies.c
    return [(i, name, unit) for i, name, unit in conn.execute(select(d.id, d.name, d.unit))]


def department_ids(conn: Connection) -> dict[str, int]:
    """Every department's id by its name."""
    dept = t.departments.c
    return {name: i for name, i in conn.execute(select(dept.name, dept.id))}


def staff_members(conn: Connection) -> list[tuple[int, str, int | None]]:
    """Every staff member's id, name and department id."""
    s = t.staff.c
    return [
        (i, name, dept) for i, name, dept in conn.execute(select(s.id, s.name, s.department_id))
    ]


def staff_names(conn: Connection) -> dict[int, str]:
    """Every staff member's name by id."""
    return {i: n for i, n in conn.execute(select(t.staff.c.id, t.staff.c.name))}


def deputies(conn: Connection) -> Iterator[RowMapping]:
    """Every deputy row, as stored."""
    return iter(conn.execute(select(t.deputies)).mappings())


def last_case_id(conn: Connection) -> int:
    """The largest case id (0 for an empty ledger): cases above it are the import's own."""
    return int(conn.execute(select(func.max(t.cases.c.id))).scalar() or 0)


def known_cases(conn: Connection, keys: Iterable[CaseKey], last_id: int) -> set[CaseKey]:
    """Those of ``keys`` that a case up to ``last_id`` already has."""
    wanted = set(keys)
    if not wanted:
        return set()
    c, cd = t.cases.c, t.case_deputies.c
    rows = conn.execute(
        select(c.received, c.kind, c.title, cd.deputy_id)
        .join(t.case_deputies, and_(cd.case_id == c.id, cd.position == 0))
        .where(
            c.id <= last_id,
            c.received.in_({k[0] for k in wanted}),
            c.title.in_({k[2] for k in wanted}),
        )
    )
    return wanted & {(r[0], r[1], r[2], r[3]) for r in rows}


def last_contact_id(conn: Connection) -> int:
    """The largest contact id (0 for an empty log): contacts above it are the import's own."""
    return int(conn.execute(select(func.max(t.contacts.c.id))).scalar() or 0)


def known_contacts(conn: Connection, keys: Iterable[ContactKey], last_id: int) -> set[ContactKey]:
    """Those of ``keys`` that a contact up to ``last_id`` already has."""
    wanted = set(keys)
    if not wanted or not last_id:
        return set()
    c, s, cd = t.contacts.c, t.staff.c, t.contact_deputies.c
    dates = sorted({k[0] for k in wanted})
    found: dict[int, tuple[date, str, str | None, str | None]] = {}
    for i in range(0, len(dates), _IN_CHUNK):
        rows = conn.execute(
            select(c.id, c.held_on, c.type, s.name, c.summary)
            .outerjoin(t.staff, s.id == c.staff_id)
            .where(c.id <= last_id, c.held_on.in_(dates[i : i + _IN_CHUNK]))
        )
        found.update({r[0]: (r[1], r[2], r[3], r[4]) for r in rows})
    ids = sorted(found)
    deputies: dict[int, list[int]] = {i: [] for i in ids}
    for i in range(0, len(ids), _IN_CHUNK):
        links = conn.execute(
            select(cd.contact_id, cd.deputy_id).where(cd.contact_id.in_(ids[i : i + _IN_CHUNK]))
        )
        for contact_id, deputy_id in links:
            deputies[contact_id].append(deputy_id)
    there = {
        (held_on, kind, tuple(sorted(deputies[i])), staff, summary)
        for i, (held_on, kind, staff, summary) in found.items()
    }
    return wanted & there
