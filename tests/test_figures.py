"""The figures a clerk checks against each other: report and overdue, late extensions,
cases left out of a rate, the procedural reply a substantive one supersedes, and
the entries a typo would otherwise let through (a handler of another department,
a deputy entered twice, a two-digit year)."""

from __future__ import annotations

import pytest
from helpers import as_json


@pytest.fixture
def office(cli):
    cli("dept", "add", "第四检察部")
    cli("dept", "add", "第七检察部")
    cli("staff", "add", "赵明", "--dept", "第四检察部")
    cli("deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅")
    return cli


def one_line_error(run, *parts: str) -> str:
    assert run.exit_code == 1, run
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith("error: ")
    for part in parts:
        assert part in line, line
    return line


def total(cli, *args: str) -> dict:
    [row] = as_json(cli("stats", "cases", *args, fmt="json"))
    return row


# -- 1. the report's overdue list is `liaison overdue`'s on the period's end -----------


def test_the_report_lists_what_overdue_lists_whatever_the_year_received(office):
    office("add-suggestion", "--deputy", "张伟", "--title", "跨年件", "--kind", "concern",
           "--received", "2025-12-20")  # fmt: skip
    office("assign", "2025-0001", "--dept", "第四检察部", "--handler", "赵明",
           "--date", "2025-12-22")  # fmt: skip
    listed = as_json(office("overdue", "--as-of", "2026-12-06", fmt="json"))
    assert [(r["number"], r["clock"]) for r in listed] == [
        ("2025-0001", "procedural"),
        ("2025-0001", "substantive"),
    ]
    [doc] = as_json(office("report", "--year", "2026", "--as-of", "2026-12-06", fmt="json"))
    assert doc["overdue"] == listed
    assert doc["summary"][1].endswith("; 2 overdue as of 2026-12-06.")
    text = office("report", "--year", "2026", "--as-of", "2026-12-06").stdout
    assert "\nCases overdue on 2026-12-06, whatever the year received\n" in text

    # a year that has ended: the list of its last day, not of the report date
    [past] = as_json(office("report", "--year", "2025", "--as-of", "2026-12-06", fmt="json"))
    at_end = as_json(office("overdue", "--as-of", "2025-12-31", fmt="json"))
    assert [(r["number"], r["clock"]) for r in at_end] == [("2025-0001", "procedural")]
    assert past["overdue"] == at_end
    assert past["summary"][1].endswith("; 1 overdue as of 2025-12-31.")


# -- 2. a year outside 1949–2100 ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "year"),
    [
        (("stats", "cases", "--year", "26"), 26),
        (("stats", "contacts", "--year", "2101"), 2101),
        (("report", "--year", "1948"), 1948),
        (("stats", "cases", "--from", "0026-01-01"), 26),
        (("stats", "contacts", "--to", "2200-12-31"), 2200),
    ],
)
def test_a_year_outside_1949_to_2100_is_an_error(office, argv, year):
    one_line_error(office(*argv, ok=False), f"year {year} is outside 1949–2100")
    assert office("stats", "cases", "--year", "1949").exit_code == 0
    assert office("report", "--year", "2100", "--as-of", "2026-12-06").exit_code == 0


# -- 3. an extension after the deadline had passed -------------------------------------


def test_a_late_extension_needs_late_and_keeps_the_days_overdue(office):
    office("add-suggestion", "--deputy", "张伟", "--title", "补批延期", "--received", "2026-01-05")
    office("assign", "2026-0001", "--dept", "第四检察部", "--date", "2026-01-06")  # due 04-06
    before = office("show", "2026-0001", fmt="json").stdout
    refused = office("extend", "2026-0001", "--due", "2026-07-06", "--reason", "复杂",
                     "--date", "2026-05-01", ok=False)  # fmt: skip
    one_line_error(refused, "2026-04-06", "--late")
    assert office("show", "2026-0001", fmt="json").stdout == before
    # on the deadline's own day an extension is not late
    office("add-suggestion", "--deputy", "张伟", "--title", "按期延期", "--received", "2026-01-05")
    office("assign", "2026-0002", "--dept", "第四检察部", "--date", "2026-01-06")
    office("extend", "2026-0002", "--due", "2026-07-06", "--reason", "复杂", "--date", "2026-04-06")

    office("extend", "2026-0001", "--due", "2026-07-06", "--reason", "复杂",
           "--date", "2026-05-01", "--late")  # fmt: skip
    timeline = office("show", "2026-0001", fmt="plain").stdout
    extended = next(line for line in timeline.splitlines() if " extended " in line)
    assert "due 2026-04-06 → 2026-07-06 (late: the old deadline had passed): 复杂" in extended
    on_time = office("show", "2026-0002", fmt="plain").stdout
    assert "late" not in next(line for line in on_time.splitlines() if " extended " in line)

    # the days between the old deadline and the extension stay overdue
    listed = as_json(office("overdue", "--as-of", "2026-04-30", fmt="json"))
    assert [r["number"] for r in listed] == ["2026-0001"]
    assert as_json(office("overdue", "--as-of", "2026-05-01", fmt="json")) == []
    april = total(office, "--from", "2026-01-01", "--to", "2026-04-30", "--as-of", "2026-12-06")
    assert (april["received"], april["overdue"], april["late_extensions"]) == (2, 1, 1)
    # a period that ended after the new deadline: overdue again on its last day
    year = total(office, "--year", "2026", "--as-of", "2026-12-06")
    assert (year["overdue"], year["late_extensions"]) == (2, 1)
    # a late extension counts from its own date
    assert total(office, "--as-of", "2026-04-30")["late_extensions"] == 0
    by_dept = as_json(office("stats", "cases", "--by", "dept", "--as-of", "2026-12-06",
                             fmt="json"))  # fmt: skip
    assert [(r["group"], r["late_extensions"]) for r in by_dept] == [
        ("第四检察部", 1),
        ("total", 1),
    ]


