"""``liaison stats cases``: the rates of the README's Rates section, through the CLI.

Small scenarios (as-of, extensions, reopening) are built with the real CLI.
The worked figures need thousands of cases, so ``ledger`` writes those rows
straight into the tables, the way an imported ledger holds them; every figure
is still read back through ``liaison stats cases``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from helpers import as_json
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from liaison_cli.store import schema as t
from liaison_cli.store.database import Database, resolve_url

CASE_KEYS = [
    "group",
    "received",
    "replied",
    "closed",
    "overdue",
    "satisfied",
    "basic",
    "dissatisfied",
    "result_a",
    "result_b",
    "result_c",
    "result_d",
    "completion_rate",
    "reply_rate",
    "on_time_rate",
    "satisfaction_rate",
    "strict_satisfaction_rate",
    "solve_rate",
    "resolution_rate",
    # added later, after the rates, so that CSV columns keep their places
    "no_feedback",
    "no_result",
    "late_extensions",
]
RATE_KEYS = CASE_KEYS[12:19]


# -- building a ledger fast ------------------------------------------------------


@contextmanager
def connection_on(cli: Any) -> Iterator[Connection]:
    """A Core connection in one transaction on the database the ``cli`` fixture uses."""
    db = Database(resolve_url(cli.db_url))
    try:
        with db.engine.begin() as conn:
            yield conn
    finally:
        db.dispose()


@dataclass
class Row:
    """One case in its first round, as a ledger line."""

    received: date
    lead: str = "张伟"
    kind: str = "suggestion"
    dept: str | None = "第一检察部"
    handler: str | None = None
    assigned: date | None = None
    due: date | None = None
    replied: date | None = None
    result: str | None = None
    closed: date | None = None
    satisfaction: str | None = None


def ledger(cli: Any, rows: list[Row], prefix: str = "L") -> None:
    """Insert ``rows`` as cases (one round each) in three bulk statements."""
    with connection_on(cli) as conn:
        deputies = dict(conn.execute(select(t.deputies.c.name, t.deputies.c.id)).all())
        depts = dict(conn.execute(select(t.departments.c.name, t.departments.c.id)).all())
        staff = dict(conn.execute(select(t.staff.c.name, t.staff.c.id)).all())

        def status(r: Row) -> str:
            if r.closed:
                return "closed"
            if r.replied:
                return "replied"
            return "assigned" if r.assigned else "registered"

        ids = (
            conn.execute(
                insert(t.cases).returning(t.cases.c.id, sort_by_parameter_order=True),
                [
                    {
                        "number": f"{prefix}-{i:05d}",
                        "kind": r.kind,
                        "title": f"case {i}",
                        "received": r.received,
                        "status": status(r),
                        "round": 1,
                        "last_on": r.closed or r.replied or r.assigned or r.received,
                    }
                    for i, r in enumerate(rows)
                ],
            )
            .scalars()
            .all()
        )
        conn.execute(
            insert(t.case_rounds),
            [
                {
                    "case_id": case_id,
                    "round": 1,
                    "started_on": r.received,
                    "department_id": depts[r.dept] if r.dept and r.assigned else None,
                    "handler_id": staff[r.handler] if r.handler else None,
                    "assigned_on": r.assigned,
                    "due_original": r.due,
                    "due": r.due,
                    "replied_on": r.replied,
                    "reply_method": "written" if r.replied else None,
                    "result": r.result,
                    "closed_on": r.closed,
                    "satisfaction": r.satisfaction,
                }
                for case_id, r in zip(ids, rows, strict=True)
            ],
        )
        conn.execute(
            insert(t.case_deputies),
            [
                {"case_id": case_id, "deputy_id": deputies[r.lead], "position": 0}
                for case_id, r in zip(ids, rows, strict=True)
            ],
        )


def office(cli: Any) -> None:
    """Two departments with a handler each and three deputies of three levels."""
    on = ("--date", "2024-01-01")
    cli("dept", "add", "第一检察部", *on)
    cli("dept", "add", "第八检察部", *on)
    cli("staff", "add", "王芳", "--dept", "第一检察部", *on)
    cli("staff", "add", "刘强", "--dept", "第八检察部", *on)
    cli("deputy", "add", "张伟", "--level", "provincial", *on)
    cli("deputy", "add", "李娜", "--level", "county", *on)
    cli("deputy", "add", "陈静", "--level", "national", *on)


def stats(cli: Any, *args: str) -> list[dict[str, Any]]:
    return as_json(cli("stats", "cases", *args, fmt="json"))


def only(rows: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(rows) == 1 and rows[0]["group"] == "total"
    return rows[0]


def counts(row: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(row[k] for k in keys)


def table_row(out: str, label: str) -> list[str]:
    """The cells of the plain-format line whose first cell is ``label``."""
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in:\n{out}")


ASSIGNED = date(2025, 3, 2)
DUE = date(2025, 6, 2)


# -- the worked figures of the rates ---------------------------------------------


def test_completion_rate_20_closed_of_21_received(cli):
    office(cli)
    rows = [
        Row(
            date(2025, 3, 1),
            assigned=ASSIGNED,
            due=DUE,
            replied=date(2025, 5, 1),
            result="A",
            closed=date(2025, 5, 8),
        )
        for _ in range(20)
    ]
    rows.append(Row(date(2025, 3, 1), assigned=ASSIGNED, due=DUE))
    ledger(cli, rows)

    total = only(stats(cli, "--year", "2025", "--as-of", "2025-12-31"))
    assert counts(total, "received", "replied", "closed", "overdue") == (21, 20, 20, 1)
    assert total["completion_rate"] == 95.24
    assert total["reply_rate"] == 95.24
    assert total["on_time_rate"] == 100.0

    out = cli("stats", "cases", "--year", "2025", "--as-of", "2025-12-31", fmt="plain").stdout
    cells = table_row(out, "total")
    assert cells[1:5] == ["21", "20", "20", "1"]
    assert cells[12] == "95.24%"
    assert "completion rate 办结率 = closed ÷ received" in out.splitlines()
    assert "overdue = not replied and due before the as-of date, or before the end of " in out


def test_solve_rate_from_result_classes(cli):
    office(cli)
    classes = {"A": 536, "B": 2560, "C": 775, "D": 416}
    rows = [
        Row(date(2025, 2, 10), assigned=ASSIGNED, due=DUE, replied=date(2025, 5, 20), result=k)
        for k, n in classes.items()
        for _ in range(n)
    ]
    ledger(cli, rows)

    total = only(stats(cli, "--year", "2025", "--as-of", "2025-12-31"))
    assert counts(total, "received", "result_a", "result_b", "result_c", "result_d") == (
        4287,
        536,
        2560,
        775,
        416,
    )
    assert total["solve_rate"] == 72.22
    # 化解率 = A / received: 536 / 4287
    assert total["resolution_rate"] == 12.50
    assert total["completion_rate"] == 0.0

    cells = table_row(
        cli("stats", "cases", "--year", "2025", "--as-of", "2025-12-31", fmt="plain").stdout,
        "total",
    )
    assert cells[8:12] == ["536", "2560", "775", "416"]
    assert cells[17:19] == ["72.22%", "12.50%"]


def test_satisfaction_86_satisfied_7_basic_of_93(cli):
    office(cli)
    closed = {"replied": date(2025, 4, 1), "closed": date(2025, 4, 10), "result": "A"}
    rows = [
        Row(date(2025, 3, 1), assigned=ASSIGNED, due=DUE, satisfaction="satisfied", **closed)
        for _ in range(86)
    ]
    rows += [
        Row(date(2025, 3, 1), assigned=ASSIGNED, due=DUE, satisfaction="basic", **closed)
        for _ in range(7)
    ]
    # closed without feedback: not in the denominator of the satisfaction rates
    rows += [Row(date(2025, 3, 1), assigned=ASSIGNED, due=DUE, **closed) for _ in range(2)]
    ledger(cli, rows)

    total = only(stats(cli, "--year", "2025", "--as-of", "2025-12-31"))
    assert counts(total, "closed", "satisfied", "basic", "dissatisfied") == (95, 86, 7, 0)
    assert total["satisfaction_rate"] == 100.0
    assert total["strict_satisfaction_rate"] == 92.47

    cells = table_row(
        cli("stats", "cases", "--year", "2025", "--as-of", "2025-12-31", fmt="plain").stdout,
        "total",
    )
    assert cells[15:17] == ["100.00%", "92.47%"]


# -- as-of, deadlines, rounds --------------------------------------------------------


def lifecycle(cli: Any) -> None:
    """2026-0001 runs its whole course between January and March 2026."""
    office(cli)
    cli("add-suggestion", "--deputy", "张伟", "--title", "t1", "--received", "2026-01-05")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-01-06")  # due 04-06
    cli("reply", "2026-0001", "--method", "written", "--result", "B", "--date", "2026-03-01")
    cli("close", "2026-0001", "--satisfaction", "basic", "--date", "2026-03-05")
    cli("add-suggestion", "--deputy", "李娜", "--title", "t2", "--received", "2026-03-10")


def test_as_of_ignores_later_events(cli):
    lifecycle(cli)
    keys = ("received", "replied", "closed", "basic", "result_b")
    assert counts(only(stats(cli, "--as-of", "2026-01-04")), *keys) == (0, 0, 0, 0, 0)
    assert counts(only(stats(cli, "--as-of", "2026-02-28")), *keys) == (1, 0, 0, 0, 0)
    assert counts(only(stats(cli, "--as-of", "2026-03-01")), *keys) == (1, 1, 0, 0, 1)
    assert counts(only(stats(cli, "--as-of", "2026-03-05")), *keys) == (1, 1, 1, 1, 1)
    # the second case exists from its receipt on
    assert counts(only(stats(cli, "--as-of", "2026-03-10")), *keys) == (2, 1, 1, 1, 1)
    before = only(stats(cli, "--as-of", "2026-02-28"))
    assert before["reply_rate"] == 0.0
    assert before["on_time_rate"] is None
    assert before["satisfaction_rate"] is None


def test_on_time_with_an_extension_and_overdue(cli):
    office(cli)
    for n in range(1, 4):
        cli("add-suggestion", "--deputy", "张伟", "--title", f"t{n}", "--received", "2026-01-05")
        cli("assign", f"2026-000{n}", "--dept", "第一检察部", "--date", "2026-01-06")
    # 0001: extended before its due date, replied after the old due: on time
    cli(
        "extend", "2026-0001", "--due", "2026-06-30", "--reason", "调查取证", "--date", "2026-03-01"
    )
    cli("reply", "2026-0001", "--method", "written", "--date", "2026-05-15")
    # 0002: replied after its due date: late
    cli("reply", "2026-0002", "--method", "phone", "--date", "2026-04-20")
    # 0003: extended two days after it fell due, never replied
    cli(
        "extend", "2026-0003", "--due", "2026-07-31", "--reason", "补充材料",
        "--date", "2026-04-08", "--late",
    )  # fmt: skip

    # due 04-06 is not overdue on 04-06 itself
    assert only(stats(cli, "--as-of", "2026-04-06"))["overdue"] == 0
    # 0002 and 0003 overdue on 04-07 (0003's extension is dated 04-08), 0001 extended
    assert only(stats(cli, "--as-of", "2026-04-07"))["overdue"] == 2
    assert only(stats(cli, "--as-of", "2026-04-08"))["overdue"] == 1
    # 0002 replied late on 04-20: no longer overdue, counted as replied
    total = only(stats(cli, "--as-of", "2026-05-31"))
    assert counts(total, "received", "replied", "overdue") == (3, 2, 0)
    assert total["on_time_rate"] == 50.0
    assert total["reply_rate"] == 66.67
    # 0003 overdue again after its extended due date
    assert only(stats(cli, "--as-of", "2026-08-01"))["overdue"] == 1


def test_reopened_case_counts_once_in_its_latest_round(cli):
    office(cli)
    cli("add-suggestion", "--deputy", "张伟", "--title", "t", "--received", "2026-01-05")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-01-06")
    cli("reply", "2026-0001", "--method", "written", "--result", "C", "--date", "2026-02-01")
    cli("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-02-05")
    cli("reopen", "2026-0001", "--reason", "代表不满意", "--date", "2026-02-10")  # due 03-10
    keys = ("received", "replied", "closed", "overdue", "dissatisfied", "satisfied", "result_c")

    first = only(stats(cli, "--as-of", "2026-02-09"))
    assert counts(first, *keys) == (1, 1, 1, 0, 1, 0, 1)
    assert first["satisfaction_rate"] == 0.0
    # round 2 under way: nothing replied or closed in it yet
    second = only(stats(cli, "--as-of", "2026-02-20"))
    assert counts(second, *keys) == (1, 0, 0, 0, 0, 0, 0)
    assert second["satisfaction_rate"] is None
    assert only(stats(cli, "--as-of", "2026-03-11"))["overdue"] == 1

    cli("reply", "2026-0001", "--method", "in-person", "--result", "A", "--date", "2026-03-20")
    cli("close", "2026-0001", "--satisfaction", "satisfied", "--date", "2026-03-25")
    final = stats(cli, "--as-of", "2026-03-31", "--by", "handler")
    assert [
        (r["group"], r["received"], r["closed"], r["satisfied"], r["result_a"]) for r in final
    ] == [
        ("王芳", 1, 1, 1, 1),
        ("total", 1, 1, 1, 1),
    ]
    assert final[-1]["on_time_rate"] == 0.0  # round 2 replied after its 03-10 due date
    assert final[-1]["dissatisfied"] == 0


# -- grouping ----------------------------------------------------------------------------


def grouped_ledger(cli: Any) -> None:
    """Four cases of three kinds, levels, departments and months (through the CLI)."""
    office(cli)
    for deputies, kind, received in (
        (["张伟", "陈静"], "suggestion", "2026-01-10"),
        (["李娜"], "关注案件", "2026-01-20"),
        (["陈静", "张伟"], "letter", "2026-02-03"),
        (["张伟"], "suggestion", "2026-02-04"),
    ):
        signers = [arg for name in deputies for arg in ("--deputy", name)]
        cli("add-suggestion", *signers, "--title", "t", "--kind", kind, "--received", received)
    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-01-11")
    cli("assign", "2026-0002", "--dept", "第八检察部", "--handler", "刘强", "--date", "2026-01-21")
    cli("assign", "2026-0003", "--dept", "第一检察部", "--date", "2026-02-04")
    cli("reply", "2026-0001", "--method", "written", "--result", "A", "--date", "2026-02-01")
    cli("close", "2026-0001", "--satisfaction", "satisfied", "--date", "2026-02-02")
    cli("reply", "2026-0003", "--method", "phone", "--result", "D", "--date", "2026-03-01")


def groups(rows: list[dict[str, Any]]) -> list[tuple[Any, int, int, int]]:
    return [(r["group"], r["received"], r["replied"], r["closed"]) for r in rows]


def test_every_grouping(cli):
    grouped_ledger(cli)
    by = {
        g: stats(cli, "--as-of", "2026-03-31", "--by", g)
        for g in ("none", "dept", "handler", "kind", "level", "month")
    }
    total = ("total", 4, 2, 1)
    assert groups(by["none"]) == [total]
    assert groups(by["dept"]) == [
        ("第一检察部", 2, 2, 1),
        ("第八检察部", 1, 0, 0),
        (None, 1, 0, 0),
        total,
    ]
    assert groups(by["handler"]) == [
        ("刘强", 1, 0, 0),
        ("王芳", 1, 1, 1),
        (None, 2, 1, 0),
        total,
    ]
    assert groups(by["kind"]) == [
        ("suggestion", 2, 1, 1),
        ("letter", 1, 1, 0),
        ("concern", 1, 0, 0),
        total,
    ]
    # the lead deputy's level: 陈静 (national) leads 2026-0003, 张伟 (provincial) co-signs
    assert groups(by["level"]) == [
        ("national", 1, 1, 0),
        ("provincial", 2, 1, 1),
        ("county", 1, 0, 0),
        total,
    ]
    assert groups(by["month"]) == [
        ("2026-01", 2, 1, 1),
        ("2026-02", 2, 1, 0),
        total,
    ]
    # rates per group from the group's own counts
    national = by["level"][0]
    assert (national["result_d"], national["solve_rate"], national["resolution_rate"]) == (
        1,
        0.0,
        0.0,
    )
    assert by["dept"][0]["completion_rate"] == 50.0
    for rows in by.values():
        for row in rows:
            assert list(row) == CASE_KEYS


def test_grouped_table_shows_labels_and_dashes(cli):
    grouped_ledger(cli)
    out = cli("stats", "cases", "--as-of", "2026-03-31", "--by", "kind", fmt="plain").stdout
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["kind", "received", "replied"]
    concern = next(line for line in lines if line.startswith("case of concern"))
    # received 1, nothing replied: on-time, satisfaction … solve are undefined
    assert concern.split()[3:] == [
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0.00%",
        "0.00%",
        "—",
        "—",
        "—",
        "—",
        "0.00%",
        "0",
        "0",
        "0",
    ]
    assert table_row(out, "total")[1:5] == ["4", "2", "1", "0"]

    out = cli("stats", "cases", "--as-of", "2026-03-31", "--by", "dept", fmt="plain").stdout
    assert table_row(out, "(unassigned)")[1] == "1"
    out = cli("stats", "cases", "--as-of", "2026-03-31", "--by", "level", fmt="table").stdout
    assert "provincial" in out and "Rates" in out and "solve rate 解决率" in out


def test_period_filters(cli):
    grouped_ledger(cli)
    as_of = ("--as-of", "2026-03-31")
    assert only(stats(cli, *as_of, "--from", "2026-01-15", "--to", "2026-02-03"))["received"] == 2
    assert only(stats(cli, *as_of, "--from", "2026-02-01"))["received"] == 2
    assert only(stats(cli, *as_of, "--to", "2026-01-10"))["received"] == 1
    assert only(stats(cli, *as_of, "--year", "2026"))["received"] == 4
    assert only(stats(cli, *as_of, "--year", "2025"))["received"] == 0


# -- nothing to divide by, bad input -----------------------------------------------------


def test_empty_period_gives_nulls_and_dashes(cli):
    total = only(stats(cli, "--year", "2024", "--as-of", "2026-11-22"))
    assert total == dict(
        {k: 0 for k in CASE_KEYS[1:12] + CASE_KEYS[19:]},
        group="total",
        **{k: None for k in RATE_KEYS},
    )
    assert list(total) == CASE_KEYS
    cells = table_row(cli("stats", "cases", "--year", "2024", fmt="plain").stdout, "total")
    assert cells[1:] == ["0"] * 11 + ["—"] * 7 + ["0"] * 3
    out = cli("stats", "cases", "--by", "dept", fmt="csv").stdout
    assert out.splitlines()[0] == ",".join(CASE_KEYS)
    assert out.splitlines()[1:] == ["total," + ",".join(["0"] * 11 + [""] * 7 + ["0"] * 3)]


def test_bad_options(cli):
    bad = cli("stats", "cases", "--year", "2026", "--from", "2026-01-01", ok=False)
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ")
    assert bad.stdout == ""
    bad = cli("stats", "cases", "--from", "2026-05-01", "--to", "2026-04-01", ok=False)
    assert bad.exit_code == 1 and "after" in bad.stderr
    assert cli("stats", "cases", "--by", "deputy", ok=False).exit_code == 1
    bad = cli("stats", "cases", "--as-of", "someday", ok=False)
    assert bad.exit_code == 1 and bad.stderr.startswith("error: cannot read date")


def test_handlers_sharing_a_name_stay_apart(cli):
    office(cli)
    cli("staff", "add", "王芳", "--dept", "第八检察部", "--date", "2024-01-01")  # staff id 3
    for n, dept, handler in (
        (1, "第一检察部", "1"),
        (2, "第八检察部", "3"),
        (3, "第八检察部", "3"),
    ):
        cli("add-suggestion", "--deputy", "张伟", "--title", "t", "--received", f"2026-01-0{n}")
        cli("assign", f"2026-000{n}", "--dept", dept, "--handler", handler, "--date", "2026-01-09")
    rows = stats(cli, "--as-of", "2026-01-31", "--by", "handler")
    assert [(r["group"], r["received"]) for r in rows] == [
        # as the ambiguous-name error tells them apart: by department
        ("王芳（第一检察部）", 1),
        ("王芳（第八检察部）", 2),
        ("total", 3),
    ]


def test_departments_in_ordinal_order(cli):
    """第一 … 第十, 第十一, not by code point (第一, 第七, 第三, 第九, 第二 …)."""
    office(cli)
    for name in ("第十一检察部", "第二检察部", "第十检察部", "第七检察部"):
        cli("dept", "add", name, "--date", "2024-01-01")
    depts = ("第十一检察部", "第二检察部", "第八检察部", "第十检察部", "第一检察部", "第七检察部")
    for n, dept in enumerate(depts, start=1):
        cli("add-suggestion", "--deputy", "李娜", "--title", "t", "--received", f"2026-01-0{n}")
        cli("assign", f"2026-000{n}", "--dept", dept, "--date", "2026-01-09")
    rows = stats(cli, "--as-of", "2026-01-31", "--by", "dept")
    assert [r["group"] for r in rows] == [
        "第一检察部",
        "第二检察部",
        "第七检察部",
        "第八检察部",
        "第十检察部",
        "第十一检察部",
        "total",
    ]
    listed = as_json(cli("dept", "list", fmt="json"))
    assert [r["name"] for r in listed] == [r["group"] for r in rows[:-1]]
