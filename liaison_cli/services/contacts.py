"""The liaison log (联络台账): one row per activity, one person-time per deputy.

A contact of any type (a visit, a symposium, an issue of the bulletin, a
message) is one activity; each deputy in it is one person-time. The stats in
``services.stats`` count exactly these rows, so the log is the single source
of the figures an office reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.vocab import CONTACT_TYPES
from ..errors import InvalidValue
from ..i18n import _
from ..models import Contact, ContactDeputy, Deputy, Staff
from .common import clean_text, iso, record
from .deputies import resolve_deputies, resolve_deputy
from .registry import resolve_staff

NAME_SEPARATOR = "、"


def log_contact(
    session: Session,
    actor: str,
    *,
    deputies: Sequence[str],
    type: str,
    on: date,
    staff: str | None = None,
    summary: str | None = None,
) -> dict[str, Any]:
    """Record one liaison activity with one or more deputies."""
    type_code = CONTACT_TYPES.parse(type)
    people = resolve_deputies(session, list(deputies))
    member = resolve_staff(session, staff) if staff and staff.strip() else None
    clean_summary = clean_text(summary, _("summary"))
    contact = Contact(
        held_on=on,
        type=type_code,
        staff_id=member.id if member else None,
        summary=clean_summary,
    )
    contact.deputies = [ContactDeputy(deputy_id=d.id) for d in people]
    session.add(contact)
    session.flush()
    row = {
        "id": contact.id,
        "date": iso(on),
        "type": type_code,
        "deputies": NAME_SEPARATOR.join(d.name for d in people),
        "staff": member.name if member else None,
        "summary": clean_summary,
    }
    record(
        session,
        actor,
        "contact.add",
        "contact",
        contact.id,
        on,
        details={
            "type": type_code,
            "deputies": [d.name for d in people],
            "deputy_ids": [d.id for d in people],
            "staff": row["staff"],
            "summary": clean_summary,
        },
    )
    return row


def _deputy_names(session: Session, contact_ids: list[int]) -> dict[int, str]:
    """Names of the deputies of each contact, in one query per chunk of contacts."""
    names: dict[int, list[str]] = {}
    for i in range(0, len(contact_ids), 500):
        chunk = contact_ids[i : i + 500]
        for contact_id, name in session.execute(
            select(ContactDeputy.contact_id, Deputy.name)
            .join(Deputy, Deputy.id == ContactDeputy.deputy_id)
            .where(ContactDeputy.contact_id.in_(chunk))
            .order_by(ContactDeputy.contact_id, Deputy.id)
        ):
            names.setdefault(contact_id, []).append(name)
    return {k: NAME_SEPARATOR.join(v) for k, v in names.items()}


def list_contacts(
    session: Session,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    deputy: str | None = None,
    type: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Contacts in the period matching the filters, oldest first.

    The filters are checked here, before any row is printed (a bad ``--deputy``
    must not leave half a JSON array on stdout); the rows then stream in
    chunks, each chunk's deputy names fetched in one query, so a long log does
    not have to fit in memory.
    """
    if date_from and date_to and date_from > date_to:
        raise InvalidValue(
            _("--from {start} is after --to {end}").format(start=date_from, end=date_to)
        )
    if limit is not None and limit < 0:
        raise InvalidValue(_("--limit must not be negative"))
    stmt = select(
        Contact.id, Contact.held_on, Contact.type, Staff.name.label("staff"), Contact.summary
    ).outerjoin(Staff, Staff.id == Contact.staff_id)
    if date_from:
        stmt = stmt.where(Contact.held_on >= date_from)
    if date_to:
        stmt = stmt.where(Contact.held_on <= date_to)
    if type:
        stmt = stmt.where(Contact.type == CONTACT_TYPES.parse(type))
    if deputy:
        d = resolve_deputy(session, deputy)
        stmt = stmt.where(
            Contact.id.in_(select(ContactDeputy.contact_id).where(ContactDeputy.deputy_id == d.id))
        )
    stmt = stmt.order_by(Contact.held_on, Contact.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return _stream(session, stmt)


def _stream(session: Session, stmt: Any) -> Iterator[dict[str, Any]]:
    result = session.execute(stmt.execution_options(yield_per=1000))
    for part in result.partitions():
        names = _deputy_names(session, [r.id for r in part])
        for r in part:
            yield {
                "id": r.id,
                "date": iso(r.held_on),
                "type": r.type,
                "deputies": names.get(r.id, ""),
                "staff": r.staff,
                "summary": r.summary,
            }
