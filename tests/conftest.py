"""Fixtures: the real CLI against a real, fresh database per test.

The engine is chosen by ``LIAISON_TEST_PG``: unset runs every test on a
temporary SQLite file; a PostgreSQL URL (to a server database we may create
databases on) runs every test on a fresh database cloned from a migrated
template. ``.ci/run`` runs the suite both ways.
"""

from __future__ import annotations

import os
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
os.environ.setdefault("LIAISON_CONFIG", str(Path(__file__).parent / "no-such-config.toml"))

from typer.testing import CliRunner  # noqa: E402

from liaison_cli.cli.app import app  # noqa: E402

PG_BASE = os.environ.get("LIAISON_TEST_PG")
ENGINE = "postgresql" if PG_BASE else "sqlite"


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


_template_ready = False
TEMPLATE = "liaison_template"


def _pg_exec(sql: str) -> None:
    import psycopg

    url = PG_BASE.replace("postgresql+psycopg://", "postgresql://")  # type: ignore[union-attr]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _pg_new_database() -> str:
    """A fresh migrated database, cloned from a template migrated once."""
    global _template_ready
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    template = f"{TEMPLATE}_{worker}"
    if not _template_ready:
        _pg_exec(f"DROP DATABASE IF EXISTS {template}")
        _pg_exec(f"CREATE DATABASE {template}")
        from liaison_cli.db import Database

        db = Database(_pg_admin_url(template))
        db.ensure_schema()
        db.dispose()
        _template_ready = True
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pg_exec(f"CREATE DATABASE {name} TEMPLATE {template}")
    return name


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A URL (or path) to an empty-but-migrated database for this test."""
    if PG_BASE:
        name = _pg_new_database()
        yield _pg_admin_url(name)
        try:
            _pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception:
            pass
    else:
        yield str(tmp_path / "liaison.db")


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
    """Run ``liaison`` as a real process (for language, start-up and crash tests)."""

    def run(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "liaison_cli", "--db", db_url, *args],
            capture_output=True,
            text=True,
            env=full_env,
            **kw,
        )

    return run


def pytest_report_header(config) -> str:  # type: ignore[no-untyped-def]
    return f"liaison test engine: {ENGINE}"
