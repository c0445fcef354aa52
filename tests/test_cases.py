"""The case lifecycle through the CLI: register, assign, remind, extend, reply,
close, reopen, show, cases; and every step that must be refused."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from helpers import CASE_KEYS, as_json, setup_office


def one(run):
    rows = as_json(run)
    assert len(rows) == 1
    return rows[0]


def add(cli, title, *extra, received="2026-03-01", deputy="陈静"):
    return one(
        cli(
            "add-suggestion",
            "--deputy",
            deputy,
            "--title",
            title,
            "--received",
            received,
            *extra,
            fmt="json",
        )
    )


# -- registering --------------------------------------------------------------


def test_add_suggestion_numbers_deputies_and_json_row(cli):
    setup_office(cli)
    out = cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--deputy",
        "3",
        "--deputy",
        "陈静",
        "--title",
        "关于加强公益诉讼的建议",
        "--received",
        "2026年3月31日",
        "--content",
        "建议加强生态环境领域公益诉讼。",
        "--key",
    )
    assert out.stdout == "registered case 2026-0001\n"
    assert out.stderr == ""

    row = add(cli, "关于未成年人保护的议案", "--kind", "议案", received="2026-04-02")
    assert list(row) == CASE_KEYS + ["proc_due"]
    assert row == {
        "id": 2,
        "number": "2026-0002",
        "kind": "motion",
        "title": "关于未成年人保护的议案",
        "deputies": "陈静",
        "status": "registered",
        "received": "2026-04-02",
        "department": None,
        "handler": None,
        "due": None,
        "replied": None,
        "result": None,
        "closed": None,
        "satisfaction": None,
        "round": 1,
        "key": False,
        "proc_due": None,
    }
    # numbering follows the year received, not the year typed in
    assert add(cli, "去年的建议", received="2025-12-30")["number"] == "2025-0001"
    # an official number is kept as given; the auto sequence steps over it
    assert (
        add(cli, "带文号的提案", "--kind", "proposal", "--number", "政协提案〔2026〕15号")["number"]
        == "政协提案〔2026〕15号"
    )
    assert add(cli, "抢号", "--number", "2026-0003")["number"] == "2026-0003"
    assert add(cli, "自动编号", received="2026-05-05")["number"] == "2026-0004"
    # a letter owes a procedural reply 7 days from receipt
    letter = add(cli, "代表来信", "--kind", "来信", received="2026-05-06")
    assert (letter["kind"], letter["proc_due"]) == ("letter", "2026-05-13")

    rows = as_json(cli("cases", fmt="json"))
    assert [(r["number"], r["kind"], r["deputies"], r["key"]) for r in rows] == [
        ("2025-0001", "suggestion", "陈静", False),
        ("政协提案〔2026〕15号", "proposal", "陈静", False),
        ("2026-0003", "suggestion", "陈静", False),
        ("2026-0001", "suggestion", "陈静、李娜", True),
        ("2026-0002", "motion", "陈静", False),
        ("2026-0004", "suggestion", "陈静", False),
        ("2026-0005", "letter", "陈静", False),
    ]
    shown = one(cli("show", "2026-0001", fmt="json"))
    assert shown["deputy_list"] == [
        {"id": 4, "name": "陈静", "role": "lead"},
        {"id": 3, "name": "李娜", "role": "co-signer"},
    ]
    assert shown["content"] == "建议加强生态环境领域公益诉讼。"
    # a case can be found by its id too
    assert one(cli("show", "2", fmt="json"))["number"] == "2026-0002"


def test_add_suggestion_csv_row(cli):
    setup_office(cli)
    out = cli(
        "add-suggestion", "--deputy", "4", "--title", "标题", "--received", "2026-01-05", fmt="csv"
    )
    data = list(csv.reader(io.StringIO(out.stdout)))
    assert data == [
        CASE_KEYS + ["proc_due"],
        ["1", "2026-0001", "suggestion", "标题", "陈静", "registered", "2026-01-05"]
        + [""] * 7
        + ["1", "false", ""],
    ]


# -- the whole lifecycle ---------------------------------------------------------


def test_lifecycle_json_rows_of_every_step(cli):
    setup_office(cli)
    add(cli, "关于加强公益诉讼的建议", received="2026-03-31")

    row = one(
        cli(
            "assign",
            "2026-0001",
            "--dept",
            "第一检察部",
            "--handler",
            "王芳",
            "--co-dept",
            "第八检察部",
            "--date",
            "2026-03-31",
            fmt="json",
        )
    )
    assert list(row) == CASE_KEYS + ["co_departments"]
    assert (
        row["status"],
        row["department"],
        row["handler"],
        row["due"],
        row["co_departments"],
    ) == (
        "assigned",
        "第一检察部",
        "王芳",
        "2026-06-30",
        ["第八检察部"],
    )

    assert (
        one(cli("remind", "2026-0001", "--note", "电话催办", "--date", "2026-05-20", fmt="json"))[
            "reminders"
        ]
        == 1
    )
    out = cli("remind", "2026-0001", "--date", "2026-06-01")
    assert out.stdout == "reminder 2 recorded for 2026-0001\n"

    row = one(
        cli(
            "extend",
            "2026-0001",
            "--due",
            "2026-07-31",
            "--reason",
            "需调取案卷",
            "--date",
            "2026-06-02",
            fmt="json",
        )
    )
    assert (row["due"], row["old_due"], row["reason"], row["status"]) == (
        "2026-07-31",
        "2026-06-30",
        "需调取案卷",
        "assigned",
    )
    out = cli(
        "extend",
        "2026-0001",
        "--due",
        "2026-08-15",
        "--reason",
        "等待鉴定意见",
        "--date",
        "2026-07-01",
    )
    assert out.stdout == "2026-0001: due 2026-07-31 → 2026-08-15\n"

    row = one(
        cli(
            "reply",
            "2026-0001",
            "--method",
            "书面",
            "--result",
            "B",
            "--summary",
            "已部署专项监督",
            "--date",
            "2026-08-10",
            fmt="json",
        )
    )
    assert (row["status"], row["replied"], row["result"], row["on_time"]) == (
        "replied",
        "2026-08-10",
        "B",
        True,
    )

    row = one(
        cli("close", "2026-0001", "--satisfaction", "不满意", "--date", "2026-08-20", fmt="json")
    )
    assert (row["status"], row["closed"], row["satisfaction"], row["round"]) == (
        "closed",
        "2026-08-20",
        "dissatisfied",
        1,
    )

    row = one(
        cli(
            "reopen",
            "2026-0001",
            "--reason",
            "代表认为措施不具体",
            "--date",
            "2026-08-31",
            fmt="json",
        )
    )
    # round 2: one month from reopening, clamped to the month's end
    assert (row["status"], row["round"], row["due"], row["department"], row["handler"]) == (
        "assigned",
        2,
        "2026-09-30",
        "第一检察部",
        "王芳",
    )
    assert (row["replied"], row["closed"], row["satisfaction"]) == (None, None, None)

    # reassigning round 2 to another department keeps its deadline
    row = one(
        cli(
            "assign",
            "2026-0001",
            "--dept",
            "第八检察部",
            "--handler",
            "刘强",
            "--date",
            "2026-09-01",
            fmt="json",
        )
    )
    assert (row["department"], row["handler"], row["due"], row["round"]) == (
        "第八检察部",
        "刘强",
        "2026-09-30",
        2,
    )

    out = cli(
        "reply", "2026-0001", "--method", "in-person", "--result", "A", "--date", "2026-10-08"
    )
    assert out.stdout == "reply recorded for 2026-0001: late (due 2026-09-30)\n"
    out = cli("close", "2026-0001", "--satisfaction", "satisfied", "--date", "2026-10-09")
    assert out.stdout == "closed 2026-0001 (satisfied)\n"

    shown = one(cli("show", "2026-0001", fmt="json"))
    assert [r["round"] for r in shown["rounds"]] == [1, 2]
    r1, r2 = shown["rounds"]
    # round 1 stays as it was: its reply, its dissatisfied close, its extensions
    assert (
        r1["department"],
        r1["due_original"],
        r1["due"],
        r1["replied"],
        r1["result"],
        r1["on_time"],
    ) == (
        "第一检察部",
        "2026-06-30",
        "2026-08-15",
        "2026-08-10",
        "B",
        True,
    )
    assert (r1["closed"], r1["satisfaction"], r1["co_departments"]) == (
        "2026-08-20",
        "dissatisfied",
        ["第八检察部"],
    )
    assert r1["extensions"] == [
        {
            "date": "2026-06-02",
            "old_due": "2026-06-30",
            "new_due": "2026-07-31",
            "reason": "需调取案卷",
            "actor": "tester",
        },
        {
            "date": "2026-07-01",
            "old_due": "2026-07-31",
            "new_due": "2026-08-15",
            "reason": "等待鉴定意见",
            "actor": "tester",
        },
    ]
    assert (
        r2["started"],
        r2["department"],
        r2["handler"],
        r2["due"],
        r2["replied"],
        r2["on_time"],
    ) == (
        "2026-08-31",
        "第八检察部",
        "刘强",
        "2026-09-30",
        "2026-10-08",
        False,
    )
    assert (r2["closed"], r2["satisfaction"], r2["extensions"]) == ("2026-10-09", "satisfied", [])
    assert [(e["date"], e["round"], e["action"], e["actor"]) for e in shown["timeline"]] == [
        ("2026-03-31", 1, "case.add", "tester"),
        ("2026-03-31", 1, "case.assign", "tester"),
        ("2026-05-20", 1, "case.remind", "tester"),
        ("2026-06-01", 1, "case.remind", "tester"),
        ("2026-06-02", 1, "case.extend", "tester"),
        ("2026-07-01", 1, "case.extend", "tester"),
        ("2026-08-10", 1, "case.reply", "tester"),
        ("2026-08-20", 1, "case.close", "tester"),
        ("2026-08-31", 2, "case.reopen", "tester"),
        ("2026-09-01", 2, "case.reassign", "tester"),
        ("2026-10-08", 2, "case.reply", "tester"),
        ("2026-10-09", 2, "case.close", "tester"),
    ]
    assert shown["timeline"][4]["details"] == {
        "old_due": "2026-06-30",
        "new_due": "2026-07-31",
        "reason": "需调取案卷",
    }
    row = as_json(cli("cases", fmt="json"))[0]
    assert {
        k: row[k]
        for k in (
            "status",
            "round",
            "department",
            "due",
            "replied",
            "result",
            "closed",
            "satisfaction",
        )
    } == {
        "status": "closed",
        "round": 2,
        "department": "第八检察部",
        "due": "2026-09-30",
        "replied": "2026-10-08",
        "result": "A",
        "closed": "2026-10-09",
        "satisfaction": "satisfied",
    }

    # closed satisfied: no third round
    out = cli("reopen", "2026-0001", "--reason", "x", "--date", "2026-10-10", ok=False)
    assert out.exit_code == 1


def test_a_second_dissatisfied_close_opens_a_third_round(cli):
    setup_office(cli)
    add(cli, "建议", received="2026-01-05")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-01-05")
    cli("reply", "2026-0001", "--method", "written", "--date", "2026-02-01")
    cli("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-02-03")
    out = cli("reopen", "2026-0001", "--reason", "一", "--date", "2026-03-31")
    assert out.stdout == "reopened 2026-0001: round 2, due 2026-04-30\n"
    cli("reply", "2026-0001", "--method", "written", "--date", "2026-04-20")
    cli("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-04-21")
    out = cli("reopen", "2026-0001", "--reason", "二", "--date", "2026-05-31")
    assert out.stdout == "reopened 2026-0001: round 3, due 2026-06-30\n"
    shown = one(cli("show", "2026-0001", fmt="json"))
    assert [(r["round"], r["started"], r["due"], r["satisfaction"]) for r in shown["rounds"]] == [
        (1, "2026-01-05", "2026-04-05", "dissatisfied"),
        (2, "2026-03-31", "2026-04-30", "dissatisfied"),
        (3, "2026-05-31", "2026-06-30", None),
    ]
    assert (shown["status"], shown["round"], shown["due"]) == ("assigned", 3, "2026-06-30")


def test_show_reads_like_a_file_cover_for_the_clerk(cli):
    setup_office(cli)
    cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--deputy",
        "1",
        "--title",
        "关于加强公益诉讼的建议",
        "--received",
        "2026-03-31",
        "--content",
        "建议加强生态环境领域公益诉讼。",
        "--key",
    )
    cli(
        "assign",
        "2026-0001",
        "--dept",
        "第一检察部",
        "--handler",
        "王芳",
        "--co-dept",
        "第八检察部",
        "--date",
        "2026-03-31",
    )
    cli("remind", "2026-0001", "--note", "电话催办", "--date", "2026-05-20")
    cli(
        "extend",
        "2026-0001",
        "--due",
        "2026-07-31",
        "--reason",
        "需调取案卷",
        "--date",
        "2026-06-01",
    )
    cli(
        "reply",
        "2026-0001",
        "--method",
        "written",
        "--result",
        "B",
        "--summary",
        "已部署专项监督",
        "--date",
        "2026-07-15",
    )
    cli("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-07-20")
    cli("reopen", "2026-0001", "--reason", "代表认为措施不具体", "--date", "2026-07-25")
    cli("reply", "2026-0001", "--method", "phone", "--result", "A", "--date", "2026-08-20")
    cli("close", "2026-0001", "--satisfaction", "basic", "--date", "2026-08-22")
    out = cli("show", "2026-0001", fmt="plain")
    assert out.stdout == (
        "number       2026-0001\n"
        "kind         suggestion, key supervision\n"
        "title        关于加强公益诉讼的建议\n"
        "status       closed, handling round 2\n"
        "lead deputy  陈静\n"
        "co-signers   张伟\n"
        "received     2026-03-31\n"
        "department   第一检察部  (co: 第八检察部)\n"
        "handler      王芳\n"
        "assigned     2026-07-25\n"
        "due          2026-08-25\n"
        "replied      2026-08-20, by phone, A: solved, on time\n"
        "closed       2026-08-22, basically satisfied\n"
        "content      建议加强生态环境领域公益诉讼。\n"
        "\n"
        "Handling rounds\n"
        "round    department    handler    assigned    due         replied     result           closed      satisfaction\n"  # noqa: E501
        "1        第一检察部    王芳       2026-03-31  2026-07-31  2026-07-15  B: being solved  2026-07-20  dissatisfied\n"  # noqa: E501
        "2        第一检察部    王芳       2026-07-25  2026-08-25  2026-08-20  A: solved        2026-08-22  basically satisfied\n"  # noqa: E501
        "\n"
        "Extensions\n"
        "round    date        old due     new due     reason      by\n"
        "1        2026-06-01  2026-06-30  2026-07-31  需调取案卷  tester\n"
        "\n"
        "Timeline\n"
        "date        round    action      by      details\n"
        "2026-03-31  1        registered  tester  suggestion; deputies: 陈静、张伟; key supervision\n"  # noqa: E501
        "2026-03-31  1        assigned    tester  to 第一检察部 (co: 第八检察部); handler 王芳; due 2026-06-30\n"  # noqa: E501
        "2026-05-20  1        reminded    tester  电话催办\n"
        "2026-06-01  1        extended    tester  due 2026-06-30 → 2026-07-31: 需调取案卷\n"
        "2026-07-15  1        replied     tester  written; B: being solved; on time; 已部署专项监督\n"  # noqa: E501
        "2026-07-20  1        closed      tester  dissatisfied\n"
        "2026-07-25  2        reopened    tester  代表认为措施不具体; due 2026-08-25\n"
        "2026-08-20  2        replied     tester  by phone; A: solved; on time\n"
        "2026-08-22  2        closed      tester  basically satisfied\n"
    )
    table = cli("show", "2026-0001", fmt="table").stdout
    for text in (
        "Handling rounds",
        "Extensions",
        "Timeline",
        "需调取案卷",
        "dissatisfied",
        "basically satisfied",
    ):
        assert text in table
    timeline = list(csv.DictReader(io.StringIO(cli("show", "2026-0001", fmt="csv").stdout)))
    assert [r["action"] for r in timeline][:3] == ["case.add", "case.assign", "case.remind"]
    assert timeline[2]["details"] == '{"note": "电话催办"}'


def test_show_open_letter_counts_days_overdue_from_today(cli):
    setup_office(cli)
    today = date.today()
    received = today - timedelta(days=10)
    cli(
        "add-suggestion",
        "--deputy",
        "李娜",
        "--title",
        "来信",
        "--kind",
        "letter",
        "--received",
        received.isoformat(),
    )
    out = cli("show", "2026-0001" if received.year == 2026 else f"{received.year}-0001", fmt="json")
    data = one(out)
    assert (data["proc_due"], data["proc_days_overdue"], data["days_overdue"]) == (
        (received + timedelta(days=7)).isoformat(),
        3,
        None,
    )
    plain = cli("show", data["number"]).stdout
    assert (
        f"procedural reply  not given, due {received + timedelta(days=7)}: 3 days overdue\n"
        in plain
    )
    assert "department        not assigned yet\n" in plain
    cli(
        "assign",
        data["number"],
        "--dept",
        "第一检察部",
        "--date",
        received.isoformat(),
        "--due",
        "yesterday",
    )
    cli(
        "reply",
        data["number"],
        "--procedural",
        "--date",
        (received + timedelta(days=8)).isoformat(),
    )
    data = one(cli("show", data["number"], fmt="json"))
    assert (data["proc_days_overdue"], data["days_overdue"], data["due"]) == (
        None,
        1,
        (today - timedelta(days=1)).isoformat(),
    )
    plain = cli("show", data["number"]).stdout
    assert (
        f"procedural reply  {received + timedelta(days=8)} (late, due {received + timedelta(days=7)})\n"  # noqa: E501
        in plain
    )
    assert f"due               {today - timedelta(days=1)}  1 days overdue\n" in plain


def test_procedural_reply_of_a_letter_and_a_case_of_concern(cli):
    setup_office(cli)
    add(cli, "来信", "--kind", "letter", received="2026-05-01")
    add(cli, "关注案件", "--kind", "关注案件", received="2026-05-01")
    # the procedural reply may come before the case is assigned
    out = cli("reply", "2026-0001", "--procedural", "--date", "2026-05-08")
    assert out.stdout == "procedural reply recorded for 2026-0001: on time (due 2026-05-08)\n"
    row = one(cli("reply", "2026-0002", "--procedural", "--date", "2026-05-09", fmt="json"))
    assert (row["number"], row["status"], row["proc_due"], row["proc_replied"], row["on_time"]) == (
        "2026-0002",
        "registered",
        "2026-05-08",
        "2026-05-09",
        False,
    )
    # it stops only the 7-day clock: the case still needs its substantive reply
    cli("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-05-10")
    cli("close", "2026-0001", ok=False)
    cli("reply", "2026-0001", "--method", "written", "--date", "2026-06-01")
    cli("close", "2026-0001", "--date", "2026-06-02")
    rows = as_json(cli("cases", fmt="json"))
    assert [(r["number"], r["status"], r["due"]) for r in rows] == [
        ("2026-0001", "closed", "2026-08-10"),
        ("2026-0002", "registered", None),
    ]


def test_dates_typed_as_words_and_offsets(cli):
    setup_office(cli)
    today = date.today()
    row = one(
        cli("add-suggestion", "--deputy", "4", "--title", "t", "--received", "-3d", fmt="json")
    )
    assert row["received"] == (today - timedelta(days=3)).isoformat()
    cli("assign", row["number"], "--dept", "第一检察部", "--date", "yesterday")
    cli("remind", row["number"])  # default --date: today
    shown = one(cli("show", row["number"], fmt="json"))
    assert [e["date"] for e in shown["timeline"]] == [
        (today - timedelta(days=3)).isoformat(),
        (today - timedelta(days=1)).isoformat(),
        today.isoformat(),
    ]
    out = cli("reply", row["number"], "--method", "written", "--date", "2026-02-30", ok=False)
    assert (out.exit_code, out.stderr) == (1, "error: no such date: 2026-02-30\n")


# -- listing --------------------------------------------------------------------


def test_cases_filters(cli):
    setup_office(cli)
    add(cli, "甲", received="2026-01-10", deputy="陈静")
    add(cli, "乙", "--kind", "motion", "--key", received="2026-02-10", deputy="3")
    add(cli, "丙", "--kind", "letter", received="2026-03-10", deputy="1")
    add(cli, "丁", received="2026-04-10", deputy="2")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-01-11")
    cli("assign", "2026-0002", "--dept", "第八检察部", "--date", "2026-02-11")
    cli("assign", "2026-0003", "--dept", "第一检察部", "--date", "2026-03-11")
    cli("reply", "2026-0003", "--method", "written", "--date", "2026-03-20")
    cli("reply", "2026-0002", "--method", "written", "--date", "2026-03-20")
    cli("close", "2026-0002", "--date", "2026-03-21")

    def numbers(*args):
        return [r["number"] for r in as_json(cli("cases", *args, fmt="json"))]

    assert numbers() == ["2026-0001", "2026-0002", "2026-0003", "2026-0004"]
    assert numbers("--status", "registered") == ["2026-0004"]
    assert numbers("--status", "assigned") == ["2026-0001"]
    assert numbers("--status", "已答复") == ["2026-0003"]
    assert numbers("--status", "closed") == ["2026-0002"]
    assert numbers("--kind", "motion") == ["2026-0002"]
    assert numbers("--kind", "来信") == ["2026-0003"]
    assert numbers("--dept", "第一检察部") == ["2026-0001", "2026-0003"]
    assert numbers("--dept", "2") == ["2026-0002"]
    assert numbers("--deputy", "李娜") == ["2026-0002"]
    assert numbers("--deputy", "2") == ["2026-0004"]
    assert numbers("--from", "2026-02-10", "--to", "2026-03-10") == ["2026-0002", "2026-0003"]
    assert numbers("--from", "2026-03-11") == ["2026-0004"]
    assert numbers("--key") == ["2026-0002"]
    assert numbers("--dept", "第一检察部", "--status", "replied") == ["2026-0003"]
    assert numbers("--limit", "2") == ["2026-0001", "2026-0002"]
    assert numbers("--status", "closed", "--kind", "letter") == []

    out = cli("cases", "--dept", "第一检察部", fmt="plain")
    assert out.lines == [
        "number     kind        title    deputies          status    received    department    due",  # noqa: E501
        "2026-0001  suggestion  甲       陈静              assigned  2026-01-10  第一检察部    2026-04-11",  # noqa: E501
        # deputy 1 shares the name 张伟: its unit tells which one
        "2026-0003  letter      丙       张伟（省交通厅）  replied   2026-03-10  第一检察部    2026-06-11",  # noqa: E501
    ]
    rows = list(csv.reader(io.StringIO(cli("cases", "--status", "closed", fmt="csv").stdout)))
    assert rows[0] == CASE_KEYS[:-1]  # the keys scripts read
    assert rows[1][:7] == ["2", "2026-0002", "motion", "乙", "李娜", "closed", "2026-02-10"]

    bad = cli("cases", "--deputy", "张伟", ok=False)
    assert bad.exit_code == 1
    assert bad.stderr.splitlines()[0] == "error: '张伟' matches 2 deputies; use the id"
    assert bad.stdout == ""
    for args, message in [
        (
            ("--status", "open"),
            "error: invalid status 'open'; choose from: registered, assigned, replied, closed",
        ),
        (
            ("--kind", "memo"),
            "error: invalid kind 'memo'; choose from: suggestion, motion, proposal, letter, concern, petition",  # noqa: E501
        ),
        (("--dept", "第九检察部"), "error: unknown department '第九检察部'"),
        (("--deputy", "王五"), "error: unknown deputy '王五'"),
        (("--limit", "-1"), "error: --limit must not be negative"),
    ]:
        bad = cli("cases", *args, ok=False)
        assert (bad.exit_code, bad.stderr, bad.stdout) == (1, message + "\n", ""), args


# -- refusals -------------------------------------------------------------------


def _ledger(cli):
    """What a user sees of every case: the listing and each case's full record."""
    listing = cli("cases", fmt="json").stdout
    return listing, [cli("show", r["number"], fmt="json").stdout for r in json.loads(listing)]


