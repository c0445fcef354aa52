"""``stats cases`` reads its indexes as its speed needs, and counts the same.

The case table of all cases by department, handler or none is two small
aggregates over the rounds' index ``ix_case_rounds_stats_groups`` (the inner
one streams its groups off the index); the tables that join the cases read
``ix_case_rounds_stats_cases`` in case order. Both shapes must give exactly
the figures a count by hand gives, on both engines, and a database made
before these indexes (revision 0002) must give the same figures after its
upgrade. The plans are checked on SQLite, the engine that relies on them.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from conftest import ENGINE
from helpers import as_json
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from test_stats import Row, ledger, office
from typer.testing import CliRunner

from liaison_cli.cli.app import app
from liaison_cli.services.stats import COUNT_KEYS, case_table
from liaison_cli.store import database as dbmod
from liaison_cli.store.database import Database, resolve_url

SAMPLE = Path(__file__).resolve().parent.parent / "sample.db"
sqlite_only = pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's query plans")

DEPTS = ["第一检察部", "第八检察部", None]
HANDLERS = ["王芳", "刘强", None]
SATISFACTIONS = ["satisfied", "basic", "dissatisfied", None]
RESULTS = ["A", "B", "C", "D", None]
AS_OF_DATES = [date(2025, 3, 1), date(2025, 9, 15), date(2026, 1, 31), date(2026, 11, 20)]


def random_rows(seed: int, n: int) -> list[Row]:
    """Cases at every stage, with dates on both sides of the as-of dates above."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        received = date(2024, 11, 1) + timedelta(days=rng.randrange(700))
        row = Row(received=received, dept=rng.choice(DEPTS), handler=rng.choice(HANDLERS))
        if rng.random() < 0.85:
            row.assigned = received + timedelta(days=rng.randrange(10))
            row.due = row.assigned + timedelta(days=90) if rng.random() < 0.9 else None
            if rng.random() < 0.75:
                row.replied = row.assigned + timedelta(days=rng.randrange(150))
                row.result = rng.choice(RESULTS)
                if rng.random() < 0.8:
                    row.closed = row.replied + timedelta(days=rng.randrange(30))
                    row.satisfaction = rng.choice(SATISFACTIONS)
        rows.append(row)
    return rows


def by_hand(rows: list[Row], as_of: date, by: str) -> dict[Any, dict[str, int]]:
    """The counts of the README's Rates section, one case (one round) at a time."""

    def on_or_before(day: date | None) -> bool:
        return day is not None and day <= as_of

    out: dict[Any, dict[str, int]] = {}
    for r in rows:
        if r.received > as_of:
            continue
        if by == "dept":
            group = r.dept if r.assigned else None
        elif by == "handler":
            group = r.handler
        else:
            group = "total"
        c = out.setdefault(group, dict.fromkeys(COUNT_KEYS, 0))
        replied, closed = on_or_before(r.replied), on_or_before(r.closed)
        c["received"] += 1
        c["replied"] += replied
        c["closed"] += closed
        c["overdue"] += (
            on_or_before(r.assigned) and not replied and r.due is not None and r.due < as_of
        )
        for s in ("satisfied", "basic", "dissatisfied"):
            c[s] += closed and r.satisfaction == s
        for x in "ABCD":
            c[f"result_{x.lower()}"] += replied and r.result == x
        c["no_feedback"] += closed and r.satisfaction is None
        c["no_result"] += replied and r.result is None
        # the ledger is imported: no extension, late or not
    return out


def stats(cli: Any, *args: str) -> list[dict[str, Any]]:
    return as_json(cli("stats", "cases", *args, fmt="json"))


def test_both_query_shapes_count_what_a_count_by_hand_counts(cli):
    office(cli)
    rows = random_rows(8, 400)
    ledger(cli, rows)
    for as_of in AS_OF_DATES:
        for by in ("none", "dept", "handler"):
            streamed = stats(cli, "--as-of", as_of.isoformat(), "--by", by)
            # a period that holds every case takes the join instead
            joined = stats(cli, "--as-of", as_of.isoformat(), "--by", by, "--from", "2000-01-01")
            assert streamed == joined, (as_of, by)
            expected = by_hand(rows, as_of, by)
            got = {r["group"]: {k: r[k] for k in COUNT_KEYS} for r in streamed[:-1]}
            if by == "none":
                got = {"total": {k: streamed[-1][k] for k in COUNT_KEYS}}
            assert got == expected, (as_of, by)


def test_both_query_shapes_agree_on_the_sample_office(tmp_path):
    """The sample's extensions, reopened cases and unassigned ones, at several dates."""
    copy = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE, copy)
    runner = CliRunner()

    def figures(*args: str) -> list[dict[str, Any]]:
        out = runner.invoke(app, ["--db", str(copy), "--format", "json", "stats", "cases", *args])
        assert out.exit_code == 0, out.stderr
        return json.loads(out.stdout)

    for as_of in ("2024-06-30", "2025-07-15", "2026-03-31", "2026-11-20"):
        for by in ("none", "dept", "handler"):
            streamed = figures("--as-of", as_of, "--by", by)
            assert streamed[-1]["received"] > 0
            assert streamed == figures("--as-of", as_of, "--by", by, "--from", "2000-01-01")


# -- the plans (SQLite) --------------------------------------------------------------------


