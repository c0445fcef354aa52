"""``import contacts``: the liaison log (联络记录) from a ledger of activities.

Every row is a new contact: a contact has no number to match, so importing a
file twice logs its activities twice (as entering them twice would).
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
    """Contacts (every row is a new activity: a contact has no number to match)."""
    dates, types = Dates(), Codes(CONTACT_TYPES)
    with unit_of_work(db, write=not dry_run) as conn:
        sheet = open_sheet(path, CONTACTS, read)
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
                    run.write(chunk, write)
                    chunk = []
            run.write(chunk, write)
            return run.finish()
