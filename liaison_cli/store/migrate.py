"""The schema revision of a database, and migrating it to the head revision.

The revision is read with a plain catalog query against ``HEAD_REVISION``,
so ordinary commands never import Alembic; it is imported only when a
migration actually has to run (``init``, ``db upgrade``, a new database).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DatabaseError
from ..i18n import _
from . import errors

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

# Every revision in migrations/versions, oldest first; the last is the head.
# tests/test_migrations.py proves this equals Alembic's own view.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")
HEAD_REVISION = KNOWN_REVISIONS[-1]

# pg_advisory_xact_lock key held while migrating (any fixed number of ours)
MIGRATION_LOCK = 0x6C69_6169


def migrations_dir() -> Path:
    """The packaged migrations (wheel), else the checkout's ``migrations/``."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "migrations"
    if (packaged / "env.py").exists():
        return packaged
    return package.parent / "migrations"


def stamped_revision(conn: Connection) -> str | None:
    """The revision stamped in the database, or None for an empty one."""
    from sqlalchemy import text

    # a catalog query rather than sqlalchemy.inspect: the reflection
    # machinery is start-up time every command would pay
    if conn.dialect.name == "sqlite":
        probe = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    else:
        probe = (
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = 'alembic_version'"
        )
    if conn.execute(text(probe)).first() is None:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def holds_other_tables(conn: Connection) -> bool:
    """Any table besides Alembic's own: the database of another program."""
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        probe = (
            "SELECT 1 FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != 'alembic_version'"
        )
    else:
        probe = (
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name != 'alembic_version'"
        )
    return conn.execute(text(probe)).first() is not None


def upgrade_to_head(engine: Engine) -> None:
    """Run the Alembic migrations up to head in one transaction on our own connection.

    The write lock is taken first (``BEGIN IMMEDIATE``; an advisory lock on
    PostgreSQL): clerks starting on a new database at once migrate it one
    after the other, and the later ones find it at head. A migration that
    fails rolls back whole, DDL included.
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    sqlite = engine.dialect.name == "sqlite"
    with engine.execution_options(liaison_write=True).connect() as conn:
        driver = conn.connection.driver_connection
        if sqlite:
            # rebuilding a referenced table must not trip foreign keys; they
            # are checked as a whole afterwards (outside any transaction,
            # where SQLite ignores it)
            driver.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                cfg.attributes["connection"] = conn
                try:
                    command.upgrade(cfg, "head")
                except DatabaseError:
                    raise
                except Exception as exc:
                    # the transaction (DDL included) is rolled back as the
                    # exception leaves ``conn.begin()``
                    raise errors.migration_failure(exc) from exc
                if sqlite:
                    bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                    if bad:
                        raise DatabaseError(
                            _("migration left {n} broken references; rolled back").format(
                                n=len(bad)
                            )
                        )
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def schema_differences(conn: Connection) -> list[str]:
    """What the database lacks of the head schema: tables, columns, indexes, triggers."""
    return structure_differences(conn) + trigger_differences(conn)


def structure_differences(conn: Connection) -> list[str]:
    """What the database lacks of the head's tables, columns and indexes.

    Read with ``sqlalchemy.inspect`` (only ``init``, ``db upgrade`` and ``db
    check`` pay for the reflection), so a table dropped or an index lost under
    a correct revision stamp is found. Extra tables or columns are not ours to
    judge and are left alone.
    """
    from sqlalchemy import inspect

    from .schema import metadata

    found: list[str] = []
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in present:
            found.append(_("table {table} is missing").format(table=table.name))
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        for col in table.columns:
            if col.name not in columns:
                found.append(
                    _("table {table} lacks column {column}").format(
                        table=table.name, column=col.name
                    )
                )
        indexes = {str(i["name"]) for i in inspector.get_indexes(table.name)}
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if str(index.name) not in indexes:
                found.append(
                    _("table {table} lacks index {index}").format(
                        table=table.name, index=index.name
                    )
                )
    return found


def trigger_differences(conn: Connection) -> list[str]:
    """The append-only triggers of the audit trail that are missing or disabled."""
    from . import chain

    missing = chain.missing_triggers(conn)
    return [
        _("trigger {trigger} (the audit trail is append-only) is missing or disabled").format(
            trigger=name
        )
        for name in missing
    ]
