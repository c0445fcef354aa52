"""Storage that fails under a command: one clear line, exit 3, nothing half-written.

How each fault is made, for real, with no mock of the database:

* read-only: on SQLite the file itself cannot be written. ``chmod 0444`` does
  not bind root, so as root the file is made immutable (``chattr +i``, which
  binds root too); as another user it is ``chmod 0444``. On PostgreSQL the
  database is set to ``default_transaction_read_only``.
* full disk (SQLite): the file may not grow, twice over: SQLite's own
  ``PRAGMA max_page_count`` set on every connection of the command (SQLite
  answers "database or disk is full"), and the operating system's file-size
  limit (``RLIMIT_FSIZE``) on a ``liaison`` process, so its writes fail in
  the kernel ("disk I/O error").
* locked: another connection holds the write lock (``BEGIN EXCLUSIVE`` on
  SQLite, ``LOCK TABLE … IN EXCLUSIVE MODE`` on PostgreSQL) for longer than
  the busy timeout, which the test shortens to half a second.
* a PostgreSQL server that goes away: ``pg_terminate_backend`` on the
  connection of a ``liaison import cases`` process in the middle of its
  20,000 rows.
"""

from __future__ import annotations

import csv
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import ENGINE
from dbtools import dump

from liaison_cli.store import database as dbmod
from liaison_cli.store import engine as engines

sqlite_only = pytest.mark.skipif(ENGINE != "sqlite", reason="a fault of a SQLite file")
pg_only = pytest.mark.skipif(
    ENGINE != "postgresql", reason="a server going away (PostgreSQL pass only)"
)


def _ledger(cli: Any) -> None:
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "provincial")
    cli("add-suggestion", "--deputy", "张伟", "--title", "已有的件", "--received", "2026-03-01")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-03-02")


def _assert_one_line(run: Any, code: int, line: str) -> None:
    assert (run.exit_code, run.stdout) == (code, ""), run.stderr
    assert run.stderr == f"error: {line}\n"


def _pg_exec(db_url: str, sql: str) -> None:
    import psycopg

    url = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET default_transaction_read_only = off")  # even in a read-only database
        conn.execute(sql)


# -- read-only --------------------------------------------------------------------


@contextmanager
def _read_only_file(path: Path) -> Iterator[None]:
    """The file cannot be written, by whoever runs the test (see the module doc)."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"running as root and chattr +i is refused here: {done.stderr.strip()}")
        undo = ["chattr", "-i", str(path)]
    else:
        path.chmod(0o444)
        undo = None
    try:
        yield
    finally:
        if undo:
            subprocess.run(undo, check=True)
        path.chmod(0o600)
        for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if side.exists():
                side.chmod(0o600)


@contextmanager
def _read_only_database(db: str) -> Iterator[None]:
    if ENGINE == "sqlite":
        with _read_only_file(Path(db)):
            yield
        return
    name = db.rsplit("/", 1)[1]
    _pg_exec(db, f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    try:
        yield
    finally:
        _pg_exec(db, f"ALTER DATABASE {name} RESET default_transaction_read_only")


def test_a_read_only_database_is_read_but_not_written(cli) -> None:
    _ledger(cli)
    before = dump(cli.db_url)
    with _read_only_database(cli.db_url):
        # reading a ledger one may not change is fine
        assert cli("cases", fmt="csv").stdout.count("\n") == 2
        for args in (
            ("add-suggestion", "--deputy", "张伟", "--title", "新件"),
            ("reply", "2026-0001", "--method", "written", "--date", "2026-03-10"),
            ("dept", "add", "第二检察部"),
        ):
            _assert_one_line(
                cli(*args, ok=False), 3, "the database is read-only; nothing was changed"
            )
    assert dump(cli.db_url) == before


# -- full disk --------------------------------------------------------------------


def _page_count(path: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()


@sqlite_only
def test_a_full_disk_sqlite_limit_stops_a_write_cleanly(cli, monkeypatch) -> None:
    """Every connection of the command may not grow the file by a single page."""
    _ledger(cli)
    before = dump(cli.db_url)
    pages = _page_count(cli.db_url)
    install = engines.install_sqlite_hooks

    def with_a_full_disk(engine: Any, busy_timeout: float) -> None:
        from sqlalchemy import event

        install(engine, busy_timeout)

        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(engines, "install_sqlite_hooks", with_a_full_disk)
    long_text = "长" * 19_000  # within the 20,000-character limit, many pages
    out = cli(
        "add-suggestion", "--deputy", "张伟", "--title", "大件", "--content", long_text, ok=False
    )
    _assert_one_line(out, 3, "the disk is full; nothing was changed")
    out = cli("remind", "2026-0001", "--note", long_text, "--date", "2026-03-05", ok=False)
    _assert_one_line(out, 3, "the disk is full; nothing was changed")
    monkeypatch.undo()
    assert dump(cli.db_url) == before
    # with room again the same write goes through
    cli("remind", "2026-0001", "--note", long_text, "--date", "2026-03-05")


def _file_size_limit(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        # a write past the limit fails with EFBIG instead of killing the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@sqlite_only
def test_a_file_the_system_will_not_let_grow_stops_an_import_cleanly(cli, tmp_path: Path) -> None:
    _ledger(cli)
    before = dump(cli.db_url)
    people = tmp_path / "deputies.csv"
    with people.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "level", "unit"])
        for i in range(3000):
            w.writerow([f"代表{i}", "county", f"某某单位{i}" * 5])
    size = Path(cli.db_url).stat().st_size
    proc = subprocess.run(
        [sys.executable, "-m", "liaison_cli", "--db", cli.db_url, "import", "deputies", people],
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limit(size // 2),
        timeout=120,
    )
    assert (proc.returncode, proc.stdout) == (3, ""), proc.stderr
    assert proc.stderr == (
        "error: cannot write to the database file (disk I/O error: is the disk full?)\n"
    )
    conn = sqlite3.connect(cli.db_url)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert dump(cli.db_url) == before


# -- locked -----------------------------------------------------------------------


@contextmanager
def _held_write_lock(db: str) -> Iterator[None]:
    """Another clerk's transaction holding the write lock until the block ends."""
    if ENGINE == "sqlite":
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    import psycopg

    conn = psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://"))
    try:
        # blocks every writer of these tables, lets readers read
        conn.execute("LOCK TABLE cases, events, departments IN EXCLUSIVE MODE")
        yield
    finally:
        conn.rollback()
        conn.close()


