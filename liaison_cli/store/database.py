"""Where the database is, how to connect to it, and keeping its schema current.

A plain path is a SQLite file; anything with ``://`` is a SQLAlchemy URL
(``postgresql+psycopg://…``). SQLite runs with foreign keys on, WAL, a busy
timeout, and transactions the driver does not second-guess: we emit ``BEGIN``
ourselves (``BEGIN IMMEDIATE`` for writes, so two clerks queue instead of
deadlocking) and DDL rolls back with the rest.

The schema revision is checked with a plain query against ``HEAD_REVISION``;
Alembic is imported only when a migration actually has to run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DatabaseError, InvalidValue
from ..i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

# Every revision in migrations/versions, oldest first; the last is the head.
# tests/test_migrations.py proves this equals Alembic's own view.
KNOWN_REVISIONS = ("0001", "0002", "0003")
HEAD_REVISION = KNOWN_REVISIONS[-1]

BUSY_TIMEOUT_SECONDS = 10.0
# the longest a write waits for SQLite's lock while other writes keep committing
LOCK_QUEUE_LIMIT_SECONDS = 60.0
CONNECT_TIMEOUT_SECONDS = 5
# pg_advisory_xact_lock key held while migrating (any fixed number of ours)
MIGRATION_LOCK = 0x6C69_6169


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("liaison", appauthor=False)) / "liaison.db"


def resolve_url(value: str | None) -> str:
    """The SQLAlchemy URL for ``--db`` / ``LIAISON_DB`` / the default file."""
    raw = value or os.environ.get("LIAISON_DB") or str(default_path())
    if "://" in raw:
        if raw.startswith("postgresql://") or raw.startswith("postgres://"):
            raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for a server URL."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    return None


def safe_url(url: str) -> str:
    """The URL as it may be shown: the password masked."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1] if "@" in url else url


