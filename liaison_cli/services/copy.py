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
from ..store.copying import copy_table, count_rows, holds_rows, reset_sequences, tables_in_order
from ..store.migrate import HEAD_REVISION
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
    if source.url == target.url:
        raise LiaisonError(_("the target is the database being copied"))
    # a new file is ours to remove if the copy fails; one that is there is
    # looked at, and refused if it holds anything, before it is touched
    new_file = target.path is not None and not target.path.exists()
    done = False
    try:
        if not new_file:
            _refuse_used(target)
        counts = _copy(source, target)
        done = True
        return Copied(target.where, counts)
    finally:
        target.dispose()
        if new_file and not done and target.path is not None:
            for side in ("", "-wal", "-shm", "-journal"):
                target.path.with_name(target.path.name + side).unlink(missing_ok=True)


def _refuse_used(target: Database) -> None:
    """Refuse a ledger at an older schema that holds records, before anything touches it.

    The copy's own checks open the target at the current schema, which for an
    older ledger would mean migrating a file that is then refused. An empty
    database or one at the current schema goes on to those checks.
    """
    if target.path is not None and target.path.stat().st_size == 0:
        return
    rev = target.current_revision()
    if rev is None or rev == HEAD_REVISION:
        return  # an empty database or one of ours: the copy's own checks follow
    with errors.translated(), target.engine.connect() as conn:
        used = holds_rows(conn)
    if used:
        raise LiaisonError(_already_holds(target))


def _already_holds(target: Database) -> str:
    return _("{url} already holds records; copy only into a new, empty database").format(
        url=target.where
    )


def _copy(source: Database, target: Database) -> list[TableCount]:
    from sqlalchemy.exc import DBAPIError

    tables = tables_in_order()
    counts: list[TableCount] = []
    with unit_of_work(source, snapshot=True) as src, unit_of_work(target, write=True) as dst:
        if any(count_rows(dst, t) for t in tables):
            raise LiaisonError(_already_holds(target))
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
