"""``--format table``: a rich table, laid out by rich.

Rich lays out a table whole and keeps every line of it while drawing (a
table of 10,000 cases took 181 MiB, one of 5,000 cases 92 MiB and 7 s), so a
listing longer than :data:`TABLE_MAX_ROWS` is refused in one line before
anything is printed, pointing to plain, csv or json, which stream.

Rich breaks a line at spaces and folds a longer word anywhere; Chinese has no
spaces, so a name would be cut in two (周建 / 华). Names, numbers and dates
therefore never wrap (:data:`WHOLE`, and every right-aligned column); a list
of names (the deputies of a case) wraps after a 、, between names
(:class:`_NameList`); free text (a title, a summary) folds as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from .cells import Column, at_most, display_width

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

TABLE_MAX_ROWS = 5_000

# columns holding one name, a number or a date: a cell is never cut
WHOLE = frozenset(
    {
        "id", "number", "name", "handler", "staff", "department", "group", "liaison",
        "received", "due", "replied", "closed", "date", "assigned", "actor", "phone",
    }
)  # fmt: skip
# columns holding names joined with 、: they wrap between two names
NAME_LISTS = frozenset({"deputies", "co_departments"})
SEPARATOR = "、"


class _NameList:
    """A cell of names joined with 、, wrapped between names, never inside one."""

    def __init__(self, text: str) -> None:
        parts = text.split(SEPARATOR)
        # each name keeps the 、 that follows it on its own line
        self.names = [p + SEPARATOR for p in parts[:-1]] + parts[-1:]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Any:
        from rich.measure import Measurement

        widths = [display_width(n) for n in self.names]
        return Measurement(max(widths, default=0), sum(widths))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        from rich.text import Text

        line, used = "", 0
        for name in self.names:
            w = display_width(name)
            if line and used + w > options.max_width:
                yield Text(line)
                line, used = "", 0
            line += name
            used += w
        yield Text(line)


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
    whole = [c.key in WHOLE or c.justify == "right" for c in columns]
    name_lists = [c.key in NAME_LISTS for c in columns]
    for i, c in enumerate(columns):
        longest = max((display_width(line[i]) for line in held), default=0)
        if name_lists[i]:
            # a list of names is at least as wide as its longest name
            longest = max(
                (display_width(n) + 2 for line in held for n in line[i].split(SEPARATOR)),
                default=0,
            )
        table.add_column(
            Text(c.header),
            justify=c.justify,  # type: ignore[arg-type]
            overflow="fold",
            # short values keep their width on a narrow terminal; long text folds
            min_width=longest if whole[i] or name_lists[i] or longest <= 12 else None,
        )
    for line in held:
        # Text, not str: a cell holding "[red]" is data, not rich markup
        table.add_row(
            *(
                _NameList(x) if name_lists[i] and SEPARATOR in x else Text(x)
                for i, x in enumerate(line)
            )
        )
    console = Console(file=out, highlight=False, soft_wrap=False)
    console.print(table)
    for note in notes:
        console.print(note, markup=False)
