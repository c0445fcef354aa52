"""Long listings: plain streams in bounded memory, table formats refuse in one line.

``plain`` measures its columns on the first ``plain.BUFFER_ROWS`` rows and
pads every later row to those widths; ``table`` and the tabulate formats lay
out a whole table and refuse a listing longer than they may hold. The limits
are lowered here to a few rows, so that a small office's listings take the
long way.
"""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from helpers import setup_office

from liaison_cli.output import Column, formats, plain, render_rows, table

TITLES = [
    "关于加强公益诉讼的建议",
    "关于进一步规范道路交通事故处理程序、加强对当事人合法权益保护以及完善相关配套制度的建议",
    "[red]not markup[/red]",
    "Road safety near the No. 1 Middle School gate",
    "关于 supporting 农村 schools 的建议",
    "x",
    "关于👍表情",
]
KINDS = ["suggestion", "motion", "proposal", "letter", "concern", "petition"]
CONTACT_TYPES = ["visit", "symposium", "phone", "message", "other"]


@pytest.fixture
def office(cli: Callable[..., Any]) -> Callable[..., Any]:
    """An office with more cases, contacts and deputies than the lowered limits."""
    setup_office(cli)
    for name, level in [("王小明", "township"), ("赵敏", "county"), ("Li Lei", "municipal")]:
        cli("deputy", "add", name, "--level", level, "--unit", f"{name}的单位", "--phone", "138")
    deputies = ["陈静", "李娜", "3", "王小明", "赵敏", "Li Lei"]
    for i in range(14):
        cli(
            "add-suggestion",
            "--deputy",
            deputies[i % len(deputies)],
            *(["--deputy", deputies[(i + 1) % len(deputies)]] if i % 3 == 0 else []),
            "--title",
            TITLES[i % len(TITLES)] + ("" if i < len(TITLES) else f" {i}"),
            "--kind",
            KINDS[i % len(KINDS)],
            "--received",
            f"2026-0{1 + i % 9}-1{i % 10}",
            *(["--key"] if i % 4 == 0 else []),
        )
    for number in ("2026-0001", "2026-0003", "2026-0005"):
        cli("assign", number, "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-10-01")
    cli("reply", "2026-0003", "--method", "written", "--result", "A", "--date", "2026-10-20")
    for i in range(9):
        cli(
            "log-contact",
            "--deputy",
            deputies[i % len(deputies)],
            "--type",
            CONTACT_TYPES[i % len(CONTACT_TYPES)],
            "--date",
            f"2026-0{1 + i}-05",
            "--summary",
            TITLES[i % len(TITLES)] + "，座谈交流 " * (i % 4),
            *(["--staff", "王芳"] if i % 2 else []),
        )
    return cli


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The interface in Chinese for this test's commands (chosen as each one runs)."""
    monkeypatch.setenv("LIAISON_LANG", "zh")


LISTINGS = [
    ("cases",),
    ("cases", "--status", "registered"),
    ("cases", "--limit", "6"),
    ("contacts",),
    ("deputy", "list"),
    ("show", "2026-0001"),
]


def _outputs(cli: Callable[..., Any], fmt: str, columns: str) -> list[str]:
    return [cli(*args, fmt=fmt, env={"COLUMNS": columns}).stdout for args in LISTINGS]


@pytest.mark.parametrize("columns", ["200", "80"])
def test_plain_past_its_buffer_keeps_the_measured_columns(office, monkeypatch, columns) -> None:  # type: ignore[no-untyped-def]
    """Within the buffer, the same text; past it, the rows are padded to the
    widths the buffered rows gave, and no cell is cut."""
    whole = _outputs(office, "plain", columns)
    monkeypatch.setattr(plain, "BUFFER_ROWS", 3)
    streamed = _outputs(office, "plain", columns)
    for args, expected, got in zip(LISTINGS, whole, streamed, strict=True):
        assert got.replace(" ", "") == expected.replace(" ", ""), args
        # the header and the buffered rows are laid out as the whole listing
        # would be wherever every cell fits the measured widths
        assert got.splitlines()[0].split() == expected.splitlines()[0].split(), args
    assert any(got != expected for got, expected in zip(streamed, whole, strict=True))


