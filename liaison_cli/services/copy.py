"""Copy a whole ledger to another database: an office's SQLite file to the server.

The target must be empty; it is migrated to the same schema first (the same
Alembic migrations). Every table is copied in foreign-key order, ids and all,
in one transaction on the target: a row the target refuses (a name longer
than the column, which SQLite never checks) rolls the whole copy back and
names the table. The source is read in one snapshot, so a copy taken while
clerks keep working is consistent. On PostgreSQL the id sequences are then
moved past the copied ids, so the next record gets the next number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import DatabaseError, LiaisonError
from ..i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

    from ..store.database import Database

BATCH = 1000


def _tables() -> list[Table]:
    from ..store.schema import metadata

    return list(metadata.sorted_tables)


def _count(conn: Connection, table: Table) -> int:
    from sqlalchemy import func, select

    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _copy_table(src: Connection, dst: Connection, table: Table) -> int:
    from sqlalchemy import select

    order = list(table.primary_key.columns) or list(table.columns)
    result = src.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    copied = 0
    for batch in result.partitions():
        rows: list[dict[str, Any]] = [dict(r._mapping) for r in batch]
        dst.execute(table.insert(), rows)
        copied += len(rows)
    return copied


def _reset_sequences(dst: Connection, tables: list[Table]) -> None:
    """Move each serial id sequence past the largest copied id (PostgreSQL)."""
    from sqlalchemy import Integer, text

    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].autoincrement is False:
            continue
        col = pk[0].name
        seq = dst.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": col}
        ).scalar()
        if seq is None:
            continue
        dst.execute(
            text(
                f"SELECT setval(:s, COALESCE((SELECT MAX({col}) FROM {table.name}), 0) + 1, false)"
            ),
            {"s": seq},
        )


def copy_database(source: Database, target: Database) -> list[dict[str, Any]]:
    """Copy every row of ``source`` into the empty ``target``: rows per table."""
    from sqlalchemy.exc import DBAPIError

    if source.url == target.url:
        raise LiaisonError(_("the target is the database being copied"))
    source.ensure_schema()
    target.ensure_schema()
    tables = _tables()
    counts: list[dict[str, Any]] = []
    src_engine = source.engine
    if not source.is_sqlite:
        # one snapshot of every table, whatever is written meanwhile
        src_engine = src_engine.execution_options(isolation_level="REPEATABLE READ")
    with src_engine.connect() as src, src.begin():
        with target.engine.execution_options(liaison_write=True).connect() as dst:
            with dst.begin():
                if any(_count(dst, t) for t in tables):
                    raise LiaisonError(
                        _(
                            "{url} already holds records; copy only into a new, empty database"
                        ).format(url=_where(target))
                    )
                for table in tables:
                    try:
                        n = _copy_table(src, dst, table)
                    except DBAPIError as exc:
                        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
                        raise DatabaseError(
                            _(
                                "the target refused a row of {table}: {reason}; nothing was copied"
                            ).format(table=table.name, reason=reason)
                        ) from exc
                    counts.append({"table": table.name, "rows": n})
                if dst.dialect.name == "postgresql":
                    _reset_sequences(dst, tables)
    return counts


def _where(db: Database) -> str:
    from ..store.database import safe_url

    return str(db.path) if db.path else safe_url(db.url)
