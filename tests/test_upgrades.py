"""Upgrading a populated ledger from every past schema revision loses nothing.

For each revision before the head, the test's database is taken down to an
empty schema, migrated up to that revision only, filled with a small but
complete ledger written in plain SQL against the tables as they were then
(every table has rows), and upgraded with ``liaison db upgrade``. Every row
must come through unchanged, the CLI must read and write the result, and
``liaison db check`` must find it consistent.

A migration that fails part-way (a throwaway revision that creates a table,
rewrites rows, rebuilds a table and then raises) must leave the database at
its old revision with exactly its old content.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from conftest import ENGINE
from dbtools import dump, file_digest
from sqlalchemy import MetaData

from liaison_cli.store import database as dbmod
from liaison_cli.store import migrate
from liaison_cli.store.database import Database, resolve_url

D = date.fromisoformat

# The ledger written at revision 0001, table by table in insertion order. Ids
# are left to the database (fresh tables number from 1), so PostgreSQL's
# sequences stay in step and the CLI can add rows afterwards.
LEDGER_0001: list[tuple[str, list[dict[str, Any]]]] = [
    ("departments", [{"name": "第一检察部"}, {"name": "第八检察部"}]),
    ("staff", [{"name": "王芳", "department_id": 1}, {"name": "刘强", "department_id": 2}]),
    (
        "deputies",
        [
            {
                "name": "张伟",
                "body": "npc",
                "level": "provincial",
                "term": 14,
                "delegation": "省代表团",
                "unit": "省交通厅",
                "sector": "交通",
                "phone": "13900000001",
                "address": "省府路1号",
                "liaison_id": 1,
            },
            {
                "name": "李娜",
                "body": "cppcc",
                "level": "county",
                "term": None,
                "delegation": None,
                "unit": None,
                "sector": None,
                "phone": None,
                "address": None,
                "liaison_id": None,
            },
        ],
    ),  # fmt: skip
    ("case_counters", [{"year": 2025, "last": 2}]),
    (
        "cases",
        [
            {
                "number": "2025-0001",
                "kind": "suggestion",
                "title": "关于加强未成年人司法保护的建议",
                "content": "全文",
                "key": True,
                "complex": False,
                "received": D("2025-03-01"),
                "status": "closed",
                "round": 1,
                "proc_due": None,
                "proc_replied_on": None,
                "last_on": D("2025-05-10"),
            },
            {
                "number": "2025-0002",
                "kind": "letter",
                "title": "来信",
                "content": None,
                "key": False,
                "complex": False,
                "received": D("2025-04-01"),
                "status": "assigned",
                "round": 1,
                "proc_due": D("2025-04-08"),
                "proc_replied_on": D("2025-04-05"),
                "last_on": D("2025-06-20"),
            },
        ],
    ),
    (
        "case_deputies",
        [
            {"case_id": 1, "deputy_id": 1, "position": 0},
            {"case_id": 1, "deputy_id": 2, "position": 1},
            {"case_id": 2, "deputy_id": 2, "position": 0},
        ],
    ),
    (
        "case_rounds",
        [
            {
                "case_id": 1,
                "round": 1,
                "started_on": D("2025-03-01"),
                "superseded_on": None,
                "department_id": 1,
                "handler_id": 1,
                "assigned_on": D("2025-03-02"),
                "due_original": D("2025-06-02"),
                "due": D("2025-06-02"),
                "replied_on": D("2025-05-01"),
                "reply_method": "written",
                "reply_summary": "已答复",
                "result": "A",
                "closed_on": D("2025-05-10"),
                "satisfaction": "satisfied",
            },
            {
                "case_id": 2,
                "round": 1,
                "started_on": D("2025-04-01"),
                "superseded_on": None,
                "department_id": 2,
                "handler_id": 2,
                "assigned_on": D("2025-04-02"),
                "due_original": D("2025-07-02"),
                "due": D("2025-08-01"),
                "replied_on": None,
                "reply_method": None,
                "reply_summary": None,
                "result": None,
                "closed_on": None,
                "satisfaction": None,
            },
        ],
    ),
    ("round_co_departments", [{"round_id": 1, "department_id": 2}]),
    (
        "extensions",
        [
            {
                "round_id": 2,
                "extended_on": D("2025-06-20"),
                "old_due": D("2025-07-02"),
                "new_due": D("2025-08-01"),
                "reason": "需要调查",
                "actor": "王芳",
            }
        ],
    ),
    ("contacts", [{"held_on": D("2025-03-15"), "type": "visit", "staff_id": 1, "summary": "走访"}]),
    ("contact_deputies", [{"contact_id": 1, "deputy_id": 1}, {"contact_id": 1, "deputy_id": 2}]),
    (
        "events",
        [
            {
                "recorded_at": datetime(2025, 3, 1, 9, 0, 0),
                "happened_on": D(day),
                "actor": "王芳",
                "action": action,
                "entity": entity,
                "entity_id": eid,
                "case_id": case_id,
                "round": 1 if case_id else None,
                "details": None,
            }
            for day, action, entity, eid, case_id in [
                ("2025-03-01", "dept.add", "department", 1, None),
                ("2025-03-01", "dept.add", "department", 2, None),
                ("2025-03-01", "deputy.add", "deputy", 1, None),
                ("2025-03-01", "deputy.add", "deputy", 2, None),
                ("2025-03-01", "case.add", "case", 1, 1),
                ("2025-03-02", "case.assign", "case", 1, 1),
                ("2025-03-15", "contact.add", "contact", 1, None),
                ("2025-04-01", "case.add", "case", 2, 2),
                ("2025-04-02", "case.assign", "case", 2, 2),
                ("2025-04-05", "case.procedural_reply", "case", 2, 2),
                ("2025-05-01", "case.reply", "case", 1, 1),
                ("2025-05-10", "case.close", "case", 1, 1),
                ("2025-06-20", "case.extend", "case", 2, 2),
            ]
        ],
    ),  # fmt: skip
]

# Every revision before the head needs its ledger here. A revision that only
# adds indexes may reuse the previous one's rows (``LEDGERS["0002"] =
# LEDGER_0001``); one that changes tables needs rows that fit its tables.


def _chained(ledger: list[tuple[str, list[dict[str, Any]]]]) -> list[tuple[str, Any]]:
    """The ledger as 0004 holds it: its events in the hash chain, and the chain's head."""
    from liaison_cli.store import chain

    out: list[tuple[str, Any]] = []
    for name, rows in ledger:
        if name != "events":
            out.append((name, rows))
            continue
        head = chain.Head(None, None)
        fields = [f for f in chain.CONTENT if f != "prev_id"]
        sealed = chain.chain_rows(
            head, range(1, len(rows) + 1), [[r[f] for f in fields] for r in rows]
        )
        out.append(
            (
                name,
                [{**r, "prev_id": c[1], "hash": c[2]} for c, r in zip(sealed, rows, strict=True)],
            )
        )
        out.append(("event_chain", [{"id": chain.HEAD_ID, "event_id": head.event_id,
                                      "hash": head.hash}]))  # fmt: skip
    return out


