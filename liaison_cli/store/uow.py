"""The unit of work: one connection in one transaction, opened by a service.

A service does all of one command's reads and writes inside one
``with unit_of_work(db, write=...) as conn:`` block: it commits when the block
ends and rolls back whole when anything raises, so a failed command leaves
the database as it was. A write unit takes the write lock up front (SQLite's
``BEGIN IMMEDIATE``; PostgreSQL locks the rows a step changes). Driver errors
leave the block as the project's own errors (:mod:`.errors`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from . import errors

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from .database import Database

# write units this process has committed: the CLI tells a command that saved
# its change from one that failed before it (when its output cannot be written)
committed_writes = 0


@contextmanager
def unit_of_work(
    db: Database, *, write: bool = False, snapshot: bool = False
) -> Iterator[Connection]:
    """A connection in a transaction on a database at the current schema.

    ``snapshot`` reads every table as of one moment on PostgreSQL too
    (REPEATABLE READ; a SQLite read transaction always does), for a reader
    that must be consistent across many statements while clerks write.
    """
    db.ensure_schema()
    bind = db.engine.execution_options(liaison_write=True) if write else db.engine
    if snapshot and not db.is_sqlite:
        bind = bind.execution_options(isolation_level="REPEATABLE READ")
    with errors.translated(), bind.connect() as conn, conn.begin():
        yield conn
    if write:
        global committed_writes
        committed_writes += 1
