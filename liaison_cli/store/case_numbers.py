"""Case numbers: the ones a ledger gives, and ``YYYY-NNNN`` for the cases without.

The numbers a file gives are checked before any row is written: one already
in the ledger means the case is there (it is skipped), one given twice is an
error. The cases without a number are numbered as entry one by one would
number them, from the same yearly counter.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Container, Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from . import schema as t


def existing_numbers(conn: Connection, numbers: Iterable[str]) -> set[str]:
    """Which of ``numbers`` the ledger holds already."""
    found: set[str] = set()
    items = list(numbers)
    number = t.cases.c.number
    for i in range(0, len(items), 500):
        part = items[i : i + 500]
        found.update(conn.execute(select(number).where(number.in_(part))).scalars())
    return found


class Numbers:
    """Auto numbers ``YYYY-NNNN`` for the cases of a file that carry none.

    For each chunk, one atomic increment of a year's counter reserves a block
    (so a clerk numbering a case meanwhile gets a number after it). A number
    in the block that is already taken, by a case in the ledger or by a
    number in the file, is skipped and the block topped up. The numbers the
    ledger held before the import are read once per year; the ones this
    import writes are all known here, so the growing table is not queried
    again (on PostgreSQL its statistics do not know the new rows yet).
    """

    def __init__(self, conn: Connection, in_file: Container[str], last_id: int) -> None:
        self.conn = conn
        self.in_file = in_file
        self.last_id = last_id
        self._before: dict[int, set[str]] = {}
        # the dialect's own INSERT … ON CONFLICT (imported for the one in use)
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        self._upsert: Any = upsert

    def _taken_before(self, year: int) -> set[str]:
        found = self._before.get(year)
        if found is None:
            prefix = f"{year}-"
            c = t.cases.c
            found = self._before[year] = set(
                self.conn.execute(
                    select(c.number).where(
                        c.id <= self.last_id, func.substr(c.number, 1, len(prefix)) == prefix
                    )
                ).scalars()
            )
        return found

    def allocate(self, counts: dict[int, int]) -> dict[int, deque[str]]:
        """``counts[year]`` fresh numbers of each year, in ascending order."""
        counter = t.case_counters
        out: dict[int, deque[str]] = {}
        for year, count in sorted(counts.items()):
            self.conn.execute(
                self._upsert(counter)
                .values(year=year, last=0)
                .on_conflict_do_nothing(index_elements=["year"])
            )
            before = self._taken_before(year)
            got: list[str] = []
            while len(got) < count:
                need = count - len(got)
                end = self.conn.execute(
                    update(counter)
                    .where(counter.c.year == year)
                    .values(last=counter.c.last + need)
                    .returning(counter.c.last)
                ).scalar_one()
                for n in range(end - need + 1, end + 1):
                    number = f"{year}-{n:04d}"
                    if number not in before and number not in self.in_file:
                        got.append(number)
            out[year] = deque(got)
        return out
