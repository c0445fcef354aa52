"""The ledger's invariants as queries: what ``liaison db check`` reports.

Each check of the ledger's rules is one SQL query over the whole ledger (no
Python loop over rows), so a check of a 100k-case database takes seconds; the
audit trail's hash chain is the exception, walked once in Python
(:func:`.chain.first_break`), since SQLite has no SHA-256. The event checks read the
audit trail: the events table is append-only, so the latest status-changing
event of a case says what its status must be (the lifecycle's table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import and_, case, exists, func, or_, select, text

from ..domain import lifecycle
from ..i18n import _
from . import chain, migrate
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


def problems(conn: Connection, *, at_head: bool = True) -> list[Problem]:
    """Every violation found; empty when clean.

    At the head revision the schema itself is compared with the head's first
    (a table or index lost under a correct stamp), then the ledger's rules,
    then the audit trail's hash chain; a database at an older revision is
    checked by its rules only (its events are chained by its upgrade).
    """
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
    if at_head:
        missing = migrate.structure_differences(conn)
        if missing:
            # the rules' queries would fail on what is missing
            return problems + [{"check": "schema", "detail": d} for d in missing]
        problems += [{"check": "schema", "detail": d} for d in migrate.trigger_differences(conn)]
        for role in chain.roles_that_may_rewrite(conn):
            problems.append(
                {
                    "check": "grants",
                    "detail": _(
                        "role {role} may UPDATE or DELETE events: "
                        "REVOKE UPDATE, DELETE, TRUNCATE ON events FROM {role}"
                    ).format(role=role),
                }
            )

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
    if at_head:
        broken = chain.first_break(conn)
        if broken is not None:
            problems.append({"check": "audit_chain", "detail": chain_detail(conn, broken)})
    return problems


def chain_detail(conn: Connection, broken: chain.Break) -> str:
    """The first broken link of the chain, in words: which event, of what, what happened."""
    if broken.kind == "head":
        if broken.expected is None:
            return _("the chain's head is missing: the events end at event {last}").format(
                last=broken.event_id
            )
        if broken.expected == broken.event_id:
            return _(
                "the chain's head does not match the last event, {last}: one of them was rewritten"
            ).format(last=broken.event_id)
        return _(
            "the chain's head is event {head}, but the last event is {last}: "
            "events at the end were deleted"
        ).format(head=broken.expected, last=broken.event_id if broken.event_id else "none")
    what = _event_name(conn, broken)
    if broken.kind == "changed":
        return _(
            "{event}: changed after it was recorded; its content no longer matches "
            "its hash (it now reads {action} by {actor})"
        ).format(event=what, action=broken.action, actor=broken.actor)
    if broken.kind == "unsealed":
        return _("{event}: written around liaison, it carries no hash").format(event=what)
    if broken.kind == "removed":
        return _("{event}: the event before it, {prev}, is missing (deleted)").format(
            event=what, prev=broken.expected
        )
    return _(
        "{event}: it was chained after event {prev}, but another event now stands "
        "between them (inserted)"
    ).format(event=what, prev=broken.expected)


def _event_name(conn: Connection, broken: chain.Break) -> str:
    """``event 57 (case 2026-0003)``, ``event 12 (contact 4)`` or ``event 3``."""
    c = t.cases.c
    if broken.case_id is not None:
        number = conn.execute(select(c.number).where(c.id == broken.case_id)).scalar()
        if number is not None:
            return _("event {id} (case {number})").format(id=broken.event_id, number=number)
    if broken.entity is not None and broken.entity_id is not None:
        return _("event {id} ({entity} {entity_id})").format(
            id=broken.event_id, entity=broken.entity, entity_id=broken.entity_id
        )
    return _("event {id}").format(id=broken.event_id)
