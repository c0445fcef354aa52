"""Importing the same file again adds nothing, and a misspelt name is pointed out.

A contact has no number: a row is already in the log when a contact there
before the import has the same date, type, deputies (as a set), staff member
and summary. Every department, staff member and deputy an import creates is
named, in the dry run too; a new name one character from another (a changed,
added or missing character, numerals aside) is a ``warning:`` line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from dbtools import dump
from helpers import as_json

from liaison_cli.domain.spelling import NearNames


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def office(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第四检察部")
    cli("staff", "add", "周敏", "--dept", "第四检察部")
    cli("deputy", "add", "宋雅琴", "--level", "市")
    cli("deputy", "add", "林晓", "--level", "县")


CONTACTS = [
    ["日期", "类型", "代表", "联络人", "内容"],
    ["2026-11-19", "走访", "宋雅琴、林晓", "周敏", "走访代表了解社区矫正情况"],
    # two visits alike on one day are two contacts
    ["2026-11-19", "走访", "宋雅琴、林晓", "周敏", "走访代表了解社区矫正情况"],
    ["2026-11-20", "座谈", "林晓", "", ""],
]


def test_importing_the_same_contacts_again_adds_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    log = write_csv(tmp_path / "contacts.csv", CONTACTS)
    out = cli("import", "contacts", str(log))
    assert out.stdout == f"imported 3 contacts from {log}\n"
    before = dump(cli.db_url)
    out = cli("import", "contacts", str(log), "--dry-run")
    assert out.stdout == (
        "dry run: 3 rows checked, 0 contacts would be imported; "
        "3 skipped (already in the ledger); nothing written\n"
    )
    assert dump(cli.db_url) == before
    out = cli("import", "contacts", str(log))
    assert out.stdout == f"imported 0 contacts from {log}; 3 skipped (already in the ledger)\n"
    after = dump(cli.db_url)
    for table in ("contacts", "contact_deputies", "deputies", "staff", "departments"):
        assert after[table] == before[table], table
    # the import itself is on the record, and nothing else
    assert [e[4] for e in after["events"][len(before["events"]) :]] == ["import.contacts"]
    assert len(as_json(cli("contacts", fmt="json"))) == 3


def test_a_contact_is_recognised_by_date_type_deputies_staff_and_summary(
    cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    cli("log-contact", "--deputy", "宋雅琴", "--deputy", "林晓", "--type", "visit",
        "--date", "2026-11-19", "--staff", "周敏", "--summary", "走访代表")  # fmt: skip
    log = write_csv(
        tmp_path / "contacts.csv",
        [
            ["日期", "类型", "代表", "联络人", "内容"],
            ["2026-11-19", "走访", "林晓、宋雅琴", "周敏", "走访代表"],  # the one logged
            ["2026-11-20", "走访", "林晓、宋雅琴", "周敏", "走访代表"],  # another day
            ["2026-11-19", "座谈", "林晓、宋雅琴", "周敏", "走访代表"],  # another type
            ["2026-11-19", "走访", "林晓", "周敏", "走访代表"],  # other deputies
            ["2026-11-19", "走访", "林晓、宋雅琴", "", "走访代表"],  # nobody led it
            ["2026-11-19", "走访", "林晓、宋雅琴", "周敏", "走访代表二"],  # other summary
        ],
    )
    out = cli("import", "contacts", str(log))
    assert out.stdout == f"imported 5 contacts from {log}; 1 skipped (already in the ledger)\n"
    rows = as_json(cli("contacts", fmt="json"))
    assert len(rows) == 6
    assert sum(r["date"] == "2026-11-19" and r["type"] == "visit" for r in rows) == 4


def test_new_names_are_listed_and_near_misses_warned(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    ledger = write_csv(
        tmp_path / "ledger.csv",
        [
            ["标题", "代表", "收到日期", "交办日期", "承办部门", "承办人"],
            ["一", "宋雅琴", "2026-04-01", "2026-04-03", "第四检查部", "周明"],
            ["二", "宋雅芹", "2026-04-01", "2026-04-03", "第四检察部", "周敏"],
            ["三", "林晓", "2026-04-02", "2026-04-03", "第五检察部", ""],
        ],
    )
    args = ("import", "cases", str(ledger), "--create-deputies", "--level", "市")
    before = dump(cli.db_url)
    warnings = (
        "warning: new department 第四检查部 is one character away from 第四检察部\n"
        "warning: new staff member 周明 is one character away from 周敏\n"
        "warning: new deputy 宋雅芹 is one character away from 宋雅琴\n"
    )
    out = cli(*args, "--dry-run")
    assert out.stdout == (
        "dry run: 3 rows checked, 3 cases would be imported; "
        "would create 2 departments, 1 staff, 1 deputies; nothing written\n"
        "  would create department 第四检查部\n"
        "  would create department 第五检察部\n"
        "  would create staff member 周明 in 第四检查部\n"
        "  would create deputy 宋雅芹\n"
    )
    # 第五检察部 is another number, not a misspelling of 第四检察部
    assert out.stderr == warnings
    assert dump(cli.db_url) == before
    out = cli(*args, fmt="json")
    row = as_json(out)[0]
    assert (row["new_departments"], row["new_staff"], row["new_deputies"]) == (
        ["第四检查部", "第五检察部"],
        ["周明"],
        ["宋雅芹"],
    )
    assert out.stderr.endswith(
        "  created department 第四检查部\n"
        "  created department 第五检察部\n"
        "  created staff member 周明 in 第四检查部\n"
        "  created deputy 宋雅芹\n" + warnings
    )
    depts = [r["name"] for r in as_json(cli("dept", "list", fmt="json"))]
    assert depts == ["第四检察部", "第四检查部", "第五检察部"]


def test_two_spellings_in_one_file_are_pointed_out(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    office(cli)
    ledger = write_csv(
        tmp_path / "ledger.csv",
        [
            ["标题", "代表", "收到日期", "承办部门"],
            ["一", "宋雅琴", "2026-04-01", "控告申诉检察部"],
            ["二", "宋雅琴", "2026-04-01", "控告申述检察部"],
        ],
    )
    out = cli("import", "cases", str(ledger))
    assert out.stderr == (
        "warning: new department 控告申述检察部 is one character away from 控告申诉检察部\n"
    )


def test_one_character_apart() -> None:
    names = NearNames(["第四检察部", "第十检察部", "王芳", "宋雅琴"])
    assert names.near("第四检查部") == ["第四检察部"]  # changed
    assert names.near("第四检部") == ["第四检察部"]  # left out
    assert names.near("第四检察部门") == ["第四检察部"]  # added
    assert names.near("王方") == ["王芳"]
    assert names.near("宋雅") == ["宋雅琴"]
    assert names.near("王芳") == []  # the same name is no near miss
    assert names.near("第五检察部") == []  # numerals differ: another department
    assert names.near("第十一检察部") == []
    assert names.near("第四检查部门") == []  # two characters
