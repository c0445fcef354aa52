"""The registry: deputies, departments and staff, through the real CLI.

Every test runs on a fresh database of the engine chosen by LIAISON_TEST_PG
and checks the rows a clerk would see, the exit codes and the audit events.
"""

from __future__ import annotations

import getpass
import json
from datetime import date

import pytest
from dbtools import dump, table_rows
from helpers import as_json

FULL = {
    "id": 1,
    "name": "张伟",
    "body": "cppcc",
    "level": "provincial",
    "term": 14,
    "delegation": "杭州代表团",
    "unit": "省交通厅",
    "sector": "交通运输界",
    "phone": "0571-87000000",
    "address": "杭州市西湖区文三路1号",
    "liaison": "王芳",
}
DEPUTY_KEYS = list(FULL)


def add_full(cli):  # type: ignore[no-untyped-def]
    """One department, one liaison, one deputy with every option given."""
    cli("dept", "add", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    return cli(
        "deputy",
        "add",
        "张伟",
        "--level",
        "省",
        "--body",
        "政协委员",
        "--term",
        "14",
        "--delegation",
        "杭州代表团",
        "--unit",
        "省交通厅",
        "--sector",
        "交通运输界",
        "--phone",
        "0571-87000000",
        "--address",
        "杭州市西湖区文三路1号",
        "--liaison",
        "王芳",
    )


def deputies(cli, *args: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return as_json(cli("deputy", "list", *args, fmt="json"))


def events(cli) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (e["actor"], e["action"], e["entity"], e["entity_id"], json.loads(e["details"] or "null"))
        for e in table_rows(cli.db_url, "events")
    ]


# -- deputy add / list ------------------------------------------------------------


def test_add_with_every_option(cli) -> None:  # type: ignore[no-untyped-def]
    out = add_full(cli)
    assert out.stdout == "added deputy 1: 张伟\n"
    assert out.stderr == ""
    assert deputies(cli) == [FULL]


def test_add_prints_the_row_in_machine_formats(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("deputy", "add", "李娜", "--level", "county", fmt="json")
    assert as_json(out) == [
        dict.fromkeys(DEPUTY_KEYS) | {"id": 1, "name": "李娜", "body": "npc", "level": "county"}
    ]
    out = cli("deputy", "add", "王强", "--level", "乡镇", fmt="csv")
    assert out.stdout == (
        "id,name,body,level,term,delegation,unit,sector,phone,address,liaison\n"
        "2,王强,npc,township,,,,,,,\n"
    )


@pytest.mark.parametrize(
    ("level", "code"),
    [
        ("全国", "national"),
        ("省", "provincial"),
        ("省级", "provincial"),
        ("市", "municipal"),
        ("县", "county"),
        ("县（区）", "county"),
        ("区", "county"),
        ("乡镇", "township"),
        ("Provincial", "provincial"),
    ],
)
def test_chinese_level_aliases(cli, level: str, code: str) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "陈静", "--level", level)
    assert [d["level"] for d in deputies(cli)] == [code]


@pytest.mark.parametrize(
    ("body", "code"),
    [("人大代表", "npc"), ("政协委员", "cppcc"), ("政协", "cppcc"), ("CPPCC", "cppcc")],
)
def test_chinese_body_aliases(cli, body: str, code: str) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "陈静", "--level", "省", "--body", body)
    assert [d["body"] for d in deputies(cli)] == [code]


def registry(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "张伟", "--level", "省", "--unit", "省交通厅", "--phone", "13800000001")
    cli("deputy", "add", "张伟", "--level", "市", "--unit", "市第一中学")
    cli("deputy", "add", "李娜", "--level", "县", "--body", "政协委员", "--sector", "教育界")
    cli(
        "deputy", "add", "陈静", "--level", "全国", "--term", "第14届", "--delegation", "浙江代表团"
    )
    cli("deputy", "add", "赵敏", "--level", "省", "--body", "cppcc", "--address", "宁波市海曙区")
    cli("deputy", "add", "孙丽", "--level", "省", "--unit", "100%_公司")


