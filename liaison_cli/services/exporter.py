"""Export of deputies, cases and contacts: the rows of one table, in the import's columns.

The queries are :mod:`liaison_cli.store.exports`; this service reads them in
one transaction while the writer (:mod:`liaison_cli.output.export`) consumes
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..store.exports import CHUNKS, DATES, TABLES, Chunk, Export
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from ..store.database import Database

__all__ = ["TABLES", "Chunk", "Export", "export_rows"]


def export_rows(db: Database, table: str) -> Export:
    """The rows of ``table``, read in one transaction while they are consumed."""
    keys, chunks_of = CHUNKS[table]

    def chunks() -> Iterator[Chunk]:
        with unit_of_work(db) as conn:
            yield from chunks_of(conn)

    return Export(table, keys, DATES & set(keys), chunks())
