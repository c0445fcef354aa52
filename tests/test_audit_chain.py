"""The audit trail is append-only where the database enforces it, tamper-evident where not.

Triggers refuse any UPDATE or DELETE of an event; on PostgreSQL a clerk with
the README's grants has no UPDATE or DELETE on ``events`` at all. Someone who
gets round the triggers (drops them in a ``sqlite3`` shell, or disables them
as the tables' owner) leaves a hash chain that no longer holds, and ``db
check`` names the first broken link. ``init`` and ``db check`` compare the
schema itself with the head's, not only its revision stamp.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import ENGINE, PG_BASE, _pg_admin_url, _pg_exec
from dbtools import engine_for, table_rows
from sqlalchemy import text

from liaison_cli.store.database import resolve_url
from liaison_cli.store.migrate import HEAD_REVISION
from liaison_cli.store.urls import where


def _ledger(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "provincial")
    cli("add-suggestion", "--deputy", "张伟", "--title", "道路", "--received", "2026-01-05")
    cli("--as", "王芳", "assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-01-06")
    cli(
        "--as",
        "王芳",
        "reply",
        "2026-0001",
        "--date",
        "2026-02-01",
        "--method",
        "written",
        "--result",
        "A",
    )


def _raw(db: str, *statements: str) -> None:
    engine = engine_for(db)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.execute(text(sql))
    finally:
        engine.dispose()


def _without_triggers(db: str) -> None:
    """What someone who gets round the triggers does first."""
    if ENGINE == "sqlite":
        _raw(db, "DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete")
    else:
        _raw(db, "ALTER TABLE events DISABLE TRIGGER USER")


def _event_ids(db: str) -> dict[str, int]:
    return {e["action"]: e["id"] for e in table_rows(db, "events")}


def test_the_database_refuses_to_update_or_delete_an_event(cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(cli)
    before = table_rows(cli.db_url, "events")
    for sql in (
        "UPDATE events SET actor = '李四' WHERE action = 'case.assign'",
        "DELETE FROM events WHERE action = 'case.reply'",
        "DELETE FROM event_chain",
    ):
        with pytest.raises(Exception, match="the audit trail is append-only"):
            _raw(cli.db_url, sql)
    assert table_rows(cli.db_url, "events") == before
    assert cli("db", "check").stdout == "database is consistent\n"


def test_db_check_names_the_first_broken_link_of_the_chain(cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(cli)
    ids = _event_ids(cli.db_url)
    _without_triggers(cli.db_url)
    dropped = ["events_no_update", "events_no_delete"]
    if ENGINE == "postgresql":
        dropped.append("events_no_truncate")
    missing = [
        f"schema   trigger {name} (the audit trail is append-only) is missing or disabled"
        for name in dropped
    ]

    # a forged actor: show displays it, db check finds it
    _raw(cli.db_url, "UPDATE events SET actor = '李四' WHERE action = 'case.assign'")
    assert "李四" in cli("show", "2026-0001").stdout
    out = cli("db", "check", ok=False)
    assert out.exit_code == 1
    assert out.stdout.splitlines()[1:] == [
        line.replace("schema   ", "schema       ") for line in missing
    ] + [
        f"audit_chain  event {ids['case.assign']} (case 2026-0001): changed after it was "
        "recorded; its content no longer matches its hash (it now reads case.assign by 李四)"
    ]

    # put back as it was, the chain holds again; a deleted event breaks the next link
    _raw(cli.db_url, "UPDATE events SET actor = '王芳' WHERE action = 'case.assign'")
    _raw(cli.db_url, "DELETE FROM events WHERE action = 'case.assign'")
    out = cli("db", "check", fmt="json", ok=False)
    chain = [p for p in out_json(out) if p["check"] == "audit_chain"]
    assert chain == [
        {
            "check": "audit_chain",
            "detail": f"event {ids['case.reply']} (case 2026-0001): the event before it, "
            f"{ids['case.assign']}, is missing (deleted)",
        }
    ]

    # the last event deleted: the chain's head still names it
    _raw(cli.db_url, f"DELETE FROM events WHERE id >= {ids['case.assign']}")
    chain = [p["detail"] for p in out_json(cli("db", "check", fmt="json", ok=False))
             if p["check"] == "audit_chain"]  # fmt: skip
    assert chain == [
        f"the chain's head is event {ids['case.reply']}, but the last event is "
        f"{ids['case.add']}: events at the end were deleted"
    ]


def out_json(run) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    import json

    return json.loads(run.stdout)  # type: ignore[no-any-return]


def test_imported_and_copied_events_are_chained(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _ledger(cli)
    sheet = tmp_path / "cases.csv"
    sheet.write_text(
        "number,kind,title,deputies,received,department,assigned,due,replied,reply_method,"
        "result,closed\n"
        "2025-0101,suggestion,旧件一,张伟,2025-03-01,第一检察部,2025-03-02,2025-06-01,"
        "2025-05-20,written,A,2025-05-25\n"
        "2025-0102,suggestion,旧件二,张伟,2025-04-01,,,,,,,\n",
        encoding="utf-8",
    )
    cli("import", "cases", str(sheet))
    cli("dept", "add", "第二检察部")  # one appended after the bulk ones
    assert cli("db", "check").stdout == "database is consistent\n"
    events = table_rows(cli.db_url, "events")
    assert [e["prev_id"] for e in events] == [None] + [e["id"] for e in events[:-1]]
    assert table_rows(cli.db_url, "event_chain") == [
        {"id": 1, "event_id": events[-1]["id"], "hash": events[-1]["hash"]}
    ]

    copy = tmp_path / "copy.db"
    cli("db", "copy", "--to", str(copy))
    assert table_rows(str(copy), "events") == events
    assert cli("--db", str(copy), "db", "check").stdout == "database is consistent\n"
    with pytest.raises(Exception, match="append-only"):
        _raw(str(copy), "DELETE FROM events")

    # an imported event forged is found like any other
    _without_triggers(cli.db_url)
    _raw(cli.db_url, "UPDATE events SET happened_on = '2025-05-01' WHERE action = 'case.close'")
    chain = [p["detail"] for p in out_json(cli("db", "check", fmt="json", ok=False))
             if p["check"] == "audit_chain"]  # fmt: skip
    close = next(e["id"] for e in events if e["action"] == "case.close")
    assert chain == [
        f"event {close} (case 2025-0101): changed after it was recorded; its content no "
        f"longer matches its hash (it now reads case.close by {events[0]['actor']})"
    ]


def test_a_dropped_table_or_index_is_named_by_db_check_and_init(cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(cli)
    _raw(cli.db_url, "DROP TABLE round_co_departments", "DROP INDEX ix_events_case")
    out = cli("db", "check", ok=False)
    assert (out.exit_code, out.stdout) == (
        1,
        "check    detail\n"
        "schema   table events lacks index ix_events_case\n"
        "schema   table round_co_departments is missing\n",
    )
    out = cli("init", ok=False)
    assert out.exit_code == 3
    assert out.stderr == (
        f"error: {where(resolve_url(cli.db_url))} is stamped at schema {HEAD_REVISION} "
        "but does not hold it: "
        "table events lacks index ix_events_case; table round_co_departments is missing; "
        "restore it from a backup\n"
    )


def test_an_unknown_revision_is_called_unknown_not_newer(cli) -> None:  # type: ignore[no-untyped-def]
    _ledger(cli)
    _raw(cli.db_url, "UPDATE alembic_version SET version_num = 'abcd'")
    for args in (("init",), ("db", "check"), ("cases",)):
        out = cli(*args, ok=False)
        assert (out.exit_code, out.stdout) == (3, ""), args
        assert out.stderr == (
            f"error: database schema has unknown revision abcd (this liaison knows 0001 to "
            f"{HEAD_REVISION}); nothing was changed\n"
        )


@pytest.mark.skipif(ENGINE != "postgresql", reason="roles and grants of a PostgreSQL server")
def test_a_clerk_with_the_readme_grants_may_append_but_not_update_or_delete(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import psycopg
    from typer.testing import CliRunner

    from liaison_cli.cli.app import app

    tag = uuid.uuid4().hex[:8]
    owner, clerks, clerk, dbname = (f"lo_{tag}", f"lc_{tag}", f"lw_{tag}", f"liaison_g_{tag}")
    # a password each, for a server that asks for one (as .ci/run's does)
    secret = uuid.uuid4().hex
    # the README's set-up, word for word but the names
    _pg_exec(f"CREATE ROLE {owner} LOGIN PASSWORD '{secret}'")
    _pg_exec(f"CREATE ROLE {clerks} NOLOGIN")
    _pg_exec(f"CREATE ROLE {clerk} LOGIN PASSWORD '{secret}' IN ROLE {clerks}")
    _pg_exec(f"CREATE DATABASE {dbname} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0")
    admin = _pg_admin_url(dbname).replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {clerks}"
            )
            conn.execute(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
                f"GRANT USAGE ON SEQUENCES TO {clerks}"
            )
            conn.execute(f"GRANT CREATE ON SCHEMA public TO {owner}")

        def as_role(role: str) -> str:
            assert PG_BASE is not None
            scheme, _, rest = _pg_admin_url(dbname).partition("://")
            return f"{scheme}://{role}:{secret}@{rest.partition('@')[2]}"

        runner = CliRunner()
        for role, args in (
            (owner, ["init"]),
            (clerk, ["dept", "add", "第一检察部"]),
            (clerk, ["deputy", "add", "张伟", "--level", "provincial"]),
            (clerk, ["db", "check"]),
        ):
            done = runner.invoke(app, ["--db", as_role(role), "--lang", "en", *args])
            assert done.exit_code == 0, (args, done.output)
        assert done.stdout == "database is consistent\n"

        clerk_url = as_role(clerk).replace("postgresql+psycopg://", "postgresql://")
        for sql in ("UPDATE events SET actor = 'x'", "DELETE FROM events", "TRUNCATE events"):
            with (
                psycopg.connect(clerk_url) as conn,
                pytest.raises(psycopg.errors.InsufficientPrivilege),
            ):
                conn.execute(sql)
        owner_url = as_role(owner).replace("postgresql+psycopg://", "postgresql://")
        with (
            psycopg.connect(owner_url) as conn,
            pytest.raises(psycopg.errors.RaiseException, match="append-only"),
        ):
            conn.execute("UPDATE events SET actor = 'x'")

        # a grant given back later is named by db check
        with psycopg.connect(owner_url, autocommit=True) as conn:
            conn.execute(f"GRANT UPDATE ON events TO {clerks}")
        done = runner.invoke(app, ["--db", as_role(clerk), "--lang", "en", "db", "check"])
        assert done.exit_code == 1
        assert done.stdout.splitlines()[1:] == [
            f"grants   role {role} may UPDATE or DELETE events: "
            f"REVOKE UPDATE, DELETE, TRUNCATE ON events FROM {role}"
            for role in sorted((clerks, clerk))
        ]
    finally:
        _pg_exec(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        for role in (clerk, clerks, owner):
            _pg_exec(f"DROP ROLE IF EXISTS {role}")
