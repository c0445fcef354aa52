"""The case lifecycle: its statuses, its actions, which step may follow which.

``registered → assigned → replied → closed``; a case closed *dissatisfied* may
be reopened into a new handling round (README, "A case from registration to
close"; the periods are its "Deadline rules"). This module is the one place
that knows it: the services, the importer, ``db check``, ``show`` and
``overdue`` all read the codes, the table of legal transitions and the step
functions from here.

A step takes a case's state (:class:`CaseState`) and the step's inputs,
refuses what the lifecycle does not allow (:class:`IllegalTransition`, or
:class:`InvalidValue` for inputs that contradict each other), and returns a
:class:`Step`: the state after it and the one :class:`CaseEvent` to record.
Nothing here reads or writes a database; the service stores the new state.
Adding a step is one :class:`Action`, one row of :data:`TRANSITIONS` and its
function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from ..errors import IllegalTransition, InvalidValue
from ..i18n import N_, _

if TYPE_CHECKING:
    from .deadlines import Rules

# The vocabularies (domain.vocab) build the status labels from Status, and the
# overdue report reads the codes without computing any deadline: both the
# vocabularies and the deadline rules are imported where a step needs them.


class Status(StrEnum):
    """Where a case stands; the values are the codes stored and exported."""

    REGISTERED = "registered"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    CLOSED = "closed"


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
ENTITY = "case"


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


# -- checks ----------------------------------------------------------------------


def _status_label(status: Status) -> str:
    from .vocab import STATUSES

    return STATUSES.label(status)


def check_date(state: CaseState, on: date, step: str) -> None:
    """A step may not be dated before the step it follows."""
    if on < state.last_on:
        raise IllegalTransition(
            _("{step} date {on} is before the case's previous step ({last})").format(
                step=step, on=on, last=state.last_on
            )
        )


def _require_assigned(state: CaseState, step: str) -> None:
    """Remind, extend and reply need a case that is assigned and not yet replied."""
    if state.status != Status.ASSIGNED:
        if state.status == Status.REGISTERED:
            msg = _("cannot {step} case {n}: it is not assigned yet (assign it first)")
        else:
            msg = _("cannot {step} case {n}: it is already {status}")
        raise IllegalTransition(
            msg.format(n=state.number, step=step, status=_status_label(state.status))
        )


def check(state: CaseState, action: Action, on: date) -> None:
    """Whether ``action`` may happen to the case on ``on``, before its inputs are read.

    A service calls this first so that a step not allowed is refused before
    its references and texts are looked at (the errors come in the same order
    whatever the inputs); the step functions check again themselves.
    """
    if action in (Action.ASSIGN, Action.REASSIGN):
        check_assign(state, on=on)
    elif action == Action.REMIND:
        _require_assigned(state, _("remind"))
        check_date(state, on, _("reminder"))
    elif action == Action.EXTEND:
        _require_assigned(state, _("extend"))
        check_date(state, on, _("extension"))
    elif action == Action.REPLY:
        _require_assigned(state, _("reply to"))
        check_date(state, on, _("reply"))
    elif action == Action.PROCEDURAL_REPLY:
        _check_procedural(state, on)
    elif action == Action.CLOSE:
        if state.status not in TRANSITIONS[action].sources:
            if state.status == Status.CLOSED:
                msg = _("case {n} is already closed")
            else:
                msg = _("case {n} is {status}; only a replied case can be closed")
            raise IllegalTransition(msg.format(n=state.number, status=_status_label(state.status)))
        check_date(state, on, _("close"))
    elif action == Action.REOPEN:
        if state.status != Status.CLOSED or state.satisfaction != "dissatisfied":
            raise IllegalTransition(
                _("case {n} can be reopened only when closed with the deputy dissatisfied").format(
                    n=state.number
                )
            )
        check_date(state, on, _("reopening"))


def check_assign(
    state: CaseState, *, on: date, due: date | None = None, complex_: bool = False
) -> None:
    """The checks of an assignment that need no reference looked up."""
    if (
        state.status
        not in TRANSITIONS[Action.ASSIGN].sources | TRANSITIONS[Action.REASSIGN].sources
    ):
        raise IllegalTransition(
            _("case {n} is {status}; only a registered or assigned case can be assigned").format(
                n=state.number, status=_status_label(state.status)
            )
        )
    if due is not None and complex_:
        raise InvalidValue(_("give either --due or --complex, not both"))
    if state.assigned_on is not None and (due is not None or complex_):
        # the deadline of an assigned case changes only through a recorded extension
        raise IllegalTransition(
            _(
                "case {n} is already assigned (due {due}); reassigning keeps the deadline, "
                "use `liaison extend` to change it"
            ).format(n=state.number, due=state.due)
        )
    if complex_ and state.kind == "petition":
        raise InvalidValue(_("--complex does not apply to a petition; extend its deadline instead"))
    check_date(state, on, _("assignment"))


def _check_procedural(state: CaseState, on: date) -> None:
    from .vocab import KINDS, PROCEDURAL_KINDS

    if state.kind not in PROCEDURAL_KINDS:
        raise IllegalTransition(
            _("a procedural reply applies to letters and cases of concern, not to a {kind}").format(
                kind=KINDS.label(state.kind)
            )
        )
    if state.proc_replied_on is not None:
        raise IllegalTransition(
            _("case {n} already had its procedural reply on {d}").format(
                n=state.number, d=state.proc_replied_on
            )
        )
    if state.status not in TRANSITIONS[Action.PROCEDURAL_REPLY].sources:
        raise IllegalTransition(
            _("case {n} is already {status}; a procedural reply is moot").format(
                n=state.number, status=_status_label(state.status)
            )
        )
    if on < state.received:
        raise IllegalTransition(
            _("procedural reply date {on} is before the case was received ({r})").format(
                on=on, r=state.received
            )
        )


def _after(state: CaseState, action: Action, **changes: object) -> CaseState:
    """The state with ``changes`` and the status ``action`` leaves."""
    target = TRANSITIONS[action].target
    if target is not None:
        changes["status"] = target
    return replace(state, **changes)  # type: ignore[arg-type]


# -- steps ------------------------------------------------------------------------


def register(
    *,
    number: str,
    kind: str,
    title: str,
    received: date,
    deputies: Sequence[str],
    key: bool,
    rules: Rules,
) -> Step:
    """登记: a new case in round 1; letters and cases of concern owe a procedural reply."""
    from . import deadlines
    from .vocab import PROCEDURAL_KINDS

    proc_due = deadlines.procedural_due(received, rules) if kind in PROCEDURAL_KINDS else None
    state = CaseState(
        number=number,
        kind=kind,
        status=Status.REGISTERED,
        round=1,
        received=received,
        last_on=received,
        proc_due=proc_due,
    )
    details = {
        "number": number,
        "kind": kind,
        "title": title,
        "deputies": list(deputies),
        "key": bool(key),
    }
    return Step(state, CaseEvent(Action.ADD, received, 1, details))


def assign(
    state: CaseState,
    *,
    on: date,
    department: str,
    handler: str | None,
    co_departments: Sequence[str],
    lead_is_co: bool,
    due: date | None,
    complex_: bool,
    rules: Rules,
) -> Step:
    """交办 (or a reassignment): the department, and the deadline from the rules or ``due``.

    A first assignment starts the clock; reassigning an assigned case keeps
    its deadline (only an extension changes it).
    """
    from . import deadlines

    check_assign(state, on=on, due=due, complex_=complex_)
    if lead_is_co:
        raise InvalidValue(_("the lead department cannot also be a co-department"))
    if due is not None and due < state.received:
        raise IllegalTransition(
            _("due date {due} is before the case was received ({received})").format(
                due=due, received=state.received
            )
        )
    if due is not None and due < on:
        raise IllegalTransition(
            _("due date {due} is before the assignment date {on}").format(due=due, on=on)
        )
    first = state.assigned_on is None
    is_complex = state.complex or complex_
    if due is None and first:
        due = deadlines.substantive_due(state.kind, on, is_complex, rules)
    action = Action.ASSIGN if first else Action.REASSIGN
    after = _after(
        state,
        action,
        complex=is_complex,
        last_on=on,
        assigned_on=on if first else state.assigned_on,
        due_original=due if due is not None else state.due_original,
        due=due if due is not None else state.due,
    )
    details = {
        "department": department,
        "handler": handler,
        "co_departments": list(co_departments),
        "due": _iso(after.due),
        "complex": is_complex,
    }
    return Step(after, CaseEvent(action, on, state.round, details))


def remind(state: CaseState, *, on: date, note: str | None) -> Step:
    """催办: a reminder sent to the handler; the status stays."""
    check(state, Action.REMIND, on)
    after = _after(state, Action.REMIND, last_on=on)
    details = {"note": note} if note else None
    return Step(after, CaseEvent(Action.REMIND, on, state.round, details))


def extend(state: CaseState, *, on: date, due: date, reason: str, rules: Rules) -> Step:
    """延期: a later due date, recorded beside the old one; a petition's is capped."""
    from . import deadlines

    check(state, Action.EXTEND, on)
    if state.due is None:
        raise IllegalTransition(_("case {n} has no deadline to extend").format(n=state.number))
    if due <= state.due:
        raise IllegalTransition(
            _("new due date {due} is not after the current one ({old})").format(
                due=due, old=state.due
            )
        )
    if due < on:
        raise IllegalTransition(
            _("new due date {due} is before the extension date {on}").format(due=due, on=on)
        )
    if state.kind == "petition" and state.due_original is not None:
        cap = deadlines.petition_extension_cap(state.due_original, rules)
        if due > cap:
            raise IllegalTransition(
                _(
                    "a petition's deadline may be extended by at most {days} days "
                    "(to {cap}), not to {due}"
                ).format(days=rules.petition_extension_days, cap=cap, due=due)
            )
    after = _after(state, Action.EXTEND, due=due, last_on=on)
    details = {"old_due": _iso(state.due), "new_due": _iso(due), "reason": reason}
    return Step(after, CaseEvent(Action.EXTEND, on, state.round, details))