def ids(rows: list[dict]) -> list[int]:
    return [r["id"] for r in rows]


def test_list_filters(cli) -> None:  # type: ignore[no-untyped-def]
    registry(cli)
    assert ids(deputies(cli)) == [1, 2, 3, 4, 5, 6]
    assert ids(deputies(cli, "--level", "省")) == [1, 5, 6]
    assert ids(deputies(cli, "--level", "provincial")) == [1, 5, 6]
    assert ids(deputies(cli, "--level", "township")) == []
    assert ids(deputies(cli, "--body", "政协委员")) == [3, 5]
    assert ids(deputies(cli, "--body", "npc")) == [1, 2, 4, 6]
    assert ids(deputies(cli, "--level", "省", "--body", "cppcc")) == [5]
    # search: name, unit, delegation, sector, phone, address; a substring
    assert ids(deputies(cli, "--search", "张伟")) == [1, 2]
    assert ids(deputies(cli, "--search", "中学")) == [2]
    assert ids(deputies(cli, "--search", "浙江")) == [4]
    assert ids(deputies(cli, "--search", "教育")) == [3]
    assert ids(deputies(cli, "--search", "0001")) == [1]
    assert ids(deputies(cli, "--search", "海曙")) == [5]
    assert ids(deputies(cli, "--search", "省", "--level", "省")) == [1]
    assert ids(deputies(cli, "--search", "无此人")) == []
    assert [d["term"] for d in deputies(cli, "--search", "陈静")] == [14]
    # LIKE wildcards are literal text
    assert ids(deputies(cli, "--search", "%")) == [6]
    assert ids(deputies(cli, "--search", "0%_")) == [6]
    assert ids(deputies(cli, "--search", "_")) == [6]


def test_list_limit(cli) -> None:  # type: ignore[no-untyped-def]
    registry(cli)
    assert ids(deputies(cli, "--limit", "2")) == [1, 2]
    assert ids(deputies(cli, "--level", "省", "--limit", "2")) == [1, 5]
    assert ids(deputies(cli, "--limit", "0")) == []
    assert ids(deputies(cli, "--limit", "100")) == [1, 2, 3, 4, 5, 6]
    out = cli("deputy", "list", "--limit", "-1", ok=False)
    assert (out.exit_code, out.stderr) == (1, "error: --limit must not be negative\n")


def test_list_plain_is_the_default_off_a_terminal(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "张伟", "--level", "省", "--unit", "省交通厅")
    cli("deputy", "add", "Li Na", "--level", "county", "--body", "cppcc", "--term", "3")
    assert cli("deputy", "list").stdout.splitlines() == [
        "id    name    body          level       term    delegation    unit      sector"
        "    phone    address    liaison",
        "1     张伟    NPC deputy    provincial                        省交通厅",
        "2     Li Na   CPPCC member  county      3",
    ]


# -- deputy show ------------------------------------------------------------------


def add_contacts(cli, deputy_ids: list[int], held: list[tuple[date, str, str]]) -> None:  # type: ignore[no-untyped-def]
    """Contacts written straight into the tables (log-contact is another command's work)."""
    from sqlalchemy import insert

    from liaison_cli.store import schema
    from liaison_cli.store.database import Database, resolve_url
    from liaison_cli.store.uow import unit_of_work

    db = Database(resolve_url(cli.db_url))
    try:
        with unit_of_work(db, write=True) as conn:
            for on, kind, summary in held:
                contact_id = conn.execute(
                    insert(schema.contacts)
                    .values(held_on=on, type=kind, summary=summary)
                    .returning(schema.contacts.c.id)
                ).scalar_one()
                conn.execute(
                    insert(schema.contact_deputies),
                    [{"contact_id": contact_id, "deputy_id": i} for i in deputy_ids],
                )
    finally:
        db.dispose()


