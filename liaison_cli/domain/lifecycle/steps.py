"""The lifecycle's steps: each checks a case's state and returns the next one and its event.

The deadline rules are imported where a step computes a due date, so that
reading the codes (the overdue report does) costs no date arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ...errors import IllegalTransition, InvalidValue
from ...i18n import _
from .checks import _after, check, check_assign
from .model import Action, CaseEvent, CaseState, Status, Step

if TYPE_CHECKING:
    from ..deadlines import Rules


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
    from .. import deadlines
    from ..vocab import PROCEDURAL_KINDS

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
    from .. import deadlines

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


def extend(
    state: CaseState, *, on: date, due: date, reason: str, rules: Rules, late: bool = False
) -> Step:
    """延期: a later due date, recorded beside the old one; a petition's is capped.

    An extension is granted before the deadline it extends runs out. One
    dated after it (补批延期) is taken only when ``late`` says so; the event
    records it as late, and the days the case was overdue before it stay
    overdue (the new due date is in force from the extension's date only).
    """
    from .. import deadlines

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
    is_late = on > state.due
    if is_late and not late:
        raise IllegalTransition(
            _(
                "case {n}'s deadline {old} had passed by {on}; give --late to record a late "
                "extension (the days it was overdue stay overdue)"
            ).format(n=state.number, old=state.due, on=on)
        )
    after = _after(state, Action.EXTEND, due=due, last_on=on)
    details: dict[str, object] = {
        "old_due": _iso(state.due),
        "new_due": _iso(due),
        "reason": reason,
    }
    if is_late:
        details["late"] = True
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


def procedural_reply(
    state: CaseState, *, on: date, method: str | None = None, summary: str | None = None
) -> Step:
    """程序性答复: stops the 7-day clock of a letter or case of concern; the status stays.

    How it was given and what it said, when told, are kept in the event.
    """
    check(state, Action.PROCEDURAL_REPLY, on)
    after = _after(
        state, Action.PROCEDURAL_REPLY, proc_replied_on=on, last_on=max(state.last_on, on)
    )
    details: dict[str, object] = {"on_time": on_time(on, state.proc_due)}
    if method is not None:
        details["method"] = method
    if summary is not None:
        details["summary"] = summary
    return Step(after, CaseEvent(Action.PROCEDURAL_REPLY, on, state.round, details))


def close(state: CaseState, *, on: date, satisfaction: str | None) -> Step:
    """办结, with the deputy's satisfaction if known."""
    check(state, Action.CLOSE, on)
    after = _after(state, Action.CLOSE, satisfaction=satisfaction, last_on=on)
    return Step(after, CaseEvent(Action.CLOSE, on, state.round, {"satisfaction": satisfaction}))


def reopen(state: CaseState, *, on: date, reason: str, rules: Rules) -> Step:
    """重新办理: a new round after a dissatisfied close, assigned again with its own deadline."""
    from .. import deadlines

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