@contextmanager
def statements() -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement run (in this process) while the block runs."""
    seen: list[tuple[str, Any]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", grab)


def plan_of(cli: Any, *args: str) -> list[tuple[int, int, str]]:
    """(id, parent, detail) of the plan of the statement ``stats cases`` aggregates with."""
    with statements() as seen:
        cli("stats", "cases", "--as-of", "2026-11-20", *args, fmt="json")
    aggregates = [(sql, p) for sql, p in seen if "case_rounds" in sql and "count(*)" in sql]
    assert len(aggregates) == 1, [sql for sql, _ in seen]
    sql, params = aggregates[0]
    con = sqlite3.connect(cli.db_url)
    try:
        return [(i, parent, detail) for i, parent, _, detail in con.execute(
            "EXPLAIN QUERY PLAN " + sql, params
        )]  # fmt: skip
    finally:
        con.close()


def below(plan: list[tuple[int, int, str]], top: int) -> list[str]:
    """The details of the plan's steps under step ``top``, at any depth."""
    under = {top}
    out = []
    for i, parent, detail in plan:  # a step comes after its parent
        if parent in under:
            under.add(i)
            out.append(detail)
    return out


@sqlite_only
@pytest.mark.parametrize("by", ["none", "dept", "handler"])
def test_all_cases_stream_their_groups_off_the_groups_index(cli, by):
    office(cli)
    ledger(cli, random_rows(9, 50))
    plan = plan_of(cli, "--by", by)
    details = [d for _, _, d in plan]
    scans = [d for d in details if "case_rounds" in d]
    assert scans == ["SCAN case_rounds USING COVERING INDEX ix_case_rounds_stats_groups"], details
    # the inner aggregate, over every round, sorts nothing; only the few
    # hundred groups it yields may be sorted again for the outer one
    (inner,) = [i for i, _, d in plan if d.startswith("CO-ROUTINE")]
    assert not [d for d in below(plan, inner) if "TEMP B-TREE FOR GROUP BY" in d], details
    assert not [d for d in details if "TEMP B-TREE FOR DISTINCT" in d], details


@sqlite_only
@pytest.mark.parametrize(
    "args",
    [
        ("--by", "kind"),
        ("--by", "level"),
        ("--by", "month"),
        ("--by", "dept", "--year", "2025"),
        ("--by", "none", "--year", "2025"),
    ],
)
def test_tables_joining_the_cases_read_the_rounds_in_case_order(cli, args):
    office(cli)
    ledger(cli, random_rows(10, 50))
    details = [d for _, _, d in plan_of(cli, *args)]
    rounds = [d for d in details if "case_rounds" in d]
    assert len(rounds) == 1, details
    assert "USING COVERING INDEX ix_case_rounds_stats_cases" in rounds[0], details
    # the cases are read in their stored order or found by id, never scanned
    # in another index's order and looked up at random
    assert [d for d in details if " cases " in f" {d} "] in (
        ["SEARCH cases USING INTEGER PRIMARY KEY (rowid=?)"],
        ["SEARCH cases USING COVERING INDEX ix_cases_listing (received>? AND received<?)"],
        ["SEARCH cases USING INDEX ix_cases_listing (received>? AND received<?)"],
    ), details


# -- from revision 0002 ------------------------------------------------------------------------


STATS_INDEXES_0002 = {"ix_case_rounds_stats", "ix_case_rounds_department_id"}
STATS_INDEXES_0003 = {"ix_case_rounds_stats_groups", "ix_case_rounds_stats_cases"}
GROUPINGS = ("none", "dept", "handler", "kind", "level", "month")


def _plain_engine(db: str) -> Database:
    return Database(resolve_url(db))


def stats_indexes(db: str) -> set[str]:
    """The names of the rounds' indexes that 0003 replaces or adds."""
    database = _plain_engine(db)
    try:
        with database.engine.connect() as conn:
            names = {ix["name"] for ix in inspect(conn).get_indexes("case_rounds")}
    finally:
        database.dispose()
    return {n for n in names if n in STATS_INDEXES_0002 | STATS_INDEXES_0003}


def figures_without_the_cli(db: str, as_of: date) -> dict[str, list[dict[str, Any]]]:
    """The case tables straight from the service, on a connection that migrates nothing."""
    database = _plain_engine(db)
    try:
        with database.engine.connect() as conn:
            return {
                by: [
                    asdict(row)
                    for row in case_table(conn, date_from=None, date_to=None, as_of=as_of, by=by)
                ]
                for by in GROUPINGS
            }
    finally:
        database.dispose()


def downgrade_to(db: str, rev: str) -> None:
    database = _plain_engine(db)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(dbmod.migrations_dir()).replace("%", "%%"))
        with database.engine.connect() as conn, conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, rev)
    finally:
        database.dispose()


def test_a_database_at_0002_upgrades_to_the_stats_indexes_with_the_same_figures(cli):
    office(cli)
    ledger(cli, random_rows(11, 200))
    as_of = date(2026, 1, 31)
    at_head = {by: stats(cli, "--as-of", as_of.isoformat(), "--by", by) for by in GROUPINGS}
    assert stats_indexes(cli.db_url) == STATS_INDEXES_0003

    downgrade_to(cli.db_url, "0002")
    assert stats_indexes(cli.db_url) == STATS_INDEXES_0002
    assert figures_without_the_cli(cli.db_url, as_of) == at_head

    cli("db", "upgrade")
    assert cli("db", "current").stdout.startswith(dbmod.HEAD_REVISION)
    assert stats_indexes(cli.db_url) == STATS_INDEXES_0003
    after = {by: stats(cli, "--as-of", as_of.isoformat(), "--by", by) for by in GROUPINGS}
    assert after == at_head