def test_show_profile_with_contacts_and_cases(cli) -> None:  # type: ignore[no-untyped-def]
    add_full(cli)
    cli("deputy", "add", "陈静", "--level", "全国")
    add_contacts(
        cli,
        [1, 2],
        [(date(2026, 5, 1), "visit", "走访"), (date(2026, 6, 1), "symposium", "座谈")],
    )
    add_contacts(cli, [1], [(date(2026, 7, 1), "visit", "再次走访")])
    cli(
        "add-suggestion",
        "--deputy",
        "1",
        "--title",
        "关于公益诉讼的建议",
        "--received",
        "2026-03-31",
    )
    cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--deputy",
        "1",
        "--title",
        "来信",
        "--kind",
        "letter",
        "--received",
        "2026-04-02",
    )
    out = cli("deputy", "show", "1")
    assert out.stdout.splitlines() == [
        "id          1",
        "name        张伟",
        "body        CPPCC member",
        "level       provincial",
        "term        14",
        "delegation  杭州代表团",
        "unit        省交通厅",
        "sector      交通运输界",
        "phone       0571-87000000",
        "address     杭州市西湖区文三路1号",
        "liaison     王芳",
        "",
        "Contacts: 3 person-times (visit 2, symposium 1)",
        "date        type       summary",
        "2026-07-01  visit      再次走访",
        "2026-06-01  symposium  座谈",
        "2026-05-01  visit      走访",
        "",
        "Cases: 2",
        "number     kind        title               role       status      received"
        "    satisfaction",
        "2026-0002  letter      来信                co-signer  registered  2026-04-02",
        "2026-0001  suggestion  关于公益诉讼的建议  lead       registered  2026-03-31",
    ]
    profile = as_json(cli("deputy", "show", "张伟", fmt="json"))
    assert len(profile) == 1
    assert profile[0]["deputy"] == FULL
    assert profile[0]["contact_counts"] == {"symposium": 1, "visit": 2}
    assert [(c["date"], c["type"]) for c in profile[0]["contacts"]] == [
        ("2026-07-01", "visit"),
        ("2026-06-01", "symposium"),
        ("2026-05-01", "visit"),
    ]
    assert [(c["number"], c["role"], c["status"]) for c in profile[0]["cases"]] == [
        ("2026-0002", "co-signer", "registered"),
        ("2026-0001", "lead", "registered"),
    ]
    # the other deputy sees the shared contacts and the case they lead
    other = as_json(cli("deputy", "show", "陈静", fmt="json"))[0]
    assert other["contact_counts"] == {"symposium": 1, "visit": 1}
    assert [(c["number"], c["role"]) for c in other["cases"]] == [("2026-0002", "lead")]


def test_show_without_contacts_or_cases(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "陈静", "--level", "全国")
    assert cli("deputy", "show", "陈静").stdout.splitlines() == [
        "id          1",
        "name        陈静",
        "body        NPC deputy",
        "level       national",
        "term",
        "delegation",
        "unit",
        "sector",
        "phone",
        "address",
        "liaison",
        "",
        "Contacts: 0 person-times",
        "",
        "Cases: 0",
    ]
    assert cli("deputy", "show", "1", fmt="csv").stdout == (
        "id,name,body,level,term,delegation,unit,sector,phone,address,liaison\n"
        "1,陈静,npc,national,,,,,,,\n"
    )


def test_show_lists_the_latest_twenty_contacts_and_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "陈静", "--level", "全国")
    add_contacts(cli, [1], [(date(2026, 1, day), "phone", f"第{day}次") for day in range(1, 26)])
    lines = cli("deputy", "show", "1").stdout.splitlines()
    start = lines.index("Contacts: 25 person-times (phone call 25)")
    assert lines[start + 1] == "date        type        summary"
    assert lines[start + 2] == "2026-01-25  phone call  第25次"
    assert lines[start + 21] == "2026-01-06  phone call  第6次"
    assert (
        lines[start + 22] == "(the latest 20 of 25 contacts; liaison contacts --deputy 1 lists all)"
    )


