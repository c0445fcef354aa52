"""``liaison report``: the annual report in the terminal, XLSX, Markdown, CSV and JSON."""

from __future__ import annotations

import csv

import pytest
from helpers import as_json
from test_import import write_csv

AS_OF = "2026-11-22"


@pytest.fixture
def office(cli, tmp_path):
    """21 cases received in 2026, 20 closed (completion rate 95.24%), one
    overdue; one case of 2025; contacts with deputies of three levels."""
    cli("deputy", "add", "张伟", "--level", "provincial")
    cli("deputy", "add", "李娜", "--level", "county")
    cli("deputy", "add", "陈静", "--level", "national")
    header = ["编号", "类型", "标题", "代表", "收到日期", "承办部门", "答复日期", "答复方式",
              "办理结果", "办结日期", "满意度"]  # fmt: skip
    rows = [header]
    for i in range(20):
        dept = "第一检察部" if i < 11 else "第八检察部"
        kind = "建议" if i < 15 else "来信"
        result = "A" if i < 12 else "B"
        satisfaction = "满意" if i < 19 else "基本满意"
        rows.append(
            [f"N{i:02d}", kind, f"第{i}件", "张伟", "2026-02-01", dept, "2026-03-01", "书面",
             result, "2026-03-05", satisfaction]
        )  # fmt: skip
    rows.append(["N20", "建议", "未答复的一件", "李娜", "2026-03-01", "第八检察部", *[""] * 5])
    rows.append(["N21", "建议", "去年的一件", "李娜", "2025-12-01", "第一检察部", *[""] * 5])
    cli("import", "cases", str(write_csv(tmp_path / "cases.csv", rows)))
    contacts = [
        ["日期", "类型", "代表"],
        ["2026-01-10", "走访", "张伟"],
        ["2026-04-01", "座谈会", "张伟、李娜、陈静"],
        ["2025-12-30", "走访", "李娜"],
    ]
    cli("import", "contacts", str(write_csv(tmp_path / "contacts.csv", contacts)))
    return cli


def test_the_report_in_the_terminal(office):
    out = office("report", "--year", "2026", "--as-of", AS_OF)
    text = out.stdout
    assert text.startswith(
        "Annual report 2026 (as of 2026-11-22)\n"
        "2026: 21 cases received, 20 replied, 20 closed; completion rate 95.24%, "
        "on-time rate 100.00%, satisfaction rate 100.00%.\n"
        "2 contacts, 4 person-times, 3 deputies reached (coverage 100.00%); "
        "2 overdue as of 2026-11-22.\n"
    )
    for title in (
        "Cases received in 2026 by kind",
        "Cases received in 2026 by department",
        "Cases overdue on 2026-11-22, whatever the year received",
        "Contacts in 2026 by level",
        "Contacts in 2026 by type",
    ):
        assert f"\n{title}\n" in text
    lines = text.splitlines()
    kind_total = next(line for line in lines if line.startswith("total") and "95.24%" in line)
    assert kind_total.split() == [
        "total", "21", "20", "20", "1", "19", "1", "0", "12", "8", "0", "0",
        "95.24%", "95.24%", "100.00%", "100.00%", "95.00%", "100.00%", "57.14%", "0", "0", "0",
    ]  # fmt: skip
    assert "completion rate 办结率 = closed ÷ received" in lines
    assert "coverage 覆盖率 = deputies reached ÷ deputies on the registry " in text
    overdue = next(line for line in lines if line.startswith("N20"))
    assert overdue.split()[:2] == ["N20", "suggestion"]
    # received in 2025 and still overdue: on the list, as `liaison overdue` has it
    assert next(line for line in lines if line.startswith("N21")).split()[:2] == [
        "N21",
        "suggestion",
    ]


def test_the_report_as_json_matches_stats(office):
    [doc] = as_json(office("report", "--year", "2026", "--as-of", AS_OF, fmt="json"))
    assert (doc["year"], doc["as_of"]) == (2026, AS_OF)
    stats = as_json(
        office("stats", "cases", "--year", "2026", "--by", "dept", "--as-of", AS_OF, fmt="json")
    )
    assert doc["cases_by_dept"] == stats
    assert [(r["group"], r["received"], r["completion_rate"]) for r in doc["cases_by_dept"]] == [
        ("第一检察部", 11, 100.0),
        ("第八检察部", 10, 90.0),
        ("total", 21, 95.24),
    ]
    levels = {r["group"]: (r["activities"], r["person_times"]) for r in doc["contacts_by_level"]}
    assert levels == {
        "national": (1, 1),
        "provincial": (2, 2),
        "county": (1, 1),
        "total": (2, 4),
    }
    assert [r["number"] for r in doc["overdue"]] == ["N21", "N20"]


