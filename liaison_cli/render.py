"""Turning rows into output: rich tables, tabulate formats, CSV and JSON.

Rows are dicts keyed by the stable snake_case names that JSON and CSV use;
``Column`` says how a person reads a value (its header in the interface
language, a label for a code). Machine formats print the raw values and
stream, so a large listing does not have to fit in memory. ``plain`` and
``table`` size each column by its widest cell, so they measure every cell
before printing the first line; a long listing's cells wait in a temporary
file meanwhile (see :func:`render_rows`), and a long table is drawn in parts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, TextIO

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


# Distinct texts a cache (labels shown, widths measured) keeps before it starts
# over: a long listing of free text (titles, summaries) repeats little, and a
# cache of every text it held would be the listing again
_CACHE_LIMIT = 10_000


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
        if len(self) >= _CACHE_LIMIT:
            self.clear()
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


# rows turned into cells at a time
_CHUNK_ROWS = 1000


def _shown_chunks(
    rows: Iterable[dict[str, Any]], columns: list[Column]
) -> Iterator[tuple[int, list[list[str]]]]:
    """The cells as people read them, column by column, a thousand rows at a time.

    Each item is ``(rows in the chunk, its cells column by column)``: a
    streamed listing is never held as dicts and cells at once.
    """
    from itertools import islice
    from operator import itemgetter

    memos = [_Shown(c) for c in columns]
    keys = [c.key for c in columns]
    it = iter(rows)
    while chunk := list(islice(it, _CHUNK_ROWS)):
        try:
            # a column's values in one C loop, when every row has the key
            values = [list(map(itemgetter(k), chunk)) for k in keys]
        except KeyError:
            values = [[row.get(k) for row in chunk] for k in keys]
        yield (
            len(chunk),
            [
                _shown_column(c, column, memo)
                for c, memo, column in zip(columns, memos, values, strict=True)
            ],
        )


# tabulate lays out a whole table at once: past this many rows it would hold more
# memory than issue 8 allows any command (a 100,000-row markdown table: 280 MiB)
TABULATE_MAX_ROWS = 20_000


def _at_most(rows: Iterable[dict[str, Any]], limit: int, fmt: str) -> Iterator[dict[str, Any]]:
    """``rows``, refused before anything is printed when there are more than ``limit``."""
    from .errors import InvalidValue
    from .i18n import _

    for n, row in enumerate(rows, 1):
        if n > limit:
            raise InvalidValue(
                _(
                    "--format {fmt} lays out the whole table in memory and stops at "
                    "{limit} rows: use plain, csv or json, or --limit"
                ).format(fmt=fmt, limit=f"{limit:,}")
            )
        yield row


def _shown_columns(rows: Iterable[dict[str, Any]], columns: list[Column]) -> list[list[str]]:
    """The cells of all the rows, column by column (a listing known to be short)."""
    out: list[list[str]] = [[] for _ in columns]
    for _n, cells in _shown_chunks(rows, columns):
        for dest, texts in zip(out, cells, strict=True):
            dest.extend(texts)
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
        if len(self) >= _CACHE_LIMIT:
            self.clear()
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


# A listing of more rows than this is not held in memory between measuring
# its columns and printing them: its cells wait in a temporary file instead.
# Ten thousand rows of cells are a few megabytes; a million are most of a
# gigabyte (issue 8 allows a command 120 MiB).
BUFFER_ROWS = 10_000


class _Spool:
    """A listing's cells, chunk by chunk, kept until its columns are measured.

    Held in memory up to ``BUFFER_ROWS`` rows; past that, every chunk goes to
    an anonymous temporary file and is read back in order for printing. A
    chunk is stored as one ``marshal`` blob (lists of text) after its length,
    written and read back whole: ``marshal.load`` on the file itself reads a
    few bytes at a time, and took four times as long. The rows are read
    once, from the one query, so the second pass prints exactly the cells the
    first measured, on any engine and at any isolation level, and the query
    is not paid twice.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows = 0
        self._held: list[tuple[int, list[list[str]]]] = []
        self._file: BinaryIO | None = None
        self._chunks = 0

    @property
    def spilled(self) -> bool:
        return self._file is not None

    def add(self, n: int, cells: list[list[str]]) -> None:
        self.rows += n
        self._chunks += 1
        if self._file is not None:
            self._write((n, cells))
            return
        self._held.append((n, cells))
        if self.rows > self.limit:
            import tempfile

            # unlinked at once: nothing is left behind, even by a crash
            self._file = tempfile.TemporaryFile(prefix="liaison-listing-")
            for item in self._held:
                self._write(item)
            self._held = []

    def _write(self, item: tuple[int, list[list[str]]]) -> None:
        import marshal

        assert self._file is not None
        blob = marshal.dumps(item)
        self._file.write(len(blob).to_bytes(8, "little"))
        self._file.write(blob)

    def __iter__(self) -> Iterator[tuple[int, list[list[str]]]]:
        if self._file is None:
            yield from self._held
            return
        import marshal

        read = self._file.read
        self._file.seek(0)
        for _ in range(self._chunks):
            yield marshal.loads(read(int.from_bytes(read(8), "little")))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class _Measure:
    """What the layout of a listing needs to know of all its cells.

    ``longest``: each column's widest cell (display cells, the whole text).
    With ``for_rich``, also each column's cell that rich would measure
    widest (its longest line) and the one it could least narrow (its longest
    word), the two cells that decide rich's column widths.
    """

    def __init__(self, ncols: int, for_rich: bool) -> None:
        self.widths = _Widths()
        self.longest = [0] * ncols
        self.for_rich = for_rich
        # per column: (width, text) of the longest line and of the longest word
        self.line: list[tuple[int, str]] = [(-1, "")] * ncols
        self.word: list[tuple[int, str]] = [(-1, "")] * ncols

    def add(self, cells: list[list[str]]) -> None:
        widths = self.widths
        for i, texts in enumerate(cells):
            self.longest[i] = max(self.longest[i], _column_width(texts, widths))
            if self.for_rich:
                self._add_rich(i, set(texts))

    def _add_rich(self, i: int, distinct: set[str]) -> None:
        """Rich's measure of a cell (``Text.__rich_measure__`` after
        ``Measurement.normalize``): the widest of its lines, and the widest of
        its words but no more than that; control codes are stripped first,
        as ``Text`` does."""
        from rich.control import strip_control_codes

        widths = self.widths
        (line_w, line_x), (word_w, word_x) = self.line[i], self.word[i]
        for x in distinct:
            if x.isascii() and x.isprintable():
                longest_line = len(x)
                longest_word = max(map(len, x.split()), default=longest_line)
            else:
                plain = strip_control_codes(x)
                longest_line = max(map(widths.__getitem__, plain.splitlines()), default=0)
                longest_word = max(map(widths.__getitem__, plain.split()), default=longest_line)
                longest_word = min(longest_word, longest_line)
            if longest_line > line_w:
                line_w, line_x = longest_line, x
            if longest_word > word_w:
                word_w, word_x = longest_word, x
        self.line[i], self.word[i] = (line_w, line_x), (word_w, word_x)


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
    """Print ``rows`` in ``fmt``; ``notes`` follow human formats only.

    ``rows`` is read once. JSON and CSV are written as the rows arrive.
    ``plain`` and ``table`` need every cell before the first line (a column
    is as wide as its widest cell): the cells are measured as they arrive
    and kept until printing, in memory up to ``BUFFER_ROWS`` rows and in a
    temporary file beyond (see :class:`_Spool`), so a listing of any length
    prints the same text in bounded memory. A ``table`` of more than
    ``TABLE_ROWS`` rows is drawn by rich in parts of that many rows, each
    with the column widths rich gives the whole table (:func:`_write_table`).
    The other tabulate formats (markdown, grid, …) hold the whole listing,
    so they refuse one longer than ``TABULATE_MAX_ROWS`` rows.
    """
    stream = out or sys.stdout
    if fmt == "json":
        write_json(rows, stream)
        return
    if fmt == "csv":
        write_csv(rows, columns, stream)
        return
    if fmt in ("plain", "table"):
        spool = _Spool(BUFFER_ROWS)
        measure = _Measure(len(columns), for_rich=fmt == "table")
        try:
            for n, cells in _shown_chunks(rows, columns):
                measure.add(cells)
                spool.add(n, cells)
            if fmt == "plain":
                _write_plain_chunks(spool, [c.header for c in columns], measure, stream)
                for note in notes:
                    stream.write(note + "\n")
            else:
                _write_table(spool, columns, measure, title, notes, stream)
        finally:
            spool.close()
        return
    shown = _shown_columns(_at_most(rows, TABULATE_MAX_ROWS, fmt), columns)
    cells = [list(line) for line in zip(*shown, strict=True)]
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
    """:func:`_write_plain_chunks` of cells held in memory, column by column."""
    measure = _Measure(len(headers), for_rich=False)
    measure.add(columns)
    total = len(columns[0]) if columns else 0
    _write_plain_chunks([(total, columns)], headers, measure, stream)


