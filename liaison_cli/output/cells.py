"""Cells as people read them: a listing's columns and the text of each value.

Rows are dicts keyed by the stable snake_case names that JSON and CSV use;
a :class:`Column` says how a person reads a value (its header in the
interface language, a label for a code). The human formats (plain, table,
the tabulate formats) all show a value through :func:`human`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any


class Column:
    """One column of a listing: its stable key, its header, how a value reads.

    A plain class rather than a dataclass: every command defines columns, and
    building a dataclass (``dataclasses`` and its generated methods) is start-up
    time that ``liaison --help`` would pay too.
    """

    __slots__ = ("key", "header", "show", "justify")

    def __init__(
        self,
        key: str,
        header: str,
        show: Callable[[Any], str] | None = None,
        justify: str = "left",
    ) -> None:
        self.key = key
        self.header = header
        self.show = show
        self.justify = justify

    def __repr__(self) -> str:
        return (
            f"Column({self.key!r}, {self.header!r}, show={self.show!r}, justify={self.justify!r})"
        )


def human(col: Column, value: Any) -> str:
    """A value as a person reads it in ``col``."""
    if value is None or value == "":
        return ""
    if col.show is not None:
        return col.show(value)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


# rows turned into cells at a time
CHUNK_ROWS = 1000


def shown_lines(rows: Iterable[Mapping[str, Any]], columns: list[Column]) -> Iterator[list[str]]:
    """Each row's cells as people read them.

    A listing repeats its codes (kinds, statuses) thousands of times, so each
    column remembers the label of a code it has shown: the catalog is looked
    up once per code, not once per cell. Only texts are remembered (free text
    repeats little, and the memory is cleared when it grows large).
    """
    memos: list[dict[str, str]] = [{} for _ in columns]
    pairs = list(zip(columns, memos, strict=True))
    for row in rows:
        line = []
        for col, memo in pairs:
            value = row.get(col.key)
            if type(value) is str and col.show is None:
                line.append(value)
            elif type(value) is str:
                shown = memo.get(value)
                if shown is None:
                    if len(memo) > 10_000:
                        memo.clear()
                    shown = memo[value] = human(col, value)
                line.append(shown)
            else:
                line.append(human(col, value))
        yield line


def display_width(text: str) -> int:
    """Terminal cells the text takes (CJK counts double), as rich measures it."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def at_most(lines: Iterable[list[str]], limit: int, fmt: str) -> list[list[str]]:
    """The lines of a format that lays out the whole table, refused past ``limit``.

    Refused before anything is printed, with one line pointing to the
    formats that stream.
    """
    from ..errors import InvalidValue
    from ..i18n import _

    held: list[list[str]] = []
    for line in lines:
        if len(held) == limit:
            raise InvalidValue(
                _(
                    "--format {fmt} lays out the whole table in memory and stops at "
                    "{limit} rows: use plain, csv or json, or --limit"
                ).format(fmt=fmt, limit=f"{limit:,}")
            )
        held.append(line)
    return held
