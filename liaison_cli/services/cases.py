"""The case commands' services: one unit of work per command around one step.

``registered → assigned → replied → closed``; a case closed *dissatisfied* may
be reopened into a new handling round. The rules are the lifecycle's
(:mod:`liaison_cli.domain.lifecycle`), the step on a connection is
:mod:`.case_steps`'s; here each command gets its transaction, committed
when the step succeeds and rolled back whole when it raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..store import case_queries, case_reads
from ..store import cases as store
from ..store.uow import unit_of_work
from . import case_steps
from .case_steps import (
    Assigned,
    Closed,
    Extended,
    ProcedurallyReplied,
    Registered,
    Reminded,
    Reopened,
    Replied,
    StepResult,
)
from .case_views import CaseDetail, case_detail

if TYPE_CHECKING:
    from ..store.database import Database

__all__ = [
    "Assigned",
    "CaseDetail",
    "Closed",
    "Extended",
    "ProcedurallyReplied",
    "Registered",
    "Reminded",
    "Reopened",
    "Replied",
    "StepResult",
    "add_case",
    "assign",
    "close",
    "extend",
    "remind",
    "reopen",
    "reply",
    "reply_procedural",
    "show_case",
]


def add_case(
    db: Database,
    actor: str,
    *,
    deputies: Sequence[str],
    title: str,
    kind: str = "suggestion",
    received: date,
    number: str | None = None,
    content: str | None = None,
    key: bool = False,
) -> Registered:
    """Register a case with its lead deputy (first) and co-signers."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.add_case(
            conn,
            actor,
            deputies=deputies,
            title=title,
            kind=kind,
            received=received,
            number=number,
            content=content,
            key=key,
        )


def assign(
    db: Database,
    actor: str,
    ref: str,
    *,
    dept: str,
    on: date,
    handler: str | None = None,
    co_depts: Sequence[str] = (),
    due: date | None = None,
    complex_: bool = False,
    other_dept: bool = False,
) -> Assigned:
    """交办: set the handling department and start the deadline clock."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.assign(
            conn,
            actor,
            ref,
            dept=dept,
            on=on,
            handler=handler,
            co_depts=co_depts,
            due=due,
            complex_=complex_,
            other_dept=other_dept,
        )


def remind(db: Database, actor: str, ref: str, *, on: date, note: str | None) -> Reminded:
    """催办: record a reminder sent to the handler."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.remind(conn, actor, ref, on=on, note=note)


def extend(
    db: Database,
    actor: str,
    ref: str,
    *,
    due: date,
    reason: str,
    on: date,
    late: bool = False,
) -> Extended:
    """延期: a new due date, kept as a record beside the old one (``late``: after it passed)."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.extend(conn, actor, ref, due=due, reason=reason, on=on, late=late)


def reply(
    db: Database,
    actor: str,
    ref: str,
    *,
    method: str,
    on: date,
    result: str | None = None,
    summary: str | None = None,
) -> Replied:
    """答复: the substantive reply of the current round."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.reply(
            conn, actor, ref, method=method, on=on, result=result, summary=summary
        )


def reply_procedural(
    db: Database,
    actor: str,
    ref: str,
    *,
    on: date,
    method: str | None = None,
    summary: str | None = None,
) -> ProcedurallyReplied:
    """程序性答复: stops the 7-day clock of letters and cases of concern only."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.reply_procedural(conn, actor, ref, on=on, method=method, summary=summary)


def close(
    db: Database, actor: str, ref: str, *, on: date, satisfaction: str | None = None
) -> Closed:
    """办结, with the deputy's feedback if known."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.close(conn, actor, ref, on=on, satisfaction=satisfaction)


def reopen(db: Database, actor: str, ref: str, *, reason: str, on: date) -> Reopened:
    """重新办理: a new round after a dissatisfied close, with its own deadline."""
    with unit_of_work(db, write=True) as conn:
        return case_steps.reopen(conn, actor, ref, reason=reason, on=on)


def show_case(db: Database, ref: str, today: date) -> CaseDetail:
    """The case row, its deputies, its rounds with extensions, and its timeline."""
    with unit_of_work(db) as conn:
        case_id = store.find_case_id(conn, ref)
        return case_detail(
            case_queries.case_row(conn, case_id),
            case_reads.case_facts(conn, case_id),
            case_reads.deputies_of(conn, case_id),
            case_reads.rounds_of(conn, case_id),
            case_reads.timeline_of(conn, case_id),
            today,
        )
