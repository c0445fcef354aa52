"""``liaison cases`` of a period on a SQLite file, with the standard library alone.

Importing SQLAlchemy takes longer than listing a page of cases, so, as for
the overdue report (:mod:`.overdue_sqlite`), a listing with no filter but
``--from``, ``--to`` and ``--limit`` runs here on :mod:`sqlite3` when the
file is at the head revision: the statement is ``case_queries.listing``'s,
compiled ahead into :mod:`.overdue_sql` by ``scripts/compile_sql.py`` (a
test fails when it is out of date), and each chunk's deputies come from
the statement the SQLAlchemy path runs on SQLite. Both paths build their
rows with :func:`listed`.

The service (:mod:`..services.listing`) chooses this path. Anything unusual
(no such file, another revision, a file that is not a database, a lock)
gives None before a row is read, and the service takes the ordinary path.
An error once the rows stream is the project's error, as on that path.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import overdue_sql
from .database import BUSY_TIMEOUT_SECONDS, HEAD_REVISION
from .errors import translated
from .overdue_rows import join_names

if TYPE_CHECKING:
    from .case_reads import CaseRow

# the widest period, for a bound not given (ISO text orders as the dates do)
FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"
# rows read at a time (and deputies looked up at a time)
CHUNK = 2000


def listed(part: Sequence[Sequence[Any]], names: dict[int, str]) -> list[CaseRow]:
    """Driver rows of ``case_queries.case_columns`` as listed cases, with their
    deputies' names (``key`` is SQLite's 0 or 1, PostgreSQL's bool)."""
    out = []
    for raw in part:
        row: Any = dict(zip(overdue_sql.LISTING_KEYS, raw, strict=True))
        row["deputies"] = names.get(raw[0], "")
        row["key"] = bool(row["key"])
        out.append(row)
    return out


def _opened(path: Path, params: dict[str, Any]) -> tuple[sqlite3.Connection, Any] | None:
    """The connection and the listing's cursor, in one read snapshot; or None."""
    if overdue_sql.REVISION != HEAD_REVISION or not path.is_file():
        return None
    try:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        con.execute("BEGIN")  # one snapshot for the rows and their deputies
        if con.execute("SELECT version_num FROM alembic_version").fetchall() != [(HEAD_REVISION,)]:
            con.close()
            return None
        sql, constants = overdue_sql.LISTING
        return con, con.execute(sql, {**constants, **params})
    except sqlite3.Error:
        con.close()
        return None


def _rows(con: sqlite3.Connection, cursor: Any, limit: int | None) -> Iterator[CaseRow]:
    sql, constants = overdue_sql.DEPUTIES
    left = -1 if limit is None else limit  # rows still to read (-1: all)
    with translated():
        # (fetchmany(0) would read every row that is left)
        while left and (part := cursor.fetchmany(CHUNK if left < 0 else min(CHUNK, left))):
            ids = json.dumps([raw[0] for raw in part])
            names = join_names(con.execute(sql, {**constants, "ids": ids}).fetchall())
            yield from listed(part, names)
            if left > 0:
                left -= len(part)


@contextmanager
def listed_cases(
    path: Path, *, date_from: date | None, date_to: date | None, limit: int | None
) -> Iterator[Iterator[CaseRow] | None]:
    """The rows ``case_queries.list_cases`` gives for the period, read while
    the block runs; or None (see above)."""
    params = {
        "date_from": date_from.isoformat() if date_from else FIRST_DAY,
        "date_to": date_to.isoformat() if date_to else LAST_DAY,
    }
    opened = _opened(path, params)
    if opened is None:
        yield None
        return
    con, cursor = opened
    try:
        yield _rows(con, cursor, limit)
    finally:
        con.close()
