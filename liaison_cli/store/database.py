"""One database for one command: its engine, and the schema it must be at.

Every command but ``init`` and ``db upgrade`` works on a database at the head
revision. A new, empty database is created at head on first use; an older
one is refused with ``run liaison db upgrade`` (which backs a SQLite file up
before migrating it), a newer one or another program's database is refused
before anything is written. Driver errors raised here leave as the project's
errors (:mod:`.errors`), like those of a unit of work.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DatabaseError
from ..i18n import _
from . import engine as engines
from . import errors, migrate
from .engine import BUSY_TIMEOUT_SECONDS
from .files import copy_sqlite_file
from .migrate import HEAD_REVISION, KNOWN_REVISIONS, migrations_dir
from .urls import default_path, resolve_url, safe_url, sqlite_path, where

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "HEAD_REVISION",
    "KNOWN_REVISIONS",
    "Database",
    "default_path",
    "migrations_dir",
    "resolve_url",
    "safe_url",
    "sqlite_path",
]


class Database:
    """The database of one CLI invocation: engine, schema checks, backups."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)
        # read when the database is opened, so a caller may shorten it first
        self.busy_timeout = BUSY_TIMEOUT_SECONDS
        self._engine: Engine | None = None
        self._checked = False

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def where(self) -> str:
        """The file's path, or the URL with its password masked."""
        return where(self.url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.path is not None:
                self._engine = engines.create_sqlite_engine(self.url, self.path, self.busy_timeout)
            else:
                self._engine = engines.create_server_engine(self.url, self.busy_timeout)
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- schema -----------------------------------------------------------------

    def current_revision(self) -> str | None:
        """The revision stamped in the database, or None for an empty one."""
        with errors.translated(), self.engine.connect() as conn:
            return migrate.stamped_revision(conn)

    def ensure_schema(self, *, older_ok: bool = False) -> None:
        """Create an empty database at head; refuse a newer, foreign or older one.

        ``older_ok`` lets the commands that only look at a database (``db
        check``, ``db backup``) take an older schema as it is.
        """
        if self._checked:
            return
        rev = self.current_revision()
        if rev != migrate.HEAD_REVISION:
            self._refuse_unusable(rev)
            if rev is not None and not older_ok:
                raise DatabaseError(
                    _(
                        "database schema {rev} is older than this liaison's {head}; "
                        "run liaison db upgrade"
                    ).format(rev=rev, head=migrate.HEAD_REVISION)
                )
        self._ensure_wal()
        if rev is None:
            self._migrate()
        self._checked = True

    def upgrade(self) -> None:
        """Migrate an empty or older database to head (``init``, ``db upgrade``)."""
        rev = self.current_revision()
        self._refuse_unusable(rev)
        self._ensure_wal()
        if rev != migrate.HEAD_REVISION:
            self._migrate()
        else:
            differences = self.schema_differences()
            if differences:
                raise DatabaseError(
                    _(
                        "{where} is stamped at schema {rev} but does not hold it: {what}; "
                        "restore it from a backup"
                    ).format(where=self.where, rev=rev, what="; ".join(differences))
                )
        self._checked = True

    def schema_differences(self) -> list[str]:
        """What the database lacks of the head schema (empty: it holds all of it)."""
        with errors.translated(), self.engine.connect() as conn:
            return migrate.schema_differences(conn)

    def _migrate(self) -> None:
        with errors.translated():
            migrate.upgrade_to_head(self.engine)

    def _ensure_wal(self) -> None:
        """Put our SQLite file in WAL mode (a setting kept in the file itself)."""
        if not self.is_sqlite:
            return
        with errors.translated():
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
        if rev is not None and rev not in migrate.KNOWN_REVISIONS:
            if not (rev.isdigit() and len(rev) == len(HEAD_REVISION) and rev > HEAD_REVISION):
                raise DatabaseError(
                    _(
                        "database schema has unknown revision {rev} (this liaison knows "
                        "{first} to {head}); nothing was changed"
                    ).format(rev=rev, first=KNOWN_REVISIONS[0], head=HEAD_REVISION)
                )
            raise DatabaseError(
                _(
                    "database schema {rev} is newer than this liaison knows; "
                    "upgrade liaison before using this database"
                ).format(rev=rev)
            )
        if rev is None and self._holds_other_tables():
            raise DatabaseError(
                _(
                    "{where} is not a liaison database: it holds other tables "
                    "and no liaison schema; nothing was changed"
                ).format(where=self.where)
            )

    def _holds_other_tables(self) -> bool:
        with errors.translated(), self.engine.connect() as conn:
            return migrate.holds_other_tables(conn)

    # -- backups ----------------------------------------------------------------

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

    def backup_to(self, target: Path) -> None:
        """Copy the SQLite file with the online backup API (safe while others write)."""
        assert self.path is not None
        with errors.translated():
            copy_sqlite_file(self.path, target, self.busy_timeout)
