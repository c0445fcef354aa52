"""Listings longer than memory is meant to hold print what short ones print.

``plain`` and ``table`` need every cell before the first line; past
``render.BUFFER_ROWS`` rows the cells wait in a temporary file, and a table of
more than ``render.TABLE_ROWS`` rows is drawn by rich in parts (the README's Performance section: a
million cases in 120 MiB). The limits are lowered here to a few rows, so that
a small office's listings take the long way, and the output is compared with
the same command's at the normal limits, byte for byte.
"""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers import setup_office
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison_cli import render
from liaison_cli.render import Column, render_rows

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


class _Watched(render._Spool):
    """The spool, noting whether a listing went to its temporary file."""

    spills: list[bool] = []

    def close(self) -> None:
        _Watched.spills.append(self.spilled)
        super().close()


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> Callable[[], Any]:
    """A switch to limits of a few rows; it returns what the listings did:
    whether each spilled to its file, and the rows of each table part drawn."""
    parts: list[int] = []
    whole_parts = render._parts

    def counted_parts(chunks: Any, size: int) -> Iterator[list[list[str]]]:
        for part in whole_parts(chunks, size):
            parts.append(len(part[0]))
            yield part

    def lower() -> tuple[list[bool], list[int]]:
        monkeypatch.setattr(render, "BUFFER_ROWS", 4)
        monkeypatch.setattr(render, "TABLE_ROWS", 3)
        monkeypatch.setattr(render, "_CHUNK_ROWS", 2)
        monkeypatch.setattr(render, "_Spool", _Watched)
        monkeypatch.setattr(render, "_parts", counted_parts)
        _Watched.spills = []
        return _Watched.spills, parts

    return lower


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


@pytest.mark.parametrize("fmt", ["plain", "table"])
@pytest.mark.parametrize("columns", ["200", "80", "30"])
def test_long_listings_print_what_short_ones_print(office, small_limits, fmt, columns) -> None:  # type: ignore[no-untyped-def]
    in_memory = _outputs(office, fmt, columns)
    spills, parts = small_limits()
    spooled = _outputs(office, fmt, columns)
    for args, expected, got in zip(LISTINGS, in_memory, spooled, strict=True):
        assert got == expected, args
    # the long way was taken: cases, contacts and deputies spilled to a file,
    # and (table) were drawn in parts of three rows
    assert spills.count(True) >= 4, spills
    if fmt == "table":
        assert parts and max(parts) == 3, parts
    else:
        assert not parts


@pytest.mark.parametrize("fmt", ["plain", "table"])
def test_long_listings_in_chinese(office, small_limits, chinese, fmt) -> None:  # type: ignore[no-untyped-def]
    in_memory = _outputs(office, fmt, "80")
    assert "标题" in in_memory[0]
    spills, _parts = small_limits()
    assert _outputs(office, fmt, "80") == in_memory
    assert spills.count(True) >= 4, spills


def test_table_parts_keep_the_title_once_and_the_notes_after(office, small_limits) -> None:  # type: ignore[no-untyped-def]
    small_limits()
    out = office("cases", fmt="table").stdout
    assert out.count("Cases") == 1 and out.startswith("Cases")
    lines = out.splitlines()
    # one header, one rule under it, a line per case (no title folds at 200
    # columns) and the blank edges above and below the table
    assert sum("─" in line for line in lines) == 1
    assert len(lines) == 1 + 1 + 1 + 1 + 14 + 1
    # the note under a listing follows its last part
    overdue = office("overdue", "--as-of", "2026-12-31", fmt="table").stdout
    assert overdue.rstrip().splitlines()[-1] == "4 overdue as of 2026-12-31"
    assert sum(line.lstrip().startswith("2026-0") for line in overdue.splitlines()) == 4


# -- the layout on its own ------------------------------------------------------

CELL_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab  12-"),
        st.sampled_from("关于推进公益诉讼张伟、（）"),
        st.sampled_from("\n\t\r\x07\u200d\ufe0f👍é"),
    ),
    max_size=16,
)


