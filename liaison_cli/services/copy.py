"""Copy a whole ledger to another database: an office's SQLite file to the server.

The target must be empty; it is created at the same schema first (the same
Alembic migrations). Every table is copied in foreign-key order, ids and all,
in one transaction on the target: a row the target refuses (a name longer
than the column, which SQLite never checks) rolls the whole copy back and
names the table. The source is read in one snapshot, so a copy taken while
clerks keep working is consistent. On PostgreSQL the id sequences are then
moved past the copied ids, so the next record gets the next number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from ..errors import DatabaseError, LiaisonError
from ..i18n import _
from ..store import errors
from ..store.copying import copy_table, count_rows, reset_sequences, tables_in_order
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from ..store.database import Database


class TableCount(TypedDict):
    table: str
    rows: int


@dataclass(frozen=True)
class Copied:
    """Where the ledger went and how many rows of each table."""

    where: str
    counts: list[TableCount]


def copy_database(source: Database, to: str) -> Copied:
    """Copy every row of ``source`` into the empty database at ``to`` (a path or URL)."""
    from ..store.database import Database, resolve_url

    target = Database(resolve_url(to))
    try:
        return Copied(target.where, _copy(source, target))
    finally:
        target.dispose()


def _copy(source: Database, target: Database) -> list[TableCount]:
    from sqlalchemy.exc import DBAPIError

    if source.url == target.url:
        raise LiaisonError(_("the target is the database being copied"))
    tables = tables_in_order()
    counts: list[TableCount] = []
    with unit_of_work(source, snapshot=True) as src, unit_of_work(target, write=True) as dst:
        if any(count_rows(dst, t) for t in tables):
            raise LiaisonError(
                _("{url} already holds records; copy only into a new, empty database").format(
                    url=target.where
                )
            )
        for table in tables:
            try:
                n = copy_table(src, dst, table)
            except DBAPIError as exc:
                raise DatabaseError(
                    _("the target refused a row of {table}: {reason}; nothing was copied").format(
                        table=table.name, reason=errors.first_line(exc)
                    )
                ) from exc
            counts.append(TableCount(table=table.name, rows=n))
        if dst.dialect.name == "postgresql":
            reset_sequences(dst, tables)
    return counts
