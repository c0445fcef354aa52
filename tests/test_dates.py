"""Dates as a clerk types them: ISO, slashes, Chinese, words and offsets.

The parser is tested directly against a fixed base date, and once through the
CLI (``--date`` on a write lands in the event's ``happened_on``).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from liaison_cli.domain.dates import add_months, parse_date, parse_optional
from liaison_cli.errors import InvalidValue

BASE = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("2026/11/20", date(2026, 11, 20)),
        ("2026.11.20", date(2026, 11, 20)),
        ("2026年11月20日", date(2026, 11, 20)),
        ("2026年1月5日", date(2026, 1, 5)),
        ("2026 年 11 月 20 日", date(2026, 11, 20)),
        ("2026-1-5", date(2026, 1, 5)),
        ("20261120", date(2026, 11, 20)),
        ("  2026-11-20  ", date(2026, 11, 20)),
        ("2024-02-29", date(2024, 2, 29)),
        ("today", BASE),
        ("TODAY", BASE),
        ("今天", BASE),
        ("yesterday", date(2026, 11, 21)),
        ("昨天", date(2026, 11, 21)),
        ("tomorrow", date(2026, 11, 23)),
        ("+7d", date(2026, 11, 29)),
        ("-7d", date(2026, 11, 15)),
        ("+0d", BASE),
        ("+2w", date(2026, 12, 6)),
        ("-3m", date(2026, 8, 22)),
        ("+3m", date(2027, 2, 22)),
        ("+1y", date(2027, 11, 22)),
        ("+10天", date(2026, 12, 2)),
        ("-1月", date(2026, 10, 22)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text, base=BASE) == expected


def test_month_offsets_clamp_to_the_month_end() -> None:
    assert parse_date("+3m", base=date(2026, 3, 31)) == date(2026, 6, 30)
    assert parse_date("-3m", base=date(2026, 5, 31)) == date(2026, 2, 28)
    assert parse_date("+1y", base=date(2024, 2, 29)) == date(2025, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "no such date: 2026-02-30"),
        ("2025-02-29", "no such date: 2025-02-29"),
        ("2026-13-01", "no such date: 2026-13-01"),
        ("2026-00-10", "no such date: 2026-00-10"),
        ("2026年2月30日", "no such date: 2026年2月30日"),
        ("20260230", "no such date: 20260230"),
        ("0000-01-01", "no such date: 0000-01-01"),
        ("+99999y", "date out of range: +99999y"),
        ("tomorrowish", "cannot read date 'tomorrowish'"),
        ("2026-11", "cannot read date '2026-11'"),
        ("11/20/2026", "cannot read date '11/20/2026'"),
        ("+7", "cannot read date '+7'"),
        ("+7x", "cannot read date '+7x'"),
        ("2026-11-20T10:00", "cannot read date '2026-11-20T10:00'"),
        ("", "empty date"),
        ("   ", "empty date"),
    ],
)
def test_impossible_dates_are_errors(text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as err:
        parse_date(text, base=BASE)
    assert err.value.message.startswith(message)


def test_optional_dates() -> None:
    assert parse_optional(None) is None
    assert parse_optional("  ") is None
    assert parse_optional("2026-11-20") == date(2026, 11, 20)


def test_words_and_offsets_default_to_the_real_today() -> None:
    assert parse_date("today") == date.today()
    assert parse_date("-3d") == date.today() - timedelta(days=3)


def _happened_on(cli) -> list[str]:  # type: ignore[no-untyped-def]
    from dbtools import table_rows

    return [str(r["happened_on"]) for r in table_rows(cli.db_url, "events")]


def test_cli_dates_reach_the_event(cli) -> None:  # type: ignore[no-untyped-def]
    cli("dept", "add", "第一检察部", "--date", "2026年11月20日")
    cli("dept", "add", "第二检察部", "--date", "2026/11/19")
    cli("dept", "add", "第三检察部", "--date", "yesterday")
    cli("dept", "add", "第四检察部")
    cli("dept", "add", "第五检察部", "--date", "-3m")
    day = date.today()
    assert _happened_on(cli) == [
        "2026-11-20",
        "2026-11-19",
        (day - timedelta(days=1)).isoformat(),
        day.isoformat(),
        add_months(day, -3).isoformat(),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "error: no such date: 2026-02-30"),
        ("tomorrowish", "error: cannot read date 'tomorrowish'"),
    ],
)
def test_cli_bad_date_is_one_error_line(cli, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    out = cli("dept", "add", "第一检察部", "--date", value, ok=False)
    assert out.exit_code == 1
    assert out.stdout == ""
    assert out.stderr.startswith(message)
    assert len(out.stderr.splitlines()) == 1
    assert cli("dept", "list", fmt="json").stdout == "[]\n"
