"""Bulk writing for the import: many rows per statement, ids handed out up front.

A ledger of 100,000 cases is about 700,000 rows (cases, links, rounds,
events). They go in as ``executemany`` of statements that Core compiles
from ``insert(table)``, with tuples of the columns' values, in the caller's
transaction. Ids are allocated before the rows are written (the table's
maximum under SQLite's write lock, the sequence on PostgreSQL) so that links
and events written in the same batch can name them.

On SQLite the writer also tunes the import's own connection for the load
and, for a ledger bigger than the database, drops the tables' secondary
indexes and builds them again at the end, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter
from types import TracebackType
from typing import Any

from sqlalchemy import Index, Table, func, insert, select, text
from sqlalchemy.engine import Connection

from . import chain as audit_chain
from .events import now
from .schema import events

# An event row for :meth:`BulkWriter.events`: its values in the order of
# EVENT_COLUMNS after the first three (id, prev_id, hash), which the chain adds.
EventRow = tuple[Any, ...]
# the order chain_rows gives: the id, the link and the hash, then the content
EVENT_COLUMNS = ("id", "prev_id", "hash", *audit_chain.CONTENT[1:])

# For the bulk load on SQLite, set on the import's own connection and put back
# after (SQLite has no Core construct for a PRAGMA: these are fixed statements).
SQLITE_LOAD = (
    # a page cache that keeps the pages being filled in memory (the default
    # 2 MB spills them to the WAL over and over); 8 MB, not more, so that the
    # import stays within its memory budget (120 MiB)
    text("PRAGMA cache_size = -8192"),
    # every coded value was parsed by its vocabulary before it gets here, so
    # the CHECK (x IN (...)) constraints can only agree; SQLite rebuilds each
    # IN list for every row, which costs as much as the rest of the insert
    text("PRAGMA ignore_check_constraints = 1"),
)
# SQLite's defaults (the connection set-up in store.database changes neither)
SQLITE_AFTER = (
    text("PRAGMA cache_size = -2000"),
    text("PRAGMA ignore_check_constraints = 0"),
)
# The sort behind CREATE INDEX takes as much memory as the page cache allows,
# on top of the cache: shrunk first (the pages the import wrote are done with).
SQLITE_INDEXING = text("PRAGMA cache_size = -2048")


class BulkWriter:
    """Inserts in bulk on one connection, inside the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.stamp = now()  # the recorded_at of every event of the import
        self._deferred: list[Index] = []
        self._statements: dict[tuple[Table, tuple[str, ...]], _Insert] = {}

    def __enter__(self) -> BulkWriter:
        if self.sqlite:
            for statement in SQLITE_LOAD:
                self.conn.execute(statement)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # the connection goes back to the pool: leave it as it was
        if self.sqlite:
            for statement in SQLITE_AFTER:
                self.conn.execute(statement)

    def new_ids(self, table: Table, n: int) -> list[int]:
        """``n`` fresh ids for ``table``, in ascending order."""
        if n <= 0:
            return []
        if self.sqlite:
            first = self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            return list(range(first + 1, first + 1 + n))
        sequence = func.pg_get_serial_sequence(table.name, "id")
        numbers = func.generate_series(1, n).table_valued("n")
        found = self.conn.execute(select(func.nextval(sequence)).select_from(numbers))
        return [int(i) for i in found.scalars()]

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """``executemany`` of ``insert(table)`` with ``rows`` (dicts keyed by column)."""
        if rows:
            columns = tuple(rows[0])
            pick = itemgetter(*columns)
            values = list(map(pick, rows)) if len(columns) > 1 else [(pick(r),) for r in rows]
            self.insert_rows(table, columns, values)

    def insert_rows(
        self, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """``executemany`` of ``insert(table)`` with ``rows``, tuples of ``columns``' values.

        The columns are named once for all the rows, not in a dict per row
        whose values are then picked out again (measured at 100,000 cases:
        6.0 -> 5.5 CPU s, medians of 3). The statement is compiled once per
        table and set of columns, and the values are converted as the columns'
        types convert them (dates to SQLite's text) once per distinct value.
        On SQLite, several rows go in one statement (see
        :data:`ROWS_PER_STATEMENT`).
        """
        if not rows:
            return
        key = (table, tuple(columns))
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = _Insert(self.conn, table, key[1])
        params = statement.parameters(rows)
        per = statement.per if len(key[1]) <= MULTI_ROW_MAX_COLUMNS or self._deferred else 1
        full = len(params) - len(params) % per if per > 1 else 0
        if full:
            sql = statement.multi_row_sql()
            flat = [tuple(chain.from_iterable(params[i : i + per])) for i in range(0, full, per)]
            self.conn.exec_driver_sql(sql, flat)
        if full < len(params):
            self.conn.exec_driver_sql(statement.sql, params[full:])

    def events(self, rows: Sequence[EventRow]) -> None:
        """Audit events, as :meth:`event` makes them, sealed onto the chain's head.

        The head is locked and read, the ids handed out, each row hashed in
        Python (SHA-256 over one JSON array: a few µs an event) and the head
        moved to the last, all in the caller's transaction.
        """
        if not rows:
            return
        head = audit_chain.lock_head(self.conn)
        before = audit_chain.Head(head.event_id, head.hash)
        ids = self.new_ids(events, len(rows))
        self.insert_rows(events, EVENT_COLUMNS, audit_chain.chain_rows(head, ids, rows))
        audit_chain.move_head(self.conn, before, head)

    def event(
        self,
        actor: str,
        action: str,
        entity: str,
        entity_id: int | None,
        happened_on: object,
        details: str | None,
        case_id: int | None = None,
        round_: int | None = None,
    ) -> EventRow:
        """One event row; ``details`` already serialised by ``events.details_json``."""
        return (self.stamp, happened_on, actor, action, entity, entity_id, case_id, round_, details)

    def defer_indexes(self, tables: Sequence[Table]) -> None:
        """SQLite: drop the secondary indexes of ``tables`` until :meth:`restore_indexes`.

        Filling a B-tree one random key at a time costs more than sorting the
        keys once: for a ledger that brings more cases than the database holds,
        building the indexes afresh at the end is faster than keeping them up
        to date row by row. It all happens inside the import's transaction, so
        a failed or killed import leaves the indexes as they were. The unique
        indexes stay: they are constraints, and the import's own lookups (case
        numbers) use them.
        """
        if not self.sqlite:
            return
        for table in tables:
            for index in sorted(table.indexes, key=_name):
                if not index.unique:
                    index.drop(self.conn)
                    self._deferred.append(index)

    def restore_indexes(self) -> None:
        """Create the indexes :meth:`defer_indexes` dropped, as the schema defines them."""
        if self._deferred:
            self.conn.execute(SQLITE_INDEXING)
        while self._deferred:
            self._deferred.pop(0).create(self.conn)


class _Insert:
    """``insert(table)`` of some columns, compiled for one connection, and their conversions."""

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = conn.dialect
        self._table, self._columns, self._dialect = table, list(columns), dialect
        compiled = insert(table).compile(dialect=dialect, column_keys=self._columns)
        self.sql = str(compiled)
        # a positional driver (SQLite's ?) gets tuples in the statement's order,
        # and may take several rows per statement; a named one (psycopg) dicts
        self._order = list(compiled.positiontup or ()) if compiled.positional else None
        self._positions: list[int] | None = None
        if self._order is not None and self._order != self._columns:
            self._positions = [self._columns.index(name) for name in self._order]
        self.per = 1
        if self._order is not None and dialect.name == "sqlite":
            self.per = max(1, min(ROWS_PER_STATEMENT, SQLITE_MAX_PARAMS // len(columns)))
        self._multi_row_sql: str | None = None
        self._convert: dict[int, _Converted] = {}  # by position in ``columns``
        for i, name in enumerate(columns):
            process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self._convert[i] = _Converted(process)

    def multi_row_sql(self) -> str:
        """The statement for :attr:`per` rows at once (compiled when first needed)."""
        if self._multi_row_sql is None:
            rows = [dict.fromkeys(self._columns)] * self.per
            compiled = insert(self._table).values(rows).compile(dialect=self._dialect)
            self._multi_row_sql = str(compiled)
        return self._multi_row_sql

    def parameters(self, rows: Sequence[tuple[Any, ...]]) -> list[Any]:
        """``rows`` as the driver takes them: in the statement's order, values converted.

        Only the columns whose type converts are touched, a column at a time
        (``zip`` and ``map`` run the loop over the rows in C).
        """
        for known in self._convert.values():
            if len(known) > CACHE_LIMIT:
                known.clear()
        if self._order is not None and not self._convert and self._positions is None:
            return list(rows)
        columns: list[Any] = list(zip(*rows, strict=True))
        for i, known in self._convert.items():
            columns[i] = map(known.__getitem__, columns[i])
        if self._positions is not None:
            columns = [columns[i] for i in self._positions]
        params = list(zip(*columns, strict=True))
        if self._order is None:  # a driver that takes named parameters
            return [dict(zip(self._columns, row, strict=True)) for row in params]
        return params


class _Converted(dict[Any, Any]):
    """value -> the driver's value, computed once per distinct value (a subscript)."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        super().__init__()
        self._process = process

    def __missing__(self, value: Any) -> Any:
        found = self[value] = self._process(value)
        return found


CACHE_LIMIT = 10_000  # distinct values remembered per column
# SQLite: rows in one multi-row INSERT. Measured: narrow tables (events, links)
# gain from it; the wide ones (cases, case_rounds) lose while their indexes are
# kept up to date, and gain while the indexes are deferred (see defer_indexes).
ROWS_PER_STATEMENT = 100
# the widest table that gains: events, 12 columns with their chain (cases have 13)
MULTI_ROW_MAX_COLUMNS = 12
SQLITE_MAX_PARAMS = 32766  # SQLite >= 3.32; 999 before


def _name(index: Index) -> str:
    return str(index.name)
