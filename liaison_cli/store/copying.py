"""The queries of ``db copy``: every table in foreign-key order, rows in batches, sequences.

The service (:mod:`liaison_cli.services.copy`) runs them on a snapshot of the
source and one write transaction on the target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Integer, func, select

from .schema import metadata

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

BATCH = 1000


def tables_in_order() -> list[Table]:
    return list(metadata.sorted_tables)


def count_rows(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def holds_rows(conn: Connection) -> bool:
    """Does any table hold a row? The tables as they are, whatever their schema."""
    from sqlalchemy import MetaData

    meta = MetaData()
    meta.reflect(conn)
    return any(
        conn.execute(select(1).select_from(table).limit(1)).first() is not None
        for name, table in meta.tables.items()
        if name != "alembic_version"
    )


def copy_table(src: Connection, dst: Connection, table: Table) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    result = src.execute(select(table).order_by(*order).execution_options(yield_per=BATCH))
    copied = 0
    for batch in result.partitions():
        rows = [dict(r._mapping) for r in batch]
        dst.execute(table.insert(), rows)
        copied += len(rows)
    return copied


def reset_sequences(dst: Connection, tables: list[Table]) -> None:
    """Move each serial id sequence past the largest copied id (PostgreSQL)."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].autoincrement is False:
            continue
        col = pk[0]
        seq = dst.execute(select(func.pg_get_serial_sequence(table.name, col.name))).scalar()
        if seq is None:
            continue
        largest = select(func.coalesce(func.max(col), 0) + 1).scalar_subquery()
        dst.execute(select(func.setval(seq, largest, False)))