@settings(max_examples=150, deadline=None)
@given(
    n_rows=st.integers(0, 30),
    cells=st.lists(CELL_TEXT, min_size=1, max_size=60),
    width=st.sampled_from([200, 60, 24, 9]),
    fmt=st.sampled_from(["plain", "table"]),
)
def test_spooled_layout_is_the_in_memory_one(
    n_rows: int, cells: list[str], width: int, fmt: str
) -> None:
    """Any text (CJK, newlines, controls, joiners) at any terminal width."""
    import os

    columns = [
        Column("a", "编号", justify="right"),
        Column("b", "title"),
        Column("c", "k", lambda v: v.upper()),
    ]
    rows = [
        {"a": i, "b": cells[i % len(cells)], "c": cells[(i * 7) % len(cells)]}
        for i in range(n_rows)
    ]
    limits = (render.BUFFER_ROWS, render.TABLE_ROWS, render._CHUNK_ROWS)
    old_columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        expected = io.StringIO()
        render_rows(iter(rows), columns, fmt, title="T", notes=["note"], out=expected)
        render.BUFFER_ROWS, render.TABLE_ROWS, render._CHUNK_ROWS = 5, 4, 3
        got = io.StringIO()
        render_rows(iter(rows), columns, fmt, title="T", notes=["note"], out=got)
    finally:
        render.BUFFER_ROWS, render.TABLE_ROWS, render._CHUNK_ROWS = limits
        if old_columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old_columns
    assert got.getvalue() == expected.getvalue()


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


def test_memory_of_a_listing_does_not_grow_with_its_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twenty times the rows, about the same memory (held whole, a listing
    of 20,000 rows took five times what one of 2,000 takes)."""
    monkeypatch.setattr(render, "BUFFER_ROWS", 1000)
    monkeypatch.setattr(render, "_CACHE_LIMIT", 1000)
    _peak_while_rendering(10, "plain")  # imports and first measures
    # (the buffer holds up to one chunk more than its limit before it spills)
    two_buffers = _peak_while_rendering(2000, "plain")
    twenty = _peak_while_rendering(20_000, "plain")
    assert twenty < 1.25 * two_buffers, (two_buffers, twenty)


def test_memory_of_a_long_table_is_one_part(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice the parts, about the same memory (drawn whole, a table of 4,000
    rows took five times what its parts take, and twice what 2,000 took)."""
    monkeypatch.setattr(render, "TABLE_ROWS", 100)
    monkeypatch.setattr(render, "BUFFER_ROWS", 200)
    _peak_while_rendering(10, "table")  # imports
    # (rich's cache of text widths fills up to 4096 texts, then holds)
    twenty_parts = _peak_while_rendering(2000, "table")
    forty_parts = _peak_while_rendering(4000, "table")
    assert forty_parts < 1.25 * twenty_parts, (twenty_parts, forty_parts)


@pytest.mark.parametrize("fmt", ["markdown", "grid"])
def test_tabulate_formats_refuse_a_listing_they_would_hold_whole(
    office, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    """tabulate lays out the whole table at once: past the limit, one error
    line before anything is printed; within it, the table as before."""
    shown = office("--format", fmt, "cases")
    count = len(office("--format", "json", "cases").stdout.splitlines()) - 2
    assert count >= 3
    monkeypatch.setattr(render, "TABULATE_MAX_ROWS", count)
    assert office("--format", fmt, "cases").stdout == shown.stdout
    monkeypatch.setattr(render, "TABULATE_MAX_ROWS", count - 1)
    out = office("--format", fmt, "cases", ok=False)
    assert out.exit_code == 1 and out.stdout == ""
    assert out.stderr == (
        f"error: --format {fmt} lays out the whole table in memory and stops at "
        f"{count - 1:,} rows: use plain, csv or json, or --limit\n"
    )
    assert office("--format", fmt, "cases", "--limit", str(count - 1)).exit_code == 0
