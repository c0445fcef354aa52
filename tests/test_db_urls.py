"""Database URLs and files a clerk may get wrong: shown masked, refused in words.

Credentials in a URL (the password of the user part, a ``password=`` or
``passfile=`` query value, a password holding an unencoded ``@``) never reach
the screen; a URL liaison cannot use, a file that is no database file, an
in-memory database, an empty backup name are each one ``error:`` line (exit 1
for what the clerk typed, exit 3 for the database); a read-only mount is read.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENGINE, PG_BASE
from dbtools import dump, file_digest
from typer.testing import CliRunner

from liaison_cli.cli.app import app

sqlite_only = pytest.mark.skipif(ENGINE != "sqlite", reason="a property of a SQLite file")


def invoke(*args: str, env: dict | None = None):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args), env=env or {})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def one_error(result, code: int) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    return str(result.stderr)


# -- credentials ------------------------------------------------------------------

# nothing listens on port 1: the connection is refused at once
UNREACHABLE = [
    ("postgresql+psycopg://liaison@127.0.0.1:1/office?password=Qx7secret", "Qx7secret"),
    ("postgresql://liaison@127.0.0.1:1/office?passfile=/home/k/Qx7pgpass", "Qx7pgpass"),
    ("postgresql+psycopg://liaison:Qx7p@ss@127.0.0.1:1/office", "Qx7p"),
    ("postgresql+psycopg://liaison@127.0.0.1:1/office?sslpassword=Qx7ssl&sslmode=require", "Qx7"),
]


@pytest.mark.parametrize(("url", "secret"), UNREACHABLE)
def test_no_credential_of_a_url_is_shown(url: str, secret: str) -> None:
    for args in (("db", "current"), ("init",), ("deputy", "list")):
        err = one_error(invoke("--db", url, *args), 3)
        assert err.startswith("error: cannot connect to the database server postgresql+psycopg://")
        assert secret not in err and "***" in err, err
        # the server is still named, and the unencoded @ did not move it
        assert "@127.0.0.1:1/office" in err and "Connection refused" in err, err
    # the pg_dump command to paste, with *** where the credential goes
    err = one_error(invoke("--db", url, "db", "backup", "office.dump"), 1)
    assert "pg_dump --format=custom --file office.dump postgresql://" in err
    assert secret not in err and "(the password in place of ***" in err, err


@pytest.mark.skipif(ENGINE != "postgresql", reason="needs the test server")
def test_a_password_in_the_query_is_masked_where_the_database_is_named() -> None:
    assert PG_BASE is not None
    url = PG_BASE + ("&" if "?" in PG_BASE else "?") + "application_name=liaison_test"
    secret_url = url + "&password=Qx7secret"
    out = invoke("--db", secret_url, "db", "current")
    text = out.stdout + out.stderr
    assert "Qx7secret" not in text and "password=***" in text, text


# -- URLs liaison cannot use ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://office@db/ledger", "unsupported database URL mysql://office@db/ledger: "),
        ("postgresql+psycopg2://h/x", "unsupported database URL postgresql+psycopg2://h/x: "),
        ("foo://bar", "unsupported database URL foo://bar: "),
        ("://", "unsupported database URL ://: "),
        ("mysql://u:Qx7secret@h/x", "unsupported database URL mysql://u:***@h/x: "),
        ("postgresql+psycopg://h:port/x", "cannot read the database URL postgresql+psycopg://h:"),
        ("sqlite://", "sqlite:// is an in-memory SQLite database, which keeps nothing"),
        ("sqlite:///:memory:", "sqlite:///:memory: is an in-memory SQLite database"),
    ],
)
def test_a_url_liaison_cannot_use_is_a_user_error(
    url: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (("db", "current"), ("deputy", "list"), ("init",)):
        err = one_error(invoke("--db", url, *args), 1)
        assert err.startswith("error: " + message), err
        assert "internal error" not in err and "Qx7secret" not in err
    err = one_error(invoke("--db", str(tmp_path / "a.db"), "db", "copy", "--to", url), 1)
    assert err.startswith("error: " + message), err
    # no file was made on the way (no ":memory:", not even the source)
    assert list(tmp_path.iterdir()) == []


def test_the_unsupported_url_message_names_what_works() -> None:
    err = one_error(invoke("--db", "mysql://h/x", "cases"), 1)
    assert err == (
        "error: unsupported database URL mysql://h/x: use a file path or postgresql+psycopg://…\n"
    )


# -- files that are not database files --------------------------------------------


def test_a_fifo_or_a_device_is_not_a_database_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (str(fifo), os.devnull):
        for args in (("cases",), ("init",), ("dept", "add", "第一检察部")):
            err = one_error(invoke("--db", path, *args), 3)
            assert err == f"error: {path} is not a regular file, so not a database file\n"
            assert "disk" not in err


def test_db_backup_with_an_empty_name(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    for name in ("", "  "):
        out = cli("db", "backup", name, ok=False)
        assert (out.exit_code, out.stdout, out.stderr) == (
            1,
            "",
            "error: the backup file name is empty\n",
        )
    assert list(tmp_path.iterdir()) == ([] if ENGINE != "sqlite" else [Path(cli.db_url)])


# -- read-only --------------------------------------------------------------------


def _read_only_mount(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``liaison ARGS`` with ``folder`` bind-mounted read-only (a private mount namespace)."""
    script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(folder), sys.executable, "-m", "liaison_cli"]
        + list(args),
        capture_output=True,
        text=True,
        timeout=120,
    )


