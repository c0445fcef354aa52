"""A ledger row's history as the steps of the case lifecycle, in plain data.

The import stores a case with the round state and the events that the
commands (``add``, ``assign``, ``procedural-reply``, ``reply``, ``close``)
would have written for it, dated as in the file, so that the rates over an
imported ledger equal those over the same cases entered by hand. This is the
one place where the import meets the lifecycle (its codes come from
:mod:`liaison_cli.domain.lifecycle`): which steps a row implies, in which
order, with which details, and the status they leave the case in.
The writer only stores what :func:`derive` returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from ...domain.lifecycle import Action, status_in_round
from .case_rows import CaseRow

# the steps a ledger row can imply, as the plain codes the bulk writer stores
ADD = Action.ADD.value
ASSIGN = Action.ASSIGN.value
PROCEDURAL_REPLY = Action.PROCEDURAL_REPLY.value
REPLY = Action.REPLY.value
CLOSE = Action.CLOSE.value

FIRST_ROUND = 1  # a ledger row is one handling round


class Step(NamedTuple):
    """One event of the case's history: what happened, when, in which round."""

    action: str
    on: date
    round: int
    details: dict[str, Any]


# The steps whose details repeat from case to case (a few methods, results and
# satisfactions): a writer may remember their JSON.
REPEATING = frozenset({PROCEDURAL_REPLY, REPLY, CLOSE})


class History(NamedTuple):
    """What a ledger row's history leaves: the steps, the status, the last step's date."""

    steps: Sequence[Step]
    status: str
    last_on: date


# (assigned, replied, closed) -> status code, read from the lifecycle once:
# the enum's .value costs more than the rest of status_of
_STATUS = {
    (a, r, cl): status_in_round(assigned=a, replied=r, closed=cl).value
    for a in (False, True)
    for r in (False, True)
    for cl in (False, True)
}


def status_of(c: CaseRow) -> str:
    """The status the row's last step leaves the case in."""
    return _STATUS[c.department is not None, c.replied is not None, c.closed is not None]


def derive(
    c: CaseRow,
    *,
    number: str,
    deputy_names: tuple[str, ...],
    handler: str | None,
    proc_due: date | None,
) -> History:
    """The steps of ``c`` in the order the commands would have taken them.

    ``number`` is the case's number (given or allocated), ``deputy_names``
    its deputies as the registry names them, ``handler`` the handler's name
    and ``proc_due`` the procedural deadline (None for a kind without one).
    The details of each step are those ``services.cases`` records for it.
    """
    add = {
        "number": number,
        "kind": c.kind,
        "title": c.title,
        "deputies": deputy_names,
        "key": c.key,
    }
    steps = [Step(ADD, c.received, FIRST_ROUND, add)]
    last = c.received
    for d in (c.assigned, c.proc_replied, c.replied, c.closed):
        if d is not None and d > last:
            last = d
    if c.assigned is not None:
        later = [
            Step(
                ASSIGN,
                c.assigned,
                FIRST_ROUND,
                {
                    "department": c.department,
                    "handler": handler,
                    "co_departments": c.co_departments,
                    "due": c.due,
                    "complex": False,
                },
            )
        ]
        if c.proc_replied is not None:
            on_time = proc_due is None or c.proc_replied <= proc_due
            step = Step(PROCEDURAL_REPLY, c.proc_replied, FIRST_ROUND, {"on_time": on_time})
            # on the same day, the assignment comes first
            later.insert(0 if c.proc_replied < c.assigned else 1, step)
        if c.replied is not None:
            details = {
                "method": c.method,
                "result": c.result,
                "summary": None,
                "on_time": c.due is None or c.replied <= c.due,
            }
            later.append(Step(REPLY, c.replied, FIRST_ROUND, details))
        if c.closed is not None:
            later.append(Step(CLOSE, c.closed, FIRST_ROUND, {"satisfaction": c.satisfaction}))
        steps.extend(later)
    return History(steps, status_of(c), last)
