"""Pieces every service uses: the audit trail, text checks, SQL helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, cast, func

from ..errors import InvalidValue
from ..i18n import _

if TYPE_CHECKING:
    # the ORM only for type hints: read paths import this module without it
    from sqlalchemy.orm import Session

MAX_TEXT = 20_000  # characters in a free-text field (content, summary, reason)
MAX_NAME = 100

# Where events get their ``recorded_at``: the wall clock, unless a caller pins
# it (the sample generator does, so that a regenerated sample.db has the same
# content).
CLOCK: ContextVar[Callable[[], datetime] | None] = ContextVar("liaison_clock", default=None)


def now() -> datetime:
    """The timestamp for a new event: UTC, naive, to the second."""
    clock = CLOCK.get()
    if clock is not None:
        return clock()
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def clean_text(
    value: str | None,
    what: str,
    *,
    required: bool = False,
    max_len: int = MAX_TEXT,
    single_line: bool = False,
) -> str | None:
    """Strip a text field and refuse what a ledger must not hold.

    Control characters (NUL above all) corrupt exports and some drivers, so
    they are refused rather than silently dropped; tabs and newlines are fine
    in free text.
    """
    if value is None:
        if required:
            raise InvalidValue(_("{what} must not be empty").format(what=what))
        return None
    text = value.strip()
    if not text:
        if required:
            raise InvalidValue(_("{what} must not be empty").format(what=what))
        return None
    allowed = "" if single_line else "\n\t\r"
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in text):
        raise InvalidValue(_("{what} contains control characters").format(what=what))
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise InvalidValue(_("{what} is not valid text").format(what=what))
    if len(text) > max_len:
        raise InvalidValue(
            _("{what} is too long ({n} characters, at most {max})").format(
                what=what, n=len(text), max=max_len
            )
        )
    return text


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
