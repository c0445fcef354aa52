"""``liaison overdue`` on a SQLite file with the standard library alone.

The clerk's most frequent command is also the one a peer tool is measured
against: importing SQLAlchemy is most of its time, more than the
query. So, on a SQLite file whose schema is at the head revision, the report
runs here on :mod:`sqlite3`, with the very statements the SQLAlchemy path
builds (``case_queries.overdue_statements``), compiled ahead of time into
:mod:`.overdue_sql` by ``scripts/compile_sql.py``; a test fails when that
module is out of date. Both paths hand their rows to :mod:`.overdue_rows`.

The report's service (:mod:`.overdue`) chooses this path. Anything unusual
(no such file, another revision, a file that is not a database, a lock, a
department that is not there) returns None, and the service takes the
ordinary path,
which migrates, waits or reports the error as every other command does.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.values import parse_id
from . import overdue_rows, overdue_sql
from .database import BUSY_TIMEOUT_SECONDS, HEAD_REVISION
from .files import read_only_uri
from .overdue_rows import OverdueCounts, OverdueRow


def _department(con: sqlite3.Connection, ref: str) -> int | None:
    """The department ``ref`` names: an exact name first, else a number taken as its id."""
    name = ref.strip()
    sql, constants = overdue_sql.DEPARTMENT_BY_NAME
    found = con.execute(sql, {**constants, "name": name}).fetchone()
    ident = parse_id(name)
    if found is None and ident is not None:
        sql, constants = overdue_sql.DEPARTMENT_BY_ID
        found = con.execute(sql, {**constants, "ident": ident}).fetchone()
    return None if found is None else int(found[0])


def overdue(
    path: Path,
    *,
    as_of: date,
    within: int = 0,
    dept: str | None = None,
    limit: int | None = None,
) -> tuple[list[OverdueRow], OverdueCounts] | None:
    """What ``case_queries.overdue`` returns, or None (see above).

    A ``dept`` that names no department is None too: the ordinary path then
    says so in its own words.
    """
    horizon = overdue_rows.horizon(as_of, within)  # a bad --within is the user's error
    if overdue_sql.REVISION != HEAD_REVISION or not path.is_file():
        return None
    try:
        # read-only where the file cannot be written (as the engine opens it)
        uri = read_only_uri(path)
        con = sqlite3.connect(
            uri or path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, uri=uri is not None
        )
    except sqlite3.Error:
        return None
    try:
        con.execute("BEGIN")  # one snapshot for the three statements
        revision = con.execute("SELECT version_num FROM alembic_version").fetchall()
        if revision != [(HEAD_REVISION,)]:
            return None
        params: dict[str, Any] = {"as_of": as_of.isoformat(), "horizon": horizon.isoformat()}
        if dept is not None:
            dept_id = _department(con, dept)
            if dept_id is None:
                return None
            params["dept_id"] = dept_id
        found: list[tuple[Any, ...]] = []
        for sql, constants in overdue_sql.OVERDUE[bool(within), dept is not None]:
            found.extend(con.execute(sql, {**constants, **params}).fetchall())
        sql, constants = overdue_sql.DEPUTIES
        ids = json.dumps(sorted({raw[0] for raw in found}))
        names = overdue_rows.join_names(con.execute(sql, {**constants, "ids": ids}).fetchall())
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return overdue_rows.finish(found, names, as_of, limit)
