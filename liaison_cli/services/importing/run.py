"""What every import shares: the sheet, the registry, the counts and the writer.

Rows are checked and written chunk by chunk, so memory does not grow with
the file; the unit of work around the whole import makes it all or nothing:
the first bad row stops everything with its line, column and reason, and the
transaction takes back whatever earlier chunks wrote. A dry run checks every
row and writes nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import TypedDict, TypeVar

from sqlalchemy.engine import Connection

from ...domain.dates import today
from ...domain.vocab import LEVELS
from ...errors import ImportFileError, LiaisonError
from ...store.bulk import BulkWriter
from ...store.events import details_json
from .references import NewName, Registry
from .sheets import Sheet
from .values import BadValue, Row

CHUNK = 5000  # rows checked, then written, at a time

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Item = TypeVar("Item")


class ImportRow(TypedDict):
    """An import's result as one output row (``--format json`` / ``csv``)."""

    table: str
    file: str
    rows: int
    imported: int
    skipped: int
    created_deputies: int
    created_departments: int
    created_staff: int
    dry_run: bool
    ignored_columns: list[str]
    new_departments: list[str]
    new_staff: list[str]
    new_deputies: list[str]


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    table: str
    file: str
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    created_deputies: int = 0
    created_departments: int = 0
    created_staff: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)
    # what it creates (or would), by name, in the order the file names them
    created: list[NewName] = field(default_factory=list)

    def names(self, kind: str) -> list[str]:
        return [n.name for n in self.created if n.kind == kind]

    def as_row(self) -> ImportRow:
        return ImportRow(
            table=self.table,
            file=self.file,
            rows=self.rows,
            imported=self.imported,
            skipped=self.skipped,
            created_deputies=self.created_deputies,
            created_departments=self.created_departments,
            created_staff=self.created_staff,
            dry_run=self.dry_run,
            ignored_columns=self.ignored_columns,
            new_departments=self.names("department"),
            new_staff=self.names("staff"),
            new_deputies=self.names("deputy"),
        )


def row_error(sheet: Sheet, line: int, exc: BadValue | LiaisonError) -> ImportFileError:
    """``line 7, column 收到日期: reason`` for a bad value of a row."""
    if isinstance(exc, BadValue):
        return sheet.error(line, exc.key, exc.reason)
    return sheet.error(line, None, exc.message)


class Run:
    """One import on one connection: counts, registry and (unless a dry run) the writer."""

    def __init__(
        self,
        conn: Connection,
        actor: str,
        table: str,
        sheet: Sheet,
        path: str,
        *,
        dry_run: bool,
        progress: Progress | None,
        create_deputies: bool = False,
        level: str | None = None,
    ) -> None:
        self.conn = conn
        self.actor = actor
        self.sheet = sheet
        self.progress = progress
        self.result = ImportResult(table, str(path), dry_run=dry_run, ignored_columns=sheet.ignored)
        self.reg = Registry(
            conn, create_deputies=create_deputies, level=LEVELS.parse(level) if level else None
        )
        self.on: date = today()
        self.bulk: BulkWriter | None = None
        self._collecting = False

    def __enter__(self) -> Run:
        # The rows of an import are plain data, without reference cycles, and
        # reference counting frees each chunk once it is written; the cyclic
        # collector would only rescan the chunk's hundreds of thousands of young
        # objects over and over. Paused for the run: measured at 100,000 cases,
        # 0.5 CPU s less (6.85 -> 6.3 s), the peak memory unchanged.
        self._collecting = gc.isenabled()
        gc.disable()
        if not self.result.dry_run:
            self.bulk = BulkWriter(self.conn).__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.bulk is not None:
                self.bulk.__exit__(kind, exc, tb)
        finally:
            if self._collecting:
                gc.enable()

    def rows(self) -> Iterator[tuple[int, Row]]:
        """``(line, row)`` for each data row of the sheet, counted."""
        for line, row in self.sheet.rows():
            self.result.rows += 1
            yield line, row

    @staticmethod
    def full(chunk: Sequence[object]) -> bool:
        """Has ``chunk`` reached the size at which it is written?"""
        return len(chunk) >= CHUNK

    def write(self, chunk: list[Item], write: Callable[[BulkWriter, list[Item]], None]) -> None:
        """Create what the chunk introduced, then write it (a dry run only counts)."""
        self.result.imported += len(chunk)
        if self.bulk is not None and chunk:
            self.reg.create(self.bulk, self.actor, self.on)
            write(self.bulk, chunk)
        if self.progress is not None:
            done = self.result.rows
            self.progress("import", done, max(self.sheet.total, done))

    def finish(self) -> ImportResult:
        """The result, and (when written) the ``import.<table>`` event that sums it up."""
        r = self.result
        r.created_deputies = len(self.reg.new_deputies)
        r.created_departments = len(self.reg.new_departments)
        r.created_staff = len(self.reg.new_staff)
        r.created = self.reg.new_names()
        if self.bulk is not None:
            self.bulk.restore_indexes()
            details = {
                "file": r.file,
                "rows": r.rows,
                "imported": r.imported,
                "skipped": r.skipped,
                "created_deputies": r.created_deputies,
                "created_departments": r.created_departments,
                "created_staff": r.created_staff,
            }
            event = self.bulk.event(
                self.actor, f"import.{r.table}", "import", None, self.on, details_json(details)
            )
            self.bulk.events([event])
        return r
