"""The audit trail and privacy: events only ever appended, by the named actor;
database files and backups private; a URL's password never shown.

The tour runs every command that writes (and the reads, which must write
nothing) once, in the order a clerk would. Before and after each command the
events table is read whole: the old rows must come back byte for byte, the
new ones must come after them, every write must add at least one, and each
new event must carry the ``--as`` name (or ``LIAISON_USER``). A second run of
the same tour goes through the database refusing any UPDATE or DELETE of an
event (a trigger on SQLite, rules on PostgreSQL), so not even a change put
back within the same transaction goes unseen.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import ENGINE, PG_BASE
from dbtools import engine_for
from sqlalchemy import text
from typer.testing import CliRunner

from liaison_cli.cli.app import app

ACTOR = "审计员 Li"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def _tour(tmp_path: Path) -> list[tuple[bool, tuple[str, ...]]]:
    """(writes?, argv) for every command, in a clerk's order."""
    deputies = _write_csv(
        tmp_path / "deputies.csv",
        ["name", "level", "unit"],
        [["导入代表甲", "county", "单位甲"], ["导入代表乙", "township", "单位乙"]],
    )
    cases = _write_csv(
        tmp_path / "cases.csv",
        ["title", "deputies", "received", "assigned", "department", "replied", "reply_method",
         "result", "closed", "satisfaction"],
        [["导入的件", "导入代表甲", "2026-02-01", "2026-02-02", "第一检察部", "2026-03-01",
          "written", "A", "2026-03-05", "satisfied"],
         ["导入的未办件", "导入代表乙", "2026-02-03", "", "", "", "", "", "", ""]],
    )  # fmt: skip
    contacts = _write_csv(
        tmp_path / "contacts.csv",
        ["date", "type", "deputies", "summary"],
        [["2026-02-10", "symposium", "导入代表甲；导入代表乙", "座谈"]],
    )
    out = tmp_path / "out"
    return [
        (False, ("init",)),
        (True, ("dept", "add", "第一检察部", "--date", "2026-01-02")),
        (True, ("dept", "add", "第八检察部")),
        (True, ("staff", "add", "王芳", "--dept", "第一检察部")),
        (True, ("staff", "add", "刘强", "--dept", "第八检察部")),
        (True, ("deputy", "add", "张伟", "--level", "provincial", "--liaison", "王芳")),
        (True, ("deputy", "add", "李娜", "--level", "county", "--body", "cppcc")),
        (True, ("deputy", "edit", "李娜", "--phone", "13900000000", "--unit", "县一中")),
        (True, ("log-contact", "--deputy", "张伟", "--deputy", "李娜", "--type", "visit",
                "--staff", "王芳", "--summary", "走访", "--date", "2026-03-01")),
        (True, ("add-suggestion", "--deputy", "张伟", "--deputy", "李娜", "--title", "一件",
                "--received", "2026-03-01", "--key")),
        (True, ("add-suggestion", "--deputy", "李娜", "--title", "来信", "--kind", "letter",
                "--received", "2026-03-02", "--number", "信-1")),
        (True, ("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳",
                "--co-dept", "第八检察部", "--date", "2026-03-03")),
        (True, ("assign", "2026-0001", "--dept", "第八检察部", "--handler", "刘强",
                "--date", "2026-03-04")),
        (True, ("reply", "信-1", "--procedural", "--date", "2026-03-05")),
        (True, ("remind", "2026-0001", "--note", "请加快", "--date", "2026-03-06")),
        (True, ("extend", "2026-0001", "--due", "2026-12-31", "--reason", "调查",
                "--date", "2026-03-07")),
        (True, ("reply", "2026-0001", "--method", "written", "--result", "B",
                "--summary", "已答复", "--date", "2026-04-01")),
        (True, ("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-04-02")),
        (True, ("reopen", "2026-0001", "--reason", "不满意", "--date", "2026-04-03")),
        (True, ("import", "deputies", deputies)),
        (True, ("import", "cases", cases)),
        (True, ("import", "contacts", contacts)),
        (False, ("import", "cases", cases, "--dry-run")),
        (False, ("db", "upgrade")),
        (False, ("db", "current")),
        (False, ("db", "check")),
        (False, ("deputy", "list", "--search", "代表")),
        (False, ("deputy", "show", "李娜")),
        (False, ("dept", "list")),
        (False, ("staff", "list")),
        (False, ("contacts",)),
        (False, ("cases", "--status", "assigned")),
        (False, ("show", "2026-0001")),
        (False, ("overdue", "--within", "30")),
        (False, ("stats", "cases", "--year", "2026", "--by", "dept")),
        (False, ("stats", "contacts", "--year", "2026", "--by", "type")),
        (False, ("report", "--year", "2026")),
        (False, ("report", "--year", "2026", "--out", str(out) + ".xlsx")),
        (False, ("export", "cases", "--out", str(out) + ".csv")),
        (False, ("export", "deputies", "--out", str(out) + ".json")),
        (False, ("export", "contacts")),
        (False, ("db", "copy", "--to", str(tmp_path / "copy.db"))),
    ] + ([(False, ("db", "backup", str(out) + ".db"))] if ENGINE == "sqlite" else [])  # fmt: skip