def migrations_dir() -> Path:
    """The packaged migrations (wheel), else the checkout's ``migrations/``."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "migrations"
    if (packaged / "env.py").exists():
        return packaged
    return package.parent / "migrations"


def _create_private_file(path: Path) -> None:
    """Create an empty SQLite file readable by its owner only (0600)."""
    if path.is_dir():
        raise DatabaseError(_("{path} is a directory, not a database file").format(path=path))
    if path.exists():
        return
    # mkdir(exist_ok=True) raises FileExistsError for a file in the way
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise DatabaseError(
                    _("cannot create database {path}: {parent} is not a directory").format(
                        path=path, parent=parent
                    )
                )
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise DatabaseError(
            _("cannot create database {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from exc


def _install_sqlite_hooks(engine: Engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Let us issue BEGIN ourselves so DDL is transactional and writes can
        # take the lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        # WAL is switched on by Database._ensure_wal once the file is known to
        # be ours: it rewrites the header of whatever file it is given
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("liaison_write", False):
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(conn: Connection) -> None:
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

    def data_version() -> int | None:
        try:
            return raw.execute("PRAGMA data_version").fetchone()[0]
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
            if (
                now - last_progress >= BUSY_TIMEOUT_SECONDS
                or now - start >= LOCK_QUEUE_LIMIT_SECONDS
            ):
                break
            time.sleep(random.uniform(0.001, 0.005))
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # raises "database is locked"
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")


def _one_line(exc: BaseException) -> str:
    """The first line of an error, with its kind when it says nothing else."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _connect_failure(url: str, exc: BaseException) -> DatabaseError:
    """One line for a server we cannot log in to: where (password masked) and why.

    libpq's text starts with "connection failed: connection to server at …
    failed:" and may add a hint on further lines; the URL we print already
    says where, so only the reason is kept ("Connection refused", "password
    authentication failed for user …", "database … does not exist",
    "connection timeout expired", "failed to resolve host …").
    """
    import re

    text = str(exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    reason = re.sub(r"^connection failed:\s*", "", reason)
    reason = re.sub(r"^connection to server (at|on) .*? failed:\s*", "", reason)
    reason = re.sub(r"^(FATAL|ERROR):\s*", "", reason).strip()
    try:
        from sqlalchemy.engine import make_url

        password = make_url(url).password
    except Exception:
        password = None
    if password:
        reason = reason.replace(str(password), "***")
    return DatabaseError(
        _("cannot connect to the database server {url}: {reason}").format(
            url=safe_url(url), reason=reason
        )
    )


def _create_server_engine(url: str) -> Engine:
    """A PostgreSQL (or other server) engine that fails fast and says why.

    * ``connect_timeout`` (seconds) unless the URL sets its own, so an
      unreachable server is an error within seconds, not a hang;
    * READ COMMITTED pinned, whatever the server's default: the case counter
      and the row locks of the lifecycle steps are written for it;
    * a failed connection becomes a ``DatabaseError`` (exit 3) with the URL
      shown password-masked, never a traceback.
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
            cur.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            cur.close()
            dbapi_conn.commit()

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx) -> None:  # type: ignore[no-untyped-def]
        if ctx.connection is None and not ctx.is_pre_ping:
            raise _connect_failure(url, ctx.original_exception) from None

    return engine


class Database:
    """One database for one CLI invocation: engine, sessions and schema checks."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self._engine: Engine | None = None
        self._checked = False

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from sqlalchemy import create_engine

            if self.path is not None:
                _create_private_file(self.path)
                engine = create_engine(
                    self.url,
                    connect_args={"timeout": BUSY_TIMEOUT_SECONDS},
                )
                _install_sqlite_hooks(engine)
            else:
                engine = _create_server_engine(self.url)
            self._engine = engine
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- schema -----------------------------------------------------------------

    def current_revision(self) -> str | None:
        """The revision stamped in the database, or None for an empty one."""
        from sqlalchemy import text

        # a catalog query rather than sqlalchemy.inspect: the reflection
        # machinery is start-up time every command would pay
        if self.is_sqlite:
            probe = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        else:
            probe = (
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name = 'alembic_version'"
            )
        with self.engine.connect() as conn:
            if conn.execute(text(probe)).first() is None:
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None

    def ensure_schema(self) -> None:
        """Refuse a schema newer than the code; migrate an empty or older one."""
        if self._checked:
            return
        rev = self.current_revision()
        if rev == HEAD_REVISION:
            self._ensure_wal()
            self._checked = True
            return
        self._refuse_unusable(rev)
        self._ensure_wal()
        self.upgrade()
        self._checked = True

    def _ensure_wal(self) -> None:
        """Put our SQLite file in WAL mode (a setting kept in the file itself)."""
        if not self.is_sqlite:
            return
        raw = self.engine.raw_connection()
        try:
            cur = raw.driver_connection.cursor()  # type: ignore[union-attr]
            mode = cur.execute("PRAGMA journal_mode").fetchone()
            if mode and str(mode[0]).lower() != "wal":
                try:
                    cur.execute("PRAGMA journal_mode = WAL")
                except Exception:  # read-only file: keep its journal mode
                    pass
            cur.close()
        finally:
            raw.close()

    def _refuse_unusable(self, rev: str | None) -> None:
        """Refuse, before anything is written, a schema too new or a foreign database."""
        if rev is not None and rev not in KNOWN_REVISIONS:
            raise DatabaseError(
                _(
                    "database schema {rev} is newer than this liaison knows; "
                    "upgrade liaison before using this database"
                ).format(rev=rev)
            )
        if rev is None and self._has_tables():
            where = str(self.path) if self.path else safe_url(self.url)
            raise DatabaseError(
                _(
                    "{where} is not a liaison database: it holds other tables "
                    "and no liaison schema; nothing was changed"
                ).format(where=where)
            )

    def _has_tables(self) -> bool:
        """Any table besides Alembic's own: the database of another program."""
        from sqlalchemy import text

        if self.is_sqlite:
            probe = (
                "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != 'alembic_version'"
            )
        else:
            probe = (
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name != 'alembic_version'"
            )
        with self.engine.connect() as conn:
            return conn.execute(text(probe)).first() is not None

    def backup_before_upgrade(self) -> Path | None:
        """Copy a populated SQLite file beside itself before migrating it."""
        if self.path is None:
            return None
        rev = self.current_revision()
        # a database we would refuse to migrate needs no backup
        self._refuse_unusable(rev)
        if rev is None:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.{stamp}.bak")
        self.backup_to(target)
        return target

    def upgrade(self) -> None:
        """Run the Alembic migrations up to head on our own connection."""
        from alembic import command
        from alembic.config import Config
        from sqlalchemy import text

        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
        # the write lock first (BEGIN IMMEDIATE; an advisory lock on
        # PostgreSQL): clerks starting on a new database at once migrate it
        # one after the other, and the later ones find it at head
        with self.engine.execution_options(liaison_write=True).connect() as conn:
            if self.is_sqlite:
                # rebuilding a referenced table must not trip foreign keys;
                # they are checked as a whole afterwards
                # (outside any transaction, where SQLite ignores it)
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            try:
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.execute(
                            text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK}
                        )
                    cfg.attributes["connection"] = conn
                    try:
                        command.upgrade(cfg, "head")
                    except DatabaseError:
                        raise
                    except Exception as exc:
                        # the transaction (DDL included) is rolled back as the
                        # exception leaves ``conn.begin()``
                        raise DatabaseError(
                            _(
                                "the schema upgrade failed and was rolled back; the "
                                "database is unchanged: {reason}"
                            ).format(reason=_one_line(exc))
                        ) from exc
                    if self.is_sqlite:
                        bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                        if bad:
                            raise DatabaseError(
                                _("migration left {n} broken references; rolled back").format(
                                    n=len(bad)
                                )
                            )
            finally:
                if self.is_sqlite:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")

    def backup_to(self, target: Path) -> None:
        """Copy the SQLite file with the online backup API (safe while others write)."""
        import sqlite3

        assert self.path is not None
        if target.exists():
            # the user's choice of file, not a fault of the database: exit 1
            raise InvalidValue(
                _("{path} already exists; choose a new file name").format(path=target)
            )
        _create_private_file(target)
        src = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_SECONDS)
        try:
            dst = sqlite3.connect(str(target))
            try:
                src.backup(dst)
            finally:
                dst.close()
        except Exception:
            target.unlink(missing_ok=True)
            raise
        finally:
            src.close()

    # -- sessions ---------------------------------------------------------------

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        from sqlalchemy.orm import Session

        self.ensure_schema()
        bind = self.engine.execution_options(liaison_write=True) if write else self.engine
        with Session(bind=bind, expire_on_commit=False) as session:
            # services lock the rows they change (SELECT … FOR UPDATE) in a write session
            session.info["write"] = write
            with session.begin():
                yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read-only Core connection in one transaction (one snapshot).

        The read-heavy commands (overdue, stats, listings) use this and the
        tables of ``schema.py``, so they never import or configure the ORM.
        """
        self.ensure_schema()
        with self.engine.connect() as conn, conn.begin():
            yield conn
