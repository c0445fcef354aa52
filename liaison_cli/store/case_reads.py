"""One case read whole, for ``liaison show``: its rounds, deputies and timeline.

The row shapes are TypedDicts because they are what ``show --format json``
prints: their keys, in this order, are the interface a script reads.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import select

from ..domain.dates import iso
from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

C = t.cases.c
R = t.case_rounds.c


class CaseRow(TypedDict):
    """A case as ``liaison cases --format json`` lists it."""

    id: int
    number: str
    kind: str
    title: str
    deputies: str
    status: str
    received: str | None
    department: str | None
    handler: str | None
    due: str | None
    replied: str | None
    result: str | None
    closed: str | None
    satisfaction: str | None
    round: int
    key: bool


class ExtensionView(TypedDict):
    date: str | None
    old_due: str | None
    new_due: str | None
    reason: str
    actor: str


class RoundView(TypedDict):
    round: int
    started: str | None
    department: str | None
    co_departments: list[str]
    handler: str | None
    assigned: str | None
    due_original: str | None
    due: str | None
    extensions: list[ExtensionView]
    replied: str | None
    reply_method: str | None
    result: str | None
    summary: str | None
    on_time: bool | None
    closed: str | None
    satisfaction: str | None


class DeputyView(TypedDict):
    id: int
    name: str
    role: str


class TimelineEntry(TypedDict):
    date: str | None
    round: int | None
    action: str
    actor: str
    recorded_at: str
    details: dict[str, object]


class CaseFacts(TypedDict):
    """The case's own columns ``show`` adds to its listing row."""

    content: str | None
    complex: bool
    proc_due: date | None
    proc_replied_on: date | None


def case_facts(conn: Connection, case_id: int) -> CaseFacts:
    row = conn.execute(
        select(C.content, C.complex, C.proc_due, C.proc_replied_on).where(C.id == case_id)
    ).one()
    return {
        "content": row.content,
        "complex": bool(row.complex),
        "proc_due": row.proc_due,
        "proc_replied_on": row.proc_replied_on,
    }


def rounds_of(conn: Connection, case_id: int) -> list[RoundView]:
    """Every handling round of the case, oldest first, with its extensions."""
    dept, handler = t.departments.alias("dept"), t.staff.alias("handler")
    found = conn.execute(
        select(t.case_rounds, dept.c.name.label("department"), handler.c.name.label("handler"))
        .select_from(
            t.case_rounds.outerjoin(dept, dept.c.id == R.department_id).outerjoin(
                handler, handler.c.id == R.handler_id
            )
        )
        .where(R.case_id == case_id)
        .order_by(R.round)
    ).all()
    ids = [r.id for r in found]
    co, d = t.round_co_departments.c, t.departments.c
    co_names: dict[int, list[str]] = {i: [] for i in ids}
    for round_id, name in conn.execute(
        select(co.round_id, d.name)
        .join(t.departments, d.id == co.department_id)
        .where(co.round_id.in_(ids))
        .order_by(co.round_id, co.department_id)
    ):
        co_names[round_id].append(name)
    e = t.extensions.c
    extensions: dict[int, list[ExtensionView]] = {i: [] for i in ids}
    for x in conn.execute(select(t.extensions).where(e.round_id.in_(ids)).order_by(e.id)):
        extensions[x.round_id].append(
            {
                "date": iso(x.extended_on),
                "old_due": iso(x.old_due),
                "new_due": iso(x.new_due),
                "reason": x.reason,
                "actor": x.actor,
            }
        )
    return [
        {
            "round": r.round,
            "started": iso(r.started_on),
            "department": r.department,
            "co_departments": co_names[r.id],
            "handler": r.handler,
            "assigned": iso(r.assigned_on),
            "due_original": iso(r.due_original),
            "due": iso(r.due),
            "extensions": extensions[r.id],
            "replied": iso(r.replied_on),
            "reply_method": r.reply_method,
            "result": r.result,
            "summary": r.reply_summary,
            "on_time": None if r.replied_on is None else (r.due is None or r.replied_on <= r.due),
            "closed": iso(r.closed_on),
            "satisfaction": r.satisfaction,
        }
        for r in found
    ]


def deputies_of(conn: Connection, case_id: int) -> list[DeputyView]:
    """The case's deputies, the lead first."""
    cd, d = t.case_deputies.c, t.deputies.c
    rows = conn.execute(
        select(d.id, d.name, cd.position)
        .join(t.deputies, d.id == cd.deputy_id)
        .where(cd.case_id == case_id)
        .order_by(cd.position)
    ).all()
    return [
        {"id": r.id, "name": r.name, "role": "lead" if r.position == 0 else "co-signer"}
        for r in rows
    ]


def timeline_of(conn: Connection, case_id: int) -> list[TimelineEntry]:
    """The case's events in the order they happened."""
    ev = t.events.c
    rows = conn.execute(
        select(t.events).where(ev.case_id == case_id).order_by(ev.happened_on, ev.id)
    ).all()
    return [
        {
            "date": iso(e.happened_on),
            "round": e.round,
            "action": e.action,
            "actor": e.actor,
            "recorded_at": e.recorded_at.isoformat(sep=" "),
            "details": json.loads(e.details) if e.details else {},
        }
        for e in rows
    ]