# -- 4. a close without feedback, a reply without a result ----------------------------


def test_a_close_without_feedback_and_a_reply_without_a_result_are_noted_and_counted(office):
    for n in (1, 2):
        office(
            "add-suggestion", "--deputy", "张伟", "--title", f"件{n}", "--received", "2026-01-05"
        )
        office("assign", f"2026-000{n}", "--dept", "第四检察部", "--date", "2026-01-06")
    reply = office("reply", "2026-0001", "--method", "written", "--date", "2026-02-01")
    assert reply.stderr == (
        "note: no --result given: the solve rate leaves 2026-0001 out "
        "(counted as no_result in `liaison stats cases`)\n"
    )
    assert reply.stdout.startswith("reply recorded for 2026-0001")
    close = office("close", "2026-0001", "--date", "2026-02-05")
    assert close.stderr == (
        "note: no --satisfaction given: the satisfaction rates leave 2026-0001 out "
        "(counted as no_feedback in `liaison stats cases`)\n"
    )
    office("reply", "2026-0002", "--method", "phone", "--result", "A", "--date", "2026-02-01")
    done = office("close", "2026-0002", "--satisfaction", "satisfied", "--date", "2026-02-05")
    assert done.stderr == ""
    row = total(office, "--year", "2026", "--as-of", "2026-12-06")
    assert (row["closed"], row["no_feedback"], row["satisfaction_rate"]) == (2, 1, 100.0)
    assert (row["replied"], row["no_result"], row["solve_rate"]) == (2, 1, 100.0)
    # the same on the fast path (no period) and grouped
    assert total(office, "--as-of", "2026-12-06")["no_feedback"] == 1
    by_kind = as_json(office("stats", "cases", "--by", "kind", "--as-of", "2026-12-06",
                             fmt="json"))  # fmt: skip
    assert [(r["group"], r["no_feedback"], r["no_result"]) for r in by_kind] == [
        ("suggestion", 1, 1),
        ("total", 1, 1),
    ]


# -- 5. a substantive reply supersedes the procedural one ------------------------------


def test_a_substantive_reply_supersedes_the_procedural_one(office):
    office("add-suggestion", "--deputy", "张伟", "--title", "关注", "--kind", "concern",
           "--received", "2026-01-05")  # fmt: skip
    office("assign", "2026-0001", "--dept", "第四检察部", "--date", "2026-01-05")

    def procedural() -> str:
        shown = office("show", "2026-0001", fmt="plain").stdout
        line = next(x for x in shown.splitlines() if x.startswith("procedural reply"))
        return line.split(None, 2)[2]

    assert procedural().startswith("not given, due 2026-01-12")
    office("reply", "2026-0001", "--method", "written", "--result", "A", "--date", "2026-02-01")
    assert procedural() == "superseded by the reply of 2026-02-01 (was due 2026-01-12)"
    [data] = as_json(office("show", "2026-0001", fmt="json"))
    assert (data["proc_replied"], data["proc_superseded"]) == (None, "2026-02-01")
    assert data["proc_days_overdue"] is None


# -- 6. a handler of another department -------------------------------------------------


def test_a_handler_of_another_department_needs_other_dept(office):
    office("add-suggestion", "--deputy", "张伟", "--title", "件", "--received", "2026-01-05")
    refused = office("assign", "2026-0001", "--dept", "第七检察部", "--handler", "赵明",
                     "--date", "2026-01-06", ok=False)  # fmt: skip
    one_line_error(refused, "赵明 is in 第四检察部", "--other-dept")
    assert [r["status"] for r in as_json(office("cases", fmt="json"))] == ["registered"]
    office("assign", "2026-0001", "--dept", "第七检察部", "--handler", "赵明",
           "--date", "2026-01-06", "--other-dept")  # fmt: skip
    [row] = as_json(office("cases", fmt="json"))
    assert (row["department"], row["handler"]) == ("第七检察部", "赵明")
    # in their own department nothing is asked
    office("add-suggestion", "--deputy", "张伟", "--title", "件2", "--received", "2026-01-05")
    office(
        "assign", "2026-0002", "--dept", "第四检察部", "--handler", "赵明", "--date", "2026-01-06"
    )


# -- 7. the same deputy twice ------------------------------------------------------------


def test_the_same_deputy_twice_needs_new(office):
    refused = office(
        "deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅", ok=False
    )
    one_line_error(refused, "deputy 1 is already 张伟", "--new")
    assert len(as_json(office("deputy", "list", fmt="json"))) == 1
    # no unit at all is a unit too
    office("deputy", "add", "李娜", "--level", "county")
    one_line_error(office("deputy", "add", "李娜", "--level", "county", ok=False), "--new")
    # another unit or level is another person; --new says so for the same three
    office("deputy", "add", "张伟", "--level", "provincial", "--unit", "市第一中学")
    office("deputy", "add", "张伟", "--level", "municipal", "--unit", "省交通厅")
    office("deputy", "add", "张伟", "--level", "provincial", "--unit", "省交通厅", "--new")
    names = [
        (r["name"], r["level"], r["unit"]) for r in as_json(office("deputy", "list", fmt="json"))
    ]
    assert names.count(("张伟", "provincial", "省交通厅")) == 2
    assert len(names) == 5