def _tables(db):
    """Every row of every table, read straight from the database."""
    from sqlalchemy import select

    from liaison_cli.store.schema import metadata

    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(select(t).order_by(*t.primary_key.columns)).all()
            for t in metadata.sorted_tables
        }


@pytest.fixture
def ledger(cli):
    """Cases in every state, each named by what it is."""
    setup_office(cli)
    add(cli, "已登记", received="2026-03-01")  # 2026-0001 registered
    add(cli, "已交办", received="2026-03-01")  # 2026-0002 assigned
    cli("assign", "2026-0002", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-03-05")
    cli("remind", "2026-0002", "--date", "2026-03-20")
    add(cli, "已答复", received="2026-03-01")  # 2026-0003 replied
    cli("assign", "2026-0003", "--dept", "第一检察部", "--date", "2026-03-05")
    cli("reply", "2026-0003", "--method", "written", "--date", "2026-04-01")
    add(cli, "满意办结", received="2026-03-01")  # 2026-0004 closed satisfied
    cli("assign", "2026-0004", "--dept", "第一检察部", "--date", "2026-03-05")
    cli("reply", "2026-0004", "--method", "written", "--date", "2026-04-01")
    cli("close", "2026-0004", "--satisfaction", "satisfied", "--date", "2026-04-02")
    add(cli, "不满意办结", received="2026-03-01")  # 2026-0005 closed dissatisfied
    cli("assign", "2026-0005", "--dept", "第一检察部", "--date", "2026-03-05")
    cli("reply", "2026-0005", "--method", "written", "--date", "2026-04-01")
    cli("close", "2026-0005", "--satisfaction", "dissatisfied", "--date", "2026-04-10")
    add(cli, "来信", "--kind", "letter", received="2026-03-01")  # 2026-0006 letter
    cli("reply", "2026-0006", "--procedural", "--date", "2026-03-03")
    add(cli, "信访", "--kind", "petition", received="2026-01-10")  # 2026-0007 petition
    cli("assign", "2026-0007", "--dept", "第八检察部", "--date", "2026-01-10")  # due 2026-03-11
    add(cli, "信访二", "--kind", "petition", received="2026-03-01")  # 2026-0008 petition
    add(cli, "关注案件", "--kind", "concern", received="2026-03-01")  # 2026-0009 concern
    return cli


REFUSALS = [
    # (argv, the error line)
    (
        ("reply", "2026-0001", "--method", "written"),
        "cannot reply to case 2026-0001: it is not assigned yet (assign it first)",
    ),
    (
        ("remind", "2026-0001"),
        "cannot remind case 2026-0001: it is not assigned yet (assign it first)",
    ),
    (
        ("extend", "2026-0001", "--due", "2026-12-31", "--reason", "r"),
        "cannot extend case 2026-0001: it is not assigned yet (assign it first)",
    ),
    (
        ("close", "2026-0001"),
        "case 2026-0001 is registered; only a replied case can be closed",
    ),
    (
        ("close", "2026-0002", "--satisfaction", "satisfied"),
        "case 2026-0002 is assigned; only a replied case can be closed",
    ),
    (("close", "2026-0004"), "case 2026-0004 is already closed"),
    (
        ("reply", "2026-0003", "--method", "phone"),
        "cannot reply to case 2026-0003: it is already replied",
    ),
    (
        ("reply", "2026-0004", "--method", "phone"),
        "cannot reply to case 2026-0004: it is already closed",
    ),
    (
        ("extend", "2026-0003", "--due", "2026-12-31", "--reason", "r"),
        "cannot extend case 2026-0003: it is already replied",
    ),
    (("remind", "2026-0004"), "cannot remind case 2026-0004: it is already closed"),
    (
        ("reopen", "2026-0002", "--reason", "r"),
        "case 2026-0002 can be reopened only when closed with the deputy dissatisfied",
    ),
    (
        ("reopen", "2026-0003", "--reason", "r"),
        "case 2026-0003 can be reopened only when closed with the deputy dissatisfied",
    ),
    (
        ("reopen", "2026-0004", "--reason", "r"),
        "case 2026-0004 can be reopened only when closed with the deputy dissatisfied",
    ),
    (
        ("assign", "2026-0003", "--dept", "第八检察部"),
        "case 2026-0003 is replied; only a registered or assigned case can be assigned",
    ),
    # dates
    (
        (
            "assign",
            "2026-0001",
            "--dept",
            "第一检察部",
            "--due",
            "2026-02-28",
            "--date",
            "2026-03-01",
        ),
        "due date 2026-02-28 is before the case was received (2026-03-01)",
    ),
    (
        (
            "assign",
            "2026-0001",
            "--dept",
            "第一检察部",
            "--due",
            "2026-03-09",
            "--date",
            "2026-03-10",
        ),
        "due date 2026-03-09 is before the assignment date 2026-03-10",
    ),
    (
        ("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-02-28"),
        "assignment date 2026-02-28 is before the case's previous step (2026-03-01)",
    ),
    (
        ("reply", "2026-0002", "--method", "written", "--date", "2026-03-19"),
        "reply date 2026-03-19 is before the case's previous step (2026-03-20)",
    ),
    (
        ("remind", "2026-0002", "--date", "2026-03-04"),
        "reminder date 2026-03-04 is before the case's previous step (2026-03-20)",
    ),
    (
        ("extend", "2026-0002", "--due", "2026-07-01", "--reason", "r", "--date", "2026-03-10"),
        "extension date 2026-03-10 is before the case's previous step (2026-03-20)",
    ),
    (
        ("close", "2026-0003", "--date", "2026-03-31"),
        "close date 2026-03-31 is before the case's previous step (2026-04-01)",
    ),
    (
        ("reopen", "2026-0005", "--reason", "r", "--date", "2026-04-09"),
        "reopening date 2026-04-09 is before the case's previous step (2026-04-10)",
    ),
    (
        ("reply", "2026-0006", "--procedural", "--date", "2026-02-28"),
        "case 2026-0006 already had its procedural reply on 2026-03-03",
    ),
    # deadlines
    (
        ("extend", "2026-0002", "--due", "2026-06-05", "--reason", "r", "--date", "2026-04-01"),
        "new due date 2026-06-05 is not after the current one (2026-06-05)",
    ),
    (
        ("extend", "2026-0002", "--due", "2026-06-10", "--reason", "r", "--date", "2026-06-20"),
        "new due date 2026-06-10 is before the extension date 2026-06-20",
    ),
    (
        ("extend", "2026-0002", "--due", "2026-07-05", "--reason", " "),
        "reason must not be empty",
    ),
    (
        ("assign", "2026-0002", "--dept", "第八检察部", "--due", "2026-09-01"),
        "case 2026-0002 is already assigned (due 2026-06-05); reassigning keeps the deadline, use `liaison extend` to change it",  # noqa: E501
    ),
    (
        ("assign", "2026-0002", "--dept", "第八检察部", "--complex"),
        "case 2026-0002 is already assigned (due 2026-06-05); reassigning keeps the deadline, use `liaison extend` to change it",  # noqa: E501
    ),
    (
        ("assign", "2026-0001", "--dept", "第一检察部", "--due", "2026-09-01", "--complex"),
        "give either --due or --complex, not both",
    ),
    (
        ("extend", "2026-0007", "--due", "2026-04-11", "--reason", "r", "--date", "2026-03-01"),
        "a petition's deadline may be extended by at most 30 days (to 2026-04-10), not to 2026-04-11",  # noqa: E501
    ),
    # procedural replies
    (
        ("reply", "2026-0009", "--procedural", "--date", "2026-02-27"),
        "procedural reply date 2026-02-27 is before the case was received (2026-03-01)",
    ),
    (
        ("reply", "2026-0001", "--procedural"),
        "a procedural reply applies to letters and cases of concern, not to a suggestion",
    ),
    (
        ("reply", "2026-0006", "--procedural"),
        "case 2026-0006 already had its procedural reply on 2026-03-03",
    ),
    (
        ("reply", "2026-0002", "--procedural", "--result", "A"),
        "--procedural takes no --result",
    ),
    (("reply", "2026-0002"), "--method is required (written, in-person or phone)"),
    # values
    (
        ("reply", "2026-0002", "--method", "fax"),
        "invalid reply method 'fax'; choose from: written, in-person, phone",
    ),
    (
        ("reply", "2026-0002", "--method", "written", "--result", "E"),
        "invalid result 'E'; choose from: A, B, C, D",
    ),
    (
        ("close", "2026-0003", "--satisfaction", "happy"),
        "invalid satisfaction 'happy'; choose from: satisfied, basic, dissatisfied",
    ),
    (
        ("assign", "2026-0001", "--dept", "第九检察部"),
        "unknown department '第九检察部'",
    ),
    (
        ("assign", "2026-0001", "--dept", "第一检察部", "--handler", "赵六"),
        "unknown staff member '赵六'",
    ),
    (
        ("assign", "2026-0001", "--dept", "第一检察部", "--co-dept", "第九检察部"),
        "unknown department '第九检察部'",
    ),
    (
        ("assign", "2026-0001", "--dept", "第一检察部", "--co-dept", "第一检察部"),
        "the lead department cannot also be a co-department",
    ),
    # unknown cases
    (("show", "2026-9999"), "unknown case '2026-9999'"),
    (("reply", "2026-9999", "--method", "written"), "unknown case '2026-9999'"),
    (("assign", "999", "--dept", "第一检察部"), "unknown case '999'"),
    # registering
    (("add-suggestion", "--deputy", "王五", "--title", "t"), "unknown deputy '王五'"),
    (
        ("add-suggestion", "--deputy", "陈静", "--title", "t", "--number", "2026-0003"),
        "case number '2026-0003' already exists",
    ),
    (("add-suggestion", "--deputy", "陈静", "--title", "  "), "title must not be empty"),
    (
        ("add-suggestion", "--deputy", "陈静", "--title", "t", "--kind", "memo"),
        "invalid kind 'memo'; choose from: suggestion, motion, proposal, letter, concern, petition",
    ),
    (
        ("add-suggestion", "--deputy", "陈静", "--title", "t", "--received", "next week"),
        "cannot read date 'next week' (use 2026-11-20, 2026年11月20日, today, +7d, -3m)",
    ),
    (
        ("assign", "2026-0008", "--dept", "第一检察部", "--complex"),
        "--complex does not apply to a petition; extend its deadline instead",
    ),
]


def test_every_refusal_is_one_error_line_and_changes_nothing(ledger):
    from liaison_cli.store.database import Database, resolve_url

    cli = ledger
    seen = _ledger(cli)
    db = Database(resolve_url(cli.db_url))
    try:
        rows = _tables(db)
        assert len(rows["events"]) > 20
        for argv, message in REFUSALS:
            out = cli(*argv, ok=False)
            assert (out.exit_code, out.stderr, out.stdout) == (1, f"error: {message}\n", ""), argv
            # not a row written, not an event appended, not a number used up
            assert _tables(db) == rows, argv
    finally:
        db.dispose()
    assert _ledger(cli) == seen


def test_ambiguous_deputy_lists_the_candidates_and_registers_nothing(cli):
    setup_office(cli)
    out = cli("add-suggestion", "--deputy", "张伟", "--title", "关于道路安全的建议", ok=False)
    assert out.exit_code == 1
    assert out.stdout == ""
    assert out.stderr.splitlines() == [
        "error: '张伟' matches 2 deputies; use the id",
        "  1  张伟  provincial  省交通厅",
        "  2  张伟  municipal  市第一中学",
    ]
    assert as_json(cli("cases", fmt="json")) == []
    # with the id it goes through, and the auto number was not used up
    assert add(cli, "关于道路安全的建议", deputy="2")["number"] == "2026-0001"


def test_a_refused_registration_does_not_use_up_a_number(cli):
    setup_office(cli)
    add(cli, "一", received="2026-01-01")
    cli("add-suggestion", "--deputy", "陈静", "--deputy", "王五", "--title", "二", ok=False)
    cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--title",
        "二",
        "--received",
        "2026-01-02",
        "--content",
        "bad\x00text",
        ok=False,
    )
    assert add(cli, "二", received="2026-01-03")["number"] == "2026-0002"
