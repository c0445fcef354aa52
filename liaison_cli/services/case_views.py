"""``liaison show``'s view of one case: the listing row and what only ``show`` adds.

The top level holds the same keys as ``liaison cases --format json`` so a
script can read either; ``days_overdue`` is counted as of ``today`` while the
current round is unanswered and past due. A procedural reply never given is
``proc_superseded`` by the first round's substantive reply (its date): once
the deputy has the answer, the notice that it is on its way is moot.
"""

from __future__ import annotations

from datetime import date

from ..store.case_reads import (
    CaseFacts,
    CaseRow,
    DeputyView,
    RoundView,
    TimelineEntry,
    iso,
)


class CaseDetail(CaseRow):
    """What ``show --format json`` prints for a case (after the listing's keys)."""

    content: str | None
    complex: bool
    assigned: str | None
    co_departments: list[str]
    due_original: str | None
    days_overdue: int | None
    proc_due: str | None
    proc_replied: str | None
    proc_days_overdue: int | None
    proc_superseded: str | None
    deputy_list: list[DeputyView]
    rounds: list[RoundView]
    timeline: list[TimelineEntry]


def case_detail(
    row: CaseRow,
    facts: CaseFacts,
    deputies: list[DeputyView],
    rounds: list[RoundView],
    timeline: list[TimelineEntry],
    today: date,
) -> CaseDetail:
    cur = rounds[-1]
    due = date.fromisoformat(cur["due"]) if cur["due"] else None
    late = cur["replied"] is None and due is not None and due < today
    proc_due, proc_replied = facts["proc_due"], facts["proc_replied_on"]
    proc_late = (
        proc_due is not None
        and proc_replied is None
        and cur["replied"] is None
        and row["round"] == 1
        and proc_due < today
    )
    first_reply = rounds[0]["replied"]
    superseded = first_reply if proc_due is not None and proc_replied is None else None
    return {
        **row,
        "content": facts["content"],
        "complex": facts["complex"],
        "assigned": cur["assigned"],
        "co_departments": cur["co_departments"],
        "due_original": cur["due_original"],
        "days_overdue": (today - due).days if late and due else None,
        "proc_due": iso(proc_due),
        "proc_replied": iso(proc_replied),
        "proc_days_overdue": (today - proc_due).days if proc_late and proc_due else None,
        "proc_superseded": superseded,
        "deputy_list": deputies,
        "rounds": rounds,
        "timeline": timeline,
    }
