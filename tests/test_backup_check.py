"""``liaison db backup`` while clerks write, and ``liaison db check`` on broken ledgers.

The backup test starts four writer processes that keep registering and
closing cases, takes backups in the middle of it, and proves each backup is a
consistent ledger of its moment: it opens, SQLite's integrity_check says ok,
every case has its events, and ``liaison db check`` on it exits 0.

The check tests break a clean ledger with raw SQL, one invariant at a time,
and require ``db check`` to name exactly that violation (exit 1) and to be
clean again (exit 0) once it is repaired.

Run as a script, this file is a writer: ``python tests/test_backup_check.py DB
WORKER STOPFILE``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

WRITERS = 4
MAX_CASES_PER_WRITER = 60


def _writer(db: str, worker: int, stop: str) -> None:
    """Register, assign, reply and close cases until the stop file appears."""
    from conftest import cache_command_tree
    from typer.testing import CliRunner

    from liaison_cli.cli.app import app

    cache_command_tree()
    runner = CliRunner()
    errors: list[dict[str, Any]] = []
    done = 0

    def run(*args: str) -> Any:
        result = runner.invoke(app, ["--db", db, "--as", f"writer{worker}", *args])
        if result.exit_code != 0:
            errors.append({"args": list(args), "exit": result.exit_code, "err": result.stderr})
            return None
        return result

    print("ready", flush=True)
    for i in range(MAX_CASES_PER_WRITER):
        if os.path.exists(stop):
            break
        out = run(
            "--format", "json", "add-suggestion", "--deputy", "张伟",
            "--title", f"w{worker}-{i}", "--received", "2026-03-02",
        )  # fmt: skip
        if out is None:
            continue
        number = json.loads(out.stdout)[0]["number"]
        for step in (
            ("assign", number, "--dept", "第一检察部", "--date", "2026-03-03"),
            ("reply", number, "--method", "written", "--result", "A", "--date", "2026-04-01"),
            ("close", number, "--satisfaction", "satisfied", "--date", "2026-04-02"),
        ):
            if run(*step) is None:
                break
        done += 1
    print(json.dumps({"cases": done, "errors": errors}), flush=True)


if __name__ == "__main__":
    _writer(sys.argv[1], int(sys.argv[2]), sys.argv[3])
    sys.exit(0)


# -- the tests --------------------------------------------------------------------

import pytest  # noqa: E402
from conftest import ENGINE, PG_BASE  # noqa: E402
from dbtools import engine_for  # noqa: E402
from sqlalchemy import text  # noqa: E402

sqlite_only = pytest.mark.skipif(
    ENGINE != "sqlite", reason="about SQLite files: PostgreSQL is backed up with pg_dump"
)


def _check(cli: Any, db: str | None = None) -> tuple[int, list[dict[str, str]]]:
    """``liaison db check --format json`` on ``db`` (default: the test's database)."""
    args = ("--db", db) if db else ()
    run = cli(*args, "db", "check", fmt="json", ok=False)
    assert "Traceback" not in run.stderr
    return run.exit_code, json.loads(run.stdout)


def _backup_facts(path: Path) -> dict[str, Any]:
    """Open a backup with plain sqlite3 and read what makes it consistent."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
            "cases": conn.execute("SELECT count(*) FROM cases").fetchone()[0],
            "without_events": conn.execute(
                "SELECT count(*) FROM cases c WHERE NOT EXISTS "
                "(SELECT 1 FROM events e WHERE e.case_id = c.id AND e.action = 'case.add')"
            ).fetchone()[0],
            # a closed case has its four events, a replied one three, ...
            "short_histories": conn.execute(
                "SELECT count(*) FROM cases c WHERE (SELECT count(*) FROM events e "
                "WHERE e.case_id = c.id) != CASE c.status WHEN 'registered' THEN 1 "
                "WHEN 'assigned' THEN 2 WHEN 'replied' THEN 3 ELSE 4 END"
            ).fetchone()[0],
        }
    finally:
        conn.close()


@sqlite_only
def test_backups_taken_while_four_clerks_write_are_consistent(cli, tmp_path: Path) -> None:
    db = Path(cli.db_url)
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "provincial")
    stop = tmp_path / "stop"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")]
    )
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, str(db), str(k), str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for k in range(WRITERS)
    ]
    backups: list[Path] = []
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"

        def cases_now() -> int:
            conn = sqlite3.connect(str(db), timeout=10)
            try:
                return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
            finally:
                conn.close()

        # three backups while all four keep writing, a few cases apart
        for k, wanted in enumerate((4, 12, 24)):
            deadline = time.monotonic() + 60
            while cases_now() < wanted and time.monotonic() < deadline:
                time.sleep(0.05)
            target = tmp_path / f"backup-{k}.db"
            out = cli("db", "backup", str(target))
            assert out.stdout == f"backup written to {target}\n"
            backups.append(target)
        # let the writers go on past the last backup before they stop, so the
        # final count is sure to exceed it however slow the machine is
        deadline = time.monotonic() + 60
        while cases_now() <= wanted + WRITERS and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.touch()
        reports = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err[-2000:]
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        stop.touch()
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    assert [r["errors"] for r in reports] == [[]] * WRITERS
    final = sum(r["cases"] for r in reports)
    counts = []
    for target in backups:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        facts = _backup_facts(target)
        assert facts["integrity"] == [("ok",)], target
        assert facts["without_events"] == 0 and facts["short_histories"] == 0, facts
        # the backup is a ledger liaison accepts as it is
        assert _check(cli, str(target)) == (0, []), target
        counts.append(facts["cases"])
    # each backup is of its own moment, taken while the writers were still at it
    assert counts == sorted(counts) and counts[0] < counts[-1] < final, (counts, final)
    print(f"backups of {counts} cases while {WRITERS} writers wrote {final}")


@sqlite_only
def test_backup_refuses_an_existing_file_and_creates_missing_folders(cli, tmp_path: Path) -> None:
    cli("dept", "add", "第一检察部")
    existing = tmp_path / "taken.db"
    existing.write_bytes(b"keep me")
    out = cli("db", "backup", str(existing), ok=False)
    assert (out.exit_code, out.stdout) == (1, "")
    assert out.stderr == f"error: {existing} already exists; choose a new file name\n"
    assert existing.read_bytes() == b"keep me"

    nested = tmp_path / "usb" / "2026" / "liaison.db"
    old = os.umask(0)  # even a permissive umask gives a private copy
    try:
        cli("db", "backup", str(nested))
    finally:
        os.umask(old)
    assert stat.S_IMODE(nested.stat().st_mode) == 0o600
    assert _backup_facts(nested)["integrity"] == [("ok",)]


@pytest.mark.skipif(not PG_BASE, reason="the advice for a PostgreSQL server (PostgreSQL pass)")
def test_a_server_database_is_backed_up_with_pg_dump(cli, tmp_path: Path) -> None:
    from sqlalchemy.engine import make_url

    target = tmp_path / "my backup.dump"
    out = cli("db", "backup", str(target), ok=False)
    assert (out.exit_code, out.stdout) == (1, "")
    u = make_url(cli.db_url)
    where = f"postgresql://{u.username}{':***' if u.password else ''}@{u.host}:{u.port}/"
    assert out.stderr.count("\n") == 1
    line = out.stderr.rstrip("\n")
    # the exact command to run, its file quoted for the shell, and how to restore
    assert line.startswith(
        "error: a PostgreSQL database is backed up with pg_dump, not by liaison: "
        f"pg_dump --format=custom --file '{target}' {where}{u.database}"
    ), line
    assert f"pg_restore --dbname URL '{target}'" in line
    assert not target.exists()


# -- db check ---------------------------------------------------------------------


def _ledger(cli: Any) -> dict[str, int]:
    """Cases in every state: 0001 registered, 0002 assigned, 0003 replied, 0004 closed,
    0005 reopened (round 2). Returns their ids by number suffix."""
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "李娜", "--level", "county")
    for i in range(1, 6):
        cli("add-suggestion", "--deputy", "李娜", "--title", f"件{i}", "--received", "2026-03-01")
    for n in ("0002", "0003", "0004", "0005"):
        cli("assign", f"2026-{n}", "--dept", "第一检察部", "--date", "2026-03-05")
    for n in ("0003", "0004", "0005"):
        cli("reply", f"2026-{n}", "--method", "written", "--date", "2026-04-01")
    cli("close", "2026-0004", "--satisfaction", "satisfied", "--date", "2026-04-02")
    cli("close", "2026-0005", "--satisfaction", "dissatisfied", "--date", "2026-04-02")
    cli("reopen", "2026-0005", "--reason", "不满意", "--date", "2026-04-03")
    rows = json.loads(cli("cases", fmt="json").stdout)
    return {r["number"][5:]: r["id"] for r in rows}


def _sql(db: str, *statements: str, **params: Any) -> None:
    engine = engine_for(db)
    try:
        with engine.begin() as conn:
            for s in statements:
                conn.execute(text(s), params)
    finally:
        engine.dispose()


# (name, the checks it must trip, SQL that breaks it, SQL that repairs it); the
# SQL is the same on SQLite and PostgreSQL
BREAKS: list[tuple[str, set[str], str, str]] = [
    (
        "status column disagrees with rounds and events",
        {"status", "status_events"},
        "UPDATE cases SET status = 'closed' WHERE id = :c0002",
        "UPDATE cases SET status = 'assigned' WHERE id = :c0002",
    ),
    (
        "latest event says closed, the case is assigned",
        {"status_events"},
        "INSERT INTO events (id, recorded_at, happened_on, actor, action, entity, entity_id,"
        " case_id, round) VALUES (9999, :now, :day, 'x', 'case.close', 'case', :c0002,"
        " :c0002, 1)",
        "DELETE FROM events WHERE id = 9999",
    ),
    (
        "a case without its registration event",
        {"missing_events"},
        "UPDATE events SET action = 'case.added' WHERE case_id = :c0001",
        "UPDATE events SET action = 'case.add' WHERE case_id = :c0001",
    ),
    (
        "reply before assignment",
        {"reply_before_assignment"},
        "UPDATE case_rounds SET replied_on = :early WHERE case_id = :c0003",
        "UPDATE case_rounds SET replied_on = :replied WHERE case_id = :c0003",
    ),
    (
        "due before received",
        {"due_before_received"},
        "UPDATE case_rounds SET due = :early WHERE case_id = :c0002",
        "UPDATE case_rounds SET due = due_original WHERE case_id = :c0002",
    ),
    (
        "closed without a reply",
        {"close_without_reply"},
        "UPDATE case_rounds SET replied_on = NULL WHERE case_id = :c0004",
        "UPDATE case_rounds SET replied_on = :replied WHERE case_id = :c0004",
    ),
    (
        "current round missing",
        {"missing_round", "status_events"},
        "UPDATE cases SET round = 3 WHERE id = :c0005",
        "UPDATE cases SET round = 2 WHERE id = :c0005",
    ),
]


if ENGINE == "sqlite":
    from liaison_cli.store.chain import SQLITE_TRIGGERS

    _TRIGGERS_OFF = [f"DROP TRIGGER {name}" for name, _ in SQLITE_TRIGGERS]
    _TRIGGERS_ON = [sql for _, sql in SQLITE_TRIGGERS]
else:
    _TRIGGERS_OFF = ["ALTER TABLE events DISABLE TRIGGER USER"]
    _TRIGGERS_ON = ["ALTER TABLE events ENABLE TRIGGER USER"]


def test_db_check_names_each_broken_invariant_and_is_clean_after_repair(cli) -> None:
    ids = _ledger(cli)
    params: dict[str, Any] = {f"c{k}": v for k, v in ids.items()}
    params.update(early=date(2026, 2, 1), replied=date(2026, 4, 1), day=date(2026, 5, 1), now=None)
    from datetime import datetime

    params["now"] = datetime(2026, 5, 1, 9, 0)
    assert _check(cli) == (0, [])
    assert cli("db", "check").stdout == "database is consistent\n"

    for name, expected, brk, repair in BREAKS:
        # an event written or changed around liaison: the triggers that refuse
        # it got round first, and the hash chain shows it too
        on_events = "events" in brk
        if on_events:
            _sql(cli.db_url, *_TRIGGERS_OFF)
            expected = expected | {"audit_chain", "schema"}
        _sql(cli.db_url, brk, **params)
        code, rows = _check(cli)
        assert code == 1, name
        assert {r["check"] for r in rows} == expected, (name, rows)
        assert all(
            set(r) == {"check", "detail"} and "2026-000" in r["detail"]
            for r in rows
            if r["check"] != "schema"
        )
        _sql(cli.db_url, repair, **params)
        if on_events:
            _sql(cli.db_url, *_TRIGGERS_ON)
        assert _check(cli) == (0, []), name

    # a person reads the same as a table, and the exit code says it
    _sql(cli.db_url, BREAKS[0][2], **params)
    out = cli("db", "check", ok=False)
    assert out.exit_code == 1
    assert "case 2026-0002: status closed but its current round says assigned" in out.stdout
    assert (
        "case 2026-0002: status closed (round 1) but its latest event is case.assign (round 1)"
        in out.stdout
    )
    _sql(cli.db_url, BREAKS[0][3], **params)


def test_db_check_finds_a_case_number_used_twice(cli, tmp_path: Path) -> None:
    ids = _ledger(cli)
    if ENGINE == "sqlite":
        # a ledger whose number index was lost: the cases table without its
        # UNIQUE constraint (SQLite's documented way to change a table)
        conn = sqlite3.connect(cli.db_url)
        try:
            ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'cases'").fetchone()[0]
            loose = ddl.replace(", \n\tCONSTRAINT uq_cases_number UNIQUE (number)", "")
            assert loose != ddl
            # the table's other indexes, which go with it, are made again after
            indexes = [
                row[0]
                for row in conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index'"
                    " AND tbl_name = 'cases' AND sql IS NOT NULL"
                )
            ]
            conn.executescript(
                "BEGIN;"
                + loose.replace("CREATE TABLE cases", "CREATE TABLE cases_loose", 1)
                + ";INSERT INTO cases_loose SELECT * FROM cases; DROP TABLE cases;"
                "ALTER TABLE cases_loose RENAME TO cases;"
                + "".join(f"{sql};" for sql in indexes)
                + "COMMIT;"
            )
        finally:
            conn.close()
    else:
        _sql(cli.db_url, "ALTER TABLE cases DROP CONSTRAINT uq_cases_number")
    assert _check(cli) == (0, [])
    _sql(cli.db_url, "UPDATE cases SET number = '2026-0001' WHERE id = :i", i=ids["0002"])
    assert _check(cli) == (
        1,
        [{"check": "duplicate_number", "detail": "case number 2026-0001 used 2 times"}],
    )


@pytest.mark.skipif(
    ENGINE != "sqlite",
    reason="SQLite's integrity_check and foreign_key_check: PostgreSQL enforces foreign keys "
    "and checks its pages itself",
)
def test_db_check_runs_sqlites_integrity_and_foreign_key_checks(cli, tmp_path: Path) -> None:
    """Damage only SQLite can have: a dangling reference (written with foreign
    keys off, as any other program may) and an index that disagrees with its
    table. PostgreSQL enforces the one and checksums the other itself."""
    ids = _ledger(cli)
    dangling = tmp_path / "dangling.db"
    shutil.copyfile(cli.db_url, dangling)
    conn = sqlite3.connect(dangling)
    conn.execute("INSERT INTO case_deputies VALUES (?, 424242, 1)", (ids["0001"],))
    conn.commit()
    conn.close()
    assert _check(cli, str(dangling)) == (
        1,
        [{"check": "foreign_key", "detail": "case_deputies rowid 6 -> deputies"}],
    )

    damaged = tmp_path / "damaged.db"
    shutil.copyfile(cli.db_url, damaged)
    conn = sqlite3.connect(damaged)
    # the index now claims to hold another column than the one it was built on
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_cases_status ON cases (kind)' "
        "WHERE name = 'ix_cases_status'"
    )
    conn.commit()
    conn.close()
    code, rows = _check(cli, str(damaged))
    assert code == 1
    assert {r["check"] for r in rows} == {"integrity"}
    assert any("ix_cases_status" in r["detail"] for r in rows), rows