@sqlite_only
def test_a_ledger_on_a_read_only_mount_is_read_not_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """As root a 0444 file is still writable; a read-only mount is not, for anyone."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare here")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {tmp_path} {tmp_path}"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("cannot make a read-only mount here")
    cli("dept", "add", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    db = shelf / "ledger.db"
    shutil.copyfile(cli.db_url, db)
    digest = file_digest(db)
    before = dump(str(db))
    for args in (("dept", "list"), ("overdue",), ("db", "current"), ("db", "check")):
        done = _read_only_mount(shelf, "--db", str(db), *args)
        assert (done.returncode, done.stderr) == (0, ""), (args, done.stderr)
    listed = _read_only_mount(shelf, "--db", str(db), "--format", "csv", "dept", "list")
    assert listed.stdout.splitlines()[1:] == ["1,第一检察部,1"]
    done = _read_only_mount(shelf, "--db", str(db), "dept", "add", "第二检察部")
    assert (done.returncode, done.stdout, done.stderr) == (
        3,
        "",
        "error: the database is read-only; nothing was changed\n",
    )
    assert file_digest(db) == digest and dump(str(db)) == before
    assert sorted(p.name for p in shelf.iterdir()) == ["ledger.db"]


@sqlite_only
def test_a_ledger_without_write_permission_is_read(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A file mode 0444 in a folder mode 0555: read by anyone but root (who may write)."""
    cli("dept", "add", "第一检察部")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    db = shelf / "ledger.db"
    shutil.copyfile(cli.db_url, db)
    db.chmod(0o444)
    shelf.chmod(0o555)
    try:
        out = invoke("--db", str(db), "--format", "csv", "dept", "list")
        assert (out.exit_code, out.stderr) == (0, "")
        assert out.stdout.splitlines()[1:] == ["1,第一检察部,0"]
        if os.geteuid() != 0:
            err = one_error(invoke("--db", str(db), "dept", "add", "第二检察部"), 3)
            assert err == "error: the database is read-only; nothing was changed\n"
    finally:
        shelf.chmod(0o755)
        db.chmod(0o600)
    assert [r[1] for r in dump(str(db))["departments"]] == ["第一检察部"]


# -- the config file --------------------------------------------------------------


def _office(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "省")
    cli("add-suggestion", "--deputy", "张伟", "--title", "一件", "--received", "2026-03-31")


def test_a_config_file_saved_with_a_byte_order_mark_is_read(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _office(cli)
    config = tmp_path / "liaison.toml"
    config.write_bytes("\ufeff[deadlines]\nsuggestion_months = 2\n".encode())
    out = cli(
        "assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-03-31",
        env={"LIAISON_CONFIG": str(config)},
    )  # fmt: skip
    assert out.stdout == "assigned 2026-0001 to 第一检察部, due 2026-05-31\n"


def test_liaison_config_naming_no_file_is_an_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _office(cli)
    before = dump(cli.db_url)
    missing = tmp_path / "liason.toml"
    out = cli(
        "assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-03-31",
        env={"LIAISON_CONFIG": str(missing)}, ok=False,
    )  # fmt: skip
    assert (out.exit_code, out.stdout) == (1, "")
    assert out.stderr == (
        f"error: cannot read config {missing} (named by LIAISON_CONFIG): "
        "No such file or directory\n"
    )
    assert dump(cli.db_url) == before


# -- db copy --to a file already used ---------------------------------------------


def _older_ledger(path: Path) -> None:
    """A ledger at the first revision, with records (as an office's old file is)."""
    from test_upgrades import LEDGERS, _at_revision, _fill

    from liaison_cli.store.database import Database, resolve_url

    db = Database(resolve_url(str(path)))
    try:
        db.ensure_schema()
    finally:
        db.dispose()
    _at_revision(str(path), "0001")
    _fill(str(path), LEDGERS["0001"])


def test_db_copy_refuses_an_older_ledger_without_touching_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    old = tmp_path / "old.db"
    _older_ledger(old)
    digest = file_digest(old)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    out = cli("db", "copy", "--to", str(old), ok=False)
    assert (out.exit_code, out.stdout) == (1, "")
    assert out.stderr == (
        f"error: {old} already holds records; copy only into a new, empty database\n"
    )
    assert file_digest(old) == digest
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings


def test_a_failed_db_copy_leaves_no_file_behind(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import resource
    import signal

    cli("dept", "add", "第一检察部")
    target = tmp_path / "copy" / "new.db"
    target.parent.mkdir()

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    done = subprocess.run(
        [sys.executable, "-m", "liaison_cli", "--db", cli.db_url, "db", "copy", "--to", target],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (3, ""), done.stderr
    assert done.stderr.startswith("error: ") and len(done.stderr.splitlines()) == 1
    assert list(target.parent.iterdir()) == []
    # with room, the same copy goes through
    cli("db", "copy", "--to", str(target))
    assert [r[1] for r in dump(str(target))["departments"]] == ["第一检察部"]
