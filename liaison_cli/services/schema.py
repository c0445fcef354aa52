"""The schema and the file of a database: create or upgrade it, say its revision, back it up.

``init`` and ``db upgrade`` are the only commands that migrate an existing
database, and they copy a SQLite file beside itself first; every other
command refuses an older schema (see :mod:`..store.database`).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LiaisonError
from ..i18n import _
from ..store import migrate

if TYPE_CHECKING:
    from ..store.database import Database


@dataclass(frozen=True)
class Revision:
    """Where a database is and the revision stamped in it (None: empty)."""

    where: str
    revision: str | None
    head: str


def current_revision(db: Database) -> Revision:
    return Revision(db.where, db.current_revision(), migrate.HEAD_REVISION)


def upgrade(db: Database, on_backup: Callable[[Path], None]) -> Revision:
    """Back up an older SQLite file, then migrate to head; the revision before.

    ``on_backup`` hears of the copy before the migration runs, so a clerk
    whose upgrade fails still learns where the copy is.
    """
    before = db.current_revision()
    if before not in (None, migrate.HEAD_REVISION):
        backup = db.backup_before_upgrade()
        if backup:
            on_backup(backup)
    db.upgrade()
    return Revision(db.where, before, migrate.HEAD_REVISION)


def backup(db: Database, target: Path) -> None:
    """Copy a SQLite file while others keep working; a server is pg_dump's job."""
    if not db.is_sqlite:
        from ..store.urls import has_secrets

        # the command to paste: pg_dump's own URL scheme, the file quoted for
        # the shell, the password never shown (*** stands in for it)
        url = db.where.replace("+psycopg", "")
        if has_secrets(db.url):
            advice = _(
                "a PostgreSQL database is backed up with pg_dump, not by liaison: "
                "pg_dump --format=custom --file {file} {url} (the password in place of "
                "***, or from ~/.pgpass); restore into an empty database with "
                "pg_restore --dbname URL {file}"
            )
        else:
            advice = _(
                "a PostgreSQL database is backed up with pg_dump, not by liaison: "
                "pg_dump --format=custom --file {file} {url}; restore into an empty "
                "database with pg_restore --dbname URL {file}"
            )
        raise LiaisonError(advice.format(file=shlex.quote(str(target)), url=url))
    # an older schema is copied as it is: the copy to keep before upgrading
    db.ensure_schema(older_ok=True)
    db.backup_to(target)
