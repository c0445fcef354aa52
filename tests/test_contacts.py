"""``liaison log-contact``, ``liaison contacts`` and ``liaison stats contacts``."""

from __future__ import annotations

from typing import Any

from helpers import as_json
from sqlalchemy import func, select

from liaison_cli.store import schema
from liaison_cli.store.database import Database, resolve_url
from liaison_cli.store.uow import unit_of_work

CONTACT_KEYS = ["id", "date", "type", "deputies", "staff", "summary"]


def registry(cli: Any) -> None:
    cli("dept", "add", "办公室")
    cli("staff", "add", "赵敏", "--dept", "办公室")
    cli("deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅")
    cli("deputy", "add", "张伟", "--level", "municipal", "--unit", "市第一中学")
    cli("deputy", "add", "李娜", "--level", "provincial")
    cli("deputy", "add", "王磊", "--level", "provincial")
    cli("deputy", "add", "陈静", "--level", "county")


def db_counts(cli: Any) -> tuple[int, int, int]:
    """Contacts, person-times and contact events in the database."""
    db = Database(resolve_url(cli.db_url))
    try:
        with unit_of_work(db) as conn:
            return (
                conn.scalar(select(func.count()).select_from(schema.contacts)),
                conn.scalar(select(func.count()).select_from(schema.contact_deputies)),
                conn.scalar(select(func.count()).where(schema.events.c.action == "contact.add")),
            )
    finally:
        db.dispose()


def test_log_contact_with_several_deputies(cli):
    registry(cli)
    out = cli(
        "log-contact",
        "--deputy", "1",
        "--deputy", "李娜",
        "--type", "座谈会",
        "--date", "2026-03-15",
        "--staff", "赵敏",
        "--summary", "通报上半年检察工作",
    )  # fmt: skip
    assert (
        out.stdout.strip()
        == "logged contact 1: symposium on 2026-03-15 with 张伟（省交通厅）、李娜"
    )
    row = as_json(
        cli("log-contact", "--deputy", "陈静", "--deputy", "陈静", "--type", "bulletin",
            "--date", "2026年4月1日", fmt="json")
    )  # fmt: skip
    # the same deputy twice is one person-time
    assert row == [
        {"id": 2, "date": "2026-04-01", "type": "bulletin", "deputies": "陈静", "staff": None,
         "summary": None}
    ]  # fmt: skip
    assert db_counts(cli) == (2, 3, 2)


def test_log_contact_errors_change_nothing(cli):
    registry(cli)
    cli("log-contact", "--deputy", "李娜", "--type", "visit", "--date", "2026-01-05")
    before = db_counts(cli)

    bad = cli("log-contact", "--deputy", "张伟", "--type", "visit", ok=False)
    assert bad.exit_code == 1
    assert bad.stderr.splitlines()[0] == "error: '张伟' matches 2 deputies; use the id"
    assert "省交通厅" in bad.stderr and "市第一中学" in bad.stderr

    bad = cli("log-contact", "--deputy", "李娜", "--deputy", "无名", "--type", "visit", ok=False)
    assert (bad.exit_code, bad.stderr.strip()) == (1, "error: unknown deputy '无名'")

    bad = cli("log-contact", "--deputy", "李娜", "--type", "dinner", ok=False)
    assert bad.exit_code == 1 and bad.stderr.startswith("error: invalid contact type 'dinner'")

    bad = cli("log-contact", "--deputy", "李娜", "--type", "visit", "--staff", "无人", ok=False)
    assert bad.exit_code == 1 and "unknown staff member" in bad.stderr

    bad = cli("log-contact", "--deputy", "李娜", "--type", "visit", "--summary", "a\x00b", ok=False)
    assert bad.exit_code == 1 and "control characters" in bad.stderr

    bad = cli(
        "log-contact", "--deputy", "李娜", "--type", "visit", "--date", "2026-02-30", ok=False
    )
    assert (bad.exit_code, bad.stderr.strip()) == (1, "error: no such date: 2026-02-30")

    bad = cli("log-contact", "--type", "visit", ok=False)
    assert (bad.exit_code, bad.stderr) == (1, "error: at least one deputy is required\n")
    assert db_counts(cli) == before


def log_year(cli: Any) -> None:
    """Five contacts of 2026 and one of 2025."""
    registry(cli)
    log = [
        ("2025-12-20", "visit", ["李娜"], None),
        ("2026-01-10", "visit", ["1", "李娜"], "赵敏"),
        ("2026-01-25", "symposium", ["1", "2", "李娜", "陈静"], "赵敏"),
        ("2026-02-03", "bulletin", ["1", "2", "李娜", "王磊", "陈静"], None),
        ("2026-02-14", "message", ["陈静"], None),
        ("2026-03-01", "open-day", ["2"], "赵敏"),
    ]
    for day, kind, deputies, staff in log:
        args = ["log-contact", "--type", kind, "--date", day]
        for d in deputies:
            args += ["--deputy", d]
        if staff:
            args += ["--staff", staff]
        cli(*args)


