"""The same answers on SQLite and PostgreSQL.

The suite runs once per engine, so each test simply states what a clerk must
see: dates stay dates (inclusive bounds, no time-of-day, leap days), a flag is
true or false (not 1/0), search ignores the case of Latin letters and treats
``%`` and ``_`` literally, Chinese text (including characters outside the
Basic Multilingual Plane, as in some names) comes back unchanged, and listings
come in the documented order whatever order rows were entered in.
"""

from __future__ import annotations

from helpers import as_json


def _deputies(cli, *args: str) -> list[str]:
    return [r["name"] for r in as_json(cli("deputy", "list", *args, fmt="json"))]


def _register(cli, title: str, received: str, *extra: str) -> str:
    out = cli(
        "add-suggestion", "--deputy", "王磊", "--title", title, "--received", received, *extra,
        fmt="json",
    )  # fmt: skip
    return as_json(out)[0]["number"]


def test_search_ignores_the_case_of_latin_letters(cli):
    cli("deputy", "add", "王磊", "--level", "provincial", "--unit", "ABC Corp")
    cli("deputy", "add", "赵敏", "--level", "municipal", "--unit", "abc 研究所")
    cli("deputy", "add", "李娜", "--level", "county", "--unit", "XYZ Ltd", "--sector", "IT")
    cli("deputy", "add", "刘洋", "--level", "county", "--delegation", "Abc县代表团")
    assert _deputies(cli, "--search", "abc") == ["王磊", "赵敏", "刘洋"]
    assert _deputies(cli, "--search", "ABC") == ["王磊", "赵敏", "刘洋"]
    assert _deputies(cli, "--search", "aBc CoRP") == ["王磊"]
    assert _deputies(cli, "--search", "it") == ["李娜"]
    assert _deputies(cli, "--search", "研究所") == ["赵敏"]
    assert _deputies(cli, "--search", "abc县") == ["刘洋"]
    assert _deputies(cli, "--search", "nothing like it") == []


def test_search_takes_percent_and_underscore_literally(cli):
    cli("deputy", "add", "周杰", "--level", "county", "--unit", "达标率100%中心")
    cli("deputy", "add", "吴昊", "--level", "county", "--unit", "a_b 实验室")
    cli("deputy", "add", "郑爽", "--level", "county", "--unit", "aXb 公司 1000")
    assert _deputies(cli, "--search", "100%") == ["周杰"]
    assert _deputies(cli, "--search", "%") == ["周杰"]
    assert _deputies(cli, "--search", "a_b") == ["吴昊"]
    assert _deputies(cli, "--search", "_") == ["吴昊"]
    assert _deputies(cli, "--search", "\\") == []


def test_chinese_text_comes_back_unchanged(cli):
    # 𠮷 (U+20BB7) is outside the BMP: four bytes in UTF-8, as in some names
    name = "欧阳𠮷"
    unit = "北京市朝阳区人民检察院（第二分院）"
    address = "朝阳路１２３号·A座"
    title = "关于加强“公益诉讼”检察工作的建议——附：调研报告《２０２６》"
    cli("deputy", "add", name, "--level", "全国", "--unit", unit, "--address", address)
    cli("deputy", "add", "王磊", "--level", "省")
    rows = as_json(cli("deputy", "list", fmt="json"))
    assert [(r["name"], r["level"], r["unit"], r["address"]) for r in rows] == [
        (name, "national", unit, address),
        ("王磊", "provincial", None, None),
    ]
    out = cli(
        "add-suggestion", "--deputy", name, "--deputy", "王磊", "--title", title,
        "--received", "2026-03-02", fmt="json",
    )  # fmt: skip
    number = as_json(out)[0]["number"]
    (case,) = as_json(cli("cases", "--deputy", name, fmt="json"))
    assert (case["number"], case["title"], case["deputies"]) == (number, title, f"{name}、王磊")
    assert _deputies(cli, "--search", "𠮷") == [name]
    assert _deputies(cli, "--search", "第二分院") == [name]
    shown = cli("show", number).stdout
    assert f"title        {title}\n" in shown
    assert f"lead deputy  {name}\n" in shown
    assert f"suggestion; deputies: {name}、王磊\n" in shown  # from the event's JSON details


