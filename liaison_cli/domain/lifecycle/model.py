"""The lifecycle's vocabulary: statuses, actions, the transition table, a case's state.

The codes are the values stored in the ledger and its audit trail; the table
says which statuses each action may start from and which it leaves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ...i18n import N_, NC_
from ..audit import Entity
from ..vocab import Vocabulary


class Status(StrEnum):
    """Where a case stands; the values are the codes stored and exported."""

    REGISTERED = "registered"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    CLOSED = "closed"


# The statuses as a clerk types and reads them (labels, Chinese aliases).
STATUSES = Vocabulary(
    N_("status"),
    {
        Status.REGISTERED.value: (NC_("status", "registered"), "已登记", "登记"),
        Status.ASSIGNED.value: (NC_("status", "assigned"), "已交办", "交办", "办理中"),
        Status.REPLIED.value: (NC_("status", "replied"), "已答复", "答复"),
        Status.CLOSED.value: (NC_("status", "closed"), "已办结", "办结"),
    },
)


class Action(StrEnum):
    """What was done to a case; the values are the event codes of the audit trail."""

    ADD = "case.add"
    ASSIGN = "case.assign"
    REASSIGN = "case.reassign"
    REMIND = "case.remind"
    EXTEND = "case.extend"
    REPLY = "case.reply"
    PROCEDURAL_REPLY = "case.procedural_reply"
    CLOSE = "case.close"
    REOPEN = "case.reopen"


# The entity an event of a case names (events.entity).
ENTITY = Entity.CASE


@dataclass(frozen=True)
class Transition:
    """The statuses an action may start from, and the status it leaves (None: unchanged)."""

    sources: frozenset[Status]
    target: Status | None


_S = Status
TRANSITIONS: Mapping[Action, Transition] = {
    Action.ADD: Transition(frozenset(), _S.REGISTERED),
    Action.ASSIGN: Transition(frozenset({_S.REGISTERED}), _S.ASSIGNED),
    Action.REASSIGN: Transition(frozenset({_S.ASSIGNED}), _S.ASSIGNED),
    Action.REMIND: Transition(frozenset({_S.ASSIGNED}), None),
    Action.EXTEND: Transition(frozenset({_S.ASSIGNED}), None),
    Action.REPLY: Transition(frozenset({_S.ASSIGNED}), _S.REPLIED),
    Action.PROCEDURAL_REPLY: Transition(frozenset({_S.REGISTERED, _S.ASSIGNED}), None),
    Action.CLOSE: Transition(frozenset({_S.REPLIED}), _S.CLOSED),
    Action.REOPEN: Transition(frozenset({_S.CLOSED}), _S.ASSIGNED),
}

# The status an event leaves its case in, for the actions that change it
# (``db check`` compares each case with its latest such event).
STATUS_AFTER: Mapping[Action, Status] = {
    action: t.target for action, t in TRANSITIONS.items() if t.target is not None
}

# How the timeline of ``liaison show`` names each action (translated when shown).
ACTION_LABELS: Mapping[Action, str] = {
    Action.ADD: N_("registered"),
    Action.ASSIGN: N_("assigned"),
    Action.REASSIGN: N_("reassigned"),
    Action.REMIND: N_("reminded"),
    Action.EXTEND: N_("extended"),
    Action.REPLY: N_("replied"),
    Action.PROCEDURAL_REPLY: N_("procedural reply"),
    Action.CLOSE: N_("closed"),
    Action.REOPEN: N_("reopened"),
}


def status_in_round(*, assigned: bool, replied: bool = False, closed: bool = False) -> Status:
    """The status a handling round's dates give: what ``db check`` expects."""
    if closed:
        return Status.CLOSED
    if replied:
        return Status.REPLIED
    return Status.ASSIGNED if assigned else Status.REGISTERED


@dataclass(frozen=True)
class CaseState:
    """What the lifecycle needs to know of a case and its current round."""

    number: str
    kind: str
    status: Status
    round: int
    received: date
    last_on: date
    complex: bool = False
    proc_due: date | None = None
    proc_replied_on: date | None = None
    # the current round
    assigned_on: date | None = None
    due_original: date | None = None
    due: date | None = None
    replied_on: date | None = None
    satisfaction: str | None = None


@dataclass(frozen=True)
class CaseEvent:
    """The one event a step records: the action, its date, its round, its details."""

    action: Action
    happened_on: date
    round: int
    details: Mapping[str, object] | None = None


@dataclass(frozen=True)
class Step:
    """A step's outcome: the case's state after it and the event to append."""

    state: CaseState
    event: CaseEvent