def reply(
    state: CaseState, *, on: date, method: str, result: str | None, summary: str | None
) -> Step:
    """答复: the substantive reply of the current round; on time if by its due date."""
    check(state, Action.REPLY, on)
    after = _after(state, Action.REPLY, replied_on=on, last_on=on)
    details = {
        "method": method,
        "result": result,
        "summary": summary,
        "on_time": on_time(on, state.due),
    }
    return Step(after, CaseEvent(Action.REPLY, on, state.round, details))


def procedural_reply(state: CaseState, *, on: date) -> Step:
    """程序性答复: stops the 7-day clock of a letter or case of concern; the status stays."""
    check(state, Action.PROCEDURAL_REPLY, on)
    after = _after(
        state, Action.PROCEDURAL_REPLY, proc_replied_on=on, last_on=max(state.last_on, on)
    )
    details = {"on_time": on_time(on, state.proc_due)}
    return Step(after, CaseEvent(Action.PROCEDURAL_REPLY, on, state.round, details))


def close(state: CaseState, *, on: date, satisfaction: str | None) -> Step:
    """办结, with the deputy's satisfaction if known."""
    check(state, Action.CLOSE, on)
    after = _after(state, Action.CLOSE, satisfaction=satisfaction, last_on=on)
    return Step(after, CaseEvent(Action.CLOSE, on, state.round, {"satisfaction": satisfaction}))


def reopen(state: CaseState, *, on: date, reason: str, rules: Rules) -> Step:
    """重新办理: a new round after a dissatisfied close, assigned again with its own deadline."""
    from . import deadlines

    check(state, Action.REOPEN, on)
    due = deadlines.rehandle_due(on, rules)
    after = _after(
        state,
        Action.REOPEN,
        round=state.round + 1,
        last_on=on,
        assigned_on=on,
        due_original=due,
        due=due,
        replied_on=None,
        satisfaction=None,
    )
    details = {"reason": reason, "due": _iso(due)}
    return Step(after, CaseEvent(Action.REOPEN, on, after.round, details))


def on_time(on: date, due: date | None) -> bool:
    """A reply is on time on its due date or before; without a deadline it always is."""
    return due is None or on <= due


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
