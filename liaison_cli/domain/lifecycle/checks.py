"""The lifecycle's checks: which step may happen to a case, and on which date.

The messages name the case and the rule it breaks; a service runs
:func:`check` before it looks at the step's references and texts, so a step
not allowed is refused first whatever else is wrong with the command.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ...errors import IllegalTransition, InvalidValue
from ...i18n import _
from ..vocab import KINDS, PROCEDURAL_KINDS
from .model import STATUSES, TRANSITIONS, Action, CaseState, Status


def _status_label(status: Status) -> str:
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
