"""``liaison export``: CSV, XLSX and JSON that re-import to the same data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import as_json
from test_import import other_db  # noqa: F401  (the fixture)

FORMULAS = ['=HYPERLINK("http://x")', "+86 138 0000 0000", "-1", "@SUM(A1)", "'=already quoted"]


def office(cli) -> None:
    """A registry with namesakes, cases in every state, contacts."""
    cli("dept", "add", "第一检察部")
    cli("dept", "add", "第八检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("staff", "add", "周敏", "--dept", "第八检察部")
    cli("deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅", "--term", "14",
        "--phone", FORMULAS[1], "--liaison", "周敏", "--delegation", "安澜代表团",
        "--sector", "交通", "--address", "江南路1号")  # fmt: skip
    cli("deputy", "add", "张伟", "--level", "municipal", "--unit", "市一中")
    cli("deputy", "add", "李娜", "--level", "county", "--body", "cppcc")
    add = ("add-suggestion", "--deputy")
    cli(*add, "1", "--deputy", "李娜", "--title", FORMULAS[0], "--received", "2026-03-31",
        "--content", "第一段\n第二段", "--key")  # fmt: skip
    cli(*add, "2", "--kind", "letter", "--title", FORMULAS[2], "--received", "2026-10-01")
    cli(*add, "李娜", "--kind", "proposal", "--title", FORMULAS[3], "--received", "2026-05-06",
        "--number", "政协-7")  # fmt: skip
    cli(*add, "2", "--title", FORMULAS[4], "--received", "2026-09-01")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--co-dept",
        "第八检察部", "--date", "2026-04-01")  # fmt: skip
    cli("extend", "2026-0001", "--due", "2026-08-31", "--reason", "复杂", "--date", "2026-06-01")
    cli("reply", "2026-0001", "--method", "written", "--result", "B", "--date", "2026-08-20")
    cli("close", "2026-0001", "--satisfaction", "basic", "--date", "2026-08-25")
    cli("assign", "2026-0002", "--dept", "第八检察部", "--date", "2026-10-02")
    cli("reply", "2026-0002", "--procedural", "--date", "2026-10-05")
    cli("assign", "政协-7", "--dept", "第一检察部", "--date", "2026-05-06")
    cli("reply", "政协-7", "--method", "phone", "--date", "2026-06-06")
    cli("log-contact", "--deputy", "1", "--deputy", "2", "--type", "visit", "--date", "2026-02-01",
        "--staff", "周敏", "--summary", FORMULAS[0])  # fmt: skip
    cli("log-contact", "--deputy", "李娜", "--type", "message", "--date", "2026-02-03")


def without_ids(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in rows]


def listings(cli, db: str) -> dict[str, list[dict]]:
    return {
        "deputies": without_ids(as_json(cli("--db", db, "deputy", "list", fmt="json"))),
        "cases": without_ids(as_json(cli("--db", db, "cases", fmt="json"))),
        "contacts": without_ids(as_json(cli("--db", db, "contacts", fmt="json"))),
        "overdue": without_ids(
            as_json(cli("--db", db, "overdue", "--as-of", "2026-11-22", fmt="json"))
        ),
    }


def read_export(path: Path) -> list[dict]:
    """An export's rows, whatever its format, without the ids."""
    if path.suffix == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True).worksheets[0]
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        width = len(values[0])
        rows = [dict(zip(values[0], [*r, *[None] * width], strict=False)) for r in values[1:]]
    else:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    return without_ids(rows)


@pytest.mark.parametrize("ext", ["csv", "xlsx", "json"])
def test_an_export_reimports_to_the_same_data(cli, other_db, tmp_path, ext):  # noqa: F811
    office(cli)
    for table in ("deputies", "cases", "contacts"):
        out = cli("export", table, "--out", str(tmp_path / f"{table}.{ext}"))
        assert out.stdout.startswith("exported ")
    for table in ("deputies", "cases", "contacts"):
        cli("--db", other_db, "import", table, str(tmp_path / f"{table}.{ext}"))
    assert listings(cli, other_db) == listings(cli, cli.db_url)
    # and the second export is the first one again (the ids aside)
    for table in ("deputies", "cases", "contacts"):
        again = tmp_path / f"again-{table}.{ext}"
        cli("--db", other_db, "export", table, "--out", str(again))
        assert read_export(again) == read_export(tmp_path / f"{table}.{ext}"), table


