"""Fixtures: the real CLI against a real, fresh database per test.

The engine is chosen by ``LIAISON_TEST_PG``: unset runs every test on a
temporary SQLite file; a PostgreSQL URL (to a server database we may create
databases on) runs every test on a fresh database cloned from a migrated
template. ``.ci/run`` runs the suite both ways.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# a stable environment before the package is imported: English, wide tables
os.environ["LIAISON_LANG"] = "en"
os.environ["COLUMNS"] = "200"
os.environ.pop("LIAISON_FORMAT", None)
os.environ.pop("LIAISON_DB", None)
os.environ["LIAISON_USER"] = "tester"
# the defaults: an empty config file (a missing one named by LIAISON_CONFIG is an error)
os.environ.setdefault("LIAISON_CONFIG", os.devnull)

import typer.testing  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from liaison_cli.cli.app import app  # noqa: E402


def cache_command_tree() -> None:
    """Build the Click command tree of a Typer app once per process.

    ``CliRunner.invoke`` rebuilds it on every call (about a tenth of a second
    of type-hint inspection); the real ``liaison`` builds it once per
    process, so caching it here tests the same thing, only faster.
    """
    build = typer.testing._get_command
    if getattr(build, "liaison_cached", False):
        return
    cache: dict[int, tuple[object, object]] = {}

    def cached(typer_app):  # type: ignore[no-untyped-def]
        hit = cache.get(id(typer_app))
        if hit is None or hit[0] is not typer_app:
            hit = cache[id(typer_app)] = (typer_app, build(typer_app))
        return hit[1]

    cached.liaison_cached = True  # type: ignore[attr-defined]
    typer.testing._get_command = cached


cache_command_tree()

PG_BASE = os.environ.get("LIAISON_TEST_PG")
ENGINE = "postgresql" if PG_BASE else "sqlite"


def _password(url: str | None) -> str | None:
    if not url:
        return None
    from sqlalchemy.engine import make_url

    return make_url(url).password  # type: ignore[return-value]


# .ci/run gives its server a password: no command of the suite may print it
PG_PASSWORD = _password(PG_BASE)


def assert_no_password(*texts: str | None) -> None:
    if PG_PASSWORD:
        for text in texts:
            assert PG_PASSWORD not in (text or ""), "the database password was printed"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def _pg_admin_url(dbname: str) -> str:
    assert PG_BASE is not None
    base, _, _ = PG_BASE.rpartition("/")
    return f"{base}/{dbname}"


# One migrated template per test process (each xdist worker is one), named
# uniquely so that several developers' runs on one shared server never drop
# each other's template; it is dropped when the process ends.
_RUN_ID = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
_pg_admin = None
_pg_template: str | None = None
_sqlite_template: Path | None = None


def _pg_exec(sql: str) -> None:
    """Run one statement on the server's admin database (autocommit)."""
    global _pg_admin
    import psycopg

    if _pg_admin is None or _pg_admin.closed:
        url = PG_BASE.replace("postgresql+psycopg://", "postgresql://")  # type: ignore[union-attr]
        _pg_admin = psycopg.connect(url, autocommit=True)
    _pg_admin.execute(sql)


def _pg_new_database() -> str:
    """A fresh migrated database, cloned from this process's template."""
    global _pg_template
    if _pg_template is None:
        from liaison_cli.store.database import Database

        name = f"liaison_tpl_{_RUN_ID}"
        _pg_exec(f"CREATE DATABASE {name}")
        db = Database(_pg_admin_url(name))
        try:
            db.ensure_schema()
        finally:
            db.dispose()
        _pg_template = name
    name = f"liaison_t_{uuid.uuid4().hex[:12]}"
    # FILE_COPY (PostgreSQL 15+) copies the small template's files at once;
    # the default WAL_LOG strategy writes every block through the WAL and is
    # several times slower per test
    version = _pg_admin.info.server_version  # type: ignore[union-attr]
    strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
    _pg_exec(f"CREATE DATABASE {name} TEMPLATE {_pg_template}{strategy}")
    return name


