"""Turning rows into output: rich tables, tabulate formats, CSV and JSON.

Rows are dicts keyed by the stable snake_case names that JSON and CSV use;
``Column`` says how a person reads a value (its header in the interface
language, a label for a code). Machine formats print the raw values and
stream, so a large listing does not have to fit in memory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any, TextIO

HUMAN_FORMATS = ("table", "plain")
MACHINE_FORMATS = ("csv", "json")
FORMAT_ALIASES = {"markdown": "github", "md": "github"}
# tabulate formats read by programs: the table only, no title or notes around it
DATA_TABLE_FORMATS = ("tsv",)


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


def is_machine(fmt: str) -> bool:
    return fmt in MACHINE_FORMATS


def valid_formats() -> list[str]:
    from tabulate import tabulate_formats

    return ["table", "plain", "csv", "json", "markdown", *sorted(set(tabulate_formats) - {"plain"})]


def _human(col: Column, value: Any) -> str:
    if value is None or value == "":
        return ""
    if col.show is not None:
        return col.show(value)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


class _Shown(dict):  # type: ignore[type-arg]
    """Text → how a column shows it, each distinct text worked out once.

    A listing repeats its codes (kinds, statuses) thousands of times; looking
    the label up in the catalog once per code instead of once per cell is
    most of the cost of a long human listing.
    """

    def __init__(self, col: Column) -> None:
        super().__init__()
        self.col = col

    def __missing__(self, text: str) -> str:
        shown = self[text] = _human(self.col, text)
        return shown


def _shown_column(col: Column, values: list[Any], memo: _Shown) -> list[str]:
    """``_human`` of every value, in C loops for the usual columns.

    A column of text (codes through the memo of their labels), of text and
    None, or of whole numbers is mapped without a Python call per cell; any
    other mix goes value by value.
    """
    kinds = set(map(type, values))
    if col.show is not None:
        if kinds <= {str}:
            return list(map(memo.__getitem__, values))
        return [memo[v] if type(v) is str else _human(col, v) for v in values]
    if kinds <= {str}:
        return values
    if kinds <= {str, type(None)}:
        return [v or "" for v in values]
    if kinds <= {int}:
        return list(map(str, values))
    return [_human(col, v) for v in values]


def _shown_columns(rows: Iterable[dict[str, Any]], columns: list[Column]) -> list[list[str]]:
    """The cells as people read them, column by column.

    Rows are taken a thousand at a time, so a streamed listing is never held
    as dicts and cells at once.
    """
    from itertools import islice
    from operator import itemgetter

    out: list[list[str]] = [[] for _ in columns]
    memos = [_Shown(c) for c in columns]
    keys = [c.key for c in columns]
    it = iter(rows)
    while chunk := list(islice(it, 1000)):
        try:
            # a column's values in one C loop, when every row has the key
            values = [list(map(itemgetter(k), chunk)) for k in keys]
        except KeyError:
            values = [[row.get(k) for row in chunk] for k in keys]
        for c, memo, dest, column in zip(columns, memos, out, values, strict=True):
            dest.extend(_shown_column(c, column, memo))
    return out


class _CharWidths(dict):  # type: ignore[type-arg]
    """Character → its display width (0, 1 or 2), as rich measures it."""

    def __missing__(self, char: str) -> int:
        from rich.cells import get_character_cell_size

        width = self[char] = get_character_cell_size(char)
        return width


_char_widths = _CharWidths()


class _Widths(dict):  # type: ignore[type-arg]
    """Display width of a text (CJK counts double), each distinct text measured once.

    The same figure as rich's ``cell_len``: printable ASCII is one cell a
    character; other text is the sum of its characters' widths, unless it
    holds a joiner or variation selector, which rich's own measure handles.
    """

    def __missing__(self, text: str) -> int:
        if text.isascii() and text.isprintable():
            width = len(text)
        elif "\u200d" in text or "\ufe0f" in text:
            from rich.cells import cell_len

            width = cell_len(text)
        else:
            width = sum(map(_char_widths.__getitem__, text))
        self[text] = width
        return width


def _all_narrow(texts: Iterable[str]) -> bool:
    """Whether every text is printable ASCII, where width is length."""
    joined = "".join(texts)
    return joined.isascii() and joined.isprintable()


def _column_width(texts: list[str], widths: _Widths) -> int:
    distinct = set(texts)
    if _all_narrow(distinct):
        return max(map(len, distinct), default=0)
    return max(map(widths.__getitem__, distinct), default=0)


def _padded(texts: list[str], width: int, widths: _Widths) -> list[str]:
    """Each text followed by spaces up to ``width`` display cells."""
    distinct = set(texts)
    if _all_narrow(distinct):
        return [x.ljust(width) for x in texts]
    # each distinct text padded once
    pads = {x: x + " " * (width - widths[x]) for x in distinct}
    return list(map(pads.__getitem__, texts))


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """A JSON array, one object per line, written as the rows arrive."""
    import json

    first = True
    out.write("[")
    for row in rows:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(row, ensure_ascii=False, default=_json_default))
        first = False
    out.write("\n]\n" if not first else "]\n")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def write_csv(rows: Iterable[dict[str, Any]], columns: list[Column], out: TextIO) -> None:
    """RFC 4180: a header row of the stable keys, CRLF line ends."""
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key)) for c in columns])


def render_rows(
    rows: Iterable[dict[str, Any]],
    columns: list[Column],
    fmt: str,
    *,
    title: str | None = None,
    notes: Iterable[str] = (),
    out: TextIO | None = None,
) -> None:
    """Print ``rows`` in ``fmt``; ``notes`` follow human formats only."""
    stream = out or sys.stdout
    if fmt == "json":
        write_json(rows, stream)
        return
    if fmt == "csv":
        write_csv(rows, columns, stream)
        return
    shown = _shown_columns(rows, columns)
    if fmt == "plain":
        _write_plain(shown, [c.header for c in columns], stream)
        for note in notes:
            stream.write(note + "\n")
        return
    cells = [list(line) for line in zip(*shown, strict=True)]
    if fmt == "table":
        from rich import box
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        widths = _Widths()
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        for c, texts in zip(columns, shown, strict=True):
            # short values (numbers, dates, counts) keep their width on a
            # narrow terminal; long text folds instead
            longest = _column_width(texts, widths)
            table.add_column(
                Text(c.header),
                justify=c.justify,  # type: ignore[arg-type]
                overflow="fold",
                min_width=longest if longest <= 12 else None,
            )
        for line in cells:
            # Text, not str: a cell holding "[red]" is data, not rich markup
            table.add_row(*(Text(x) for x in line))
        console = Console(file=stream, highlight=False, soft_wrap=False)
        console.print(table)
        for note in notes:
            console.print(note, markup=False)
        return
    from tabulate import tabulate

    tab_fmt = FORMAT_ALIASES.get(fmt, fmt)
    data_only = tab_fmt in DATA_TABLE_FORMATS
    if title and not data_only:
        # its own paragraph: in Markdown a line right above a table would
        # otherwise be read as part of it
        stream.write(title + "\n\n")
    stream.write(
        tabulate(
            cells, headers=[c.header for c in columns], tablefmt=tab_fmt, disable_numparse=True
        )
        + "\n"
    )
    if tab_fmt not in DATA_TABLE_FORMATS:
        for note in notes:
            stream.write(note + "\n")


def _write_plain(columns: list[list[str]], headers: list[str], stream: TextIO) -> None:
    """Columns aligned by display width (CJK counts double), two spaces apart.

    The layout of tabulate's "plain" (a header gets two cells of room beyond
    its text), padded here with rich's width measure: the default output of a
    piped command then pays neither tabulate's import (importlib.metadata,
    wcwidth) nor rich's table layout, which takes a second for a few hundred
    rows. ``columns`` holds the cells column by column; each distinct text is
    measured once, and a column of printable ASCII (numbers, dates, codes)
    is padded by length without measuring at all.
    """
    widths = _Widths()
    room = [
        max(widths[h] + 2, _column_width(texts, widths))
        for h, texts in zip(headers, columns, strict=True)
    ]

    def text(cols: list[list[str]]) -> str:
        padded = [_padded(texts, w, widths) for texts, w in zip(cols, room, strict=True)]
        lines = map(str.rstrip, map("  ".join, zip(*padded, strict=True)))
        return "\n".join(lines) + "\n"

    stream.write(text([[h] for h in headers]))
    total = len(columns[0]) if columns else 0
    # written a few thousand lines at a time: a long listing is not copied whole
    for start in range(0, total, 4000):
        stream.write(text([texts[start : start + 4000] for texts in columns]))


def render_record(pairs: list[tuple[str, Any]], fmt: str, out: TextIO | None = None) -> None:
    """A single record as label/value lines (human formats)."""
    stream = out or sys.stdout
    width = max((_display_width(k) for k, _ in pairs), default=0)
    for label, value in pairs:
        pad = " " * (width - _display_width(label))
        shown = "" if value is None else str(value)
        stream.write(f"{label}{pad}  {shown}".rstrip() + "\n")


def _display_width(text: str) -> int:
    from wcwidth import wcswidth

    w = wcswidth(text)
    return w if w >= 0 else len(text)