def test_export_columns_and_namesakes(cli, tmp_path):
    office(cli)
    out = cli("export", "cases")
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == [
        "id", "number", "kind", "title", "deputies", "status", "received", "assigned",
        "department", "co_departments", "handler", "due", "replied", "reply_method", "result",
        "closed", "satisfaction", "round", "proc_replied", "key", "content",
    ]  # fmt: skip
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first == {
        "id": "1", "number": "2026-0001", "kind": "suggestion",
        "title": "'=HYPERLINK(\"http://x\")", "deputies": "张伟(省交通厅)、李娜",
        "status": "closed", "received": "2026-03-31", "assigned": "2026-04-01",
        "department": "第一检察部", "co_departments": "第八检察部", "handler": "王芳",
        "due": "2026-08-31", "replied": "2026-08-20", "reply_method": "written", "result": "B",
        "closed": "2026-08-25", "satisfaction": "basic", "round": "1", "proc_replied": "",
        "key": "true", "content": "第一段\n第二段",
    }  # fmt: skip
    deputies = list(csv.DictReader(io.StringIO(cli("export", "deputies").stdout)))
    assert deputies[0] == {
        "id": "1", "name": "张伟", "body": "npc", "level": "provincial", "term": "14",
        "delegation": "安澜代表团", "unit": "省交通厅", "sector": "交通",
        "phone": "'+86 138 0000 0000", "address": "江南路1号", "liaison": "周敏",
    }  # fmt: skip
    contacts = list(csv.DictReader(io.StringIO(cli("export", "contacts").stdout)))
    assert contacts[0] | {"id": ""} == {
        "id": "", "date": "2026-02-01", "type": "visit", "deputies": "张伟(省交通厅)、张伟(市一中)",
        "staff": "周敏", "summary": "'=HYPERLINK(\"http://x\")",
    }  # fmt: skip


def test_formulas_are_neutralised_in_csv_and_xlsx(cli, tmp_path):
    office(cli)
    cli("export", "cases", "--out", str(tmp_path / "c.csv"))
    cli("export", "cases", "--out", str(tmp_path / "c.xlsx"))
    titles = [r["title"] for r in read_export(tmp_path / "c.csv")]
    assert titles == [
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "''=already quoted",
        "'-1",
    ]
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "c.xlsx").worksheets[0]
    cells = [ws.cell(row=r, column=4) for r in range(2, 6)]
    assert [c.value for c in cells] == titles
    assert {c.data_type for c in cells} == {"s"}  # text, not one formula
    # JSON is not a spreadsheet: the values as they are
    out = cli("export", "cases", fmt="json")
    assert [r["title"] for r in as_json(out)] == [
        FORMULAS[0],
        FORMULAS[3],
        FORMULAS[4],
        FORMULAS[2],
    ]


def test_bom_for_excel_and_stdout_formats(cli, tmp_path):
    office(cli)
    cli("export", "contacts", "--bom", "--out", str(tmp_path / "b.csv"))
    cli("export", "contacts", "--out", str(tmp_path / "n.csv"))
    assert (tmp_path / "b.csv").read_bytes().startswith(b"\xef\xbb\xbfid,date,type,")
    assert (tmp_path / "n.csv").read_bytes().startswith(b"id,date,type,")
    assert (tmp_path / "b.csv").read_bytes()[3:] == (tmp_path / "n.csv").read_bytes()
    out = cli("export", "deputies", "--bom")
    assert out.stdout.startswith("\ufeffid,name,body,level")
    rows = as_json(cli("export", "deputies", fmt="json"))
    assert list(rows[0]) == ["id", "name", "body", "level", "term", "delegation", "unit",
                             "sector", "phone", "address", "liaison"]  # fmt: skip
    assert rows[0]["phone"] == FORMULAS[1]


def test_export_errors(cli, tmp_path):
    out = cli("export", "cases", "--out", str(tmp_path / "x.ods"), ok=False)
    assert (out.exit_code, out.stderr) == (
        1,
        "error: cannot export to x.ods: use a .csv, .xlsx or .json file\n",
    )
    out = cli("export", "cases", "--out", str(tmp_path / "missing" / "x.csv"), ok=False)
    assert out.exit_code == 1 and out.stderr.startswith("error: ")
    assert not (tmp_path / "missing").exists()


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The interface in Chinese for this test's commands (chosen as each one runs)."""
    monkeypatch.setenv("LIAISON_LANG", "zh")


def test_chinese_export_has_chinese_headers_and_words_and_reimports(
    cli,
    other_db,  # noqa: F811
    tmp_path,
    chinese,
):
    from liaison_cli import i18n

    office(cli)
    for table in ("deputies", "cases", "contacts"):
        cli("export", table, "--out", str(tmp_path / f"{table}.csv"))
    i18n.set_language("en")
    with (tmp_path / "cases.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "ID", "编号", "类型", "标题", "代表", "状态", "收到日期", "交办日期", "承办部门",
        "协办部门", "承办人", "办理期限", "答复日期", "答复方式", "办理结果", "办结日期",
        "满意度", "轮次", "程序性答复日期", "重点督办", "内容",
    ]  # fmt: skip
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (
        first["类型"],
        first["状态"],
        first["答复方式"],
        first["满意度"],
        first["重点督办"],
    ) == (
        "建议",
        "已办结",
        "书面",
        "基本满意",
        "是",
    )
    with (tmp_path / "deputies.csv").open(encoding="utf-8", newline="") as f:
        head, first_deputy = list(csv.reader(f))[:2]
    assert head[:4] == ["ID", "姓名", "类别", "级别"]
    assert first_deputy[2:4] == ["人大代表", "省"]
    for table in ("deputies", "cases", "contacts"):
        cli("--db", other_db, "import", table, str(tmp_path / f"{table}.csv"))
    assert listings(cli, other_db) == listings(cli, cli.db_url)