def test_the_report_as_xlsx(office, tmp_path):
    from openpyxl import load_workbook

    out = office("report", "--year", "2026", "--as-of", AS_OF, "--out", str(tmp_path / "r.xlsx"))
    assert out.stdout == f"wrote the 2026 report to {tmp_path / 'r.xlsx'}\n"
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == [
        "Summary",
        "By kind",
        "By department",
        "Overdue",
        "Contacts by level",
        "Contacts by type",
    ]
    assert wb["Summary"]["A2"].value.startswith("2026: 21 cases received")
    ws = wb["By kind"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "Cases received in 2026 by kind"
    assert rows[1][:4] == ["kind", "received", "replied", "closed"]
    total = next(r for r in rows if r[0] == "total")
    assert total[1:4] == [21, 20, 20]
    # a rate is the fraction it is, shown as a percentage: a formula over it
    # (completion × received) gives back the cases closed
    assert total[12] == pytest.approx(0.9524)
    assert total[12] * total[1] == pytest.approx(total[3], abs=0.01)
    cell = next(c for c in ws[rows.index(total) + 1] if c.column == 13)
    assert cell.number_format == "0.00%"
    assert ["completion rate 办结率 = closed ÷ received"] == [
        r[0] for r in rows if r[0] and str(r[0]).startswith("completion rate")
    ]
    letters = next(r for r in rows if r[0] == "letter")
    assert letters[1:4] == [5, 5, 5]
    dept = [list(r) for r in wb["By department"].iter_rows(values_only=True)]
    assert dept[2][:2] == ["第一检察部", 11]


def test_the_report_as_markdown_and_csv(office, tmp_path):
    office("report", "--year", "2026", "--as-of", AS_OF, "--out", str(tmp_path / "r.md"))
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("# Annual report 2026 (as of 2026-11-22)\n\n2026: 21 cases received")
    assert "## Cases received in 2026 by department\n\n| department " in md
    assert "| total        | 21         |" in md
    assert "- solve rate 解决率 = (A + B) ÷ cases with a result class\n" in md

    office("report", "--year", "2026", "--as-of", AS_OF, "--out", str(tmp_path / "r.csv"))
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfAnnual report 2026")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    start = rows.index(["Contacts in 2026 by type"])
    assert rows[start + 1 : start + 4] == [
        ["type", "activities", "person-times", "deputies reached", "coverage"],
        ["visit", "1", "1", "1", "33.33%"],
        ["symposium", "1", "3", "3", "100.00%"],
    ]


def test_a_year_without_cases_and_bad_files(office, tmp_path):
    out = office("report", "--year", "2024", "--as-of", AS_OF)
    assert "2024: 0 cases received, 0 replied, 0 closed; completion rate —" in out.stdout
    out = office("report", "--out", str(tmp_path / "r.pdf"), ok=False)
    assert (out.exit_code, out.stderr) == (
        1,
        "error: cannot write a report to r.pdf: use a .xlsx, .md or .csv file\n",
    )
    assert not (tmp_path / "r.pdf").exists()


def test_report_files_for_a_spreadsheet_neutralise_formulas(cli, tmp_path):
    """A department named like a formula is text in the report's CSV and XLSX."""
    from openpyxl import load_workbook

    cli("dept", "add", "=1+2")
    cli("deputy", "add", "张伟", "--level", "county")
    cli("add-suggestion", "--deputy", "张伟", "--title", "x", "--received", "2026-02-01")
    cli("assign", "2026-0001", "--dept", "=1+2", "--date", "2026-02-02")
    cli("report", "--year", "2026", "--as-of", AS_OF, "--out", str(tmp_path / "r.csv"))
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert "'=1+2" in cells and "=1+2" not in cells
    cli("report", "--year", "2026", "--as-of", AS_OF, "--out", str(tmp_path / "r.xlsx"))
    values = [
        c.value for ws in load_workbook(tmp_path / "r.xlsx") for row in ws.iter_rows() for c in row
    ]
    assert "'=1+2" in values and "=1+2" not in values
