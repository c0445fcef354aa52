"""The Alembic migrations and the schema stay in step (on the engine under test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from liaison_cli.store import database as dbmod
from liaison_cli.store.database import Database, migrations_dir, resolve_url
from liaison_cli.store.schema import metadata


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    return cfg


@pytest.fixture
def migrated(db_url: str) -> Iterator[Engine]:
    """An engine (made the way the CLI makes it) on a database at head."""
    database = Database(resolve_url(db_url))
    database.ensure_schema()
    try:
        yield database.engine
    finally:
        database.dispose()


def schema_diff(engine: Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, metadata)


def run_alembic(engine: Engine, fn, *args: str) -> None:  # type: ignore[no-untyped-def]
    cfg = alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        fn(cfg, *args)


def tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_migrated_schema_equals_the_schema_module(migrated: Engine) -> None:
    assert schema_diff(migrated) == []
    assert tables(migrated) == set(metadata.tables) | {"alembic_version"}


def test_alembic_check_finds_nothing_to_generate(migrated: Engine) -> None:
    run_alembic(migrated, command.check)


def test_exactly_one_head_and_the_code_knows_every_revision() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    oldest_first = [rev.revision for rev in script.walk_revisions()][::-1]
    assert list(dbmod.KNOWN_REVISIONS) == oldest_first
    assert dbmod.HEAD_REVISION == script.get_current_head()
    # the first revision has no parent, every other one follows the previous
    assert script.get_revision(oldest_first[0]).down_revision is None
    for older, newer in zip(oldest_first, oldest_first[1:], strict=False):
        assert script.get_revision(newer).down_revision == older


def test_the_database_is_stamped_at_head(migrated: Engine) -> None:
    with migrated.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (dbmod.HEAD_REVISION,)
        ]


def test_downgrade_to_base_and_up_again(migrated: Engine) -> None:
    run_alembic(migrated, command.downgrade, "base")
    assert tables(migrated) <= {"alembic_version"}
    with migrated.connect() as conn:
        if "alembic_version" in tables(migrated):
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 0
    run_alembic(migrated, command.upgrade, "head")
    assert schema_diff(migrated) == []
    with migrated.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            dbmod.HEAD_REVISION
        )


def test_downgraded_database_is_migrated_again_by_the_cli(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    database = Database(resolve_url(db_url))
    try:
        database.ensure_schema()
        run_alembic(database.engine, command.downgrade, "base")
    finally:
        database.dispose()
    # an emptied database (Alembic keeps its empty version table) is set up again
    assert cli("dept", "add", "第一检察部").stdout == "added department 1: 第一检察部\n"
    assert cli("db", "current").stdout.startswith(f"{dbmod.HEAD_REVISION} (head) ")


def test_migrations_ship_with_the_package() -> None:
    folder = migrations_dir()
    assert (folder / "env.py").is_file()
    assert (folder / "script.py.mako").is_file()
    assert sorted(p.name for p in (folder / "versions").glob("*.py"))[0].startswith("0001")
