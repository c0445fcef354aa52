"""Pieces services share: the value rules, SQL helpers, and what the ORM code still needs.

The value rules live in :mod:`..domain.values` and the audit trail in
:mod:`..store.events`; their names are kept here for the services that
import them from this module. ``record`` and the ``resolve_*`` functions
serve the code that still works on an ORM session; the registry, deputies
and contacts services use units of work and :mod:`.refs` instead.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, cast, func

from ..domain.values import MAX_NAME, MAX_TEXT, clean_text
from ..errors import InvalidValue
from ..i18n import _
from ..store.events import CLOCK, now
from . import refs

if TYPE_CHECKING:
    # the ORM only for type hints: read paths import this module without it
    from sqlalchemy.orm import Session

    from ..models import Department, Deputy, Staff

__all__ = [
    "CLOCK",
    "MAX_NAME",
    "MAX_TEXT",
    "clean_text",
    "dialect",
    "iso",
    "like_pattern",
    "month_of",
    "now",
    "record",
    "resolve_department",
    "resolve_deputies",
    "resolve_staff",
]


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    happened_on: date,
    *,
    case_id: int | None = None,
    round: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one audit event; events are never updated or deleted."""
    from ..models import Event

    session.add(
        Event(
            recorded_at=now(),
            happened_on=happened_on,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            case_id=case_id,
            round=round,
            details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
        )
    )


def resolve_department(session: Session, ref: str) -> Department:
    """A department by exact name, or by id (rules in :func:`refs.department_id`)."""
    from ..models import Department

    dept = session.get(Department, refs.department_id(session.connection(), ref))
    assert dept is not None
    return dept


def resolve_staff(session: Session, ref: str, department_id: int | None = None) -> Staff:
    """A staff member by name (preferring the given department) or by id."""
    from ..models import Staff

    found = session.get(Staff, refs.staff_id(session.connection(), ref, department_id))
    assert found is not None
    return found


def resolve_deputies(session: Session, refs_given: list[str]) -> list[Deputy]:
    """Several references, each once, in the order given (the first leads)."""
    from ..models import Deputy

    if not refs_given:
        raise InvalidValue(_("at least one deputy is required"))
    ids = dict.fromkeys(refs.deputy_id(session.connection(), ref) for ref in refs_given)
    found = [session.get(Deputy, i) for i in ids]
    return [d for d in found if d is not None]


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def month_of(column: ColumnElement[Any]) -> ColumnElement[str]:
    """``YYYY-MM`` of a date column, the same text on SQLite and PostgreSQL."""
    return func.substr(cast(column, String), 1, 7)


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
