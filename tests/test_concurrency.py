"""Several clerks at once on one database, on SQLite and on PostgreSQL.

Eight worker processes each take 50 cases through register → assign → reply
→ close, all starting at the same moment. Each worker runs the real CLI
in-process (Typer's runner) in a loop, so every command opens its own engine
and connection exactly as a separate ``liaison`` invocation would, without
paying Python's start-up 1600 times. Afterwards every case is there exactly
once, the numbers of each year run 1..N with no gap and no repeat, every case
has exactly its four events, and no command of any worker failed.

Run as a script, this file is the worker:
``python tests/test_concurrency.py DB WORKER CASES``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

WORKERS = 8
CASES_PER_WORKER = 50
YEARS = (2025, 2026)
DEPUTY = "张伟"


# -- the worker process -----------------------------------------------------------


def _worker(db: str, worker: int, cases: int) -> None:
    from conftest import cache_command_tree
    from typer.testing import CliRunner

    from liaison_cli.cli.app import app

    cache_command_tree()
    runner = CliRunner()
    errors: list[dict[str, Any]] = []
    numbers: dict[str, str] = {}

    def run(*args: str) -> Any:
        result = runner.invoke(app, ["--db", db, "--as", f"clerk{worker}", *args])
        if (
            result.exit_code != 0
            or result.exception
            and not isinstance(result.exception, SystemExit)
        ):
            errors.append(
                {
                    "args": list(args),
                    "exit": result.exit_code,
                    "stderr": result.stderr.strip()[-500:],
                    "exception": repr(result.exception),
                }
            )
            return None
        return result

    # warm up (imports, first connection), then wait for the common start
    run("dept", "list")
    print("ready", flush=True)
    sys.stdin.readline()

    for i in range(cases):
        year = YEARS[i % len(YEARS)]
        title = f"w{worker}-c{i}"
        out = run(
            "--format", "json", "add-suggestion", "--deputy", DEPUTY, "--title", title,
            "--received", f"{year}-03-{1 + i % 28:02d}",
        )  # fmt: skip
        if out is None:
            continue
        number = json.loads(out.stdout)[0]["number"]
        numbers[title] = number
        steps = (
            ("assign", number, "--dept", "第一检察部", "--handler", "王芳",
             "--date", f"{year}-04-01"),
            ("reply", number, "--method", "written", "--result", "A", "--date", f"{year}-05-01"),
            ("close", number, "--satisfaction", "satisfied", "--date", f"{year}-05-02"),
        )  # fmt: skip
        for step in steps:
            if run(*step) is None:
                break
    print(json.dumps({"numbers": numbers, "errors": errors}), flush=True)

    # second round: every worker replies to the same case at once
    shared = sys.stdin.readline().strip()
    result = runner.invoke(
        app,
        ["--db", db, "--as", f"clerk{worker}", "reply", shared, "--method", "phone",
         "--date", "2026-06-01"],
    )  # fmt: skip
    print(json.dumps({"exit": result.exit_code, "stderr": result.stderr.strip()}), flush=True)


def _first_use(db: str, worker: int) -> None:
    """One command on a database nobody has used yet (it migrates it)."""
    from typer.testing import CliRunner

    from liaison_cli.cli.app import app

    print("ready", flush=True)
    sys.stdin.readline()
    result = CliRunner().invoke(
        app, ["--db", db, "deputy", "add", f"代表{worker}", "--level", "县"]
    )
    print(json.dumps({"exit": result.exit_code, "stderr": result.stderr.strip()}), flush=True)


if __name__ == "__main__":
    if sys.argv[3] == "first-use":
        _first_use(sys.argv[1], int(sys.argv[2]))
    else:
        _worker(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    sys.exit(0)


# -- the test ---------------------------------------------------------------------

from helpers import as_json  # noqa: E402


def _start_workers(
    db: str, n: int = WORKERS, mode: str = str(CASES_PER_WORKER)
) -> list[subprocess.Popen[str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")]
    )
    return [
        subprocess.Popen(
            [sys.executable, __file__, db, str(k), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for k in range(n)
    ]


def _line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        assert proc.stderr is not None
        raise AssertionError(f"worker ended early: {proc.stderr.read()[-2000:]}")
    return line.strip()


def _send(procs: list[subprocess.Popen[str]], text: str) -> None:
    for p in procs:
        assert p.stdin is not None
        p.stdin.write(text + "\n")
        p.stdin.flush()


def test_eight_clerks_register_and_close_400_cases_at_once(cli):
    cli("dept", "add", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("deputy", "add", DEPUTY, "--level", "provincial")
    shared = json.loads(
        cli(
            "add-suggestion", "--deputy", DEPUTY, "--title", "共同的件",
            "--received", "2026-01-05", fmt="json",
        ).stdout
    )[0]["number"]  # fmt: skip
    cli("assign", shared, "--dept", "第一检察部", "--date", "2026-01-06")

    procs = _start_workers(cli.db_url)
    try:
        for p in procs:
            assert _line(p) == "ready"
        started = time.monotonic()
        _send(procs, "go")
        reports = [json.loads(_line(p)) for p in procs]
        elapsed = time.monotonic() - started
        _send(procs, shared)
        races = [json.loads(_line(p)) for p in procs]
        for p in procs:
            assert p.wait(timeout=60) == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    print(f"{WORKERS}x{CASES_PER_WORKER} cases x 4 steps in {elapsed:.1f} s")

    # no worker saw an error
    assert [r["errors"] for r in reports] == [[]] * WORKERS

    # every case present exactly once, with the number its worker was told
    told = {title: number for r in reports for title, number in r["numbers"].items()}
    rows = [r for r in as_json(cli("cases", fmt="json")) if r["number"] != shared]
    assert len(rows) == WORKERS * CASES_PER_WORKER
    assert sorted(r["title"] for r in rows) == sorted(told)
    assert {r["title"]: r["number"] for r in rows} == told
    assert {r["status"] for r in rows} == {"closed"}

    # numbers unique and gapless per year (the shared case took 2026-0001)
    for year in YEARS:
        seq = sorted(int(r["number"][5:]) for r in rows if r["number"].startswith(f"{year}-"))
        first = 2 if year == 2026 else 1
        per_year = WORKERS * CASES_PER_WORKER // len(YEARS)
        assert seq == list(range(first, first + per_year)), year

    # every case has exactly its four events, each by its own worker
    from conftest import read_tables

    events = read_tables(cli.db_url, "events")["events"]
    ids = {r["id"]: r for r in rows}
    per_case = Counter(e["case_id"] for e in events if e["case_id"] in ids)
    assert set(per_case.values()) == {4} and len(per_case) == len(ids)
    actions = Counter(e["action"] for e in events if e["case_id"] in ids)
    assert actions == {a: len(ids) for a in ("case.add", "case.assign", "case.reply", "case.close")}

    # the same case replied to by eight clerks at once: exactly one wins, the
    # others are told it is already replied (exit 1), nobody sees a database error
    assert sorted(r["exit"] for r in races) == [0] + [1] * (WORKERS - 1), races
    assert all("it is already replied" in r["stderr"] for r in races if r["exit"]), races
    shared_id = next(r["id"] for r in as_json(cli("cases", fmt="json")) if r["number"] == shared)
    assert [e["action"] for e in events if e["case_id"] == shared_id] == [
        "case.add",
        "case.assign",
        "case.reply",
    ]
    # the clerks appended to one hash chain, one after the other: every event
    # links to the one before it, and db check finds the chain whole
    assert [e["prev_id"] for e in events] == [None] + [e["id"] for e in events[:-1]]
    assert cli("db", "check").stdout == "database is consistent\n"


def test_clerks_starting_on_a_new_database_at_once_migrate_it_once(tmp_path):
    """The first commands on an empty database race to create the schema: one
    migrates (under the write lock, an advisory lock on PostgreSQL), the
    others wait and find it done."""
    from conftest import PG_BASE, _pg_admin_url, _pg_exec, read_tables

    from liaison_cli.store.database import HEAD_REVISION

    if PG_BASE:
        name = f"liaison_new_{os.getpid()}"
        _pg_exec(f"DROP DATABASE IF EXISTS {name}")
        _pg_exec(f"CREATE DATABASE {name}")
        db = _pg_admin_url(name)
    else:
        db = str(tmp_path / "new.db")
    try:
        procs = _start_workers(db, n=4, mode="first-use")
        try:
            for p in procs:
                assert _line(p) == "ready"
            _send(procs, "go")
            results = [json.loads(_line(p)) for p in procs]
            for p in procs:
                assert p.wait(timeout=60) == 0
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        assert results == [{"exit": 0, "stderr": ""}] * 4
        tables = read_tables(db, "deputies", "alembic_version")
        assert sorted(r["name"] for r in tables["deputies"]) == [f"代表{k}" for k in range(4)]
        assert [r["version_num"] for r in tables["alembic_version"]] == [HEAD_REVISION]
    finally:
        if PG_BASE:
            _pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_write_lock_held_past_the_busy_timeout_is_exit_3(cli, monkeypatch):
    """One transaction holding SQLite's lock (no commits meanwhile) for longer
    than the busy timeout: the waiting command gives up with one line, exit 3,
    and writes nothing. (PostgreSQL queues row locks without a timeout.)"""
    import sqlite3

    import pytest
    from conftest import PG_BASE, read_tables

    if PG_BASE:
        pytest.skip("SQLite's lock; PostgreSQL waits in its lock queue")
    from liaison_cli.store import database as dbmod

    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_SECONDS", 1.0)
    holder = sqlite3.connect(cli.db_url, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        out = cli("dept", "add", "第一检察部", ok=False)
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (out.exit_code, out.stdout) == (3, "")
    assert out.stderr == "error: the database is busy (locked by another user); try again\n"
    assert 1.0 <= elapsed < 5
    assert read_tables(cli.db_url, "departments", "events") == {"departments": [], "events": []}
