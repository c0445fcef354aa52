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
