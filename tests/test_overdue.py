"""``liaison overdue``: what is late as of a date, and what falls due soon."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from helpers import CASE_KEYS, as_json, setup_office

OVERDUE_KEYS = CASE_KEYS + [
    "days_overdue",
    "days_left",
    "reminders",
    "clock",
]


def reg(cli, title, received, *extra, deputy="陈静"):
    cli("add-suggestion", "--deputy", deputy, "--title", title, "--received", received, *extra)


@pytest.fixture
def ledger(cli):
    """Nine cases around 30 June 2026, each late (or not) for its own reason."""
    setup_office(cli)
    # 0001 due 06-30: due on the day, not overdue until 07-01
    reg(cli, "当天到期", "2026-03-31")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-03-31")
    # 0002 due 06-15, reminded three times (the last after 06-30)
    reg(cli, "催办多次", "2026-03-10", "--deputy", "陈静", deputy="李娜")
    cli("assign", "2026-0002", "--dept", "第八检察部", "--handler", "刘强", "--date", "2026-03-15")
    for on in ("2026-05-01", "2026-06-20", "2026-07-05"):
        cli("remind", "2026-0002", "--date", on)
    # 0003 due 06-20, extended on 06-25 to 07-20
    reg(cli, "延期", "2026-03-20", "--kind", "motion", deputy="1")
    cli("assign", "2026-0003", "--dept", "第一检察部", "--date", "2026-03-20")
    cli(
        "extend", "2026-0003", "--due", "2026-07-20", "--reason", "需鉴定",
        "--date", "2026-06-25", "--late",
    )  # fmt: skip
    # 0004 replied on time: never overdue
    reg(cli, "按期答复", "2026-03-01")
    cli("assign", "2026-0004", "--dept", "第一检察部", "--date", "2026-03-01")
    cli("reply", "2026-0004", "--method", "written", "--date", "2026-05-20")
    # 0005 due 06-10, replied late on 07-10
    reg(cli, "逾期答复", "2026-03-10", "--kind", "proposal")
    cli("assign", "2026-0005", "--dept", "第一检察部", "--date", "2026-03-10")
    cli("reply", "2026-0005", "--method", "phone", "--result", "B", "--date", "2026-07-10")
    # 0006 a letter received 06-20 without its procedural reply (due 06-27)
    reg(cli, "来信未复", "2026-06-20", "--kind", "letter", deputy="2")
    # 0007 a letter answered procedurally in time, substantive due 09-02
    reg(cli, "来信已复", "2026-06-01", "--kind", "letter")
    cli("assign", "2026-0007", "--dept", "第一检察部", "--date", "2026-06-02")
    cli("reply", "2026-0007", "--procedural", "--date", "2026-06-05")
    # 0008 registered, never assigned: no deadline runs
    reg(cli, "未交办", "2026-05-01")
    # 0009 round 1 due 05-20 replied late 06-01, reopened 06-10: round 2 due 07-10
    reg(cli, "重新办理", "2026-02-20")
    cli("assign", "2026-0009", "--dept", "第一检察部", "--date", "2026-02-20")
    cli("reply", "2026-0009", "--method", "written", "--date", "2026-06-01")
    cli("close", "2026-0009", "--satisfaction", "dissatisfied", "--date", "2026-06-05")
    cli("reopen", "2026-0009", "--reason", "不满意", "--date", "2026-06-10")
    return cli


def rows(cli, *args):
    return [
        (r["number"], r["due"], r["days_overdue"], r["round"], r["clock"], r["reminders"])
        for r in as_json(cli("overdue", *args, fmt="json"))
    ]


def test_as_of_a_date_inclusive_due_extensions_and_rounds(ledger):
    cli = ledger
    out = cli("overdue", "--as-of", "2026-06-30", fmt="json")
    assert out.stderr == "3 overdue as of 2026-06-30\n"
    data = as_json(out)
    assert [list(r) for r in data] == [OVERDUE_KEYS] * 3
    assert data[1] == {
        "id": 2,
        "number": "2026-0002",
        "kind": "suggestion",
        "title": "催办多次",
        "deputies": "李娜、陈静",
        "status": "assigned",
        "received": "2026-03-10",
        "department": "第八检察部",
        "handler": "刘强",
        "due": "2026-06-15",
        "replied": None,
        "result": None,
        "closed": None,
        "satisfaction": None,
        "round": 1,
        "key": False,
        "days_overdue": 15,
        "days_left": None,
        "reminders": 2,
        "clock": "substantive",
    }
    # 0005 is shown as it stood on 06-30: not yet replied
    assert (data[0]["number"], data[0]["status"], data[0]["replied"], data[0]["result"]) == (
        "2026-0005",
        "assigned",
        None,
        None,
    )
    # the letter's procedural reply is late; the letter is not assigned yet
    assert (data[2]["number"], data[2]["status"], data[2]["department"], data[2]["clock"]) == (
        "2026-0006",
        "registered",
        None,
        "procedural",
    )
    assert rows(cli, "--as-of", "2026-06-30") == [
        ("2026-0005", "2026-06-10", 20, 1, "substantive", 0),
        ("2026-0002", "2026-06-15", 15, 1, "substantive", 2),
        ("2026-0006", "2026-06-27", 3, 1, "procedural", 0),
    ]

    # 0001 is due 06-30: not overdue that day, one day overdue the next
    assert "2026-0001" not in [r[0] for r in rows(cli, "--as-of", "2026-06-30")]
    assert rows(cli, "--as-of", "2026-07-01") == [
        ("2026-0005", "2026-06-10", 21, 1, "substantive", 0),
        ("2026-0002", "2026-06-15", 16, 1, "substantive", 2),
        ("2026-0006", "2026-06-27", 4, 1, "procedural", 0),
        ("2026-0001", "2026-06-30", 1, 1, "substantive", 0),
    ]

    # before 0003's extension (06-25) its old due date 06-20 is in force
    assert rows(cli, "--as-of", "2026-06-24") == [
        ("2026-0005", "2026-06-10", 14, 1, "substantive", 0),
        ("2026-0002", "2026-06-15", 9, 1, "substantive", 2),
        ("2026-0003", "2026-06-20", 4, 1, "substantive", 0),
    ]
    # round 1 of 0009 was overdue before its reply, round 2 after its own due date
    assert rows(cli, "--as-of", "2026-05-25") == [
        ("2026-0009", "2026-05-20", 5, 1, "substantive", 0),
    ]
    assert rows(cli, "--as-of", "2026-07-11") == [
        ("2026-0002", "2026-06-15", 26, 1, "substantive", 3),
        ("2026-0006", "2026-06-27", 14, 1, "procedural", 0),
        ("2026-0001", "2026-06-30", 11, 1, "substantive", 0),
        ("2026-0009", "2026-07-10", 1, 2, "substantive", 0),
    ]
    # before anything was received
    out = cli("overdue", "--as-of", "2026-01-01", fmt="json")
    assert (out.stdout, out.stderr) == ("[]\n", "0 overdue as of 2026-01-01\n")


def test_within_dept_and_limit(ledger):
    cli = ledger
    out = cli("overdue", "--as-of", "2026-06-30", "--within", "30", fmt="json")
    assert out.stderr == "3 overdue, 3 due within 30 days, as of 2026-06-30\n"
    assert rows(cli, "--as-of", "2026-06-30", "--within", "30") == [
        ("2026-0005", "2026-06-10", 20, 1, "substantive", 0),
        ("2026-0002", "2026-06-15", 15, 1, "substantive", 2),
        ("2026-0006", "2026-06-27", 3, 1, "procedural", 0),
        ("2026-0001", "2026-06-30", 0, 1, "substantive", 0),
        ("2026-0009", "2026-07-10", -10, 2, "substantive", 0),
        ("2026-0003", "2026-07-20", -20, 1, "substantive", 0),
    ]
    # json keeps the signed days_overdue; a clock not run out has its days_left too
    assert [(r["number"], r["days_overdue"], r["days_left"]) for r in as_json(out)] == [
        ("2026-0005", 20, None),
        ("2026-0002", 15, None),
        ("2026-0006", 3, None),
        ("2026-0001", 0, 0),
        ("2026-0009", -10, 10),
        ("2026-0003", -20, 20),
    ]
    # the last day of the window counts
    assert [r[0] for r in rows(cli, "--as-of", "2026-06-30", "--within", "20")][-1] == "2026-0003"
    assert [r[0] for r in rows(cli, "--as-of", "2026-06-30", "--within", "19")][-1] == "2026-0009"
    # a letter's procedural reply falling due soon is listed too
    assert rows(cli, "--as-of", "2026-06-22", "--within", "5") == [
        ("2026-0005", "2026-06-10", 12, 1, "substantive", 0),
        ("2026-0002", "2026-06-15", 7, 1, "substantive", 2),
        ("2026-0003", "2026-06-20", 2, 1, "substantive", 0),
        ("2026-0006", "2026-06-27", -5, 1, "procedural", 0),
    ]

    assert rows(cli, "--as-of", "2026-06-30", "--dept", "第八检察部") == [
        ("2026-0002", "2026-06-15", 15, 1, "substantive", 2),
    ]
    assert rows(cli, "--as-of", "2026-07-01", "--dept", "1") == [
        ("2026-0005", "2026-06-10", 21, 1, "substantive", 0),
        ("2026-0001", "2026-06-30", 1, 1, "substantive", 0),
    ]
    out = cli("overdue", "--as-of", "2026-06-30", "--limit", "2", fmt="json")
    assert [r["number"] for r in as_json(out)] == ["2026-0005", "2026-0002"]
    # the summary still counts every overdue case
    assert out.stderr == "3 overdue as of 2026-06-30\n"
    for args, message in [
        (("--dept", "第九检察部"), "error: unknown department '第九检察部'\n"),
        (("--limit", "-1"), "error: --limit must not be negative\n"),
        (("--within", "-3"), "error: --within must be between 0 and 36600 days\n"),
        (
            ("--within", "99999999999999999999"),
            "error: --within must be between 0 and 36600 days\n",
        ),
        (
            ("--as-of", "9999-12-30", "--within", "5"),
            "error: --within reaches past the last representable date\n",
        ),
        (("--as-of", "someday"), None),
    ]:
        out = cli("overdue", *args, ok=False)
        assert (out.exit_code, out.stdout) == (1, ""), args
        if message:
            assert out.stderr == message
        else:
            assert out.stderr.startswith("error: cannot read date 'someday'")


def test_the_same_rows_in_every_format(ledger):
    cli = ledger
    args = ("overdue", "--as-of", "2026-06-30", "--within", "10")
    plain = cli(*args, fmt="plain")
    assert plain.stderr == ""
    assert plain.lines == [
        "number     kind        title     deputies            department    handler    due         days overdue    days left    reminders    clock",  # noqa: E501
        "2026-0005  proposal    逾期答复  陈静                第一检察部               2026-06-10  20                           0            reply",  # noqa: E501
        "2026-0002  suggestion  催办多次  李娜、陈静          第八检察部    刘强       2026-06-15  15                           2            reply",  # noqa: E501
        "2026-0006  letter      来信未复  张伟（市第一中学）                           2026-06-27  3                            0            procedural reply",  # noqa: E501
        # due soon: not overdue, its days left apart (not "-10 days overdue")
        "2026-0001  suggestion  当天到期  陈静                第一检察部    王芳       2026-06-30                  0            0            reply",  # noqa: E501
        "2026-0009  suggestion  重新办理  陈静                第一检察部               2026-07-10                  10           0            reply",  # noqa: E501
        "3 overdue, 2 due within 10 days, as of 2026-06-30",
    ]
    table = cli(*args, fmt="table").stdout
    assert "Overdue cases" in table
    assert "3 overdue, 2 due within 10 days, as of 2026-06-30" in table
    for number in ("2026-0005", "2026-0002", "2026-0006", "2026-0001", "2026-0009"):
        assert number in table
    markdown = cli(*args, fmt="markdown").lines
    assert markdown[0] == "Overdue cases"
    assert [line for line in markdown if line.startswith("| number ")]
    assert len([line for line in markdown if line.startswith("| 2026-")]) == 5

    data = as_json(cli(*args, fmt="json"))
    out = cli(*args, fmt="csv")
    assert out.stderr == "3 overdue, 2 due within 10 days, as of 2026-06-30\n"
    table_rows = list(csv.reader(io.StringIO(out.stdout)))
    assert table_rows[0] == [k for k in OVERDUE_KEYS if k != "key"]
    assert [r[table_rows[0].index("number")] for r in table_rows[1:]] == [r["number"] for r in data]
    for line, row in zip(table_rows[1:], data, strict=True):
        assert line == ["" if row[k] is None else str(row[k]) for k in OVERDUE_KEYS if k != "key"]


def test_default_as_of_is_today(cli):
    setup_office(cli)
    today = date.today()
    for title, due in (("昨天到期", "yesterday"), ("今天到期", "today"), ("明天到期", "+1d")):
        out = cli(
            "add-suggestion", "--deputy", "4", "--title", title, "--received", "-10d", fmt="json"
        )
        number = as_json(out)[0]["number"]
        cli("assign", number, "--dept", "第一检察部", "--date", "-10d", "--due", due)
    data = as_json(cli("overdue", fmt="json"))
    assert [(r["title"], r["due"], r["days_overdue"]) for r in data] == [
        ("昨天到期", (today - timedelta(days=1)).isoformat(), 1),
    ]
    data = as_json(cli("overdue", "--within", "1", fmt="json"))
    assert [(r["title"], r["days_overdue"]) for r in data] == [
        ("昨天到期", 1),
        ("今天到期", 0),
        ("明天到期", -1),
    ]
    out = cli("overdue")
    assert out.lines[-1] == f"1 overdue as of {today.isoformat()}"