def _events(db: str) -> list[tuple[Any, ...]]:
    engine = engine_for(db)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT * FROM events ORDER BY id"))]
    finally:
        engine.dispose()


def _run_tour(cli: Any, tmp_path: Path) -> dict[str, int]:
    """Run the tour; check every command against the events before and after it.

    Returns the number of events each command added, by its first three words.
    """
    before = _events(cli.db_url)
    added: dict[str, int] = {}
    for k, (writes, argv) in enumerate(_tour(tmp_path)):
        # half the commands name their actor with --as, half through LIAISON_USER
        if k % 2:
            cli("--as", ACTOR, *argv)
        else:
            cli(*argv, env={"LIAISON_USER": ACTOR})
        after = _events(cli.db_url)
        what = " ".join(argv[:3])
        assert after[: len(before)] == before, f"{what} changed or removed an event"
        new = after[len(before) :]
        if writes:
            assert new, f"{what} wrote without an event"
        else:
            assert not new, f"{what} wrote events"
        assert all(e[0] > (before[-1][0] if before else 0) for e in new), what
        assert {e[3] for e in new} <= {ACTOR}, (what, {e[3] for e in new})
        added[what] = added.get(what, 0) + len(new)
        before = after
    return added


def test_every_write_appends_events_by_its_actor_and_never_changes_old_ones(
    cli, tmp_path: Path
) -> None:
    added = _run_tour(cli, tmp_path)
    # one event per step; an import writes each case's history as events
    assert added["deputy edit 李娜"] == 1 and added["reopen 2026-0001 --reason"] == 1
    assert added["assign 2026-0001 --dept"] == 2  # assigned, then reassigned
    assert added["import cases " + str(tmp_path / "cases.csv")] >= 5  # 2 add, assign, reply, close


def test_the_tour_passes_with_the_schemas_own_triggers_refusing_any_change_to_an_event(
    cli, tmp_path: Path
) -> None:
    """The schema itself refuses an UPDATE or DELETE of an event (its triggers),
    and every command of the tour works with it: none edits the trail."""
    cli("dept", "add", "先有的部门")  # an event to protect from the start
    engine = engine_for(cli.db_url)
    try:
        for sql in ("UPDATE events SET actor = 'someone else'", "DELETE FROM events"):
            with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
                conn.execute(text(sql))
    finally:
        engine.dispose()
    added = _run_tour(cli, tmp_path)
    assert sum(added.values()) >= 25
    assert cli("db", "check").stdout == "database is consistent\n"


