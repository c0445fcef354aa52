"""``liaison import``: ledgers with Chinese headers, history, one transaction.

The central check: a ledger with history imported into one database gives
the same cases, timelines, overdue list and stats as the same cases entered
command by command into another.
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from helpers import as_json
from sqlalchemy import create_engine, func, select, text

from liaison_cli.store.database import resolve_url
from liaison_cli.store.schema import metadata

AS_OF = "2026-11-22"


# -- helpers ---------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]], above: list[list[object]] = ()) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in [*above, *rows]:
        ws.append(r)
    wb.save(path)
    return path


def counts(db: str) -> dict[str, int]:
    """Rows per table: equal before and after means nothing was written."""
    engine = create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


@pytest.fixture
def other_db(tmp_path: Path):
    """A second empty database on the same engine (migrated on first use)."""
    base = os.environ.get("LIAISON_TEST_PG")
    if not base:
        yield str(tmp_path / "other.db")
        return
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"liaison_imp_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def registry(cli, db: str | None = None) -> None:
    extra = ("--db", db) if db else ()
    cli(*extra, "deputy", "add", "张伟", "--level", "provincial")
    cli(*extra, "deputy", "add", "李娜", "--level", "county", "--body", "cppcc")
    cli(*extra, "deputy", "add", "陈静", "--level", "national", "--term", "14")
    cli(*extra, "deputy", "add", "王强", "--level", "municipal")


# -- imported history equals history entered by hand ------------------------------------

HEADER = "编号 类型 标题 代表 收到日期 交办日期 承办部门 承办人 办理期限 答复日期 答复方式 办理结果 办结日期 满意度 程序性答复日期".split()  # noqa: E501
LEDGER = [
    ["", "建议", "关于加强公益诉讼的建议", "陈静", "2026-03-31", "2026-03-31", "第一检察部",
     "王芳", "", "2026/6/30", "书面", "A", "2026年7月2日", "满意", ""],
    ["", "建议", "关于未成年人保护的建议", "张伟、李娜", "2026-04-10", "2026-04-12", "第八检察部",
     "刘强", "", "2026-08-01", "电话", "B类", "2026-08-05", "基本满意", ""],
    ["政协-2026-7", "提案", "关于司法救助的提案", "李娜", "2026-05-06", "2026-05-08", "第一检察部",
     "", "", "2026-07-01", "当面", "C", "2026-07-05", "不满意", ""],
    ["", "来信", "代表来信", "王强", "2026-10-01", "2026-10-02", "第八检察部", "", "", "", "", "",
     "", "", "2026-10-05"],
    ["", "关注案件", "关注的一起案件", "陈静", "2026-11-01", *[""] * 10],
    # a department without an assignment date: assigned on the received date
    ["", "信访", "信访件", "张伟", "2026-06-01", "", "第一检察部", "王芳", "", "", "", "", "", "",
     ""],
    ["", "建议", "去年的建议", "王强", "2025-12-20", "2025-12-22", "第八检察部", "", "2026-02-28",
     "2026-02-20", "书面", "D", "", "", ""],
    ["", "议案", "一件议案", "陈静", "2026-02-02", "2026-02-03", "第一检察部", "", "",
     "2026-03-01", "书面", "A", "2026-03-02", "满意", ""],
]  # fmt: skip


def enter_by_hand(cli) -> None:
    """The ledger above, command by command."""
    cli("dept", "add", "第一检察部")
    cli("dept", "add", "第八检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("staff", "add", "刘强", "--dept", "第八检察部")
    add = ("add-suggestion", "--deputy")
    cli(*add, "陈静", "--title", "关于加强公益诉讼的建议", "--received", "2026-03-31")
    cli(*add, "张伟", "--deputy", "李娜", "--title", "关于未成年人保护的建议",
        "--received", "2026-04-10")  # fmt: skip
    cli(*add, "李娜", "--kind", "proposal", "--title", "关于司法救助的提案",
        "--received", "2026-05-06", "--number", "政协-2026-7")  # fmt: skip
    cli(*add, "王强", "--kind", "letter", "--title", "代表来信", "--received", "2026-10-01")
    cli(*add, "陈静", "--kind", "concern", "--title", "关注的一起案件", "--received", "2026-11-01")
    cli(*add, "张伟", "--kind", "petition", "--title", "信访件", "--received", "2026-06-01")
    cli(*add, "王强", "--title", "去年的建议", "--received", "2025-12-20")
    cli(*add, "陈静", "--kind", "motion", "--title", "一件议案", "--received", "2026-02-02")

    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-03-31")
    cli("reply", "2026-0001", "--method", "written", "--result", "A", "--date", "2026-06-30")
    cli("close", "2026-0001", "--satisfaction", "satisfied", "--date", "2026-07-02")
    cli("assign", "2026-0002", "--dept", "第八检察部", "--handler", "刘强", "--date", "2026-04-12")
    cli("reply", "2026-0002", "--method", "phone", "--result", "B", "--date", "2026-08-01")
    cli("close", "2026-0002", "--satisfaction", "basic", "--date", "2026-08-05")
    cli("assign", "政协-2026-7", "--dept", "第一检察部", "--date", "2026-05-08")
    cli("reply", "政协-2026-7", "--method", "in-person", "--result", "C", "--date", "2026-07-01")
    cli("close", "政协-2026-7", "--satisfaction", "dissatisfied", "--date", "2026-07-05")
    cli("assign", "2026-0003", "--dept", "第八检察部", "--date", "2026-10-02")
    cli("reply", "2026-0003", "--procedural", "--date", "2026-10-05")
    cli("assign", "2026-0005", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-06-01")
    cli("assign", "2025-0001", "--dept", "第八检察部", "--date", "2025-12-22",
        "--due", "2026-02-28")  # fmt: skip
    cli("reply", "2025-0001", "--method", "written", "--result", "D", "--date", "2026-02-20")
    cli("assign", "2026-0006", "--dept", "第一检察部", "--date", "2026-02-03")
    cli("reply", "2026-0006", "--method", "written", "--result", "A", "--date", "2026-03-01")
    cli("close", "2026-0006", "--satisfaction", "satisfied", "--date", "2026-03-02")


def without_ids(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in rows]


def timeline(cli, db: str, number: str) -> list[tuple]:
    data = as_json(cli("--db", db, "show", number, fmt="json"))[0]
    return [(e["date"], e["round"], e["action"], e["details"]) for e in data["timeline"]]


def test_imported_history_equals_history_entered_by_hand(cli, other_db, tmp_path, monkeypatch):
    from liaison_cli.services.importing import cases

    # the path a big ledger takes on SQLite: indexes dropped, built at the end
    monkeypatch.setattr(cases, "REBUILD_MIN_ROWS", 1)
    by_hand = cli.db_url
    registry(cli)
    enter_by_hand(cli)

    registry(cli, other_db)
    ledger = write_csv(tmp_path / "台账.csv", [HEADER, *LEDGER], encoding="utf-8-sig")
    out = cli("--db", other_db, "import", "cases", str(ledger))
    assert out.stdout == (
        f"imported 8 cases from {ledger}; created 2 departments, 2 staff\n"
        "  created department 第一检察部\n  created department 第八检察部\n"
        "  created staff member 王芳 in 第一检察部\n  created staff member 刘强 in 第八检察部\n"
    )

    def same(*args: str) -> None:
        a = as_json(cli("--db", by_hand, *args, fmt="json"))
        b = as_json(cli("--db", other_db, *args, fmt="json"))
        assert without_ids(a) == without_ids(b), args

    same("cases")
    for by in ("none", "dept", "handler", "kind", "level", "month"):
        same("stats", "cases", "--by", by, "--as-of", AS_OF)
    same("stats", "cases", "--year", "2026", "--by", "dept", "--as-of", "2026-07-03")
    same("overdue", "--as-of", AS_OF)
    for number in ("2026-0001", "2026-0002", "政协-2026-7", "2026-0003", "2026-0004",
                   "2026-0005", "2025-0001", "2026-0006"):  # fmt: skip
        assert timeline(cli, by_hand, number) == timeline(cli, other_db, number), number

    # the figures themselves, so that "equal" is not "equally empty"
    total = as_json(cli("--db", other_db, "stats", "cases", "--as-of", AS_OF, fmt="json"))[-1]
    assert (total["received"], total["replied"], total["closed"], total["overdue"]) == (8, 5, 4, 1)
    assert (total["satisfied"], total["basic"], total["dissatisfied"]) == (2, 1, 1)
    assert total["completion_rate"] == 50.0 and total["satisfaction_rate"] == 75.0
    petition = as_json(cli("--db", other_db, "cases", "--kind", "petition", fmt="json"))[0]
    assert (petition["status"], petition["due"]) == ("assigned", "2026-07-31")
    # the counter moved on: the next case entered by hand gets the next number
    out = cli("--db", other_db, "add-suggestion", "--deputy", "王强", "--title", "新",
              "--received", "2026-11-20")  # fmt: skip
    assert out.stdout == "registered case 2026-0007\n"


# -- files: encodings, XLSX, headers ------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_chinese_headers_and_values_in_csv(cli, tmp_path, encoding):
    deputies = write_csv(
        tmp_path / "代表.csv",
        [
            ["姓名", "类别", "级别", "届次", "代表团", "工作单位", "界别/行业", "电话", "地址"],
            [
                "张伟",
                "人大代表",
                "省",
                "第14届",
                "安澜代表团",
                "省交通厅",
                "交通",
                "13800000000",
                "江南路1号",
            ],
            ["李娜", "政协委员", "县(区)", "", "", "县医院", "医疗", "", ""],
        ],  # fmt: skip
        encoding,
    )
    cli("import", "deputies", str(deputies))
    rows = as_json(cli("deputy", "list", fmt="json"))
    assert without_ids(rows) == [
        {"name": "张伟", "body": "npc", "level": "provincial", "term": 14,
         "delegation": "安澜代表团", "unit": "省交通厅", "sector": "交通",
         "phone": "13800000000", "address": "江南路1号", "liaison": None},
        {"name": "李娜", "body": "cppcc", "level": "county", "term": None, "delegation": None,
         "unit": "县医院", "sector": "医疗", "phone": None, "address": None, "liaison": None},
    ]  # fmt: skip
    cases = write_csv(
        tmp_path / "建议.csv",
        [
            [
                "编号",
                "类型",
                "标题",
                "代表",
                "收到日期",
                "承办部门",
                "答复日期",
                "答复方式",
                "办结日期",
                "满意度",
            ],
            [
                "2026-A1",
                "议案",
                "议案一",
                "张伟；李娜",
                "2026年3月1日",
                "第一检察部",
                "2026/05/01",
                "面复",
                "2026-05-03",
                "基本满意",
            ],
        ],  # fmt: skip
        encoding,
    )
    cli("import", "cases", str(cases))
    [row] = as_json(cli("cases", fmt="json"))
    assert (row["number"], row["kind"], row["deputies"], row["received"], row["due"]) == (
        "2026-A1",
        "motion",
        "张伟、李娜",
        "2026-03-01",
        "2026-06-01",
    )
    assert (row["status"], row["replied"], row["closed"], row["satisfaction"]) == (
        "closed",
        "2026-05-01",
        "2026-05-03",
        "basic",
    )


def test_xlsx_with_a_title_row_and_date_cells(cli, tmp_path):
    registry(cli)
    book = write_xlsx(
        tmp_path / "台账.xlsx",
        [
            ["序号", "编号", "类型", "标题", "代表", "收到日期", "交办日期", "承办部门", "备注"],
            [
                1,
                2026001,
                "建议",
                "'=关于检务公开的建议",
                "王强",
                datetime(2026, 9, 1),
                datetime(2026, 9, 2),
                "第二检察部",
                "电话催办过",
            ],
            [2, None, "来信", "来信", "陈静", datetime(2026, 9, 3), None, None, None],
        ],  # fmt: skip
        above=[["2026年代表建议办理台账"], []],
    )
    out = cli("import", "cases", str(book))
    assert out.stdout == (
        f"imported 2 cases from {book}; created 1 departments; ignored columns: 序号, 备注\n"
        "  created department 第二检察部\n"
    )
    rows = as_json(cli("cases", fmt="json"))
    assert [(r["number"], r["title"], r["received"], r["department"], r["due"]) for r in rows] == [
        ("2026001", "=关于检务公开的建议", "2026-09-01", "第二检察部", "2026-12-02"),
        ("2026-0001", "来信", "2026-09-03", None, None),
    ]


def test_a_bad_xlsx_row_is_reported_with_its_sheet_row(cli, tmp_path):
    registry(cli)
    book = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            ["标题", "代表", "收到日期"],
            ["一", "王强", datetime(2026, 9, 1)],
            ["二", "王强", "九月"],
        ],
        above=[["台账"]],
    )
    before = counts(cli.db_url)
    out = cli("import", "cases", str(book), ok=False)
    assert out.exit_code == 1
    assert out.stderr.startswith("error: line 4, column 收到日期: cannot read date '九月'")
    assert counts(cli.db_url) == before


# -- one transaction: a bad row rejects the file ---------------------------------------------


BAD_ROWS = [
    # (row, column, message)
    (["二", "王强", "2026-09-01", "2026-08-30", "第一检察部", "", "", ""], "交办日期",
     "assignment date 2026-08-30 is before the case was received (2026-09-01)"),
    (["二", "王强", "2026-09-01", "", "", "2026-09-05", "书面", ""], "答复日期",
     "the case has no department: it is not assigned"),
    (["二", "王强", "2026-09-01", "", "第一检察部", "2026-08-31", "书面", ""], "答复日期",
     "reply date 2026-08-31 is before the case's previous step (2026-09-01)"),
    (["二", "王强", "2026-09-01", "", "第一检察部", "2026-09-05", "", ""], "答复方式",
     "a replied case needs its reply method (written, in-person or phone)"),
    (["二", "王强", "2026-09-01", "", "第一检察部", "", "", "2026-09-09"], "办结日期",
     "the case has no reply date: it is not replied"),
    (["二", "王强", "2026-09-01", "", "第一检察部", "2026-09-05", "传真", ""], "答复方式",
     "invalid reply method '传真'; choose from: written, in-person, phone"),
    (["二", "王五", "2026-09-01", "", "", "", "", ""], "代表",
     "unknown deputy '王五': add it first (liaison deputy add, liaison import deputies) "
     "or import with --create-deputies"),
    (["", "王强", "2026-09-01", "", "", "", "", ""], "标题", "title must not be empty"),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "column", "message"), BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file(cli, tmp_path, bad, column, message):
    registry(cli)
    header = [
        "标题",
        "代表",
        "收到日期",
        "交办日期",
        "承办部门",
        "答复日期",
        "答复方式",
        "办结日期",
    ]
    good = ["一", "王强", "2026-09-01", "", "第一检察部", "2026-09-05", "书面", "2026-09-06"]
    ledger = write_csv(tmp_path / "l.csv", [header, good, good, bad, good])
    before = counts(cli.db_url)
    out = cli("import", "cases", str(ledger), ok=False)
    assert (out.exit_code, out.stdout) == (1, "")
    assert out.stderr == f"error: line 4, column {column}: {message}\n"
    assert counts(cli.db_url) == before


def test_a_bad_row_after_written_chunks_still_writes_nothing(cli, tmp_path, monkeypatch):
    from liaison_cli.services.importing import run

    monkeypatch.setattr(run, "CHUNK", 2)  # earlier rows are written before line 7
    registry(cli)
    rows = [["title", "deputies", "received", "department"]]
    rows += [[f"件{i}", "王强", "2026-09-01", f"部门{i}"] for i in range(5)]
    rows += [["坏", "王强", "2026-02-30", ""]]
    ledger = write_csv(tmp_path / "l.csv", rows)
    before = counts(cli.db_url)
    out = cli("import", "cases", str(ledger), ok=False)
    assert out.stderr == "error: line 7, column received: no such date: 2026-02-30\n"
    assert counts(cli.db_url) == before


def indexes(db: str) -> list[tuple]:
    """Every index as the database describes it (name, table, definition)."""
    engine = create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                sql = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
            else:
                sql = (
                    "SELECT indexname, tablename, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public'"
                )
            return sorted(tuple(r) for r in conn.execute(text(sql)))
    finally:
        engine.dispose()


@pytest.mark.parametrize("bad_last_row", [False, True])
def test_a_big_ledger_builds_the_indexes_at_the_end(cli, tmp_path, monkeypatch, bad_last_row):
    """A ledger bigger than the database is indexed once at the end (SQLite); the
    indexes come back exactly as they were, and a failed import keeps them."""
    from liaison_cli.services.importing import cases, run

    monkeypatch.setattr(cases, "REBUILD_MIN_ROWS", 1)
    monkeypatch.setattr(run, "CHUNK", 2)  # rows are written before the last line
    registry(cli)
    rows = [["title", "deputies", "received", "department", "replied", "reply_method"]]
    rows += [[f"件{i}", "王强", "2026-09-01", "第一检察部", "2026-10-01", "书面"] for i in range(5)]
    if bad_last_row:
        rows += [["坏", "王强", "2026-02-30", "", "", ""]]
    ledger = write_csv(tmp_path / "l.csv", rows)
    before, rows_before = indexes(cli.db_url), counts(cli.db_url)
    assert any(name == "ix_case_rounds_replied_on" for name, _t, _s in before)
    out = cli("import", "cases", str(ledger), ok=not bad_last_row)
    assert indexes(cli.db_url) == before
    if bad_last_row:
        assert out.exit_code == 1
        assert counts(cli.db_url) == rows_before
        return
    assert counts(cli.db_url)["cases"] == 5
    replied = as_json(cli("cases", "--status", "replied", fmt="json"))
    assert [c["title"] for c in replied] == [f"件{i}" for i in range(5)]
    if "://" not in cli.db_url:
        import sqlite3

        with sqlite3.connect(cli.db_url) as con:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_numbers_given_twice_in_a_file(cli, tmp_path):
    registry(cli)
    ledger = write_csv(
        tmp_path / "l.csv",
        [["number", "title", "deputies", "received"], ["A-1", "一", "王强", "2026-01-05"],
         ["A-2", "二", "王强", "2026-01-05"], ["A-1", "三", "王强", "2026-01-05"]],
    )  # fmt: skip
    out = cli("import", "cases", str(ledger), ok=False)
    assert (
        out.stderr
        == "error: line 4, column number: case number 'A-1' appears twice (also line 2)\n"
    )


def test_an_ambiguous_name_asks_for_the_unit(cli, tmp_path):
    cli("deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅")
    cli("deputy", "add", "张伟", "--level", "municipal", "--unit", "市一中")
    header = ["title", "deputies", "received"]
    ledger = write_csv(tmp_path / "l.csv", [header, ["一", "张伟", "2026-01-05"]])
    out = cli("import", "cases", str(ledger), ok=False)
    assert out.stderr == (
        "error: line 2, column deputies: '张伟' matches 2 deputies; "
        "write it as 张伟(省交通厅) / 张伟(市一中)\n"
    )
    ledger = write_csv(tmp_path / "l.csv", [header, ["一", "张伟（市一中）", "2026-01-05"]])
    cli("import", "cases", str(ledger))
    [case] = as_json(cli("cases", "--deputy", "2", fmt="json"))
    assert case["title"] == "一"


def test_missing_columns_and_unreadable_files(cli, tmp_path):
    ledger = write_csv(tmp_path / "l.csv", [["标题", "收到日期"], ["一", "2026-01-05"]])
    out = cli("import", "cases", str(ledger), ok=False)
    assert out.stderr == "error: line 1: missing column deputies (代表)\n"
    out = cli("import", "cases", str(tmp_path / "none.csv"), ok=False)
    assert (out.exit_code, out.stderr) == (1, f"error: no such file: {tmp_path / 'none.csv'}\n")
    (tmp_path / "l.ods").write_text("x")
    out = cli("import", "cases", str(tmp_path / "l.ods"), ok=False)
    assert out.stderr == "error: cannot import l.ods: use a .csv, .xlsx or .json file\n"
    (tmp_path / "x.csv").write_bytes(b"\xff\xfe\x00\x81\x30")
    out = cli("import", "cases", str(tmp_path / "x.csv"), ok=False)
    assert out.stderr == (
        "error: cannot tell the file's encoding: it is not UTF-8 (bad byte 0) and does not "
        "read as GB18030 Chinese text; give it with --encoding (for example --encoding big5)\n"
    )


# -- dry run, duplicates, numbering, creation ---------------------------------------------------


def test_dry_run_checks_and_writes_nothing(cli, tmp_path):
    registry(cli)
    ledger = write_csv(tmp_path / "l.csv", [HEADER, *LEDGER])
    before = counts(cli.db_url)
    out = cli("import", "cases", str(ledger), "--dry-run")
    assert out.stdout == (
        "dry run: 8 rows checked, 8 cases would be imported; "
        "would create 2 departments, 2 staff; nothing written\n"
        "  would create department 第一检察部\n  would create department 第八检察部\n"
        "  would create staff member 王芳 in 第一检察部\n"
        "  would create staff member 刘强 in 第八检察部\n"
    )
    assert counts(cli.db_url) == before
    out = cli("import", "cases", str(ledger), "--dry-run", fmt="json")
    assert as_json(out)[0] | {"file": ""} == {
        "table": "cases", "file": "", "rows": 8, "imported": 8, "skipped": 0,
        "created_deputies": 0, "created_departments": 2, "created_staff": 2, "dry_run": True,
        "ignored_columns": "", "new_departments": ["第一检察部", "第八检察部"],
        "new_staff": ["王芳", "刘强"], "new_deputies": [],
    }  # fmt: skip


def test_importing_twice_skips_the_numbered_cases(cli, tmp_path):
    registry(cli)
    rows = [["number", "title", "deputies", "received"], ["A-1", "一", "王强", "2026-01-05"],
            ["A-2", "二", "陈静", "2026-01-06"]]  # fmt: skip
    ledger = write_csv(tmp_path / "l.csv", rows)
    cli("import", "cases", str(ledger))
    before = counts(cli.db_url)
    out = cli("import", "cases", str(ledger))
    assert out.stdout == (f"imported 0 cases from {ledger}; 2 skipped (already in the ledger)\n")
    after = counts(cli.db_url)
    assert after["cases"] == before["cases"] == 2
    assert after["events"] == before["events"] + 1  # only the import's own record
    # a later ledger with one more row brings just that row
    ledger = write_csv(tmp_path / "l2.csv", [*rows, ["A-3", "三", "王强", "2026-02-01"]])
    out = cli("import", "cases", str(ledger))
    assert "imported 1 cases" in out.stdout and "2 skipped" in out.stdout


def test_importing_twice_skips_cases_without_number_already_there(cli, tmp_path):
    registry(cli)
    rows = [["title", "deputies", "received", "kind"], ["一", "王强", "2026-01-05", "建议"],
            ["一", "王强", "2026-01-05", "建议"],  # twice in one file: two cases
            ["一", "陈静", "2026-01-05", "建议"], ["一", "王强", "2026-01-05", "来信"]]  # fmt: skip
    ledger = write_csv(tmp_path / "l.csv", rows)
    cli("import", "cases", str(ledger))
    assert counts(cli.db_url)["cases"] == 4
    out = cli("import", "cases", str(ledger))
    assert out.stdout == f"imported 0 cases from {ledger}; 4 skipped (already in the ledger)\n"
    # another lead deputy, kind, title or date is another case
    rows = [rows[0], ["一", "李娜", "2026-01-05", "建议"], ["二", "王强", "2026-01-05", "建议"],
            ["一", "王强", "2026-01-06", "建议"], ["一", "王强", "2026-01-05", "议案"]]  # fmt: skip
    out = cli("import", "cases", str(write_csv(tmp_path / "l2.csv", rows)))
    assert out.stdout.startswith("imported 4 cases")


def test_auto_numbers_go_around_official_ones(cli, tmp_path):
    registry(cli)
    # an official number in the ledger that looks like an auto number
    cli("add-suggestion", "--deputy", "陈静", "--title", "零", "--received", "2026-01-02",
        "--number", "2026-0003")  # fmt: skip
    ledger = write_csv(
        tmp_path / "l.csv",
        [["number", "title", "deputies", "received"], ["", "一", "王强", "2026-01-05"],
         ["2026-0002", "二", "王强", "2026-01-06"], ["", "三", "王强", "2026-01-07"],
         ["", "四", "王强", "2025-12-30"], ["", "五", "王强", "2026-01-08"]],
    )  # fmt: skip
    cli("import", "cases", str(ledger))
    rows = as_json(cli("cases", fmt="json"))
    assert [(r["number"], r["title"]) for r in rows] == [
        ("2025-0001", "四"),
        ("2026-0003", "零"),
        ("2026-0001", "一"),
        ("2026-0002", "二"),
        ("2026-0004", "三"),
        ("2026-0005", "五"),
    ]
    out = cli("add-suggestion", "--deputy", "王强", "--title", "六", "--received", "2026-02-01")
    assert out.stdout == "registered case 2026-0006\n"


def test_create_deputies(cli, tmp_path):
    ledger = write_csv(
        tmp_path / "l.csv",
        [["类型", "标题", "代表", "收到日期"], ["提案", "一", "赵六、钱七", "2026-01-05"],
         ["建议", "二", "赵六", "2026-01-06"]],
    )  # fmt: skip
    out = cli("import", "cases", str(ledger), "--create-deputies", ok=False)
    assert out.stderr == (
        "error: line 2, column 代表: unknown deputy '赵六': --create-deputies needs --level "
        "for the deputies it creates\n"
    )
    out = cli("import", "cases", str(ledger), "--create-deputies", "--level", "市")
    assert out.stdout.endswith("created 2 deputies\n  created deputy 赵六\n  created deputy 钱七\n")
    rows = as_json(cli("deputy", "list", fmt="json"))
    # a deputy first met on a proposal is a CPPCC member
    assert [(r["name"], r["body"], r["level"]) for r in rows] == [
        ("赵六", "cppcc", "municipal"),
        ("钱七", "cppcc", "municipal"),
    ]


def test_deputies_import_skips_rows_already_on_the_registry(cli, tmp_path):
    ledger = write_csv(
        tmp_path / "d.csv",
        [["name", "level", "liaison"], ["张伟", "省", "周敏"], ["李娜", "县", ""]],
    )
    out = cli("import", "deputies", str(ledger))
    assert out.stdout == (
        f"imported 2 deputies from {ledger}; created 1 staff\n  created staff member 周敏\n"
    )
    out = cli("import", "deputies", str(ledger))
    assert out.stdout == (
        f"imported 0 deputies from {ledger}; 2 skipped (already on the registry)\n"
    )
    rows = as_json(cli("deputy", "list", fmt="json"))
    assert [(r["name"], r["liaison"]) for r in rows] == [("张伟", "周敏"), ("李娜", None)]


def test_contacts_import_equals_contacts_logged_by_hand(cli, other_db, tmp_path):
    registry(cli)
    cli("dept", "add", "代表联络办公室")
    cli("staff", "add", "周敏", "--dept", "代表联络办公室")
    cli("log-contact", "--deputy", "张伟", "--deputy", "王强", "--type", "symposium",
        "--date", "2026-03-01", "--staff", "周敏", "--summary", "座谈")  # fmt: skip
    cli("log-contact", "--deputy", "陈静", "--type", "bulletin", "--date", "2026-04-01")

    registry(cli, other_db)
    ledger = write_csv(
        tmp_path / "联络.csv",
        [["日期", "类型", "代表", "联络人", "内容"],
         ["2026年3月1日", "座谈会", "张伟，王强", "周敏", "座谈"],
         ["2026-04-01", "专刊", "陈静", "", ""]],
    )  # fmt: skip
    out = cli("--db", other_db, "import", "contacts", str(ledger))
    assert out.stdout == (
        f"imported 2 contacts from {ledger}; created 1 staff\n  created staff member 周敏\n"
    )
    for args in (("contacts",), ("stats", "contacts", "--by", "type"),
                 ("stats", "contacts", "--by", "level")):  # fmt: skip
        a = as_json(cli(*args, fmt="json"))
        b = as_json(cli("--db", other_db, *args, fmt="json"))
        assert without_ids(a) == without_ids(b), args
    total = as_json(cli("--db", other_db, "stats", "contacts", fmt="json"))[-1]
    assert (total["activities"], total["person_times"], total["deputies_reached"]) == (2, 3, 3)


def test_the_import_is_recorded_as_an_event(cli, tmp_path):
    registry(cli)
    ledger = write_csv(
        tmp_path / "l.csv", [["title", "deputies", "received"], ["一", "王强", "2026-01-05"]]
    )
    cli("import", "cases", str(ledger))
    engine = create_engine(resolve_url(cli.db_url))
    try:
        with engine.connect() as conn:
            actor, details = conn.execute(
                text("SELECT actor, details FROM events WHERE action = 'import.cases'")
            ).one()
    finally:
        engine.dispose()
    assert actor == "tester"
    assert json.loads(details) | {"file": ""} == {
        "file": "", "rows": 1, "imported": 1, "skipped": 0, "created_deputies": 0,
        "created_departments": 0, "created_staff": 0,
    }  # fmt: skip
