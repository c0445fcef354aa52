"""The registry of deputies and CPPCC members, and their profile (履职画像)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.vocab import BODIES, LEVELS
from ..errors import InvalidValue
from ..i18n import _
from ..models import Case, CaseDeputy, CaseRound, Contact, ContactDeputy, Deputy, Staff
from .common import MAX_NAME, clean_text, iso, like_pattern, record
from .refs import deputy_id
from .registry import resolve_staff

# Optional text fields of a deputy and their maximum length.
TEXT_FIELDS = {"delegation": 200, "unit": 300, "sector": 200, "phone": 100, "address": 300}
MAX_TERM = 99


def deputy_row(d: Deputy) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "body": d.body,
        "level": d.level,
        "term": d.term,
        "delegation": d.delegation,
        "unit": d.unit,
        "sector": d.sector,
        "phone": d.phone,
        "address": d.address,
        "liaison": d.liaison.name if d.liaison else None,
    }


def resolve_deputy(session: Session, ref: str) -> Deputy:
    """A deputy by id or by exact name; a shared name is an error listing ids.

    The matching rules live in :func:`refs.deputy_id`, shared with the read
    paths that stay in Core.
    """
    deputy = session.get(Deputy, deputy_id(session, ref))
    assert deputy is not None
    return deputy


def resolve_deputies(session: Session, refs: list[str]) -> list[Deputy]:
    """Several references, each once, in the order given (the first leads)."""
    if not refs:
        raise InvalidValue(_("at least one deputy is required"))
    seen: dict[int, Deputy] = {}
    for ref in refs:
        d = resolve_deputy(session, ref)
        seen.setdefault(d.id, d)
    return list(seen.values())


def parse_term(term: int | str | None) -> int | None:
    if term is None or str(term).strip() == "":
        return None
    try:
        value = int(str(term).strip().removeprefix("第").removesuffix("届"))
    except ValueError as exc:
        raise InvalidValue(_("term must be a number, not {v!r}").format(v=term)) from exc
    if not 1 <= value <= MAX_TERM:
        raise InvalidValue(_("term must be between 1 and {max}").format(max=MAX_TERM))
    return value


def _clean_fields(fields: dict[str, str | None]) -> dict[str, str | None]:
    return {
        key: clean_text(value, _(key), max_len=TEXT_FIELDS[key], single_line=True)
        for key, value in fields.items()
    }


def add_deputy(
    session: Session,
    actor: str,
    *,
    name: str,
    level: str,
    on: date,
    body: str = "npc",
    term: int | str | None = None,
    liaison: str | None = None,
    **fields: str | None,
) -> dict[str, Any]:
    clean_name = clean_text(name, _("name"), required=True, max_len=MAX_NAME, single_line=True)
    deputy = Deputy(
        name=clean_name,
        level=LEVELS.parse(level),
        body=BODIES.parse(body),
        term=parse_term(term),
        liaison_id=resolve_staff(session, liaison).id if liaison else None,
        **_clean_fields(fields),
    )
    session.add(deputy)
    session.flush()
    row = deputy_row(deputy)
    record(session, actor, "deputy.add", "deputy", deputy.id, on, details=row)
    return row


def edit_deputy(
    session: Session, actor: str, ref: str, on: date, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply the given changes; an empty string clears an optional field."""
    deputy = resolve_deputy(session, ref)
    before = deputy_row(deputy)
    if not changes:
        raise InvalidValue(_("nothing to change: give at least one option"))
    for key, value in changes.items():
        if key == "name":
            deputy.name = (
                clean_text(value, _("name"), required=True, max_len=MAX_NAME, single_line=True)
                or ""
            )
        elif key == "level":
            deputy.level = LEVELS.parse(value)
        elif key == "body":
            deputy.body = BODIES.parse(value)
        elif key == "term":
            deputy.term = parse_term(value)
        elif key == "liaison":
            deputy.liaison_id = resolve_staff(session, value).id if value.strip() else None
        elif key in TEXT_FIELDS:
            setattr(deputy, key, _clean_fields({key: value})[key])
    session.flush()
    session.refresh(deputy)
    after = deputy_row(deputy)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    record(session, actor, "deputy.edit", "deputy", deputy.id, on, details=diff)
    return after


def list_deputies(
    session: Session,
    level: str | None = None,
    body: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    stmt = select(Deputy).outerjoin(Staff, Deputy.liaison_id == Staff.id).order_by(Deputy.id)
    if level:
        stmt = stmt.where(Deputy.level == LEVELS.parse(level))
    if body:
        stmt = stmt.where(Deputy.body == BODIES.parse(body))
    if search and search.strip():
        pattern = like_pattern(search.strip())
        stmt = stmt.where(
            or_(
                *(
                    col.ilike(pattern, escape="\\")
                    for col in (
                        Deputy.name,
                        Deputy.unit,
                        Deputy.delegation,
                        Deputy.sector,
                        Deputy.phone,
                        Deputy.address,
                    )
                )
            )
        )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [deputy_row(d) for d in session.execute(stmt).scalars()]


def deputy_profile(session: Session, ref: str) -> dict[str, Any]:
    """Profile, contacts and cases of one deputy (履职画像)."""
    d = resolve_deputy(session, ref)
    contacts = session.execute(
        select(Contact.id, Contact.held_on, Contact.type, Contact.summary)
        .join(ContactDeputy, ContactDeputy.contact_id == Contact.id)
        .where(ContactDeputy.deputy_id == d.id)
        .order_by(Contact.held_on.desc(), Contact.id.desc())
    ).all()
    cases = session.execute(
        select(
            Case.id,
            Case.number,
            Case.kind,
            Case.title,
            Case.status,
            Case.received,
            CaseDeputy.position,
            CaseRound.satisfaction,
        )
        .join(CaseDeputy, CaseDeputy.case_id == Case.id)
        .join(CaseRound, (CaseRound.case_id == Case.id) & (CaseRound.round == Case.round))
        .where(CaseDeputy.deputy_id == d.id)
        .order_by(Case.received.desc(), Case.id.desc())
    ).all()
    counts = dict(
        session.execute(
            select(Contact.type, func.count())
            .join(ContactDeputy, ContactDeputy.contact_id == Contact.id)
            .where(ContactDeputy.deputy_id == d.id)
            .group_by(Contact.type)
        ).all()
    )
    return {
        "deputy": deputy_row(d),
        "contact_counts": counts,
        "contacts": [
            {"id": i, "date": iso(on), "type": t, "summary": s} for i, on, t, s in contacts
        ],
        "cases": [
            {
                "id": i,
                "number": n,
                "kind": k,
                "title": t,
                "status": st,
                "received": iso(r),
                "role": "lead" if pos == 0 else "co-signer",
                "satisfaction": sat,
            }
            for i, n, k, t, st, r, pos, sat in cases
        ],
    }