# -- files ------------------------------------------------------------------------


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(ENGINE != "sqlite", reason="file modes of SQLite databases")
def test_database_files_and_backups_are_private_whatever_the_umask(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "office" / "liaison.db"

    def run(*argv: str) -> None:
        result = runner.invoke(app, ["--db", str(db), *argv])
        assert result.exit_code == 0, result.stderr

    with _umask(0):
        run("init")
        run("dept", "add", "第一检察部")
        # the journal files exist while a connection is open; SQLite gives
        # them the database file's mode
        import sqlite3

        conn = sqlite3.connect(db)
        conn.execute("SELECT count(*) FROM events").fetchone()
        sides = [db.with_name(db.name + s) for s in ("-wal", "-shm")]
        side_modes = {p.name: _mode(p) for p in sides if p.exists()}
        conn.close()
        run("db", "backup", str(tmp_path / "backup.db"))
        run("db", "copy", "--to", str(tmp_path / "copy.db"))
    assert _mode(db) == 0o600
    assert side_modes and set(side_modes.values()) == {0o600}, side_modes
    assert _mode(tmp_path / "backup.db") == 0o600
    assert _mode(tmp_path / "copy.db") == 0o600


# -- passwords --------------------------------------------------------------------

SECRET = "Pa55-never-shown"


def _with_password(url: str, password: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def _assert_hidden(result: Any, secret: str) -> None:
    assert "Traceback" not in result.stderr
    assert secret not in result.stdout and secret not in result.stderr
    # nor its URL-encoded form
    from urllib.parse import quote

    assert quote(secret) not in result.stdout + result.stderr


def test_a_urls_password_is_never_printed(cli, tmp_path: Path) -> None:
    runner = CliRunner()
    if PG_BASE:
        # the real server: a password it checks (CI) or ignores (trust)
        from sqlalchemy.engine import make_url

        secret = make_url(cli.db_url).password or SECRET
        url = _with_password(cli.db_url, secret)
        ok = 0
    else:
        # nothing listens on port 1: every command fails to connect
        secret = SECRET
        url = f"postgresql+psycopg://clerk:{secret}@127.0.0.1:1/office"
        ok = 3
    cases = [
        (("db", "current"), ok),
        (("init",), ok),
        (("db", "upgrade"), ok),
        (("db", "check"), ok),
        (("deputy", "list"), ok),
        (("db", "backup", str(tmp_path / "x.dump")), 1),  # the pg_dump advice
        (("show", "2099-0001"), 1 if PG_BASE else 3),
        (("dept", "add", "第一检察部"), ok),
        (("dept", "add", "第一检察部"), 1 if PG_BASE else 3),
    ]
    for argv, code in cases:
        result = runner.invoke(app, ["--db", url, *argv])
        assert result.exit_code == code, (argv, result.stderr)
        _assert_hidden(result, secret)
    # copying to a server that is not there names it, without the password
    source = tmp_path / "office.db"
    result = runner.invoke(
        app, ["--db", str(source), "db", "copy", "--to", f"postgresql://u:{SECRET}@127.0.0.1:1/x"]
    )
    assert result.exit_code == 3
    _assert_hidden(result, SECRET)
    assert "127.0.0.1" in result.stderr
    # and a locked server database (lock timeout) says so without it either
    if PG_BASE:
        import psycopg

        holder = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        try:
            holder.execute("LOCK TABLE departments IN EXCLUSIVE MODE")
            from liaison_cli.store import database as dbmod

            old = dbmod.BUSY_TIMEOUT_SECONDS
            dbmod.BUSY_TIMEOUT_SECONDS = 0.3
            try:
                result = runner.invoke(app, ["--db", url, "dept", "add", "第八检察部"])
            finally:
                dbmod.BUSY_TIMEOUT_SECONDS = old
        finally:
            holder.rollback()
            holder.close()
        assert result.exit_code == 3
        _assert_hidden(result, secret)
