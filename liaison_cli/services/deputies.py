"""The registry of deputies and CPPCC members, and their profile (履职画像)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from ..domain.audit import Entity, RecordAction
from ..domain.dates import iso
from ..domain.values import DEPUTY_TEXT_FIELDS, MAX_TERM, clean_name, clean_text, parse_term
from ..domain.vocab import BODIES, LEVELS
from ..errors import InvalidValue
from ..i18n import _
from ..store import deputies as store
from ..store import events, refs
from ..store.deputies import DeputyRow
from ..store.sql import like_pattern
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from ..store.database import Database

# the names the importer takes from here
TEXT_FIELDS = DEPUTY_TEXT_FIELDS
__all__ = [
    "MAX_TERM",
    "TEXT_FIELDS",
    "DeputyRow",
    "add_deputy",
    "add_deputy_in",
    "deputy_profile",
    "edit_deputy",
    "edit_deputy_in",
    "list_deputies",
]


class ProfileContact(TypedDict):
    id: int
    date: str | None
    type: str
    summary: str | None


class ProfileCase(TypedDict):
    id: int
    number: str
    kind: str
    title: str
    status: str
    received: str | None
    role: str
    satisfaction: str | None


class DeputyProfile(TypedDict):
    """A deputy, the contacts by type, every contact and every case (this key order)."""

    deputy: DeputyRow
    contact_counts: dict[str, int]
    contacts: list[ProfileContact]
    cases: list[ProfileCase]


def _clean_fields(fields: Mapping[str, str | None]) -> dict[str, str | None]:
    return {
        key: clean_text(value, _(key), max_len=DEPUTY_TEXT_FIELDS[key], single_line=True)
        for key, value in fields.items()
    }


def add_deputy(
    db: Database,
    actor: str,
    *,
    name: str,
    level: str,
    on: date,
    body: str = "npc",
    term: int | str | None = None,
    liaison: str | None = None,
    new: bool = False,
    **fields: str | None,
) -> DeputyRow:
    with unit_of_work(db, write=True) as conn:
        return add_deputy_in(
            conn, actor, name=name, level=level, on=on, body=body, term=term, liaison=liaison,
            new=new, **fields,
        )  # fmt: skip


def add_deputy_in(
    conn: Connection,
    actor: str,
    *,
    name: str,
    level: str,
    on: date,
    body: str = "npc",
    term: int | str | None = None,
    liaison: str | None = None,
    new: bool = False,
    **fields: str | None,
) -> DeputyRow:
    """``add_deputy`` in a transaction the caller holds (one of several steps).

    A name, level and unit already on the registry is refused unless ``new``
    says it is another person: Chinese names repeat, but the same three
    together are far more often the same deputy entered twice.
    """
    values: dict[str, object] = {
        "name": clean_name(name, _("name")),
        "level": LEVELS.parse(level),
        "body": BODIES.parse(body),
        "term": parse_term(term),
        "liaison_id": refs.staff_id(conn, liaison) if liaison else None,
    }
    values.update(_clean_fields(fields))
    if not new:
        _refuse_same_person(conn, values)
    new_id = store.insert_deputy(conn, values)
    row = store.deputy_row(conn, new_id)
    events.append(
        conn,
        actor,
        events.NewEvent(RecordAction.DEPUTY_ADD, Entity.DEPUTY, new_id, on, details=row),
    )
    return row


def _refuse_same_person(conn: Connection, values: Mapping[str, object]) -> None:
    name, level, unit = str(values["name"]), str(values["level"]), values.get("unit")
    found = store.same_person(conn, name, level, None if unit is None else str(unit))
    if found:
        raise InvalidValue(
            _(
                "deputy {id} is already {name} ({level}, {unit}); "
                "give --new if this is another person"
            ).format(id=found[0], name=name, level=LEVELS.label(level), unit=unit or _("no unit"))
        )


def edit_deputy(
    db: Database, actor: str, ref: str, on: date, changes: Mapping[str, str]
) -> DeputyRow:
    """Apply the given changes; an empty string clears an optional field."""
    with unit_of_work(db, write=True) as conn:
        return edit_deputy_in(conn, actor, ref, on, changes)


def edit_deputy_in(
    conn: Connection, actor: str, ref: str, on: date, changes: Mapping[str, str]
) -> DeputyRow:
    """``edit_deputy`` in a transaction the caller holds (one of several steps)."""
    deputy_id = refs.deputy_id(conn, ref)
    before = store.deputy_row(conn, deputy_id)
    if not changes:
        raise InvalidValue(_("nothing to change: give at least one option"))
    values: dict[str, object] = {}
    for key, value in changes.items():
        if key == "name":
            values["name"] = clean_name(value, _("name"))
        elif key == "level":
            values["level"] = LEVELS.parse(value)
        elif key == "body":
            values["body"] = BODIES.parse(value)
        elif key == "term":
            values["term"] = parse_term(value)
        elif key == "liaison":
            values["liaison_id"] = refs.staff_id(conn, value) if value.strip() else None
        elif key in DEPUTY_TEXT_FIELDS:
            values.update(_clean_fields({key: value}))
    store.update_deputy(conn, deputy_id, values)
    after = store.deputy_row(conn, deputy_id)
    diff = {
        k: [before[k], after[k]]  # type: ignore[literal-required]
        for k in after
        if before[k] != after[k]  # type: ignore[literal-required]
    }
    events.append(
        conn,
        actor,
        events.NewEvent(RecordAction.DEPUTY_EDIT, Entity.DEPUTY, deputy_id, on, details=diff),
    )
    return after


def list_deputies(
    db: Database,
    level: str | None = None,
    body: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[DeputyRow]:
    with unit_of_work(db) as conn:
        return store.deputy_rows(
            conn,
            level=LEVELS.parse(level) if level else None,
            body=BODIES.parse(body) if body else None,
            like=like_pattern(search.strip()) if search and search.strip() else None,
            limit=limit,
        )


def deputy_profile(db: Database, ref: str) -> DeputyProfile:
    """Profile, contacts and cases of one deputy (履职画像), in one snapshot."""
    with unit_of_work(db) as conn:
        deputy_id = refs.deputy_id(conn, ref)
        deputy = store.deputy_row(conn, deputy_id)
        contacts = store.contacts_of(conn, deputy_id)
        cases = store.cases_of(conn, deputy_id)
        counts = store.contact_counts(conn, deputy_id)
    return DeputyProfile(
        deputy=deputy,
        contact_counts=counts,
        contacts=[
            ProfileContact(id=c["id"], date=iso(c["held_on"]), type=c["type"], summary=c["summary"])
            for c in contacts
        ],
        cases=[
            ProfileCase(
                id=c["id"],
                number=c["number"],
                kind=c["kind"],
                title=c["title"],
                status=c["status"],
                received=iso(c["received"]),
                role="lead" if c["position"] == 0 else "co-signer",
                satisfaction=c["satisfaction"],
            )
            for c in cases
        ],
    )
