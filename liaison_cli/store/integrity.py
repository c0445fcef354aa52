"""The ledger's invariants as queries: what ``liaison db check`` reports.

Each check is one SQL query over the whole ledger (no Python loop over rows),
so a check of a 100k-case database takes seconds. The event checks read the
audit trail: the events table is append-only, so the latest status-changing
event of a case says what its status must be (the lifecycle's table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import and_, case, exists, func, or_, select, text

from ..domain import lifecycle
from ..i18n import _
from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# The status each status-changing event leaves its case in (the lifecycle's
# table); other case events (remind, extend, procedural reply) leave it alone.
STATUS_AFTER = {action.value: status.value for action, status in lifecycle.STATUS_AFTER.items()}


class Problem(TypedDict):
    """One violation: which check found it, and the case it names."""

    check: str
    detail: str


def problems(conn: Connection) -> list[Problem]:
    """Every violation found; empty when clean."""
    problems: list[Problem] = []
    if conn.dialect.name == "sqlite":
        for (msg,) in conn.execute(text("PRAGMA integrity_check")):
            if msg != "ok":
                problems.append({"check": "integrity", "detail": msg})
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            problems.append(
                {"check": "foreign_key", "detail": f"{row[0]} rowid {row[1]} -> {row[2]}"}
            )
    # PostgreSQL enforces its foreign keys and checksums its pages itself

    def add(check: str, stmt: Any, fmt: str) -> None:
        for row in conn.execute(stmt):
            problems.append({"check": check, "detail": fmt.format(*row)})

    c, r, e = t.cases.c, t.case_rounds.c, t.events.c
    rounds = t.cases.join(t.case_rounds, r.case_id == c.id)
    add(
        "reply_before_assignment",
        select(c.number, r.round)
        .select_from(rounds)
        .where(r.replied_on.is_not(None), r.assigned_on.is_(None) | (r.replied_on < r.assigned_on))
        .order_by(c.number, r.round),
        _("case {} round {}: replied before it was assigned"),
    )
    add(
        "due_before_received",
        select(c.number, r.round, r.due, c.received)
        .select_from(rounds)
        .where(r.due < c.received)
        .order_by(c.number, r.round),
        _("case {} round {}: due {} before it was received ({})"),
    )
    add(
        "close_without_reply",
        select(c.number, r.round)
        .select_from(rounds)
        .where(r.closed_on.is_not(None), r.replied_on.is_(None))
        .order_by(c.number, r.round),
        _("case {} round {}: closed without a reply"),
    )
    add(
        "duplicate_number",
        select(c.number, func.count())
        .group_by(c.number)
        .having(func.count() > 1)
        .order_by(c.number),
        _("case number {} used {} times"),
    )
    # the status column must agree with the current round
    current = t.cases.join(t.case_rounds, (r.case_id == c.id) & (r.round == c.round))

    def status(**dates: bool) -> str:
        return lifecycle.status_in_round(**dates).value

    expected = case(
        (r.closed_on.is_not(None), status(assigned=True, replied=True, closed=True)),
        (r.replied_on.is_not(None), status(assigned=True, replied=True)),
        (r.assigned_on.is_not(None), status(assigned=True)),
        else_=status(assigned=False),
    )
    add(
        "status",
        select(c.number, c.status, expected)
        .select_from(current)
        .where(c.status != expected)
        .order_by(c.number),
        _("case {}: status {} but its current round says {}"),
    )
    add(
        "missing_round",
        select(c.number)
        .where(~exists().where(r.case_id == c.id, r.round == c.round))
        .order_by(c.number),
        _("case {}: its current round is missing"),
    )
    # ... and with the audit trail: every case was registered by an event,
    # and its latest status-changing event left it where it is now
    add(
        "missing_events",
        select(c.number)
        .where(~exists().where(e.case_id == c.id, e.action == lifecycle.Action.ADD.value))
        .order_by(c.number),
        _("case {}: no registration event in the audit trail"),
    )
    latest = (
        select(e.case_id, func.max(e.id).label("event_id"))
        .where(e.action.in_(STATUS_AFTER))
        .group_by(e.case_id)
        .subquery()
    )
    after = case(*((e.action == a, s) for a, s in STATUS_AFTER.items()))
    add(
        "status_events",
        select(c.number, c.status, c.round, e.action, e.round)
        .select_from(
            t.cases.join(latest, latest.c.case_id == c.id).join(t.events, e.id == latest.c.event_id)
        )
        .where(or_(c.status != after, and_(e.round.is_not(None), e.round != c.round)))
        .order_by(c.number),
        _("case {}: status {} (round {}) but its latest event is {} (round {})"),
    )
    return problems
