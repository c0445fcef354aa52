"""``--format table``: a rich table, laid out by rich.

Rich lays out a table whole and keeps every line of it while drawing (a
table of 10,000 cases took 181 MiB, one of 5,000 cases 92 MiB and 7 s), so a
listing longer than :data:`TABLE_MAX_ROWS` is refused in one line before
anything is printed, pointing to plain, csv or json, which stream.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from .cells import Column, at_most, display_width

TABLE_MAX_ROWS = 5_000


def write_table(
    lines: Iterable[list[str]],
    columns: list[Column],
    title: str | None,
    notes: Iterable[str],
    out: TextIO,
) -> None:
    """The rows under a header rule, the title above and the notes below."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    held = at_most(lines, TABLE_MAX_ROWS, "table")
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for i, c in enumerate(columns):
        longest = max((display_width(line[i]) for line in held), default=0)
        table.add_column(
            Text(c.header),
            justify=c.justify,  # type: ignore[arg-type]
            overflow="fold",
            # short values (numbers, dates, counts) keep their width on a
            # narrow terminal; long text folds instead
            min_width=longest if longest <= 12 else None,
        )
    for line in held:
        # Text, not str: a cell holding "[red]" is data, not rich markup
        table.add_row(*(Text(x) for x in line))
    console = Console(file=out, highlight=False, soft_wrap=False)
    console.print(table)
    for note in notes:
        console.print(note, markup=False)
