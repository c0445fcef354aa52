"""A PostgreSQL server that cannot be used: one line, exit 3, in seconds, no password.

The servers that refuse us are simulated where a real one cannot be made to
fail on demand: a closed port, a socket that accepts and never answers, and a
tiny fake server that asks for a password and rejects it the way PostgreSQL
does. Tests that need the real server (unknown database or role, the URL
shown without its password) run in the PostgreSQL pass of the suite.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from conftest import PG_BASE
from helpers import as_json
from typer.testing import CliRunner

from liaison_cli.cli.app import app

SECRET = "s3cret"
needs_pg = pytest.mark.skipif(not PG_BASE, reason="needs LIAISON_TEST_PG (the PostgreSQL pass)")


def liaison(db: str, *args: str) -> tuple[int, str, str, float]:
    """Run the CLI in-process against ``db``: exit code, stdout, stderr, seconds."""
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--db", db, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr, time.monotonic() - started


def assert_one_line_exit_3(code: int, out: str, err: str, expected: str) -> None:
    assert code == 3, err
    assert out == ""
    assert SECRET not in out + err
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.rstrip("\n") == expected


# -- fake servers -----------------------------------------------------------------


def _serve(handler) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """Listen on a free port of 127.0.0.1 and run ``handler(conn)`` per client."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()
    conns: list[socket.socket] = []

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conns.append(conn)
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for c in conns:
            c.close()
        server.close()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word (a hung server, a firewall)."""
    yield from _serve(lambda conn: None)


def _read_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


@pytest.fixture
def password_server() -> Iterator[tuple[int, list[bytes]]]:
    """Speaks just enough of the PostgreSQL protocol to reject a password.

    SSL and GSS requests get "N"; the startup message gets "send your password
    in clear text"; the password gets FATAL 28P01, as a server whose
    pg_hba.conf says ``password`` answers a wrong one.
    """
    received: list[bytes] = []

    def handle(conn: socket.socket) -> None:
        try:
            while True:
                (length,) = struct.unpack("!i", _read_exact(conn, 4))
                body = _read_exact(conn, length - 4)
                (code,) = struct.unpack("!i", body[:4])
                if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest
                    conn.sendall(b"N")
                    continue
                break  # the startup message
            conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
            kind = _read_exact(conn, 1)
            (length,) = struct.unpack("!i", _read_exact(conn, 4))
            received.append(kind + _read_exact(conn, length - 4))
            fields = b'SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "clerk"\0\0'
            conn.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)
        except (ConnectionError, OSError, struct.error):
            pass
        finally:
            conn.close()

    for port in _serve(handle):
        yield port, received


# -- failures that need no server ---------------------------------------------------


def test_refused_connection_is_one_line_and_exit_3_without_the_password():
    url = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/x"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "liaison_cli", "--db", url, "deputy", "list"],
        capture_output=True,
        text=True,
        env={**os.environ, "LIAISON_LANG": "en"},
        timeout=30,
    )
    elapsed = time.monotonic() - started
    assert_one_line_exit_3(
        proc.returncode,
        proc.stdout,
        proc.stderr,
        "error: cannot connect to the database server "
        "postgresql+psycopg://u:***@127.0.0.1:1/x: Connection refused",
    )
    assert elapsed < 10


def test_plain_postgresql_url_means_psycopg_and_fails_the_same_way():
    code, out, err, _ = liaison(f"postgresql://u:{SECRET}@127.0.0.1:1/x", "cases")
    assert_one_line_exit_3(
        code,
        out,
        err,
        "error: cannot connect to the database server "
        "postgresql+psycopg://u:***@127.0.0.1:1/x: Connection refused",
    )


def test_wrong_password_is_one_line_and_exit_3(password_server):
    port, received = password_server
    code, out, err, elapsed = liaison(
        f"postgresql+psycopg://clerk:{SECRET}@127.0.0.1:{port}/liaison", "deputy", "list"
    )
    assert_one_line_exit_3(
        code,
        out,
        err,
        "error: cannot connect to the database server "
        f"postgresql+psycopg://clerk:***@127.0.0.1:{port}/liaison: "
        'password authentication failed for user "clerk"',
    )
    # the password did go to the server, and only there
    assert received == [b"p" + SECRET.encode() + b"\0"]
    assert elapsed < 10


def test_a_server_that_never_answers_times_out_within_seconds(silent_server):
    """The default connect timeout (5 s) ends the wait: no hang."""
    code, out, err, elapsed = liaison(
        f"postgresql+psycopg://u:{SECRET}@127.0.0.1:{silent_server}/x", "cases"
    )
    assert_one_line_exit_3(
        code,
        out,
        err,
        "error: cannot connect to the database server "
        f"postgresql+psycopg://u:***@127.0.0.1:{silent_server}/x: connection timeout expired",
    )
    assert 4 <= elapsed < 10


def test_connect_timeout_in_the_url_wins(silent_server):
    """2 s (libpq's minimum) instead of the default 5 s."""
    url = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:{silent_server}/x?connect_timeout=2"
    code, _out, err, elapsed = liaison(url, "cases")
    assert code == 3 and "connection timeout expired" in err and SECRET not in err
    assert 1.5 <= elapsed < 4.5


def test_unknown_host_is_one_line_and_exit_3():
    code, out, err, elapsed = liaison(
        f"postgresql+psycopg://u:{SECRET}@no-such-host.invalid/x", "deputy", "list"
    )
    assert code == 3, err
    assert err.startswith(
        "error: cannot connect to the database server "
        "postgresql+psycopg://u:***@no-such-host.invalid/x: "
    )
    assert "no-such-host.invalid" in err.split(": ", 2)[2]
    assert SECRET not in out + err and err.count("\n") == 1
    assert elapsed < 10


# -- the real server -----------------------------------------------------------------


def _with_password(url: str, password: str) -> str:
    """``url`` with its password replaced (or added)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def _password_of(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    return make_url(url).password


@needs_pg
def test_unknown_database_is_one_line_and_exit_3(cli):
    # the right password if the server checks them (CI), else any: hidden either way
    password = _password_of(cli.db_url) or SECRET
    url = _with_password(cli.db_url.rpartition("/")[0] + "/no_such_liaison_db", password)
    code, out, err, elapsed = liaison(url, "cases")
    assert code == 3 and out == "" and err.count("\n") == 1, err
    assert err.endswith(': database "no_such_liaison_db" does not exist\n'), err
    assert password not in err
    assert elapsed < 10


@needs_pg
def test_unknown_role_is_one_line_and_exit_3(cli):
    from sqlalchemy.engine import make_url

    url = make_url(cli.db_url).set(username="no_such_clerk", password=SECRET)
    code, out, err, _ = liaison(url.render_as_string(hide_password=False), "cases")
    assert code == 3 and out == "" and err.count("\n") == 1, err
    # a trusting server says the role does not exist; one that checks
    # passwords says the password failed: either way, one line
    assert (
        'role "no_such_clerk" does not exist' in err
        or 'password authentication failed for user "no_such_clerk"' in err
    ), err
    assert SECRET not in err


@needs_pg
def test_wrong_password_on_the_real_server(cli):
    if not _password_of(cli.db_url):
        pytest.skip("this server trusts every login (the CI server checks passwords)")
    code, out, err, _ = liaison(_with_password(cli.db_url, SECRET), "cases")
    assert code == 3 and out == "" and err.count("\n") == 1, err
    assert 'password authentication failed for user "liaison"' in err
    assert SECRET not in err


@needs_pg
def test_db_current_and_init_show_the_url_without_its_password(cli):
    from sqlalchemy.engine import make_url

    from liaison_cli.store.database import HEAD_REVISION

    password = _password_of(cli.db_url) or SECRET
    url = _with_password(cli.db_url, password)
    u = make_url(cli.db_url)
    masked = f"postgresql+psycopg://{u.username}:***@{u.host}:{u.port}/{u.database}"
    code, out, err, _ = liaison(url, "db", "current")
    assert (code, out, err) == (0, f"{HEAD_REVISION} (head) {masked}\n", "")
    code, out, err, _ = liaison(url, "init")
    assert (code, out, err) == (0, f"{masked} is up to date (schema {HEAD_REVISION})\n", "")


@needs_pg
def test_backup_advice_for_a_server_hides_the_password(cli):
    password = _password_of(cli.db_url) or SECRET
    code, out, err, _ = liaison(_with_password(cli.db_url, password), "db", "backup", "x.dump")
    assert code == 1 and out == ""
    assert "pg_dump" in err and password not in err and ":***@" in err


@needs_pg
def test_a_fresh_server_database_is_migrated_on_first_use(cli):
    """`liaison init` on an empty server database creates the schema (same migrations)."""
    import psycopg

    name = f"liaison_fresh_{os.getpid()}"
    admin = PG_BASE.replace("postgresql+psycopg://", "postgresql://")  # type: ignore[union-attr]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    url = PG_BASE.rpartition("/")[0] + "/" + name  # type: ignore[union-attr]
    try:
        code, out, err, _ = liaison(url, "init")
        assert code == 0, err
        assert out.startswith("created postgresql+psycopg://") and "(schema " in out
        code, out, err, _ = liaison(url, "init")
        assert code == 0 and "is up to date" in out
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@needs_pg
def test_a_server_with_other_date_and_encoding_defaults_gives_the_same_answers(cli):
    """A database whose DateStyle is 'SQL, DMY' still groups months as YYYY-MM."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(cli.db_url).database
    admin = PG_BASE.replace("postgresql+psycopg://", "postgresql://")  # type: ignore[union-attr]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {name} SET datestyle TO 'SQL, DMY'")
        conn.execute(f"ALTER DATABASE {name} SET client_encoding TO 'LATIN1'")
    cli("deputy", "add", "欧阳娜娜", "--level", "省")
    cli(
        "add-suggestion",
        "--deputy",
        "欧阳娜娜",
        "--title",
        "关于“公益诉讼”",
        "--received",
        "2026-03-05",
    )
    rows = [r for r in as_json(cli("cases", fmt="json"))]
    assert [(r["received"], r["title"], r["deputies"]) for r in rows] == [
        ("2026-03-05", "关于“公益诉讼”", "欧阳娜娜")
    ]
    groups = as_json(cli("stats", "cases", "--year", "2026", "--by", "month", fmt="json"))
    assert [(g["group"], g["received"]) for g in groups] == [("2026-03", 1), ("total", 1)]
