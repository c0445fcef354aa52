"""Database checks: SQLite integrity, references and the domain's invariants."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..models import Case, CaseRound
from .common import dialect


def check_database(session: Session) -> list[dict[str, Any]]:
    """Every violation found, as rows ``{check, detail}``; empty when clean."""
    problems: list[dict[str, Any]] = []
    if dialect(session) == "sqlite":
        for (msg,) in session.execute(text("PRAGMA integrity_check")):
            if msg != "ok":
                problems.append({"check": "integrity", "detail": msg})
        for row in session.execute(text("PRAGMA foreign_key_check")):
            problems.append(
                {"check": "foreign_key", "detail": f"{row[0]} rowid {row[1]} -> {row[2]}"}
            )

    def add(check: str, stmt: Any, fmt: str) -> None:
        for row in session.execute(stmt):
            problems.append({"check": check, "detail": fmt.format(*row)})

    r = CaseRound
    add(
        "reply_before_assignment",
        select(Case.number, r.round)
        .join(r, r.case_id == Case.id)
        .where(
            r.replied_on.is_not(None), (r.assigned_on.is_(None)) | (r.replied_on < r.assigned_on)
        ),
        "case {} round {}: replied before it was assigned",
    )
    add(
        "due_before_received",
        select(Case.number, r.round).join(r, r.case_id == Case.id).where(r.due < Case.received),
        "case {} round {}: due before received",
    )
    add(
        "close_without_reply",
        select(Case.number, r.round)
        .join(r, r.case_id == Case.id)
        .where(r.closed_on.is_not(None), r.replied_on.is_(None)),
        "case {} round {}: closed without a reply",
    )
    add(
        "duplicate_number",
        select(Case.number, func.count()).group_by(Case.number).having(func.count() > 1),
        "case number {} used {} times",
    )
    # the status column must agree with the current round
    current = r.round == Case.round
    expected = [
        ("registered", r.assigned_on.is_(None)),
        ("assigned", r.assigned_on.is_not(None) & r.replied_on.is_(None)),
        ("replied", r.replied_on.is_not(None) & r.closed_on.is_(None)),
        ("closed", r.closed_on.is_not(None)),
    ]
    for status, cond in expected:
        add(
            "status",
            select(Case.number, Case.status)
            .join(r, (r.case_id == Case.id) & current)
            .where(Case.status == status, ~cond),
            "case {}: status {} disagrees with its rounds",
        )
    add(
        "missing_round",
        select(Case.number).where(
            ~select(r.id).where(r.case_id == Case.id, r.round == Case.round).exists()
        ),
        "case {}: its current round is missing",
    )
    return problems
