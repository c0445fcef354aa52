"""``import deputies``: the registry from a ledger of deputies and CPPCC members.

A row identical in every column to a deputy on the registry is skipped, so
that importing the same list twice adds nobody; any other row is a new
deputy (two people may share a name).
"""

from __future__ import annotations

from typing import Any

from ...domain.ledger import DEPUTIES
from ...domain.values import MAX_NAME
from ...domain.vocab import BODIES, LEVELS
from ...errors import LiaisonError
from ...i18n import N_, _
from ...store import import_reads
from ...store import schema as t
from ...store.bulk import BulkWriter
from ...store.database import Database
from ...store.events import details_json
from ...store.uow import unit_of_work
from ..deputies import MAX_TERM, TEXT_FIELDS
from .references import StaffRef, deputy_details
from .run import ImportResult, Progress, Run, row_error
from .sheets import ReadOptions, open_sheet
from .values import BadValue, Codes, Row, as_str, empty, text

_FIELDS = ("name", "body", "level", "term", *TEXT_FIELDS)


_Chunk = list[tuple[dict[str, Any], StaffRef | None]]


def _key(d: Any, liaison: str | None) -> tuple[Any, ...]:
    """What makes two deputies the same row: every column, the liaison by name."""
    return (*(d.get(k) for k in _FIELDS), liaison)


def _term(row: Row) -> int | None:
    """A deputy's term: ``14``, ``第14届``."""
    value = as_str(row.get("term"))
    if value is None:
        return None
    try:
        number = int(value.strip().removeprefix("第").removesuffix("届"))
    except ValueError:
        raise BadValue("term", _("term must be a number, not {v!r}").format(v=value)) from None
    if not 1 <= number <= MAX_TERM:
        raise BadValue("term", _("term must be between 1 and {max}").format(max=MAX_TERM))
    return number


def import_deputies(
    db: Database,
    actor: str,
    path: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    read: ReadOptions | None = None,
) -> ImportResult:
    """Deputies; a row identical to one on the registry (every column) is skipped."""
    bodies, levels = Codes(BODIES, "npc"), Codes(LEVELS)
    with unit_of_work(db, write=not dry_run) as conn:
        sheet = open_sheet(path, DEPUTIES, read)
        staff_names = import_reads.staff_names(conn)
        seen: set[tuple[Any, ...]] = set()
        for old in import_reads.deputies(conn):
            seen.add(_key(old, staff_names.get(old["liaison_id"])))

        with Run(conn, actor, "deputies", sheet, path, dry_run=dry_run, progress=progress) as run:
            reg = run.reg

            def write(
                bulk: BulkWriter, chunk: list[tuple[dict[str, Any], StaffRef | None]]
            ) -> None:
                ids = bulk.new_ids(t.deputies, len(chunk))
                rows, events = [], []
                for i, (d, ref) in zip(ids, chunk, strict=True):
                    liaison_id = reg.staff_id(ref) if ref else None
                    rows.append({"id": i, "liaison_id": liaison_id, **d})
                    details = details_json(deputy_details(i, d, ref[0] if ref else None))
                    events.append(bulk.event(actor, "deputy.add", "deputy", i, run.on, details))
                bulk.insert(t.deputies, rows)
                bulk.events(events)

            chunk: _Chunk = []
            for line, row in run.rows():
                try:
                    d: dict[str, Any] = {
                        "name": text(row, "name", N_("name"), required=True, max_len=MAX_NAME),
                        "body": bodies.get(row, "body"),
                        "level": levels.get(row, "level"),
                        "term": _term(row),
                    }
                    if d["level"] is None:
                        raise BadValue("level", empty(N_("level")))
                    for key, max_len in TEXT_FIELDS.items():
                        d[key] = text(row, key, key, max_len=max_len)
                    liaison = text(row, "liaison", N_("liaison"), max_len=MAX_NAME)
                    k = _key(d, liaison)
                    if k in seen:
                        run.result.skipped += 1
                        continue
                    seen.add(k)
                    ref = reg.staff(liaison, None, "liaison") if liaison else None
                except (BadValue, LiaisonError) as exc:
                    raise row_error(sheet, line, exc) from None
                chunk.append((d, ref))
                if run.full(chunk):
                    run.write(chunk, write)
                    chunk = []
            run.write(chunk, write)
            return run.finish()