def test_key_supervision_is_true_or_false(cli):
    cli("deputy", "add", "王磊", "--level", "provincial")
    key = _register(cli, "重点督办件", "2026-03-02", "--key")
    plain = _register(cli, "一般件", "2026-03-03")
    rows = as_json(cli("cases", fmt="json"))
    assert [(r["number"], r["key"]) for r in rows] == [(key, True), (plain, False)]
    assert all(type(r["key"]) is bool for r in rows)
    assert [r["number"] for r in as_json(cli("cases", "--key", fmt="json"))] == [key]


def test_dates_are_days_with_inclusive_bounds(cli):
    cli("deputy", "add", "王磊", "--level", "provincial")
    for day in ("2024-02-29", "2026-02-28", "2026-03-01", "2026-03-31", "2026-04-01"):
        _register(cli, f"件 {day}", day)
    received = [r["received"] for r in as_json(cli("cases", fmt="json"))]
    assert received == ["2024-02-29", "2026-02-28", "2026-03-01", "2026-03-31", "2026-04-01"]
    march = as_json(cli("cases", "--from", "2026-03-01", "--to", "2026-03-31", fmt="json"))
    assert [r["received"] for r in march] == ["2026-03-01", "2026-03-31"]
    leap = as_json(cli("cases", "--from", "2024-02-29", "--to", "2024-02-29", fmt="json"))
    assert [r["number"] for r in leap] == ["2024-0001"]


def test_due_today_is_not_overdue_until_tomorrow(cli):
    cli("dept", "add", "第一检察部")
    cli("deputy", "add", "王磊", "--level", "provincial")
    number = _register(cli, "按期件", "2026-01-31")
    out = cli("assign", number, "--dept", "第一检察部", "--date", "2026-01-31", fmt="json")
    assert as_json(out)[0]["due"] == "2026-04-30"  # three months, clamped to the month's end
    on_due_day = as_json(cli("overdue", "--as-of", "2026-04-30", fmt="json"))
    assert on_due_day == []
    next_day = as_json(cli("overdue", "--as-of", "2026-05-01", fmt="json"))
    assert [(r["number"], r["due"], r["days_overdue"]) for r in next_day] == [
        (number, "2026-04-30", 1)
    ]


def test_listings_come_in_the_documented_order(cli):
    # deputies in registry order (id), not by the sort order of their names
    for name in ("赵六", "安七", "王磊", "Bob", "alice"):
        cli("deputy", "add", name, "--level", "county")
    assert _deputies(cli) == ["赵六", "安七", "王磊", "Bob", "alice"]
    # cases by date received, then in the order they were registered
    a = _register(cli, "甲", "2026-03-05")
    b = _register(cli, "乙", "2026-03-01")
    c = _register(cli, "丙", "2026-03-05")
    d = _register(cli, "丁", "2026-03-01")
    assert (a, b, c, d) == ("2026-0001", "2026-0002", "2026-0003", "2026-0004")
    rows = as_json(cli("cases", fmt="json"))
    assert [r["title"] for r in rows] == ["乙", "丁", "甲", "丙"]


# -- moving a ledger between engines ------------------------------------------------


