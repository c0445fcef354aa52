"""``import contacts``: the liaison log (联络记录) from a ledger of activities.

A contact has no number to match: a row is taken as already in the log when a
contact there before the import has the same date, type, deputies (the same
set, in any order), staff member and summary; it is skipped, so importing
the same file again adds nothing. Rows alike within one file are all kept
(two visits on one day are two contacts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ...domain.ledger import CONTACTS
from ...domain.values import MAX_NAME
from ...domain.vocab import CONTACT_TYPES
from ...errors import LiaisonError
from ...i18n import N_
from ...store import import_reads
from ...store import schema as t
from ...store.bulk import BulkWriter, EventRow
from ...store.database import Database
from ...store.events import details_json
from ...store.uow import unit_of_work
from .references import DeputyRef, StaffRef
from .run import ImportResult, Progress, Run, row_error
from .sheets import ReadOptions, open_sheet
from .values import BadValue, Codes, Dates, empty, names, text


@dataclass(slots=True)
class _Contact:
    held_on: date
    type: str
    deputies: list[DeputyRef]
    staff: StaffRef | None
    summary: str | None

    def key(self) -> import_reads.ContactKey | None:
        """How a re-import recognises it; None if it names a deputy yet to be created."""
        if any(kind != "id" for kind, _value in self.deputies):
            return None
        ids = tuple(sorted(int(value) for _kind, value in self.deputies))
        staff = self.staff[0] if self.staff else None
        return (self.held_on, self.type, ids, staff, self.summary)


def import_contacts(
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
    """Contacts; a row like a contact already in the log is skipped."""
    dates, types = Dates(), Codes(CONTACT_TYPES)
    with unit_of_work(db, write=not dry_run) as conn:
        sheet = open_sheet(path, CONTACTS, read)
        last_id = import_reads.last_contact_id(conn)
        with Run(
            conn,
            actor,
            "contacts",
            sheet,
            path,
            dry_run=dry_run,
            progress=progress,
            create_deputies=create_deputies,
            level=level,
        ) as run:
            reg = run.reg

            def write(bulk: BulkWriter, chunk: list[_Contact]) -> None:
                ids = bulk.new_ids(t.contacts, len(chunk))
                rows: list[dict[str, Any]] = []
                links: list[dict[str, Any]] = []
                events: list[EventRow] = []
                for p, i in zip(chunk, ids, strict=True):
                    staff_id = reg.staff_id(p.staff) if p.staff else None
                    rows.append(
                        {
                            "id": i,
                            "held_on": p.held_on,
                            "type": p.type,
                            "staff_id": staff_id,
                            "summary": p.summary,
                        }
                    )
                    deputy_ids = [reg.deputy_id(r) for r in p.deputies]
                    links.extend({"contact_id": i, "deputy_id": d} for d in deputy_ids)
                    # what services.contacts.log_contact records
                    details = {
                        "type": p.type,
                        "deputies": [reg.deputy_names[d] for d in deputy_ids],
                        "deputy_ids": deputy_ids,
                        "staff": p.staff[0] if p.staff else None,
                        "summary": p.summary,
                    }
                    events.append(
                        bulk.event(
                            actor, "contact.add", "contact", i, p.held_on, details_json(details)
                        )
                    )
                bulk.insert(t.contacts, rows)
                bulk.insert(t.contact_deputies, links)
                bulk.events(events)

            def flush(chunk: list[_Contact]) -> None:
                keys = {k for k in (p.key() for p in chunk) if k is not None}
                known = import_reads.known_contacts(conn, keys, last_id)
                if known:
                    kept = [p for p in chunk if p.key() not in known]
                    run.result.skipped += len(chunk) - len(kept)
                    chunk = kept
                run.write(chunk, write)

            chunk: list[_Contact] = []
            for line, row in run.rows():
                try:
                    held_on = dates.get(row, "date", required=True)
                    assert held_on is not None
                    kind = types.get(row, "type")
                    if kind is None:
                        raise BadValue("type", empty(N_("contact type")))
                    refs: list[DeputyRef] = []
                    for name in names(row, "deputies"):
                        ref = reg.deputy(name, "npc")
                        if ref not in refs:
                            refs.append(ref)
                    staff = text(row, "staff", N_("staff name"), max_len=MAX_NAME)
                    summary = text(row, "summary", N_("summary"), single_line=False)
                    staff_ref = reg.staff(staff, None, "staff") if staff else None
                except (BadValue, LiaisonError) as exc:
                    raise row_error(sheet, line, exc) from None
                chunk.append(_Contact(held_on, kind, refs, staff_ref, summary))
                if run.full(chunk):
                    flush(chunk)
                    chunk = []
            flush(chunk)
            return run.finish()
