"""The liaison log (联络台账): one row per activity, one person-time per deputy.

A contact of any type (a visit, a symposium, an issue of the bulletin, a
message) is one activity; each deputy in it is one person-time. The stats in
``services.stats`` count exactly these rows, so the log is the single source
of the figures an office reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import date
from typing import TYPE_CHECKING

from ..domain.audit import Entity, RecordAction
from ..domain.values import clean_text
from ..domain.vocab import CONTACT_TYPES, LEVELS
from ..errors import InvalidValue
from ..i18n import _
from ..store import contacts as store
from ..store import events, refs
from ..store.contacts import NAME_SEPARATOR, ContactRow
from ..store.registry import staff_name
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from ..store.database import Database

__all__ = ["NAME_SEPARATOR", "ContactRow", "list_contacts", "log_contact", "log_contact_in"]


def log_contact(
    db: Database,
    actor: str,
    *,
    deputies: Sequence[str],
    type: str,
    on: date,
    staff: str | None = None,
    summary: str | None = None,
    everyone: bool = False,
    level: str | None = None,
) -> ContactRow:
    """Record one liaison activity with one or more deputies.

    ``everyone``: every deputy on the registry (of ``level``) takes part too,
    as all the readers of a bulletin do.
    """
    with unit_of_work(db, write=True) as conn:
        return log_contact_in(
            conn,
            actor,
            deputies=deputies,
            type=type,
            on=on,
            staff=staff,
            summary=summary,
            everyone=everyone,
            level=level,
        )


def log_contact_in(
    conn: Connection,
    actor: str,
    *,
    deputies: Sequence[str],
    type: str,
    on: date,
    staff: str | None = None,
    summary: str | None = None,
    everyone: bool = False,
    level: str | None = None,
) -> ContactRow:
    """``log_contact`` in a transaction the caller holds (one of several steps)."""
    type_code = CONTACT_TYPES.parse(type)
    level_code = LEVELS.parse(level) if level is not None else None
    # each deputy once, in the order given (those named, then the registry's)
    named = [i for ref in deputies for i in refs.deputy_ids(conn, ref)]
    listed = refs.deputy_ids_of_level(conn, level_code) if everyone else []
    if everyone and not listed:
        raise InvalidValue(
            _("no deputy of level {level} on the registry").format(level=LEVELS.label(level_code))
            if level_code
            else _("no deputy on the registry")
        )
    deputy_ids = list(dict.fromkeys([*named, *listed]))
    if not deputy_ids:
        raise InvalidValue(_("at least one deputy is required"))
    names = store.deputy_names(conn, deputy_ids)
    staff_id = refs.staff_id(conn, staff) if staff and staff.strip() else None
    staff_shown = staff_name(conn, staff_id) if staff_id is not None else None
    clean_summary = clean_text(summary, _("summary"))
    contact_id = store.insert_contact(
        conn,
        held_on=on,
        type=type_code,
        staff_id=staff_id,
        summary=clean_summary,
        deputy_ids=deputy_ids,
    )
    people = [names[i] for i in deputy_ids]
    labels = store.deputy_labels(conn, deputy_ids)
    events.append(
        conn,
        actor,
        events.NewEvent(
            RecordAction.CONTACT_ADD,
            Entity.CONTACT,
            contact_id,
            on,
            details={
                "type": type_code,
                "deputies": people,
                "deputy_ids": deputy_ids,
                "staff": staff_shown,
                "summary": clean_summary,
            },
        ),
    )
    return ContactRow(
        id=contact_id,
        date=on.isoformat(),
        type=type_code,
        deputies=NAME_SEPARATOR.join(labels[i] for i in deputy_ids),
        staff=staff_shown,
        summary=clean_summary,
    )


def list_contacts(
    db: Database,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    deputy: str | None = None,
    type: str | None = None,
    limit: int | None = None,
) -> Iterator[ContactRow]:
    """Contacts in the period matching the filters, oldest first, as they stream.

    The filters are checked here, before any row is returned (a bad
    ``--deputy`` must not leave half a JSON array on stdout); the rows then
    come from one read transaction, which ends when the last row has been
    taken (or the caller stops taking them).
    """
    if date_from and date_to and date_from > date_to:
        raise InvalidValue(
            _("--from {start} is after --to {end}").format(start=date_from, end=date_to)
        )
    if limit is not None and limit < 0:
        raise InvalidValue(_("--limit must not be negative"))
    stack = ExitStack()
    conn = stack.enter_context(unit_of_work(db))
    try:
        type_code = CONTACT_TYPES.parse(type) if type else None
        deputy_id = refs.deputy_id(conn, deputy) if deputy else None
        rows = store.contact_rows(
            conn,
            date_from=date_from,
            date_to=date_to,
            deputy_id=deputy_id,
            type=type_code,
            limit=limit,
        )
    except BaseException as exc:
        # the unit of work sees the error: rolled back, a driver error translated
        stack.__exit__(exc.__class__, exc, exc.__traceback__)
        raise
    return _within(stack, rows)


def _within(stack: ExitStack, rows: Iterator[ContactRow]) -> Iterator[ContactRow]:
    """The rows, with the transaction they come from closed after the last one."""
    with stack:
        yield from rows