def _sqlite_new_database(target: Path) -> None:
    """A copy of a SQLite file migrated once per process (mode 0600 like ``init``)."""
    global _sqlite_template
    if _sqlite_template is None:
        import tempfile

        from liaison_cli.store.database import Database, resolve_url

        path = Path(tempfile.mkdtemp(prefix="liaison-tpl-")) / "template.db"
        db = Database(resolve_url(str(path)))
        try:
            db.ensure_schema()
        finally:
            db.dispose()
        _sqlite_template = path
    shutil.copyfile(_sqlite_template, target)
    target.chmod(0o600)


def pytest_sessionfinish(session, exitstatus) -> None:  # type: ignore[no-untyped-def]
    """Drop this process's template (and close the admin connection)."""
    global _pg_admin
    if _sqlite_template is not None:
        shutil.rmtree(_sqlite_template.parent, ignore_errors=True)
    if _pg_template is not None:
        try:
            _pg_exec(f"DROP DATABASE IF EXISTS {_pg_template} WITH (FORCE)")
        except Exception:
            pass
    if _pg_admin is not None:
        _pg_admin.close()
        _pg_admin = None


def read_tables(db: str, *only: str) -> dict[str, list[dict]]:
    """The rows of the given tables (all but alembic_version if none), by primary key.

    A plain engine, none of liaison's hooks: what is really stored.
    """
    from sqlalchemy import MetaData, create_engine, select

    from liaison_cli.store.database import resolve_url

    engine = create_engine(resolve_url(db))
    try:
        meta = MetaData()
        meta.reflect(engine, only=list(only) or None)
        names = list(only) or sorted(n for n in meta.tables if n != "alembic_version")
        out: dict[str, list[dict]] = {}
        with engine.connect() as conn:
            for name in names:
                t = meta.tables[name]
                order = list(t.primary_key.columns) or list(t.columns)
                out[name] = [dict(r._mapping) for r in conn.execute(select(t).order_by(*order))]
        return out
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """Back to English after a test: a Chinese command sets the language for the process,
    and a later test calling the domain directly would read its messages in Chinese."""
    yield
    from liaison_cli import i18n

    i18n.set_language("en")


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A URL (or path) to a fresh, migrated, empty database for this test."""
    if PG_BASE:
        name = _pg_new_database()
        yield _pg_admin_url(name)
        try:
            _pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception:
            pass
    else:
        path = tmp_path / "liaison.db"
        _sqlite_new_database(path)
        yield str(path)


@pytest.fixture
def cli(db_url: str) -> Callable[..., Run]:
    """Run ``liaison`` in-process: ``cli("deputy", "add", "张伟", "--level", "省")``.

    Global options may come first as usual. ``ok=True`` (the default) asserts
    exit code 0 and shows stderr when it is not.
    """
    runner = CliRunner()

    def run(*args: str, ok: bool = True, fmt: str | None = None, env: dict | None = None) -> Run:
        argv = ["--db", db_url]
        if fmt:
            argv += ["--format", fmt]
        argv += list(args)
        result = runner.invoke(app, argv, env=env or {}, catch_exceptions=True)
        run_ = Run(result.exit_code, result.stdout, result.stderr)
        assert_no_password(run_.stdout, run_.stderr)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"liaison {' '.join(args)} raised") from result.exception
        if ok:
            assert run_.exit_code == 0, (
                f"liaison {' '.join(args)} -> {run_.exit_code}: {run_.stderr}"
            )
        return run_

    run.db_url = db_url  # type: ignore[attr-defined]
    return run


@pytest.fixture
def liaison_proc(db_url: str) -> Callable[..., subprocess.CompletedProcess]:
    """Run ``liaison`` as a real process (for start-up and crash tests)."""

    def run(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "liaison_cli", "--db", db_url, *args],
            capture_output=True,
            text=True,
            env=full_env,
            **kw,
        )
        if isinstance(proc.stdout, str):
            assert_no_password(proc.stdout, proc.stderr)
        return proc

    return run


def pytest_report_header(config) -> str:  # type: ignore[no-untyped-def]
    return f"liaison test engine: {ENGINE}"