def _runner_for(db: str):  # type: ignore[no-untyped-def]
    """Like the ``cli`` fixture, on another database."""
    from typer.testing import CliRunner

    from liaison_cli.cli.app import app

    runner = CliRunner()

    def run(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        if ok:
            assert result.exit_code == 0, result.stderr
        return result

    return run


VIEWS = (
    ("--format", "json", "cases"),
    ("--format", "json", "deputy", "list"),
    ("--format", "json", "contacts"),
    ("--format", "json", "overdue", "--as-of", "2026-11-22"),
    (
        "--format",
        "json",
        "stats",
        "cases",
        "--year",
        "2026",
        "--by",
        "dept",
        "--as-of",
        "2026-11-22",
    ),
    ("--format", "json", "stats", "contacts", "--year", "2026", "--by", "level"),
    ("show", "2026-0001"),
    ("show", "2026-0002"),
    ("deputy", "show", "3"),
)


def test_db_copy_moves_a_sqlite_ledger_to_this_engine(cli, tmp_path):
    from conftest import read_tables
    from helpers import setup_office

    src = _runner_for(str(tmp_path / "office.db"))
    setup_office(src)
    src("deputy", "edit", "3", "--liaison", "王芳")
    src("add-suggestion", "--deputy", "2", "--deputy", "李娜", "--title", "关于校园安全的建议",
        "--received", "2026-02-03", "--key")  # fmt: skip
    src("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳",
        "--co-dept", "第八检察部", "--date", "2026-02-05")  # fmt: skip
    src(
        "extend",
        "2026-0001",
        "--due",
        "2026-06-30",
        "--reason",
        "需实地调研",
        "--date",
        "2026-04-01",
    )
    src("reply", "2026-0001", "--method", "written", "--result", "B", "--date", "2026-06-20")
    src("close", "2026-0001", "--satisfaction", "dissatisfied", "--date", "2026-06-25")
    src("reopen", "2026-0001", "--reason", "代表不满意", "--date", "2026-07-01")
    src("add-suggestion", "--deputy", "陈静", "--title", "关于公益诉讼的建议",
        "--kind", "letter", "--received", "2026-03-01")  # fmt: skip
    src("assign", "2026-0002", "--dept", "第八检察部", "--date", "2026-03-02")
    src("log-contact", "--deputy", "陈静", "--deputy", "李娜", "--type", "symposium",
        "--date", "2026-05-10", "--staff", "王芳", "--summary", "座谈会")  # fmt: skip

    out = src("--format", "json", "db", "copy", "--to", cli.db_url)
    copied = {r["table"]: r["rows"] for r in as_json(out)}
    assert (copied["deputies"], copied["cases"], copied["case_rounds"], copied["contacts"]) == (
        4, 2, 3, 1,
    )  # fmt: skip
    for view in VIEWS:
        assert cli(*view).stdout == src(*view).stdout, view

    # work goes on in the copy as it would have in the file: next id, next number
    for run in (src, cli):
        added = run("deputy", "add", "周杰", "--level", "county").stdout
        assert added == "added deputy 5: 周杰\n"
        out = run(
            "add-suggestion", "--deputy", "周杰", "--title", "新件", "--received", "2026-08-01"
        )
        assert out.stdout == "registered case 2026-0003\n"

    # a second copy into the now non-empty target is refused and changes nothing
    before = read_tables(cli.db_url)
    again = src("db", "copy", "--to", cli.db_url, ok=False)
    assert again.exit_code == 1
    assert again.stderr.startswith("error: ")
    assert again.stderr.endswith(" already holds records; copy only into a new, empty database\n")
    assert read_tables(cli.db_url) == before


def test_db_copy_back_to_a_new_file_round_trips(cli, tmp_path):
    """Server (or file) to a new SQLite file: the whole database, row for row."""
    from conftest import read_tables
    from helpers import setup_office

    setup_office(cli)
    cli("add-suggestion", "--deputy", "陈静", "--title", "关于“公益诉讼”的建议",
        "--received", "2026-03-01", "--key")  # fmt: skip
    cli("log-contact", "--deputy", "李娜", "--type", "visit", "--date", "2026-05-10")
    target = tmp_path / "copy.db"
    out = cli("db", "copy", "--to", str(target))
    original = read_tables(cli.db_url)
    total = sum(len(rows) for rows in original.values())
    assert total == 25  # the audit trail's chain head (event_chain) is one of them
    assert out.stdout.splitlines()[-1] == f"copied {total} rows to {target}"
    assert read_tables(str(target)) == original
    assert _runner_for(str(target))("db", "check").exit_code == 0