def _write_plain_chunks(
    chunks: Iterable[tuple[int, list[list[str]]]],
    headers: list[str],
    measure: _Measure,
    stream: TextIO,
) -> None:
    """Columns aligned by display width (CJK counts double), two spaces apart.

    The layout of tabulate's "plain" (a header gets two cells of room beyond
    its text), padded here with rich's width measure: the default output of a
    piped command then pays neither tabulate's import (importlib.metadata,
    wcwidth) nor rich's table layout, which takes a second for a few hundred
    rows. ``chunks`` holds the cells column by column, a part of the rows at
    a time, and ``measure`` each column's widest cell over all of them; a
    distinct text is measured once while the cache holds it, and a column of
    printable ASCII (numbers, dates, codes) is padded by length without
    measuring at all.
    """
    widths = measure.widths
    room = [
        max(widths[h] + 2, longest) for h, longest in zip(headers, measure.longest, strict=True)
    ]

    def text(cols: list[list[str]]) -> str:
        padded = [_padded(texts, w, widths) for texts, w in zip(cols, room, strict=True)]
        lines = map(str.rstrip, map("  ".join, zip(*padded, strict=True)))
        return "\n".join(lines) + "\n"

    stream.write(text([[h] for h in headers]))
    for total, columns in chunks:
        # written a few thousand lines at a time: a long listing is not copied whole
        for start in range(0, total, 4000):
            stream.write(text([texts[start : start + 4000] for texts in columns]))