def test_contacts_listing_and_filters(cli):
    log_year(cli)
    rows = as_json(cli("contacts", fmt="json"))
    assert [list(r) for r in rows] == [CONTACT_KEYS] * 6
    assert [(r["date"], r["type"], r["deputies"], r["staff"]) for r in rows[:3]] == [
        ("2025-12-20", "visit", "李娜", None),
        # two deputies named 张伟: each with the unit that tells them apart
        ("2026-01-10", "visit", "张伟（省交通厅）、李娜", "赵敏"),
        ("2026-01-25", "symposium", "张伟（省交通厅）、张伟（市第一中学）、李娜、陈静", "赵敏"),
    ]

    def ids(*args: str) -> list[int]:
        return [r["id"] for r in as_json(cli("contacts", *args, fmt="json"))]

    assert ids("--from", "2026-01-25", "--to", "2026-02-14") == [3, 4, 5]
    assert ids("--deputy", "陈静") == [3, 4, 5]
    assert ids("--deputy", "2", "--type", "开放日") == [6]
    assert ids("--type", "visit", "--limit", "1") == [1]
    assert ids("--from", "2027-01-01") == []

    out = cli("contacts", "--type", "bulletin", fmt="plain").stdout.splitlines()
    assert out[0].split() == ["id", "date", "type", "deputies", "staff", "summary"]
    assert out[1].split() == [
        "4",
        "2026-02-03",
        "bulletin",
        "张伟（省交通厅）、张伟（市第一中学）、李娜、王磊、陈静",
    ]

    bad = cli("contacts", "--deputy", "无名", fmt="json", ok=False)
    assert (bad.exit_code, bad.stdout) == (1, "")
    bad = cli("contacts", "--type", "party", ok=False)
    assert bad.exit_code == 1 and bad.stdout == ""
    assert cli("contacts", "--limit", "-1", ok=False).exit_code == 1


def contact_stats(cli: Any, *args: str) -> list[tuple[Any, ...]]:
    rows = as_json(cli("stats", "contacts", *args, fmt="json"))
    for r in rows:
        assert list(r) == ["group", "activities", "person_times", "deputies_reached", "coverage"]
    return [
        (r["group"], r["activities"], r["person_times"], r["deputies_reached"], r["coverage"])
        for r in rows
    ]


def test_stats_contacts_per_level_and_type(cli):
    log_year(cli)
    # registry: 3 provincial (张伟 1, 李娜, 王磊), 1 municipal (张伟 2), 1 county (陈静);
    # a contact with deputies of several levels is one activity in each level
    assert contact_stats(cli, "--year", "2026", "--by", "level") == [
        ("provincial", 3, 7, 3, 100.0),
        ("municipal", 3, 3, 1, 100.0),
        ("county", 3, 3, 1, 100.0),
        ("total", 5, 13, 5, 100.0),
    ]
    assert contact_stats(cli, "--from", "2026-01-01", "--to", "2026-01-31", "--by", "level") == [
        ("provincial", 2, 4, 2, 66.67),
        ("municipal", 1, 1, 1, 100.0),
        ("county", 1, 1, 1, 100.0),
        ("total", 2, 6, 4, 80.0),
    ]
    # a bulletin's activities and person-times are its issues (期) and copies (份)
    assert contact_stats(cli, "--year", "2026", "--by", "type") == [
        ("visit", 1, 2, 2, 40.0),
        ("symposium", 1, 4, 4, 80.0),
        ("open-day", 1, 1, 1, 20.0),
        ("bulletin", 1, 5, 5, 100.0),
        ("message", 1, 1, 1, 20.0),
        ("total", 5, 13, 5, 100.0),
    ]


def test_stats_contacts_by_month_staff_and_none(cli):
    log_year(cli)
    assert contact_stats(cli) == [("total", 6, 14, 5, 100.0)]
    assert contact_stats(cli, "--year", "2025") == [("total", 1, 1, 1, 20.0)]
    assert contact_stats(cli, "--to", "2026-01-31", "--by", "month") == [
        ("2025-12", 1, 1, 1, 20.0),
        ("2026-01", 2, 6, 4, 80.0),
        ("total", 3, 7, 4, 80.0),
    ]
    assert contact_stats(cli, "--year", "2026", "--by", "staff") == [
        ("赵敏", 3, 7, 4, 80.0),
        (None, 2, 6, 5, 100.0),
        ("total", 5, 13, 5, 100.0),
    ]

    out = cli("stats", "contacts", "--year", "2026", "--by", "type", fmt="plain").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["type", "activities", "person-times", "deputies", "reached",
                                "coverage"]  # fmt: skip
    assert lines[3].split() == ["open", "day", "1", "1", "1", "20.00%"]
    assert lines[6].split() == ["total", "5", "13", "5", "100.00%"]
    assert "coverage 覆盖率 = deputies reached ÷ deputies on the registry " \
        "(of that level when grouped by level)" in lines  # fmt: skip
    out = cli("stats", "contacts", "--year", "2026", "--by", "staff", fmt="plain").stdout
    assert out.splitlines()[2].split() == ["(unassigned)", "2", "6", "5", "100.00%"]


def test_stats_contacts_with_nothing_registered(cli):
    assert contact_stats(cli, "--by", "level") == [("total", 0, 0, 0, None)]
    out = cli("stats", "contacts", fmt="plain").stdout.splitlines()
    assert out[1].split() == ["total", "0", "0", "0", "—"]
    bad = cli("stats", "contacts", "--by", "kind", ok=False)
    assert (bad.exit_code, bad.stderr) == (
        1,
        "error: invalid grouping 'kind'; choose from: none, level, type, month, staff\n",
    )
    bad = cli("stats", "contacts", "--year", "2026", "--to", "2026-05-01", ok=False)
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ")
