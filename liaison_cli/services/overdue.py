"""``liaison overdue``: the cases past their deadline, and which way to read them.

The report is the clerk's most frequent command, and on a SQLite file most of
its time would be importing SQLAlchemy. So this service first tries the
report on the file with the standard library alone (:mod:`.overdue_sqlite`,
the same statements compiled ahead of time), and takes the SQLAlchemy path
(:func:`.case_queries.overdue`) for a server, or when the file needs
anything the fast path does not do (a migration, a lock, an error to
report). Both give the same rows; this module imports neither SQLAlchemy nor
the store until the ordinary path is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..store.overdue_rows import OverdueCounts, OverdueRow

if TYPE_CHECKING:
    from ..store.database import Database


@dataclass(frozen=True)
class OverdueReport:
    """The late clocks, most overdue first (at most ``limit``), and the counts of all."""

    rows: list[OverdueRow]
    counts: OverdueCounts


def overdue_report(
    db: Database,
    *,
    as_of: date,
    within: int = 0,
    dept: str | None = None,
    limit: int | None = None,
) -> OverdueReport:
    """Cases past due on ``as_of`` (and, with ``within``, due in the next days)."""
    found = None
    if db.path is not None:
        from ..store.overdue_sqlite import overdue as overdue_on_file

        found = overdue_on_file(db.path, as_of=as_of, within=within, dept=dept, limit=limit)
    if found is None:
        from ..store.case_queries import overdue
        from ..store.uow import unit_of_work

        with unit_of_work(db) as conn:
            found = overdue(conn, as_of=as_of, within=within, dept=dept, limit=limit)
    rows, counts = found
    return OverdueReport(rows, counts)
