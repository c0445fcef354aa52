"""Where the database is, how it is opened, and how every failure ends.

SQLite-only properties (file mode, pragmas, paths) are tested on SQLite files
in both runs of the suite; the rest follows LIAISON_TEST_PG.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from dbtools import dump, engine_for, file_digest
from sqlalchemy import text
from typer.testing import CliRunner

from liaison_cli.cli.app import app
from liaison_cli.store.database import HEAD_REVISION, Database, resolve_url
from liaison_cli.store.uow import unit_of_work


def invoke(*args: str, env: dict | None = None):  # type: ignore[no-untyped-def]
    """The CLI without the fixture's --db: for tests about finding the database."""
    result = CliRunner().invoke(app, list(args), env=env or {})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def assert_one_error(result, code: int, starts: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("error: " + starts), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# -- the SQLite file --------------------------------------------------------------


def test_new_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        db = tmp_path / "sub" / "dir" / "liaison.db"
        result = invoke("--db", str(db), "init")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"created {db} (schema {HEAD_REVISION})\n"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    # the WAL side files SQLite keeps while a connection is open share the mode
    conn = sqlite3.connect(db)
    conn.execute("SELECT count(*) FROM deputies").fetchone()
    for side in ("-wal", "-shm"):
        p = Path(str(db) + side)
        if p.exists():
            assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, side
    conn.close()


def test_backup_copy_is_private(tmp_path: Path) -> None:
    db = tmp_path / "liaison.db"
    invoke("--db", str(db), "dept", "add", "第一检察部")
    result = invoke("--db", str(db), "db", "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "copy.db").st_mode) == 0o600
    assert dump(str(tmp_path / "copy.db")) == dump(str(db))


def test_pragmas_of_a_connection(tmp_path: Path) -> None:
    database = Database(resolve_url(str(tmp_path / "liaison.db")))
    try:
        database.ensure_schema()
        with database.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        with unit_of_work(database, write=True) as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    finally:
        database.dispose()
    # WAL is a property of the file: a plain connection sees it too
    plain = sqlite3.connect(tmp_path / "liaison.db")
    assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    plain.close()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    url = resolve_url(str(tmp_path / "liaison.db"))
    database = Database(url)
    try:
        database.ensure_schema()
        with pytest.raises(Exception, match="FOREIGN KEY"):
            with unit_of_work(database, write=True) as conn:
                conn.execute(text("INSERT INTO staff (name, department_id) VALUES ('王芳', 99)"))
    finally:
        database.dispose()


# -- finding the database ---------------------------------------------------------


def test_default_path_is_in_the_user_data_dir(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "LIAISON_DB": None}
    result = invoke("dept", "add", "第一检察部", env=env)
    assert result.exit_code == 0, result.stderr
    expected = tmp_path / "data" / "liaison" / "liaison.db"
    assert expected.is_file()
    assert stat.S_IMODE(os.stat(expected).st_mode) == 0o600
    assert invoke("db", "current", env=env).stdout == f"{HEAD_REVISION} (head) {expected}\n"
    assert invoke("--format", "json", "dept", "list", env=env).stdout.count("第一检察部") == 1


def test_liaison_db_variable_and_the_option(tmp_path: Path) -> None:
    by_env, by_opt = tmp_path / "env.db", tmp_path / "opt.db"
    env = {"LIAISON_DB": str(by_env), "XDG_DATA_HOME": str(tmp_path / "data")}
    assert invoke("dept", "add", "第一检察部", env=env).exit_code == 0
    assert invoke("--db", str(by_opt), "dept", "add", "第八检察部", env=env).exit_code == 0
    assert [r[1] for r in dump(str(by_env))["departments"]] == ["第一检察部"]
    assert [r[1] for r in dump(str(by_opt))["departments"]] == ["第八检察部"]
    assert not (tmp_path / "data").exists()


def test_a_path_with_a_tilde_or_relative_parts(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    result = invoke("--db", "~/office/liaison.db", "init", env=env)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "office" / "liaison.db").is_file()


# -- schema revisions -------------------------------------------------------------


def test_init_twice_is_idempotent(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("init")
    assert first.stdout.endswith(f"(schema {HEAD_REVISION})\n")
    cli("dept", "add", "第一检察部")
    before = dump(cli.db_url)
    second = cli("init")
    assert second.stdout.endswith(f" is up to date (schema {HEAD_REVISION})\n")
    assert second.stderr == ""
    assert dump(cli.db_url) == before
    assert cli("db", "upgrade").stdout == second.stdout
    assert dump(cli.db_url) == before


def test_db_current_prints_the_head(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    out = cli("db", "current")
    assert out.stdout.startswith(f"{HEAD_REVISION} (head) ")
    assert dump(cli.db_url)["alembic_version"] == [(HEAD_REVISION,)]


def test_a_newer_schema_is_refused_and_not_touched(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    engine = engine_for(cli.db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = dump(cli.db_url)
    path = Path(cli.db_url)
    digest = file_digest(path) if path.is_file() else None
    siblings = sorted(p.name for p in tmp_path.iterdir())
    for args in (("init",), ("db", "upgrade"), ("dept", "list"), ("dept", "add", "第八检察部")):
        out = cli(*args, ok=False)
        assert out.exit_code == 3, args
        assert out.stdout == ""
        assert out.stderr == (
            "error: database schema 9999 is newer than this liaison knows; "
            "upgrade liaison before using this database\n"
        )
    assert dump(cli.db_url) == before
    if digest:
        assert file_digest(path) == digest
    # no backup or side file left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings
    assert cli("db", "current").stdout.startswith(f"9999 (head is {HEAD_REVISION}) ")


def test_an_older_empty_database_is_migrated_on_first_use(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("--format", "json", "deputy", "list")
    assert out.stdout == "[]\n"
    assert dump(cli.db_url)["alembic_version"] == [(HEAD_REVISION,)]


# -- databases that cannot be used ------------------------------------------------


def test_a_directory_as_the_database(tmp_path: Path) -> None:
    for args in (("deputy", "list"), ("init",), ("db", "current")):
        result = invoke("--db", str(tmp_path), *args)
        assert_one_error(result, 3, f"{tmp_path} is a directory, not a database file")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"hello, not a database\n", bytes(range(256)) * 20, b"SQLite format 3\x00" + b"x" * 200],
)
def test_a_file_that_is_not_a_database(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    for args in (("deputy", "list"), ("init",), ("dept", "add", "第一检察部"), ("db", "current")):
        result = invoke("--db", str(path), *args)
        assert_one_error(result, 3, "not a liaison database (or a damaged one)")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_the_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, what TEXT)")
    conn.execute("INSERT INTO cases VALUES (1, 'theirs')")
    conn.commit()
    conn.close()
    digest = file_digest(path)
    for args in (("init",), ("deputy", "list"), ("db", "upgrade")):
        result = invoke("--db", str(path), *args)
        assert_one_error(result, 3, f"{path} is not a liaison database")
    assert file_digest(path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    result = invoke("--db", str(path), "dept", "add", "第一检察部")
    assert result.exit_code == 0, result.stderr
    assert [r[1] for r in dump(str(path))["departments"]] == ["第一检察部"]


def test_a_path_under_a_file(tmp_path: Path) -> None:
    """Unreadable paths: root reads any file, so a path through a file stands in."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    for target in (blocker / "liaison.db", blocker / "a" / "b" / "liaison.db"):
        for args in (("deputy", "list"), ("init",)):
            result = invoke("--db", str(target), *args)
            assert_one_error(
                result, 3, f"cannot create database {target}: {blocker} is not a directory"
            )
    assert blocker.read_text() == "x"


def test_an_unreachable_server_hides_the_password() -> None:
    result = invoke(
        "--db", "postgresql+psycopg://liaison:s3cret@127.0.0.1:1/office", "deputy", "list"
    )
    assert_one_error(result, 3, "")
    assert "s3cret" not in result.stderr
    assert "127.0.0.1" in result.stderr


# -- user errors: one line, the right code, nothing changed -----------------------

ERRORS = [
    (("deputy", "show", "李四"), 1, "unknown deputy '李四'"),
    (("deputy", "edit", "99", "--phone", "1"), 1, "unknown deputy '99'"),
    (("deputy", "edit", "张伟", "--phone", "1"), 1, "'张伟' matches 2 deputies; use the id"),
    (("deputy", "add", "赵敏", "--level", "galactic"), 1, "invalid level 'galactic'"),
    (("deputy", "add", "赵敏", "--level", "省", "--date", "2026-02-30"), 1, "no such date"),
    (("deputy", "edit", "1", "--unit", "x", "--date", "tomorrowish"), 1, "cannot read date"),
    (("dept", "add", "第一检察部"), 1, "department '第一检察部' already exists"),
    (("staff", "add", "刘强", "--dept", "第九检察部"), 1, "unknown department '第九检察部'"),
    (("deputy", "add", "赵敏"), 2, None),
    (("staff", "add", "刘强"), 2, None),
    (("deputy", "add", "赵敏", "--level", "省", "--bogus", "1"), 2, None),
]


@pytest.mark.parametrize(("args", "code", "message"), ERRORS)
def test_user_errors_change_nothing(cli, args, code: int, message: str | None) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "省", "--liaison", "王芳")
    cli("deputy", "add", "张伟", "--level", "市")
    before = dump(cli.db_url)
    out = cli(*args, ok=False)
    assert out.exit_code == code
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    if message is None:
        # Typer's own usage message
        assert "Usage: " in out.stderr and "Error: " in out.stderr
    else:
        first, *rest = out.stderr.splitlines()
        assert first.startswith("error: " + message), first
        assert all(line.startswith("  ") for line in rest)  # only candidate lines follow
    assert dump(cli.db_url) == before
