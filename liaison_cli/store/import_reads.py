"""What an import reads of the ledger before it writes: the registry, and the cases already there.

The importer (:mod:`liaison_cli.services.importing`) loads the registry once
and resolves every name of the file against it in memory; a re-imported
ledger's unnumbered cases are recognised by their receipt date, kind, title
and lead deputy.
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