def test_a_database_locked_past_the_busy_timeout_is_exit_3(cli, monkeypatch) -> None:
    _ledger(cli)
    before = dump(cli.db_url)
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_SECONDS", 0.5)
    busy = "the database is busy (locked by another user); try again"
    with _held_write_lock(cli.db_url):
        assert cli("cases", fmt="csv").stdout.count("\n") == 2  # readers go on
        for args in (
            ("add-suggestion", "--deputy", "张伟", "--title", "新件"),
            ("remind", "2026-0001", "--date", "2026-03-05"),
            ("dept", "add", "第二检察部"),
        ):
            started = time.monotonic()
            _assert_one_line(cli(*args, ok=False), 3, busy)
            assert time.monotonic() - started < 10
    assert dump(cli.db_url) == before
    cli("remind", "2026-0001", "--date", "2026-03-05")  # the lock gone, it works


# -- a server that goes away ------------------------------------------------------


@pg_only
def test_a_server_connection_killed_mid_import_is_exit_3_and_writes_nothing(
    cli, tmp_path: Path
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from ledger import write_ledger

    files = write_ledger(tmp_path / "ledger", 20_000)
    cli("import", "deputies", str(files["deputies"]))
    before = dump(cli.db_url)
    name = cli.db_url.rsplit("/", 1)[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "liaison_cli", "--db", cli.db_url, "import", "cases",
         str(files["cases"])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    import psycopg

    admin = psycopg.connect(
        cli.db_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    )
    killed = None
    try:
        deadline = time.monotonic() + 60
        while killed is None and proc.poll() is None and time.monotonic() < deadline:
            # the import's backend once it has written (it holds a transaction id)
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND datname = %s AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
                (name,),
            ).fetchone()
            if row:
                admin.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                killed = row[0]
            else:
                time.sleep(0.02)
        out, err = proc.communicate(timeout=60)
    finally:
        admin.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert killed is not None, "the import ended before it could be cut off"
    assert (proc.returncode, out) == (3, ""), err
    assert err == (
        "error: lost the connection to the database server; what the command had not "
        "committed was rolled back\n"
    )
    assert dump(cli.db_url) == before
    assert cli("db", "check").exit_code == 0  # the server is there for the next command