LEDGERS = {
    "0001": LEDGER_0001,
    "0002": LEDGER_0001,
    "0003": LEDGER_0001,
    "0004": _chained(LEDGER_0001),
}
PAST = dbmod.KNOWN_REVISIONS[:-1]


def _config(script_location: Path | None = None) -> Config:
    cfg = Config()
    where = script_location or dbmod.migrations_dir()
    cfg.set_main_option("script_location", str(where).replace("%", "%%"))
    return cfg


def _at_revision(db: str, rev: str) -> None:
    """Take the database down to nothing, then up to ``rev`` only."""
    database = Database(resolve_url(db))
    try:
        cfg = _config()
        with database.engine.connect() as conn, conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
            command.upgrade(cfg, rev)
    finally:
        database.dispose()


def _fill(db: str, ledger: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """Insert the ledger into the tables as they are now (reflected, not our models)."""
    database = Database(resolve_url(db))
    try:
        meta = MetaData()
        meta.reflect(database.engine)
        assert set(meta.tables) - {"alembic_version"} == {name for name, _ in ledger}, (
            "the ledger must fill every table of its revision"
        )
        with database.engine.connect() as conn, conn.begin():
            for name, rows in ledger:
                conn.execute(meta.tables[name].insert(), rows)
    finally:
        database.dispose()


def _revision(db: str) -> str | None:
    database = Database(resolve_url(db))
    try:
        return database.current_revision()
    finally:
        database.dispose()


def test_every_past_revision_has_a_ledger_to_upgrade() -> None:
    assert set(LEDGERS) == set(PAST)


@pytest.mark.parametrize("rev", PAST)
def test_a_populated_ledger_upgrades_from_every_past_revision(cli, rev: str) -> None:
    _at_revision(cli.db_url, rev)
    _fill(cli.db_url, LEDGERS[rev])
    assert _revision(cli.db_url) == rev
    before = dump(cli.db_url)

    out = cli("db", "upgrade")
    where = cli.db_url if ENGINE == "sqlite" else None
    if where:
        assert out.stdout == f"upgraded {where} from schema {rev} to {dbmod.HEAD_REVISION}\n"
    else:
        assert out.stdout.startswith("upgraded postgresql+psycopg://")
    assert _revision(cli.db_url) == dbmod.HEAD_REVISION

    # every row of every table came through unchanged (the events gained
    # their place in the hash chain, prev_id and hash, as their last columns)
    after = dump(cli.db_url)
    for table, rows in before.items():
        if table == "alembic_version":
            continue
        width = len(rows[0]) if rows else 0
        assert [r[:width] for r in after[table]] == rows, table
    if rev < "0004":
        chained = sorted(after["events"], key=lambda r: r[0])
        assert [r[-2] for r in chained] == [None] + [r[0] for r in chained[:-1]]
        assert all(len(r[-1]) == 64 for r in chained)
        assert after["event_chain"] == [(1, chained[-1][0], chained[-1][-1])]
    assert sum(len(r) for t, r in before.items() if t != "alembic_version") == sum(
        len(rows) for _, rows in LEDGERS[rev]
    )

    # the CLI reads the old rows as the ledger they are, and writes on top of them
    assert cli("db", "check", fmt="json").stdout == "[]\n"
    cases = {r["number"]: r for r in json.loads(cli("cases", fmt="json").stdout)}
    assert {n: (r["status"], r["due"], r["deputies"]) for n, r in cases.items()} == {
        "2025-0001": ("closed", "2025-06-02", "张伟、李娜"),
        "2025-0002": ("assigned", "2025-08-01", "李娜"),
    }
    shown = cli("show", "2025-0002").stdout
    assert "需要调查" in shown and "2025-07-02" in shown
    cli("remind", "2025-0002", "--date", "2025-07-01")
    added = json.loads(
        cli("add-suggestion", "--deputy", "张伟", "--title", "新件", "--received", "2025-09-01",
            fmt="json").stdout
    )[0]  # fmt: skip
    assert (added["id"], added["number"]) == (3, "2025-0003")
    assert cli("db", "check").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("deputy", "list"),
        ("cases",),
        ("overdue",),
        ("show", "2025-0001"),
        ("stats", "cases"),
        ("dept", "add", "第二检察部"),
        ("add-suggestion", "--deputy", "张伟", "--title", "新件", "--received", "2025-09-01"),
        ("remind", "2025-0002", "--date", "2025-07-01"),
        ("log-contact", "--deputy", "张伟", "--type", "visit", "--date", "2025-07-01"),
        ("import", "deputies", "deputies.csv"),
    ],
    ids=" ".join,
)
def test_a_command_on_an_older_schema_asks_for_db_upgrade_and_changes_nothing(
    cli, args: tuple[str, ...], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Read and write commands alike: none migrates (nor backs up) an older file."""
    rev = "0002"
    _at_revision(cli.db_url, rev)
    _fill(cli.db_url, LEDGERS[rev])
    if args[0] == "import":
        sheet = tmp_path_factory.mktemp("sheets") / args[-1]
        sheet.write_text("name,level\n王五,provincial\n", encoding="utf-8")
        args = (*args[:-1], str(sheet))
    before = dump(cli.db_url)
    path = Path(cli.db_url)
    digest = file_digest(path) if ENGINE == "sqlite" else None
    siblings = sorted(p.name for p in path.parent.iterdir()) if ENGINE == "sqlite" else None

    out = cli(*args, ok=False)
    assert (out.exit_code, out.stdout) == (3, "")
    assert out.stderr == (
        f"error: database schema {rev} is older than this liaison's {dbmod.HEAD_REVISION}; "
        "run liaison db upgrade\n"
    )
    assert _revision(cli.db_url) == rev
    assert dump(cli.db_url) == before
    if ENGINE == "sqlite":
        assert file_digest(path) == digest
        # no backup, no side file
        assert sorted(p.name for p in path.parent.iterdir()) == siblings


@pytest.mark.skipif(ENGINE != "sqlite", reason="the backup beside the file is for SQLite files")
def test_db_upgrade_backs_up_an_older_sqlite_file_beside_it_first(cli) -> None:
    rev = PAST[-1]
    _at_revision(cli.db_url, rev)
    _fill(cli.db_url, LEDGERS[rev])
    before = dump(cli.db_url)
    db = Path(cli.db_url)

    out = cli("db", "upgrade")
    m = re.fullmatch(r"backup written to (.+)\n", out.stderr)
    assert m, out.stderr
    backup = Path(m.group(1))
    assert backup.parent == db.parent
    assert re.fullmatch(re.escape(db.name) + r"\.\d{8}-\d{6}\.bak", backup.name)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    # the copy is the ledger as it was: old revision, same rows
    assert _revision(str(backup)) == rev
    assert dump(str(backup)) == before
    assert _revision(cli.db_url) == dbmod.HEAD_REVISION

    # at head there is nothing to do and nothing to back up
    again = cli("db", "upgrade")
    assert again.stderr == ""
    assert again.stdout == f"{db} is up to date (schema {dbmod.HEAD_REVISION})\n"
    assert sorted(p.name for p in db.parent.glob("*.bak")) == [backup.name]


BOGUS = '''"""a migration that fails part-way (test only)"""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    op.execute("UPDATE cases SET title = 'overwritten'")
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("half", sa.Integer, nullable=True))
    raise RuntimeError("simulated failure in the middle of a migration")


def downgrade() -> None:
    pass
'''


def test_a_migration_failing_part_way_leaves_the_old_revision_unchanged(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "张伟", "--level", "provincial")
    cli("add-suggestion", "--deputy", "张伟", "--title", "原来的标题", "--received", "2026-01-05")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-01-06")
    before = dump(cli.db_url)
    old_head = dbmod.HEAD_REVISION

    # the real migrations plus one that breaks, in a temporary copy
    scripts = tmp_path / "migrations"
    shutil.copytree(dbmod.migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_half_done.py").write_text(BOGUS.format(head=old_head))
    monkeypatch.setattr(migrate, "migrations_dir", lambda: scripts)
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", (*dbmod.KNOWN_REVISIONS, "9999"))
    monkeypatch.setattr(migrate, "HEAD_REVISION", "9999")

    out = cli("db", "upgrade", ok=False)
    assert (out.exit_code, out.stdout) == (3, "")
    lines = out.stderr.splitlines()
    assert lines[-1] == (
        "error: the schema upgrade failed and was rolled back; the database is unchanged: "
        "RuntimeError: simulated failure in the middle of a migration"
    )
    if ENGINE == "sqlite":
        # the copy was made, and said, before the attempt
        assert len(lines) == 2 and lines[0].startswith("backup written to ")
        assert dump(lines[0][len("backup written to ") :]) == before
    else:
        assert len(lines) == 1

    assert _revision(cli.db_url) == old_head
    assert dump(cli.db_url) == before  # no half_done table, no changed title or column
    if ENGINE == "sqlite":
        conn = sqlite3.connect(cli.db_url)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()

    # with the broken revision gone the ledger works as before
    monkeypatch.undo()
    assert cli("show", "2026-0001").stdout.count("原来的标题") == 1
    assert cli("db", "check").exit_code == 0
