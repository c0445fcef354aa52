"""``import cases``: a case ledger (台账) with each case's history.

A case already in the ledger is skipped: one whose number is taken, or,
without a number, one with the same received date, kind, title and lead
deputy as a case there before the import, so that importing the same ledger
twice adds nothing. The others are numbered (when the file gives no
number), resolved against the registry and written chunk by chunk.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ...domain.ledger import CASES
from ...errors import LiaisonError
from ...i18n import _
from ...store import import_reads
from ...store import schema as t
from ...store.bulk import BulkWriter
from ...store.case_numbers import Numbers, existing_numbers
from ...store.database import Database
from ...store.uow import unit_of_work
from .case_rows import CaseParser, CaseRow
from .case_writer import CaseWriter
from .references import DeputyRef, Registry
from .run import ImportResult, Progress, Run, row_error
from .sheets import ReadOptions, open_sheet
from .values import CACHE_LIMIT, BadValue, as_str

# SQLite: a case import of at least this many rows, and more than the cases
# already there, drops the tables' secondary indexes and builds them at the end
REBUILD_MIN_ROWS = 10_000
CASE_TABLES = (t.cases, t.case_deputies, t.case_rounds, t.round_co_departments, t.events)


def import_cases(
    db: Database,
    actor: str,
    path: str,
    *,
    dry_run: bool = False,
    create_deputies: bool = False,
    level: str | None = None,
    progress: Progress | None = None,
    read: ReadOptions | None = None,
) -> ImportResult:
    """Cases with their history; a case already in the ledger is skipped."""
    with unit_of_work(db, write=not dry_run) as conn:
        sheet = open_sheet(path, CASES, read)
        # A first pass over the number column only: numbers already in the ledger
        # (skipped), numbers given twice, and the numbers auto-numbering must avoid.
        first_line: dict[str, int] = {}
        if "number" in sheet.headers:
            for line, value in sheet.column("number"):
                first_line.setdefault(as_str(value) or "", line)
        last_id = import_reads.last_case_id(conn)
        existing = existing_numbers(conn, first_line) if last_id else set()
        numbering = Numbers(conn, first_line.keys(), last_id)
        parser = CaseParser()
        with Run(
            conn,
            actor,
            "cases",
            sheet,
            path,
            dry_run=dry_run,
            progress=progress,
            create_deputies=create_deputies,
            level=level,
        ) as run:
            reg = run.reg
            writer: CaseWriter | None = None
            # a ledger bigger than the database: index it once at the end
            if run.bulk is not None and sheet.total >= max(REBUILD_MIN_ROWS, last_id):
                run.bulk.defer_indexes(CASE_TABLES)

            def write(bulk: BulkWriter, chunk: list[CaseRow]) -> None:
                nonlocal writer
                counts: dict[int, int] = {}
                for c in chunk:
                    if c.number is None:
                        counts[c.received.year] = counts.get(c.received.year, 0) + 1
                if counts:
                    numbers = numbering.allocate(counts)
                    # handed out in file order within each year, as entry one by one would
                    for c in chunk:
                        if c.number is None:
                            c.number = numbers[c.received.year].popleft()
                if writer is None:
                    writer = CaseWriter(bulk, actor, reg, parser.rules)
                # written in order of receipt (a stable sort: file order among equal
                # dates, so listings ordered by date and id are unchanged): the date
                # indexes then grow at their ends instead of splitting pages all over
                writer.write(sorted(chunk, key=_received))

            def flush(chunk: list[CaseRow]) -> None:
                known = _known_cases(conn, chunk, last_id)
                if known:
                    kept = [c for c in chunk if _case_key(c) not in known]
                    run.result.skipped += len(chunk) - len(kept)
                    chunk = kept
                run.write(chunk, write)

            refs = _DeputyLists(reg)
            chunk: list[CaseRow] = []
            for line, row in run.rows():
                try:
                    c = parser.parse(line, row)
                    if c.number is not None:
                        first = first_line.get(c.number, line)
                        if first != line:
                            raise BadValue(
                                "number",
                                _("case number {n!r} appears twice (also line {first})").format(
                                    n=c.number, first=first
                                ),
                            )
                        if c.number in existing:
                            run.result.skipped += 1
                            continue
                    c.deputy_refs = refs.resolve(
                        c.deputies, "cppcc" if c.kind == "proposal" else "npc"
                    )
                    if c.department is not None:
                        reg.department(c.department)
                        for co in c.co_departments:
                            reg.department(co)
                        if c.handler is not None:
                            c.handler_ref = reg.staff(c.handler, c.department, "handler")
                except (BadValue, LiaisonError) as exc:
                    raise row_error(sheet, line, exc) from None
                chunk.append(c)
                if run.full(chunk):
                    flush(chunk)
                    chunk = []
            flush(chunk)
            return run.finish()


class _DeputyLists:
    """The references of a list of names, resolved once per distinct list."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self._known: dict[tuple[tuple[str, ...], str], tuple[DeputyRef, ...]] = {}

    def resolve(self, names: tuple[str, ...], body: str) -> tuple[DeputyRef, ...]:
        refs = self._known.get((names, body))
        if refs is None:
            found: list[DeputyRef] = []
            for name in names:
                ref = self.reg.deputy(name, body)
                if ref not in found:
                    found.append(ref)
            if len(self._known) > CACHE_LIMIT:
                self._known.clear()
            refs = self._known[(names, body)] = tuple(found)
        return refs


def _received(c: CaseRow) -> date:
    return c.received


def _case_key(c: CaseRow) -> tuple[Any, ...] | None:
    """What identifies a case without a number: received, kind, title, lead deputy."""
    kind, lead = c.deputy_refs[0]
    if c.number is not None or kind != "id":
        return None
    return (c.received, c.kind, c.title, lead)


def _known_cases(conn: Connection, chunk: list[CaseRow], last_id: int) -> set[tuple[Any, ...]]:
    """The keys of the chunk's unnumbered cases that the ledger held before the import."""
    if not last_id:  # an empty ledger knows no case
        return set()
    keys = {k for k in map(_case_key, chunk) if k is not None}
    if not keys:
        return set()
    return set(import_reads.known_cases(conn, keys, last_id))