# -- deputy edit ------------------------------------------------------------------


def test_edit_every_option(cli) -> None:  # type: ignore[no-untyped-def]
    add_full(cli)
    cli("dept", "add", "第八检察部")
    cli("staff", "add", "刘强", "--dept", "第八检察部")
    out = cli(
        "deputy",
        "edit",
        "张伟",
        "--name",
        "张伟明",
        "--level",
        "市",
        "--body",
        "人大代表",
        "--term",
        "第15届",
        "--delegation",
        "宁波代表团",
        "--unit",
        "市交通局",
        "--sector",
        "工商界",
        "--phone",
        "13900000000",
        "--address",
        "宁波市",
        "--liaison",
        "刘强",
    )
    assert out.stdout == "updated deputy 1: 张伟明\n"
    assert deputies(cli) == [
        {
            "id": 1,
            "name": "张伟明",
            "body": "npc",
            "level": "municipal",
            "term": 15,
            "delegation": "宁波代表团",
            "unit": "市交通局",
            "sector": "工商界",
            "phone": "13900000000",
            "address": "宁波市",
            "liaison": "刘强",
        }
    ]


def test_edit_clears_a_field_with_an_empty_value(cli) -> None:  # type: ignore[no-untyped-def]
    add_full(cli)
    cli("deputy", "edit", "1", "--phone", "", "--term", "", "--liaison", "", "--address", " ")
    assert deputies(cli) == [FULL | {"phone": None, "term": None, "liaison": None, "address": None}]
    assert events(cli)[-1] == (
        "tester",
        "deputy.edit",
        "deputy",
        1,
        {
            "term": [14, None],
            "phone": ["0571-87000000", None],
            "address": ["杭州市西湖区文三路1号", None],
            "liaison": ["王芳", None],
        },
    )


def test_edit_refuses_to_clear_what_is_required(cli) -> None:  # type: ignore[no-untyped-def]
    add_full(cli)
    before = dump(cli.db_url)
    for option, message in [
        ("--name", "error: name must not be empty"),
        ("--level", "error: invalid level ''"),
        ("--body", "error: invalid body ''"),
    ]:
        out = cli("deputy", "edit", "1", option, "", ok=False)
        assert out.exit_code == 1
        assert out.stderr.startswith(message), out.stderr
    assert dump(cli.db_url) == before


def test_edit_without_options_is_an_error(cli) -> None:  # type: ignore[no-untyped-def]
    add_full(cli)
    before = dump(cli.db_url)
    out = cli("deputy", "edit", "1", ok=False)
    assert (out.exit_code, out.stdout) == (1, "")
    assert out.stderr == "error: nothing to change: give at least one option\n"
    assert dump(cli.db_url) == before


# -- references: ids and shared names ---------------------------------------------


def test_a_shared_name_lists_both_ids(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "张伟", "--level", "省", "--unit", "省交通厅")
    cli("deputy", "add", "张伟", "--level", "市")
    before = dump(cli.db_url)
    for args in (("deputy", "show", "张伟"), ("deputy", "edit", "张伟", "--phone", "1")):
        out = cli(*args, ok=False)
        assert out.exit_code == 1
        assert out.stdout == ""
        assert out.stderr.splitlines() == [
            "error: '张伟' matches 2 deputies; use the id",
            "  1  张伟  provincial  省交通厅",
            "  2  张伟  municipal",
        ]
    assert dump(cli.db_url) == before
    cli("deputy", "edit", "2", "--phone", "13800000000")
    assert [d["phone"] for d in deputies(cli)] == [None, "13800000000"]
    assert as_json(cli("deputy", "show", "2", fmt="json"))[0]["deputy"]["level"] == "municipal"


