"""The case lifecycle: its statuses, its actions, which step may follow which.

``registered → assigned → replied → closed``; a case closed *dissatisfied* may
be reopened into a new handling round (README, "A case from registration to
close"; the periods are its "Deadline rules"). This package is the one place
that knows it: the services, the importer, ``db check``, ``show`` and
``overdue`` all read the codes, the table of legal transitions and the step
functions from here.

A step takes a case's state (:class:`CaseState`) and the step's inputs,
refuses what the lifecycle does not allow (:class:`IllegalTransition`, or
:class:`InvalidValue` for inputs that contradict each other), and returns a
:class:`Step`: the state after it and the one :class:`CaseEvent` to record.
Nothing here reads or writes a database; the service stores the new state.
Adding a step is one :class:`Action`, one row of :data:`TRANSITIONS` and of
:data:`ACTION_LABELS` (``model``), and its function (``steps``).
"""

from .checks import check, check_assign, check_date
from .model import (
    ACTION_LABELS,
    ENTITY,
    STATUS_AFTER,
    STATUSES,
    TRANSITIONS,
    Action,
    CaseEvent,
    CaseState,
    Status,
    Step,
    Transition,
    status_in_round,
)
from .steps import (
    assign,
    close,
    extend,
    on_time,
    procedural_reply,
    register,
    remind,
    reopen,
    reply,
)

__all__ = [
    "STATUSES",
    "ACTION_LABELS",
    "ENTITY",
    "STATUS_AFTER",
    "TRANSITIONS",
    "Action",
    "CaseEvent",
    "CaseState",
    "Status",
    "Step",
    "Transition",
    "assign",
    "check",
    "check_assign",
    "check_date",
    "close",
    "extend",
    "on_time",
    "procedural_reply",
    "register",
    "remind",
    "reopen",
    "reply",
    "status_in_round",
]
