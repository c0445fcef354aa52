"""Engines tuned for the ledger: SQLite files and PostgreSQL servers.

SQLite runs with foreign keys on, a busy timeout, and transactions the driver
does not second-guess: we emit ``BEGIN`` ourselves (``BEGIN IMMEDIATE`` for
writes, so two clerks queue instead of deadlocking) and DDL rolls back with
the rest. A server engine fails fast when it cannot connect and pins the
session settings the queries are written for.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from . import errors
from .files import create_private_file, read_only_uri

# psycopg logs "error ignored terminating <Pipeline>" when a bulk write loses
# its server, and with no handler Python prints that above the one
# ``error:`` line that says so; one handler, added once, keeps it off stderr.
_DRIVER_LOG = logging.getLogger("psycopg")
_DRIVER_LOG.addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_SECONDS = 10.0
# the longest a write waits for SQLite's lock while other writes keep committing
LOCK_QUEUE_LIMIT_SECONDS = 60.0
CONNECT_TIMEOUT_SECONDS = 5


def create_sqlite_engine(url: str, path: Path, busy_timeout: float) -> Engine:
    """An engine on our SQLite file, the file created private if it is new.

    A file that cannot be written is opened read-only: the commands that read
    work, those that write say the database is read-only.
    """
    import sqlite3

    from sqlalchemy import create_engine

    create_private_file(path)
    uri = read_only_uri(path)
    if uri is None:
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
    else:
        engine = create_engine(
            url, creator=lambda: sqlite3.connect(uri, uri=True, timeout=busy_timeout)
        )
    install_sqlite_hooks(engine, busy_timeout)
    return engine


def install_sqlite_hooks(engine: Engine, busy_timeout: float) -> None:
    """The connection settings and the ``BEGIN`` of every SQLite transaction."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Let us issue BEGIN ourselves so DDL is transactional and writes can
        # take the lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        # WAL is switched on by Database once the file is known to be ours:
        # it rewrites the header of whatever file it is given
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("liaison_write", False):
            begin_immediate(conn, busy_timeout)
        else:
            conn.exec_driver_sql("BEGIN")


def begin_immediate(conn: Connection, busy_timeout: float) -> None:
    """Take SQLite's write lock, waiting while other clerks' writes go through.

    SQLite's own busy handler sleeps up to 100 ms between tries, so with
    several clerks writing at once a waiting writer keeps missing the short
    moments the lock is free and can starve past the timeout while the others
    proceed (seen with 8 writers on a loaded machine). Nothing has been done
    yet when BEGIN IMMEDIATE fails, so we ask again ourselves every few
    milliseconds (busy timeout off for these tries). The busy timeout then
    counts from the last write anyone committed (``PRAGMA data_version``
    changes when another connection commits): a queue of clerks that keeps
    moving is waited out (up to ``LOCK_QUEUE_LIMIT_SECONDS``), one
    transaction holding the lock for longer than the timeout is the usual
    "database is locked" (exit 3).
    """
    import random
    import sqlite3
    import time

    raw = conn.connection.driver_connection
    assert raw is not None

    def data_version() -> int | None:
        try:
            return int(raw.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.OperationalError:
            return None

    start = last_progress = time.monotonic()
    seen = data_version()
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if "locked" not in text and "busy" not in text:
                    raise
            now = time.monotonic()
            version = data_version()
            if version is not None and version != seen:
                seen, last_progress = version, now
            if now - last_progress >= busy_timeout or now - start >= LOCK_QUEUE_LIMIT_SECONDS:
                break
            time.sleep(random.uniform(0.001, 0.005))
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # raises "database is locked"
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")


def create_server_engine(url: str, busy_timeout: float) -> Engine:
    """A PostgreSQL (or other server) engine that fails fast and says why.

    * ``connect_timeout`` (seconds) unless the URL sets its own, so an
      unreachable server is an error within seconds, not a hang;
    * READ COMMITTED pinned, whatever the server's default: the case counter
      and the row locks of the lifecycle steps are written for it;
    * a failed connection becomes a ``DatabaseError`` (exit 3) with the URL
      shown password-masked, never a traceback;
    * the driver's own log records stay off stderr (see ``_DRIVER_LOG``).
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    connect_args: dict[str, object] = {}
    options: dict[str, object] = {}
    if url.startswith("postgresql"):
        if "connect_timeout" not in make_url(url).query:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        options["isolation_level"] = "READ COMMITTED"
    engine = create_engine(url, connect_args=connect_args, pool_pre_ping=False, **options)

    if url.startswith("postgresql"):

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            # a date cast to text is YYYY-MM-DD (month grouping relies on it) and
            # text is UTF-8, whatever the server's or the role's defaults say
            cur = dbapi_conn.cursor()
            cur.execute("SET datestyle TO 'ISO, YMD'")
            cur.execute("SET client_encoding TO 'UTF8'")
            # a lock another clerk holds is waited for as long as SQLite's busy
            # timeout, then the command fails (exit 3) instead of hanging
            cur.execute(f"SET lock_timeout = {int(busy_timeout * 1000)}")
            cur.close()
            dbapi_conn.commit()

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx) -> None:  # type: ignore[no-untyped-def]
        if ctx.connection is None and not ctx.is_pre_ping:
            raise errors.connect_failure(url, ctx.original_exception) from None

    return engine