# rows of one rich table: rich holds every line of a table it draws (a table
# of 10,000 cases took 181 MiB), so a longer listing is drawn in parts
TABLE_ROWS = 1000


def _write_table(
    spool: _Spool,
    columns: list[Column],
    measure: _Measure,
    title: str | None,
    notes: Iterable[str],
    stream: TextIO,
) -> None:
    """The rows as a rich table, in parts of ``TABLE_ROWS`` rows when longer.

    Every part is a table of its own with the widths rich gives the whole
    listing: rich sizes a column by the widest line and the widest word of
    its cells, so a table of the header and the two cells that decide each
    column (:class:`_Measure`) gets the same widths as all the rows would.
    The parts are then joined without the blank edge lines between them:
    the text is the one table rich would print, at a memory cost of one part.
    """
    from itertools import takewhile

    from rich import box
    from rich.console import Console
    from rich.segment import Segment, Segments
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=False)
    # short values (numbers, dates, counts) keep their width on a narrow
    # terminal; long text folds instead
    min_widths = [longest if longest <= 12 else None for longest in measure.longest]

    def new_table(
        kind: box.Box, title: str | None, header: bool, widths: list[int] | None = None
    ) -> Table:
        """The listing's table; with ``widths``, its columns that wide whatever
        the terminal (a table wider than the terminal is cut when printed)."""
        table = Table(
            title=title,
            box=kind,
            title_justify="left",
            show_header=header,
            width=None if widths is None else sum(widths) + 3 * len(widths) + 1,
        )
        for i, c in enumerate(columns):
            table.add_column(
                Text(c.header),
                justify=c.justify,  # type: ignore[arg-type]
                overflow="fold",
                min_width=min_widths[i] if widths is None else None,
                width=None if widths is None else widths[i],
            )
        return table

    def add_rows(table: Table, cells: list[list[str]]) -> None:
        for line in zip(*cells, strict=True):
            # Text, not str: a cell holding "[red]" is data, not rich markup
            table.add_row(*(Text(x) for x in line))

    if spool.rows <= TABLE_ROWS:
        table = new_table(box.SIMPLE_HEAD, title, True)
        for _n, cells in spool:
            add_rows(table, cells)
        console.print(table)
    else:
        # the widths of the whole table, read off the top edge of the deciding
        # cells' table drawn with a "+" between columns
        deciding = new_table(_measuring_box(), None, True)
        add_rows(deciding, [[measure.line[i][1], measure.word[i][1]] for i in range(len(columns))])
        # (its first line, uncropped: a table wider than the terminal is cut
        # at the edge when printed, but its widths are what they are)
        top = "".join(takewhile("\n".__ne__, (s.text for s in console.render(deciding))))
        # less the padding of a cell (one space each side)
        found = [len(part) - 2 for part in top[1:-1].split("+")]
        # a terminal with less than a character a column: each part on its own
        fixed = found if len(found) == len(columns) and min(found) >= 0 else None
        for index, (cells, last) in enumerate(_with_last(_parts(spool, TABLE_ROWS))):
            first_part = index == 0
            table = new_table(box.SIMPLE_HEAD, title if first_part else None, first_part, fixed)
            add_rows(table, cells)
            lines = list(
                Segment.split_and_crop_lines(console.render(table), console.width, pad=False)
            )
            # the blank edge below a part and above the next are inside the table
            lines = lines[(0 if first_part else 1) : (None if last else -1)]
            console.print(Segments([s for line in lines for s in line]))
    for note in notes:
        console.print(note, markup=False)


def _measuring_box() -> Any:
    from rich.box import Box

    return Box("+-++\n| ||\n|-+|\n| ||\n|-+|\n|-+|\n| ||\n+-++\n", ascii=True)


def _parts(chunks: Iterable[tuple[int, list[list[str]]]], size: int) -> Iterator[list[list[str]]]:
    """The cells regrouped into parts of ``size`` rows."""
    held: list[list[str]] | None = None
    for _n, cells in chunks:
        if held is None:
            held = [list(texts) for texts in cells]
        else:
            for dest, texts in zip(held, cells, strict=True):
                dest.extend(texts)
        while held and len(held[0]) >= size:
            yield [texts[:size] for texts in held]
            held = [texts[size:] for texts in held]
    if held and held[0]:
        yield held


def _with_last(items: Iterable[Any]) -> Iterator[tuple[Any, bool]]:
    """Each item with whether it is the last."""
    it = iter(items)
    try:
        prev = next(it)
    except StopIteration:
        return
    for item in it:
        yield prev, False
        prev = item
    yield prev, True


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