def test_plain_past_its_buffer_in_chinese(office, monkeypatch, chinese) -> None:  # type: ignore[no-untyped-def]
    whole = _outputs(office, "plain", "80")
    assert "标题" in whole[0]
    monkeypatch.setattr(plain, "BUFFER_ROWS", 2)
    streamed = _outputs(office, "plain", "80")
    assert [x.replace(" ", "") for x in streamed] == [x.replace(" ", "") for x in whole]


def test_plain_within_its_buffer_is_the_whole_layout(office, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    whole = _outputs(office, "plain", "80")
    monkeypatch.setattr(plain, "BUFFER_ROWS", 14)
    assert _outputs(office, "plain", "80") == whole


def test_table_keeps_the_title_once_and_the_notes_after(office) -> None:  # type: ignore[no-untyped-def]
    out = office("cases", fmt="table").stdout
    assert out.count("Cases") == 1 and out.startswith("Cases")
    lines = out.splitlines()
    # one header, one rule under it, a line per case (no title folds at 200
    # columns) and the blank edges above and below the table
    assert sum("─" in line for line in lines) == 1
    assert len(lines) == 1 + 1 + 1 + 1 + 14 + 1
    overdue = office("overdue", "--as-of", "2026-12-31", fmt="table").stdout
    assert overdue.rstrip().splitlines()[-1] == "4 overdue as of 2026-12-31"
    assert sum(line.lstrip().startswith("2026-0") for line in overdue.splitlines()) == 4


def _peak_while_rendering(n_rows: int, fmt: str) -> int:
    """Bytes allocated at most while ``render_rows`` prints ``n_rows`` rows."""
    columns = [Column("id", "id", justify="right"), Column("t", "title"), Column("d", "date")]
    rows = (
        {
            "id": i,
            "t": f"关于第{i}号问题的建议 {i * 7919 % 10007}",
            "d": f"2026-01-{1 + i % 28:02d}",
        }
        for i in range(n_rows)
    )
    tracemalloc.start()
    try:
        render_rows(rows, columns, fmt, out=_Null())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Null(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)


@pytest.mark.parametrize("fmt", ["plain", "csv", "json"])
def test_memory_of_a_listing_does_not_grow_with_its_length(
    monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Ten times the rows, about the same memory (rich's cache of text widths
    fills up to 4096 texts, then holds)."""
    monkeypatch.setattr(plain, "BUFFER_ROWS", 1000)
    _peak_while_rendering(10, fmt)  # imports and first measures
    five_buffers = _peak_while_rendering(5000, fmt)
    fifty = _peak_while_rendering(50_000, fmt)
    assert fifty < 1.25 * five_buffers, (five_buffers, fifty)


@pytest.mark.parametrize(
    ("fmt", "module", "name"),
    [
        ("table", table, "TABLE_MAX_ROWS"),
        ("markdown", formats, "TABULATE_MAX_ROWS"),
        ("grid", formats, "TABULATE_MAX_ROWS"),
    ],
)
def test_table_formats_refuse_a_listing_they_would_hold_whole(
    office, monkeypatch: pytest.MonkeyPatch, fmt: str, module: Any, name: str
) -> None:  # type: ignore[no-untyped-def]
    """A whole-table format past its limit: one error line before anything is
    printed, pointing to the formats that stream; within it, the table as before."""
    shown = office("--format", fmt, "cases")
    count = len(office("--format", "json", "cases").stdout.splitlines()) - 2
    assert count >= 3
    monkeypatch.setattr(module, name, count)
    assert office("--format", fmt, "cases").stdout == shown.stdout
    monkeypatch.setattr(module, name, count - 1)
    out = office("--format", fmt, "cases", ok=False)
    assert out.exit_code == 1 and out.stdout == ""
    assert out.stderr == (
        f"error: --format {fmt} lays out the whole table in memory and stops at "
        f"{count - 1:,} rows: use plain, csv or json, or --limit\n"
    )
    assert office("--format", fmt, "cases", "--limit", str(count - 1)).exit_code == 0


def test_table_refusal_in_chinese(office, monkeypatch, chinese) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(table, "TABLE_MAX_ROWS", 2)
    out = office("--format", "table", "cases", ok=False)
    assert out.exit_code == 1 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "plain" in out.stderr
