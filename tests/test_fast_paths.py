"""The fast paths print what the plain ones printed.

``liaison`` measures the width of each distinct cell once (by length for
printable ASCII), shows each code's label once, and reads the overdue rows
straight from the driver. Each is checked here against the straightforward
way: rich's own ``cell_len``, the writer as it was before, ``_human`` per
cell, and the in-process CLI.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from helpers import setup_office
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from liaison_cli.output.cells import Column, display_width, human, shown_lines
from liaison_cli.output.plain import write_plain

# text a cell may hold: ASCII (with controls), CJK, combining marks, emoji
# with joiners and variation selectors, full-width forms
CELL_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x7F),
        st.sampled_from("关于推进公益诉讼检察工作张伟、（）：　ａｂ"),
        st.sampled_from("\u0301\u200d\ufe0f\u00ad\u00a0é👍👨‍👩"),
        st.characters(min_codepoint=0x80, max_codepoint=0x2FFFF),
    ),
    max_size=20,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(CELL_TEXT, max_size=10))
def test_width_is_rich_cell_len(texts: list[str]) -> None:
    for text in texts:
        assert display_width(text) == cell_len(text), repr(text)


def reference_plain(cells: list[list[str]], headers: list[str]) -> str:
    """The plain writer as it was: every cell measured with rich's cell_len."""
    widths = [cell_len(h) + 2 for h in headers]
    measured = [[cell_len(x) for x in line] for line in cells]
    for lens in measured:
        for i, n in enumerate(lens):
            widths[i] = max(widths[i], n)

    def line(texts: list[str], lens: list[int]) -> str:
        padded = (x + " " * (widths[i] - lens[i]) for i, x in enumerate(texts))
        return "  ".join(padded).rstrip() + "\n"

    out = line(headers, [cell_len(h) for h in headers])
    for texts, lens in zip(cells, measured, strict=True):
        out += line(texts, lens)
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.lists(CELL_TEXT, min_size=n, max_size=n),
            st.lists(st.lists(CELL_TEXT, min_size=n, max_size=n), max_size=12),
        )
    )
)
def test_plain_layout_is_the_reference(table: tuple[list[str], list[list[str]]]) -> None:
    headers, cells = table
    out = io.StringIO()
    write_plain(cells, headers, (), out)
    assert out.getvalue() == reference_plain(cells, headers)


def test_plain_layout_of_a_long_listing_in_several_writes() -> None:
    """More rows than one write holds: the same columns all the way down."""
    cells = [[f"{i}", "张伟" * (i % 3), "x" * (i % 7)] for i in range(9001)]
    out = io.StringIO()
    write_plain(cells, ["n", "名字", "x"], (), out)
    assert out.getvalue() == reference_plain(cells, ["n", "名字", "x"])


VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.sampled_from(["letter", "suggestion", "replied", "[red]", "关于", "x"]),
    st.integers(-5, 5),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({"a": VALUES, "b": VALUES}), max_size=2500))
def test_shown_cells_are_human_per_cell(rows: list[dict]) -> None:
    """Mixed values (True beside 1, None beside ""), memoised or not, read as ``human``."""
    columns = [Column("a", "A"), Column("b", "B", lambda v: f"<{v}>"), Column("c", "C")]
    expected = [[human(c, row.get(c.key)) for c in columns] for row in rows]
    assert list(shown_lines(iter(rows), columns)) == expected


# -- the real process ----------------------------------------------------------


@pytest.fixture
def late_cases(cli):  # type: ignore[no-untyped-def]
    """Cases late on 2026-11-20 with Chinese titles, co-signers and both clocks."""
    setup_office(cli)
    cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--deputy",
        "李娜",
        "--title",
        "关于道路维修的建议",
        "--received",
        "2026-01-05",
    )
    cli("assign", "2026-0001", "--dept", "第一检察部", "--handler", "王芳", "--date", "2026-01-06")
    cli("remind", "2026-0001", "--date", "2026-05-01")
    cli(
        "add-suggestion",
        "--deputy",
        "李娜",
        "--title",
        "Road repairs (plain ASCII)",
        "--kind",
        "letter",
        "--received",
        "2026-10-01",
    )
    cli(
        "add-suggestion",
        "--deputy",
        "陈静",
        "--title",
        "延期的议案",
        "--kind",
        "motion",
        "--received",
        "2026-03-01",
    )
    cli("assign", "2026-0003", "--dept", "第八检察部", "--date", "2026-03-02")
    cli("extend", "2026-0003", "--due", "2026-12-01", "--reason", "需调查", "--date", "2026-05-01")
    # a case of concern late on both clocks, due the same day on each
    cli(
        "add-suggestion",
        "--deputy",
        "1",
        "--title",
        "两个期限",
        "--kind",
        "concern",
        "--received",
        "2026-09-01",
    )
    cli(
        "assign", "2026-0004", "--dept", "第一检察部", "--date", "2026-09-02", "--due", "2026-09-08"
    )
    return cli


def test_a_case_late_on_both_clocks_gives_two_rows_substantive_first(late_cases) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(late_cases("overdue", "--as-of", "2026-11-20", fmt="json").stdout)
    both = [(r["clock"], r["due"], r["days_overdue"]) for r in rows if r["number"] == "2026-0004"]
    assert both == [("substantive", "2026-09-08", 73), ("procedural", "2026-09-08", 73)]
    assert [r["number"] for r in rows] == ["2026-0001", "2026-0004", "2026-0004", "2026-0002"]
    first = rows[0]
    assert (first["deputies"], first["status"], first["reminders"]) == ("陈静、李娜", "assigned", 1)


@pytest.mark.parametrize(
    ("lang", "args"),
    [
        ("en", ("overdue", "--as-of", "2026-11-20")),
        ("en", ("--format", "json", "overdue", "--as-of", "2026-11-20", "--within", "20")),
        ("en", ("--format", "csv", "overdue", "--as-of", "2026-11-20")),
        ("zh", ("overdue", "--as-of", "2026-11-20", "--within", "20")),
        ("zh", ("--format", "table", "overdue", "--as-of", "2026-11-20", "--limit", "1")),
        ("en", ("cases", "--limit", "2")),
    ],
)
def test_the_process_prints_what_the_cli_prints_in_process(
    late_cases, liaison_proc, lang, args
) -> None:  # type: ignore[no-untyped-def]
    """A real process prints what the in-process command tree prints."""
    env = {"COLUMNS": "200", "LIAISON_LANG": lang}
    expected = late_cases(*args, env=env).stdout
    proc = liaison_proc(*args, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
    assert expected.count("\n") >= 2