def test_unknown_deputy(cli) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "张伟", "--level", "省")
    for ref in ("李四", "99", "0"):
        out = cli("deputy", "show", ref, ok=False)
        assert (out.exit_code, out.stdout) == (1, "")
        assert out.stderr == f"error: unknown deputy '{ref}'\n"
    out = cli("deputy", "show", " ", ok=False)
    assert (out.exit_code, out.stderr) == (1, "error: empty deputy reference\n")


# -- departments and staff --------------------------------------------------------


def test_departments_and_staff(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("dept", "add", "第一检察部").stdout == "added department 1: 第一检察部\n"
    cli("dept", "add", "第八检察部")
    assert cli("staff", "add", "王芳", "--dept", "第一检察部").stdout == (
        "added staff 1: 王芳 (第一检察部)\n"
    )
    cli("staff", "add", "刘强", "--dept", "2")
    cli("staff", "add", "李明", "--dept", "第八检察部")
    assert as_json(cli("dept", "list", fmt="json")) == [
        {"id": 1, "name": "第一检察部", "staff": 1},
        {"id": 2, "name": "第八检察部", "staff": 2},
    ]
    assert cli("dept", "list").stdout.splitlines() == [
        "id    name        staff",
        "1     第一检察部  1",
        "2     第八检察部  2",
    ]
    assert as_json(cli("staff", "list", fmt="json")) == [
        {"id": 1, "name": "王芳", "department": "第一检察部"},
        {"id": 2, "name": "刘强", "department": "第八检察部"},
        {"id": 3, "name": "李明", "department": "第八检察部"},
    ]
    assert ids(as_json(cli("staff", "list", "--dept", "第八检察部", fmt="json"))) == [2, 3]
    assert ids(as_json(cli("staff", "list", "--dept", "1", fmt="json"))) == [1]
    assert cli("staff", "list").stdout.splitlines() == [
        "id    name    department",
        "1     王芳    第一检察部",
        "2     刘强    第八检察部",
        "3     李明    第八检察部",
    ]


def test_department_errors(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    before = dump(cli.db_url)
    cases = [
        (("dept", "add", "第一检察部"), "error: department '第一检察部' already exists\n"),
        (("dept", "add", " 第一检察部 "), "error: department '第一检察部' already exists\n"),
        (("dept", "add", ""), "error: department name must not be empty\n"),
        (
            ("staff", "add", "王芳", "--dept", "第九检察部"),
            "error: unknown department '第九检察部'\n",
        ),
        (("staff", "add", "王芳", "--dept", "7"), "error: unknown department '7'\n"),
        (("staff", "list", "--dept", "第九检察部"), "error: unknown department '第九检察部'\n"),
    ]
    for args, message in cases:
        out = cli(*args, ok=False)
        assert (out.exit_code, out.stdout, out.stderr) == (1, "", message), args
    assert dump(cli.db_url) == before


def test_staff_needs_a_department(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("staff", "add", "王芳", ok=False)
    assert out.exit_code == 2
    assert "Missing option '--dept'" in out.stderr


def test_duplicate_staff_in_one_department(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    out = cli("staff", "add", "王芳", "--dept", "第一检察部", ok=False)
    assert (out.exit_code, out.stderr) == (
        1,
        "error: staff member '王芳' already exists in that department\n",
    )


def test_ambiguous_staff_name(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    cli("dept", "add", "第八检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第八检察部")
    cli("deputy", "add", "张伟", "--level", "省")
    before = dump(cli.db_url)
    for args in (
        ("deputy", "add", "李娜", "--level", "省", "--liaison", "王芳"),
        ("deputy", "edit", "张伟", "--liaison", "王芳"),
    ):
        out = cli(*args, ok=False)
        assert out.exit_code == 1
        assert out.stderr.splitlines() == [
            "error: '王芳' matches 2 staff members; use the id",
            "  1  王芳  第一检察部",
            "  2  王芳  第八检察部",
        ]
    out = cli("deputy", "add", "李娜", "--level", "省", "--liaison", "无名", ok=False)
    assert (out.exit_code, out.stderr) == (1, "error: unknown staff member '无名'\n")
    assert dump(cli.db_url) == before
    cli("deputy", "edit", "张伟", "--liaison", "2")
    assert [d["liaison"] for d in deputies(cli)] == ["王芳"]
    assert as_json(cli("staff", "list", "--dept", "第八检察部", fmt="json"))[0]["id"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deputy", "add", "X", "--level", "城市"), "error: invalid level '城市'; choose from: "),
        (("deputy", "add", "X", "--level", "省", "--body", "党委"), "error: invalid body '党委'"),
        (("deputy", "add", "X", "--level", "省", "--term", "0"), "error: term must be between 1"),
        (("deputy", "add", "X", "--level", "省", "--term", "abc"), "error: term must be a number"),
        (("deputy", "add", "", "--level", "省"), "error: name must not be empty"),
        (("deputy", "add", "X\x00", "--level", "省"), "error: name contains control characters"),
        (("deputy", "add", "X" * 101, "--level", "省"), "error: name is too long"),
        (("deputy", "list", "--level", "bad"), "error: invalid level 'bad'"),
        (("deputy", "list", "--body", "bad"), "error: invalid body 'bad'"),
        (("deputy", "edit", "1", "--term", "十四"), "error: term must be a number"),
    ],
)
def test_bad_values_are_user_errors(cli, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    cli("deputy", "add", "张伟", "--level", "省")
    before = dump(cli.db_url)
    out = cli(*args, ok=False)
    assert (out.exit_code, out.stdout) == (1, "")
    assert out.stderr.startswith(message), out.stderr
    assert len(out.stderr.splitlines()) == 1
    assert dump(cli.db_url) == before


# -- the audit trail --------------------------------------------------------------


def test_every_write_records_an_event_with_its_actor(cli) -> None:  # type: ignore[no-untyped-def]
    cli("--as", "李主任", "dept", "add", "第一检察部", "--date", "2026-11-20")
    cli("staff", "add", "王芳", "--dept", "第一检察部", env={"LIAISON_USER": "王科长"})
    cli("deputy", "add", "张伟", "--level", "省", "--liaison", "王芳")
    cli("deputy", "edit", "张伟", "--phone", "123", env={"LIAISON_USER": None})
    cli("--as", "  ", "deputy", "edit", "张伟", "--unit", "省交通厅", env={"LIAISON_USER": None})
    me = getpass.getuser()
    assert events(cli) == [
        ("李主任", "dept.add", "department", 1, {"name": "第一检察部"}),
        ("王科长", "staff.add", "staff", 1, {"name": "王芳", "department": "第一检察部"}),
        (
            "tester",
            "deputy.add",
            "deputy",
            1,
            {
                "id": 1,
                "name": "张伟",
                "body": "npc",
                "level": "provincial",
                "term": None,
                "delegation": None,
                "unit": None,
                "sector": None,
                "phone": None,
                "address": None,
                "liaison": "王芳",
            },
        ),
        (me, "deputy.edit", "deputy", 1, {"phone": [None, "123"]}),
        (me, "deputy.edit", "deputy", 1, {"unit": [None, "省交通厅"]}),
    ]
    rows = table_rows(cli.db_url, "events")
    assert str(rows[0]["happened_on"]) == "2026-11-20"
    assert all(r["recorded_at"] is not None for r in rows)


def test_failed_writes_record_no_event(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部")
    cli("dept", "add", "第一检察部", ok=False)
    cli("staff", "add", "王芳", "--dept", "无", ok=False)
    cli("deputy", "add", "张伟", "--level", "无", ok=False)
    assert [e[1] for e in events(cli)] == ["dept.add"]
