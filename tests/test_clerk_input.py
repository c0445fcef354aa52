"""What a clerk types: the aliases, digits, names and lists the command line and
the importer read alike, text with invisible characters, ids that are no ids,
and the filters of ``cases`` and the deputies of ``log-contact``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import as_json


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def levels(cli) -> dict[str, str]:
    return {d["name"]: d["level"] for d in as_json(cli("deputy", "list", fmt="json"))}


# -- one table of aliases ------------------------------------------------------------


def test_county_level_as_offices_write_it(cli, tmp_path):
    for name, level in [("甲", "县区"), ("乙", "区"), ("丙", "县（区）"), ("丁", "县(市、区)")]:
        cli("deputy", "add", name, "--level", level)
    ledger = write_csv(tmp_path / "d.csv", [["姓名", "级别"], ["戊", "县区"], ["己", "县市区"]])
    cli("import", "deputies", str(ledger))
    assert levels(cli) == dict.fromkeys(["甲", "乙", "丙", "丁", "戊", "己"], "county")


def test_stats_grouped_by_a_chinese_word(cli):
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "李娜", "--level", "县")
    cli("add-suggestion", "--deputy", "李娜", "--title", "一", "--received", "2026-03-01")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--date", "2026-03-02")
    cli("log-contact", "--deputy", "李娜", "--type", "走访", "--date", "2026-03-05")
    for chinese, code in [("部门", "dept"), ("承办人", "handler"), ("月份", "month")]:
        by_word = cli("stats", "cases", "--year", "2026", "--by", chinese, fmt="json")
        assert (
            by_word.stdout
            == cli("stats", "cases", "--year", "2026", "--by", code, fmt="json").stdout
        )
    rows = as_json(cli("stats", "cases", "--year", "2026", "--by", "部门", fmt="json"))
    assert [(r["group"], r["received"]) for r in rows] == [("第一检察部", 1), ("total", 1)]
    rows = as_json(cli("stats", "contacts", "--year", "2026", "--by", "类型", fmt="json"))
    assert [(r["group"], r["activities"]) for r in rows] == [("visit", 1), ("total", 1)]
    out = cli("stats", "cases", "--by", "部委", ok=False)
    assert out.exit_code == 1
    assert out.stderr == (
        "error: invalid grouping '部委'; choose from: none, dept, handler, kind, level, month\n"
    )


def test_import_reads_received_time_co_signers_and_satisfaction(cli, tmp_path):
    for name in ("张伟", "李红梅", "周建华"):
        cli("deputy", "add", name, "--level", "市")
    ledger = write_csv(
        tmp_path / "建议.csv",
        [
            ["标题", "领衔代表", "联名代表", "收到时间", "承办部门", "答复时间", "答复方式",
             "办结时间", "代表满意度"],
            ["修路", "张伟", "李红梅、周建华", "2026-03-01", "第一检察部", "2026-04-01", "书面",
             "2026-04-05", "满意"],
        ],
    )  # fmt: skip
    cli("import", "cases", str(ledger))
    [case] = as_json(cli("show", "2026-0001", fmt="json"))
    assert (case["received"], case["status"], case["satisfaction"]) == (
        "2026-03-01",
        "closed",
        "satisfied",
    )
    assert [(d["name"], d["role"]) for d in case["deputy_list"]] == [
        ("张伟", "lead"),
        ("李红梅", "co-signer"),
        ("周建华", "co-signer"),
    ]


def test_full_width_digits_in_dates(cli, tmp_path):
    cli("deputy", "add", "李娜", "--level", "县")
    cli("add-suggestion", "--deputy", "李娜", "--title", "一", "--received", "２０２６－１１－２０")
    cli("add-suggestion", "--deputy", "李娜", "--title", "二", "--received", "２０２６／１１／２１")
    ledger = write_csv(
        tmp_path / "l.csv", [["标题", "代表", "收到日期"], ["三", "李娜", "２０２６．１１．２２"]]
    )
    cli("import", "cases", str(ledger))
    rows = as_json(cli("cases", fmt="json"))
    assert [(r["title"], r["received"]) for r in rows] == [
        ("一", "2026-11-20"),
        ("二", "2026-11-21"),
        ("三", "2026-11-22"),
    ]
    out = cli(
        "add-suggestion", "--deputy", "李娜", "--title", "四", "--received", "²⁰²⁶-11-20", ok=False
    )
    assert out.exit_code == 1
    assert out.stderr.startswith("error: cannot read date '²⁰²⁶-11-20'")


def test_deputy_named_on_the_command_line_as_in_an_import_file(cli):
    cli("deputy", "add", "张伟", "--level", "县", "--unit", "内江市东兴区人民医院")
    cli("deputy", "add", "张伟", "--level", "市", "--unit", "市一中")
    cli("deputy", "add", "李红梅", "--level", "市")
    cli("deputy", "add", "周建华", "--level", "市")
    cli("add-suggestion", "--deputy", "张伟(内江市东兴区人民医院)", "--title", "一")
    cli("add-suggestion", "--deputy", "张伟（#2）", "--deputy", "李红梅、周建华", "--title", "二")
    cli("log-contact", "--deputy", "李红梅;周建华", "--deputy", "张伟(市一中)", "--type", "走访")
    rows = as_json(cli("cases", fmt="json"))
    # two deputies named 张伟: listings tell them apart by unit
    assert [r["deputies"] for r in rows] == [
        "张伟（内江市东兴区人民医院）",
        "张伟（市一中）、李红梅、周建华",
    ]
    assert [r["number"] for r in as_json(cli("cases", "--deputy", "1", fmt="json"))] == [
        "2026-0001"
    ]
    assert [r["number"] for r in as_json(cli("cases", "--deputy", "2", fmt="json"))] == [
        "2026-0002"
    ]
    [contact] = as_json(cli("contacts", fmt="json"))
    assert contact["deputies"] == "张伟（市一中）、李红梅、周建华"  # listed in registry order
    out = cli("add-suggestion", "--deputy", "张伟(省交通厅)", "--title", "三", ok=False)
    assert out.stderr == "error: unknown deputy '张伟(省交通厅)'\n"


# -- the procedural reply's method and summary --------------------------------------


def test_procedural_reply_records_method_and_summary(cli):
    """程序性答复 of a letter: how it was given and what it said are kept."""
    cli("deputy", "add", "李娜", "--level", "县")
    cli(
        "add-suggestion",
        "--deputy",
        "李娜",
        "--kind",
        "来信",
        "--title",
        "信",
        "--received",
        "2026-03-01",
    )
    out = cli(
        "reply", "2026-0001", "--procedural", "--method", "电话",
        "--summary", "已转第一检察部办理", "--date", "2026-03-03",
    )  # fmt: skip
    assert out.stdout == "procedural reply recorded for 2026-0001: on time (due 2026-03-08)\n"
    [case] = as_json(cli("show", "2026-0001", fmt="json"))
    event = case["timeline"][-1]
    assert event["details"] == {"on_time": True, "method": "phone", "summary": "已转第一检察部办理"}
    shown = cli("show", "2026-0001", fmt="plain").stdout
    assert "procedural reply" in shown
    assert "by phone; on time; 已转第一检察部办理" in shown
    out = cli("reply", "2026-0001", "--procedural", "--result", "A", ok=False)
    assert out.stderr == "error: --procedural takes no --result\n"


# -- invisible characters ------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("deputy", "add", "\u200b\ufeff", "--level", "县"),
        ("deputy", "add", "张\u202e伟", "--level", "县"),
        ("dept", "add", "\ufeff"),
        ("log-contact", "--deputy", "李娜", "--type", "走访", "--summary", "见\u202e面"),
        ("add-suggestion", "--deputy", "李娜", "--title", "\u202e"),
        ("add-suggestion", "--deputy", "李娜", "--title", "修\u200b路"),
        ("--as", "\u202e", "deputy", "add", "赵敏", "--level", "县"),
        ("--as", "王\u200b芳", "deputy", "add", "赵敏", "--level", "县"),
    ],
)
def test_invisible_and_direction_characters_are_refused(cli, argv):
    cli("deputy", "add", "李娜", "--level", "县")
    before = cli("deputy", "list", fmt="json").stdout
    out = cli(*argv, ok=False)
    assert out.exit_code in (1, 2)
    assert "Traceback" not in out.stderr
    assert any(
        words in out.stderr
        for words in ("must not be empty", "invisible or text-direction", "not a usable name")
    ), out.stderr
    assert cli("deputy", "list", fmt="json").stdout == before
    assert cli("cases", fmt="json").stdout == "[]\n"
    assert cli("contacts", fmt="json").stdout == "[]\n"


def test_invisible_characters_at_the_ends_are_stripped(cli, tmp_path):
    cli("deputy", "add", "\ufeff赵敏\u200b", "--level", "县")
    cli("add-suggestion", "--deputy", "赵敏\u200b", "--title", "\u200b修路\ufeff")
    [case] = as_json(cli("cases", fmt="json"))
    assert (case["deputies"], case["title"]) == ("赵敏", "修路")
    ledger = write_csv(
        tmp_path / "l.csv", [["标题", "代表", "收到日期"], ["修\u202e路", "赵敏", "2026-03-01"]]
    )
    out = cli("import", "cases", str(ledger), ok=False)
    assert out.stderr == (
        "error: line 2, column 标题: title contains invisible or text-direction characters\n"
    )
    ledger = write_csv(tmp_path / "d.csv", [["姓名", "级别"], ["\u200b", "县"]])
    out = cli("import", "deputies", str(ledger), ok=False)
    assert out.stderr == "error: line 2, column 姓名: name must not be empty\n"


# -- references that are no ids ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("show", "²"), "unknown case '²'"),
        (("reply", "①", "--method", "书面"), "unknown case '①'"),
        (("deputy", "show", "①"), "unknown deputy '①'"),
        (("cases", "--deputy", "²"), "unknown deputy '²'"),
        (("cases", "--dept", "³"), "unknown department '³'"),
        (("overdue", "--dept", "³"), "unknown department '³'"),
        (("cases", "--handler", "①"), "unknown staff member '①'"),
        (("log-contact", "--deputy", "李娜(#²)", "--type", "走访"), "unknown deputy '李娜(#²)'"),
    ],
)
def test_superscript_and_circled_digits_are_no_id(cli, argv, message):
    cli("deputy", "add", "李娜", "--level", "县")
    out = cli(*argv, ok=False)
    assert (out.exit_code, out.stderr) == (1, f"error: {message}\n")


def test_full_width_digits_are_an_id(cli):
    cli("deputy", "add", "李娜", "--level", "县")
    cli("add-suggestion", "--deputy", "１", "--title", "一")
    assert as_json(cli("show", "１", fmt="json"))[0]["deputies"] == "李娜"


def test_import_with_a_superscript_id_is_a_bad_row(cli, tmp_path):
    cli("deputy", "add", "李娜", "--level", "县")
    ledger = write_csv(
        tmp_path / "l.csv", [["标题", "代表", "收到日期"], ["一", "李娜(#²)", "2026-03-01"]]
    )
    out = cli("import", "cases", str(ledger), ok=False)
    assert out.exit_code == 1
    assert out.stderr.startswith("error: line 2, column 代表: unknown deputy '李娜(#²)'")


# -- cases: handler, reply and close dates, title search ------------------------------


def _office_with_cases(cli) -> None:
    cli("dept", "add", "第一检察部")
    cli("staff", "add", "王芳", "--dept", "第一检察部")
    cli("staff", "add", "刘强", "--dept", "第一检察部")
    cli("deputy", "add", "李娜", "--level", "县")
    titles = ["关于修路的建议", "100%_完成率", "100x完成 Road safety", "学校安全"]
    for i, title in enumerate(titles, start=1):
        cli("add-suggestion", "--deputy", "李娜", "--title", title, "--received", f"2026-03-0{i}")
    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-03-05")
    cli("assign", "2026-0002", "--dept", "第一检察部", "--handler", "刘强", "--date", "2026-03-05")
    cli("assign", "2026-0003", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-03-05")
    cli("reply", "2026-0001", "--method", "书面", "--date", "2026-04-10")
    cli("reply", "2026-0003", "--method", "书面", "--date", "2026-05-10")
    cli("close", "2026-0001", "--satisfaction", "满意", "--date", "2026-04-20")


def numbers(cli, *filters: str) -> list[str]:
    return [r["number"] for r in as_json(cli("cases", *filters, fmt="json"))]


def test_cases_by_handler_reply_and_close_dates(cli):
    _office_with_cases(cli)
    assert numbers(cli, "--handler", "王芳") == ["2026-0001", "2026-0003"]
    assert numbers(cli, "--handler", "2") == ["2026-0002"]
    assert numbers(cli, "--replied-from", "2026-04-01", "--replied-to", "2026-04-30") == [
        "2026-0001"
    ]
    assert numbers(cli, "--replied-from", "2026-04-11") == ["2026-0003"]
    assert numbers(cli, "--replied-to", "2026-05-10") == ["2026-0001", "2026-0003"]
    assert numbers(cli, "--closed-from", "2026-04-20", "--closed-to", "2026-04-20") == ["2026-0001"]
    assert numbers(cli, "--closed-from", "2026-04-21") == []
    assert numbers(cli, "--handler", "王芳", "--closed-to", "2026-12-31") == ["2026-0001"]


def test_cases_search_the_title(cli):
    _office_with_cases(cli)
    assert numbers(cli, "--search", "修路") == ["2026-0001"]
    # % and _ are themselves, not wildcards
    assert numbers(cli, "--search", "%_") == ["2026-0002"]
    assert numbers(cli, "--search", "0_") == []
    assert numbers(cli, "--search", "100") == ["2026-0002", "2026-0003"]
    # letters of either case, on both engines
    assert numbers(cli, "--search", "road") == ["2026-0003"]
    assert numbers(cli, "--search", "安全", "--handler", "王芳") == []


# -- log-contact: lists, a file, every deputy of a level ------------------------------


def test_a_bulletin_to_every_deputy_of_a_level(cli, tmp_path):
    for name, level in [("甲", "市"), ("乙", "市"), ("丙", "县"), ("丁", "市")]:
        cli("deputy", "add", name, "--level", level)
    out = cli("log-contact", "--type", "专刊", "--level", "市", "--all", "--date", "2026-03-01")
    assert out.stdout == "logged contact 1: bulletin on 2026-03-01 sent to 甲、乙、丁\n"
    names = tmp_path / "names.txt"
    names.write_text("\ufeff丙\n\n乙\n甲、丁\n", encoding="utf-8")
    out = cli(
        "log-contact", "--type", "专刊", "--deputies-file", str(names), "--date", "2026-03-02"
    )
    assert out.stdout == "logged contact 2: bulletin on 2026-03-02 sent to 丙、乙、甲、丁\n"
    out = cli("log-contact", "--type", "专刊", "--all", "--deputy", "丙", "--date", "2026-03-03")
    assert out.stdout == "logged contact 3: bulletin on 2026-03-03 sent to 丙、甲、乙、丁\n"
    rows = as_json(cli("stats", "contacts", "--year", "2026", fmt="json"))
    assert (rows[0]["activities"], rows[0]["person_times"]) == (3, 11)


def test_log_contact_refuses_a_level_without_all_and_no_deputies(cli, tmp_path):
    cli("deputy", "add", "甲", "--level", "市")
    for argv, message in [
        (("--level", "市"), "--level takes --all (every deputy of that level)"),
        (("--level", "省", "--all"), "no deputy of level provincial on the registry"),
        ((), "at least one deputy is required"),
        (("--deputies-file", str(tmp_path / "none.txt")), None),
    ]:
        out = cli("log-contact", "--type", "专刊", *argv, ok=False)
        assert out.exit_code == 1, out.stderr
        if message:
            assert out.stderr == f"error: {message}\n"
    assert as_json(cli("contacts", fmt="json")) == []
