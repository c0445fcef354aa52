"""Deadline rules (办理期限): how long each step gives, as pure date arithmetic.

The periods are a :class:`Rules` value (defaults here; an office changes them
in its config file, read by ``services.deadlines``). A deadline is computed
when the step happens (registration for the procedural reply, assignment,
reopening) and stored, so changing the rules affects later steps only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidValue
from ..i18n import _
from .dates import add_months


@dataclass(frozen=True)
class Rules:
    """The periods of the rules; each field is a key of the config file's ``[deadlines]``."""

    suggestion_months: int = 3
    complex_months: int = 6
    proposal_months: int = 3
    letter_months: int = 3
    procedural_days: int = 7
    petition_days: int = 60
    petition_extension_days: int = 30
    rehandle_months: int = 1


def _after(start: date, *, months: int = 0, days: int = 0) -> date:
    """``start`` plus a period; a result past the year 9999 is the user's error."""
    try:
        return add_months(start, months) + timedelta(days=days)
    except (OverflowError, ValueError) as exc:
        raise InvalidValue(
            _("a deadline counted from {d} falls past the last representable date").format(d=start)
        ) from exc


def substantive_due(kind: str, assigned_on: date, complex_: bool, r: Rules) -> date:
    """The reply deadline of a first handling round, counted from assignment."""
    from .vocab import PROCEDURAL_KINDS  # vocab builds on the lifecycle, which uses these rules

    if kind == "petition":
        return _after(assigned_on, days=r.petition_days)
    if complex_:
        return _after(assigned_on, months=r.complex_months)
    if kind in PROCEDURAL_KINDS:
        return _after(assigned_on, months=r.letter_months)
    if kind == "proposal":
        return _after(assigned_on, months=r.proposal_months)
    return _after(assigned_on, months=r.suggestion_months)


def procedural_due(received: date, r: Rules) -> date:
    return _after(received, days=r.procedural_days)


def rehandle_due(reopened_on: date, r: Rules) -> date:
    return _after(reopened_on, months=r.rehandle_months)


def petition_extension_cap(due_original: date, r: Rules) -> date:
    """The latest date a petition's deadline may be extended to."""
    return _after(due_original, days=r.petition_extension_days)
