"""The overdue report's rows, made from the rows its statements return.

Plain Python, no SQLAlchemy: the statements of the report
(:func:`.case_queries.overdue_statements`) run either through SQLAlchemy or,
on a SQLite file, through the standard library alone
(:mod:`.overdue_sqlite`), and both hand their driver rows to :func:`finish`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypedDict

from ..domain.lifecycle import status_in_round
from ..errors import InvalidValue
from ..i18n import _


class OverdueRow(TypedDict):
    """One late clock of one case: the listing's columns, then the report's own."""

    id: int
    number: str
    kind: str
    title: str
    deputies: str
    status: str
    received: str
    department: str | None
    handler: str | None
    due: str
    replied: None
    result: None
    closed: None
    satisfaction: None
    round: int
    key: bool
    days_overdue: int
    days_left: int | None
    reminders: int
    clock: str


class OverdueCounts(TypedDict):
    overdue: int
    due_soon: int


MAX_WITHIN = 36_600  # days ahead `overdue --within` may look (a century)


def horizon(as_of: date, within: int) -> date:
    """The last due date ``--within`` reaches (``as_of`` itself without it)."""
    if not 0 <= within <= MAX_WITHIN:
        raise InvalidValue(_("--within must be between 0 and {max} days").format(max=MAX_WITHIN))
    try:
        return as_of + timedelta(days=within)
    except OverflowError as exc:
        raise InvalidValue(_("--within reaches past the last representable date")) from exc


def join_names(pairs: list[tuple[int, str]]) -> dict[int, str]:
    """``(case id, name)`` pairs, lead first, as each case's names joined with 、."""
    names: dict[int, list[str]] = {}
    for case_id, name in pairs:
        if case_id in names:
            names[case_id].append(name)
        else:
            names[case_id] = [name]
    return {k: "、".join(v) for k, v in names.items()}


def finish(
    found: list[tuple[Any, ...]], names: dict[int, str], as_of: date, limit: int | None
) -> tuple[list[OverdueRow], OverdueCounts]:
    """The report's rows, most overdue first, and its counts (before ``limit``)."""
    rows = _rows(found, names, as_of)
    rows.sort(key=lambda d: (-d["days_overdue"], d["number"]))
    late = sum(1 for d in rows if d["days_overdue"] > 0)
    summary: OverdueCounts = {"overdue": late, "due_soon": len(rows) - late}
    if limit is not None:
        rows = rows[:limit]
    return rows, summary


class _DaysLate(dict[Any, tuple[str, int]]):
    """A due date as the driver gave it → (its ISO text, days overdue on ``as_of``).

    Overdue cases share their due dates, so each distinct one is parsed once.
    """

    def __init__(self, as_of: date) -> None:
        super().__init__()
        self.as_of = as_of
        self.as_of_text = as_of.isoformat()

    def __missing__(self, due: Any) -> tuple[str, int]:
        day = date.fromisoformat(due) if isinstance(due, str) else due
        hit = self[due] = (day.isoformat(), (self.as_of - day).days)
        return hit


def _rows(found: list[tuple[Any, ...]], names: dict[int, str], as_of: date) -> list[OverdueRow]:
    """The rows of the report, each case as the ledger stood on ``as_of``.

    A round late on both clocks gives two rows, the substantive one first.
    Its round is unanswered on that date, so it has no reply, result, close
    or satisfaction, and it is assigned if it was by then.
    """
    days_late = _DaysLate(as_of)
    # an unanswered round is assigned once its assignment date has passed
    assigned_status = status_in_round(assigned=True).value
    registered = status_in_round(assigned=False).value
    rows: list[OverdueRow] = []
    for raw in found:
        case_id, number, kind, title, received, dept, handler = raw[:7]
        due_substantive, due_procedural, round_, assigned, reminders, key = raw[7:]
        # an ISO date compares with another as text does
        then = days_late.as_of_text if isinstance(assigned, str) else as_of
        status = assigned_status if assigned is not None and assigned <= then else registered
        received_text = received if isinstance(received, str) else received.isoformat()
        for clock, due in (("substantive", due_substantive), ("procedural", due_procedural)):
            if due is None:
                continue
            due_text, days = days_late[due]
            rows.append(
                {
                    "id": case_id,
                    "number": number,
                    "kind": kind,
                    "title": title,
                    "deputies": names.get(case_id, ""),
                    "status": status,
                    "received": received_text,
                    "department": dept,
                    "handler": handler,
                    "due": due_text,
                    "replied": None,
                    "result": None,
                    "closed": None,
                    "satisfaction": None,
                    "round": round_,
                    "key": bool(key),
                    "days_overdue": days,
                    # a clock not yet run out (``--within``): the days it has left
                    "days_left": -days if days <= 0 else None,
                    "reminders": reminders,
                    "clock": clock,
                }
            )
    return rows
