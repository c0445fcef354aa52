"""The case lifecycle: register, assign, remind, extend, reply, close, reopen.

``registered → assigned → replied → closed``; a case closed *dissatisfied* may
be reopened into a new handling round. Every step checks the case's state and
that it is not dated before the step it follows, writes the round's state and
appends an event; a step that is not allowed raises before anything changes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.vocab import KINDS, METHODS, PROCEDURAL_KINDS, RESULTS, SATISFACTION, STATUSES
from ..errors import IllegalTransition, InvalidValue, NotFound
from ..i18n import _
from ..models import (
    Case,
    CaseCounter,
    CaseDeputy,
    CaseRound,
    Event,
    Extension,
    RoundCoDepartment,
)
from . import case_queries, deadlines
from .common import clean_text, dialect, iso, record
from .deputies import resolve_deputies
from .refs import is_id
from .registry import resolve_department, resolve_staff

MAX_TITLE = 500


# -- references -----------------------------------------------------------------


def resolve_case(session: Session, ref: str) -> Case:
    """A case by its number (auto or official), else by id."""
    text = (ref or "").strip()
    if not text:
        raise InvalidValue(_("empty case reference"))
    # a write session locks the case row until commit (FOR UPDATE; SQLite's
    # BEGIN IMMEDIATE already serialises writers): two clerks taking a step
    # on one case at once take turns, and the second sees the first's step
    lock = bool(session.info.get("write"))
    stmt = select(Case).where(Case.number == text)
    found = session.execute(stmt.with_for_update() if lock else stmt).scalar()
    if found is None and is_id(text):
        found = session.get(Case, int(text), with_for_update=lock)
    if found is None:
        raise NotFound(_("unknown case {ref!r}").format(ref=ref))
    return found


def current_round(session: Session, c: Case) -> CaseRound:
    return session.execute(
        select(CaseRound).where(CaseRound.case_id == c.id, CaseRound.round == c.round)
    ).scalar_one()


# -- numbering --------------------------------------------------------------------


def _next_number(session: Session, year: int) -> str:
    """Allocate ``YYYY-NNNN`` without races: an upsert, then an atomic increment."""
    if dialect(session) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    session.execute(
        insert(CaseCounter)
        .values(year=year, last=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    while True:
        n = session.execute(
            update(CaseCounter)
            .where(CaseCounter.year == year)
            .values(last=CaseCounter.last + 1)
            .returning(CaseCounter.last)
        ).scalar_one()
        number = f"{year}-{n:04d}"
        # an official number may already have taken this one
        if not session.execute(select(Case.id).where(Case.number == number)).first():
            return number


# -- steps --------------------------------------------------------------------------


def _check_date(c: Case, on: date, step: str) -> None:
    if on < c.last_on:
        raise IllegalTransition(
            _("{step} date {on} is before the case's previous step ({last})").format(
                step=step, on=on, last=c.last_on
            )
        )


def add_case(
    session: Session,
    actor: str,
    *,
    deputies: Sequence[str],
    title: str,
    kind: str = "suggestion",
    received: date,
    number: str | None = None,
    content: str | None = None,
    key: bool = False,
) -> dict[str, Any]:
    """Register a case with its lead deputy (first) and co-signers."""
    kind_code = KINDS.parse(kind)
    clean_title = clean_text(title, _("title"), required=True, max_len=MAX_TITLE, single_line=True)
    clean_content = clean_text(content, _("content"))
    official = clean_text(number, _("case number"), max_len=100, single_line=True)
    people = resolve_deputies(session, list(deputies))
    if official:
        if session.execute(select(Case.id).where(Case.number == official)).first():
            raise InvalidValue(_("case number {n!r} already exists").format(n=official))
    r = deadlines.rules()
    c = Case(
        number=official or _next_number(session, received.year),
        kind=kind_code,
        title=clean_title or "",
        content=clean_content,
        key=bool(key),
        complex=False,
        received=received,
        status="registered",
        round=1,
        proc_due=deadlines.procedural_due(received, r) if kind_code in PROCEDURAL_KINDS else None,
        last_on=received,
    )
    c.deputies = [CaseDeputy(deputy_id=d.id, position=i) for i, d in enumerate(people)]
    c.rounds = [CaseRound(round=1, started_on=received)]
    session.add(c)
    try:
        session.flush()
    except IntegrityError as exc:
        raise InvalidValue(_("case number {n!r} already exists").format(n=c.number)) from exc
    record(
        session,
        actor,
        "case.add",
        "case",
        c.id,
        received,
        case_id=c.id,
        round=1,
        details={
            "number": c.number,
            "kind": kind_code,
            "title": c.title,
            "deputies": [d.name for d in people],
            "key": c.key,
        },
    )
    return case_row(session, c.id, proc_due=iso(c.proc_due))


def assign(
    session: Session,
    actor: str,
    ref: str,
    *,
    dept: str,
    on: date,
    handler: str | None = None,
    co_depts: Sequence[str] = (),
    due: date | None = None,
    complex_: bool = False,
) -> dict[str, Any]:
    """交办: set the handling department and start the deadline clock."""
    c = resolve_case(session, ref)
    if c.status not in ("registered", "assigned"):
        raise IllegalTransition(
            _("case {n} is {status}; only a registered or assigned case can be assigned").format(
                n=c.number, status=STATUSES.label(c.status)
            )
        )
    if due is not None and complex_:
        raise InvalidValue(_("give either --due or --complex, not both"))
    rnd = current_round(session, c)
    first = rnd.assigned_on is None
    if not first and (due is not None or complex_):
        # the deadline of an assigned case changes only through a recorded extension
        raise IllegalTransition(
            _(
                "case {n} is already assigned (due {due}); reassigning keeps the deadline, "
                "use `liaison extend` to change it"
            ).format(n=c.number, due=rnd.due)
        )
    if complex_ and c.kind == "petition":
        raise InvalidValue(_("--complex does not apply to a petition; extend its deadline instead"))
    _check_date(c, on, _("assignment"))
    department = resolve_department(session, dept)
    staff = resolve_staff(session, handler, department.id) if handler else None
    co = [resolve_department(session, d) for d in co_depts]
    if any(x.id == department.id for x in co):
        raise InvalidValue(_("the lead department cannot also be a co-department"))
    if due is not None and due < c.received:
        raise IllegalTransition(
            _("due date {due} is before the case was received ({received})").format(
                due=due, received=c.received
            )
        )
    if due is not None and due < on:
        raise IllegalTransition(
            _("due date {due} is before the assignment date {on}").format(due=due, on=on)
        )
    if complex_:
        c.complex = True
    if due is None and first:
        due = deadlines.substantive_due(c.kind, on, c.complex, deadlines.rules())
    rnd.department_id = department.id
    rnd.handler_id = staff.id if staff else None
    rnd.co_departments = [RoundCoDepartment(department_id=x.id) for x in co]
    if first:
        rnd.assigned_on = on
    if due is not None:
        rnd.due_original = due
        rnd.due = due
    c.status = "assigned"
    c.last_on = on
    record(
        session,
        actor,
        "case.assign" if first else "case.reassign",
        "case",
        c.id,
        on,
        case_id=c.id,
        round=c.round,
        details={
            "department": department.name,
            "handler": staff.name if staff else None,
            "co_departments": [x.name for x in co],
            "due": iso(rnd.due),
            "complex": c.complex,
        },
    )
    return case_row(session, c.id, co_departments=[x.name for x in co])


def _require_open_assigned(c: Case, step: str) -> None:
    if c.status != "assigned":
        if c.status == "registered":
            msg = _("cannot {step} case {n}: it is not assigned yet (assign it first)")
        else:
            msg = _("cannot {step} case {n}: it is already {status}")
        raise IllegalTransition(msg.format(n=c.number, step=step, status=STATUSES.label(c.status)))


def remind(session: Session, actor: str, ref: str, *, on: date, note: str | None) -> dict[str, Any]:
    """催办: record a reminder sent to the handler."""
    c = resolve_case(session, ref)
    _require_open_assigned(c, _("remind"))
    _check_date(c, on, _("reminder"))
    clean_note = clean_text(note, _("note"))
    c.last_on = on
    record(
        session,
        actor,
        "case.remind",
        "case",
        c.id,
        on,
        case_id=c.id,
        round=c.round,
        details={"note": clean_note} if clean_note else None,
    )
    count = session.execute(
        select(func.count()).where(
            Event.case_id == c.id, Event.round == c.round, Event.action == "case.remind"
        )
    ).scalar_one()
    return case_row(session, c.id, reminders=count)


def extend(
    session: Session, actor: str, ref: str, *, due: date, reason: str, on: date
) -> dict[str, Any]:
    """延期: a new due date, kept as a record beside the old one."""
    c = resolve_case(session, ref)
    _require_open_assigned(c, _("extend"))
    _check_date(c, on, _("extension"))
    clean_reason = clean_text(reason, _("reason"), required=True)
    rnd = current_round(session, c)
    if rnd.due is None:
        raise IllegalTransition(_("case {n} has no deadline to extend").format(n=c.number))
    if due <= rnd.due:
        raise IllegalTransition(
            _("new due date {due} is not after the current one ({old})").format(
                due=due, old=rnd.due
            )
        )
    if due < on:
        raise IllegalTransition(
            _("new due date {due} is before the extension date {on}").format(due=due, on=on)
        )
    if c.kind == "petition" and rnd.due_original is not None:
        r = deadlines.rules()
        cap = deadlines.petition_extension_cap(rnd.due_original, r)
        if due > cap:
            raise IllegalTransition(
                _(
                    "a petition's deadline may be extended by at most {days} days "
                    "(to {cap}), not to {due}"
                ).format(days=r.petition_extension_days, cap=cap, due=due)
            )
    session.add(
        Extension(
            round_id=rnd.id,
            extended_on=on,
            old_due=rnd.due,
            new_due=due,
            reason=clean_reason or "",
            actor=actor,
        )
    )
    old = rnd.due
    rnd.due = due
    c.last_on = on
    record(
        session,
        actor,
        "case.extend",
        "case",
        c.id,
        on,
        case_id=c.id,
        round=c.round,
        details={"old_due": iso(old), "new_due": iso(due), "reason": clean_reason},
    )
    return case_row(session, c.id, old_due=iso(old), reason=clean_reason)


def reply(
    session: Session,
    actor: str,
    ref: str,
    *,
    method: str,
    on: date,
    result: str | None = None,
    summary: str | None = None,
) -> dict[str, Any]:
    """答复: the substantive reply of the current round."""
    c = resolve_case(session, ref)
    _require_open_assigned(c, _("reply to"))
    _check_date(c, on, _("reply"))
    method_code = METHODS.parse(method)
    result_code = RESULTS.parse_optional(result)
    clean_summary = clean_text(summary, _("summary"))
    rnd = current_round(session, c)
    rnd.replied_on = on
    rnd.reply_method = method_code
    rnd.result = result_code
    rnd.reply_summary = clean_summary
    c.status = "replied"
    c.last_on = on
    on_time = rnd.due is None or on <= rnd.due
    record(
        session,
        actor,
        "case.reply",
        "case",
        c.id,
        on,
        case_id=c.id,
        round=c.round,
        details={
            "method": method_code,
            "result": result_code,
            "summary": clean_summary,
            "on_time": on_time,
        },
    )
    return case_row(session, c.id, on_time=on_time)


def reply_procedural(session: Session, actor: str, ref: str, *, on: date) -> dict[str, Any]:
    """程序性答复: stops the 7-day clock of letters and cases of concern only."""
    c = resolve_case(session, ref)
    if c.kind not in PROCEDURAL_KINDS:
        raise IllegalTransition(
            _("a procedural reply applies to letters and cases of concern, not to a {kind}").format(
                kind=KINDS.label(c.kind)
            )
        )
    if c.proc_replied_on is not None:
        raise IllegalTransition(
            _("case {n} already had its procedural reply on {d}").format(
                n=c.number, d=c.proc_replied_on
            )
        )
    if c.status in ("replied", "closed"):
        raise IllegalTransition(
            _("case {n} is already {status}; a procedural reply is moot").format(
                n=c.number, status=STATUSES.label(c.status)
            )
        )
    if on < c.received:
        raise IllegalTransition(
            _("procedural reply date {on} is before the case was received ({r})").format(
                on=on, r=c.received
            )
        )
    c.proc_replied_on = on
    c.last_on = max(c.last_on, on)
    on_time = c.proc_due is None or on <= c.proc_due
    record(
        session,
        actor,
        "case.procedural_reply",
        "case",
        c.id,
        on,
        case_id=c.id,
        round=c.round,
        details={"on_time": on_time},
    )
    return case_row(session, c.id, proc_due=iso(c.proc_due), proc_replied=iso(on), on_time=on_time)


def close(
    session: Session, actor: str, ref: str, *, on: date, satisfaction: str | None = None
) -> dict[str, Any]:
    """办结, with the deputy's feedback if known."""
    c = resolve_case(session, ref)
    if c.status != "replied":
        if c.status == "closed":
            msg = _("case {n} is already closed")
        else:
            msg = _("case {n} is {status}; only a replied case can be closed")
        raise IllegalTransition(msg.format(n=c.number, status=STATUSES.label(c.status)))
    _check_date(c, on, _("close"))
    sat = SATISFACTION.parse_optional(satisfaction)
    rnd = current_round(session, c)
    rnd.closed_on = on
    rnd.satisfaction = sat
    c.status = "closed"
    c.last_on = on
    record(
        session,
        actor,
        "case.close",
        "case",
        c.id,
        on,
        case_id=c.id,
        round=c.round,
        details={"satisfaction": sat},
    )
    return case_row(session, c.id)


def reopen(session: Session, actor: str, ref: str, *, reason: str, on: date) -> dict[str, Any]:
    """重新办理: a new round after a dissatisfied close, with its own deadline."""
    c = resolve_case(session, ref)
    rnd = current_round(session, c)
    if c.status != "closed" or rnd.satisfaction != "dissatisfied":
        raise IllegalTransition(
            _("case {n} can be reopened only when closed with the deputy dissatisfied").format(
                n=c.number
            )
        )
    _check_date(c, on, _("reopening"))
    clean_reason = clean_text(reason, _("reason"), required=True)
    due = deadlines.rehandle_due(on, deadlines.rules())
    rnd.superseded_on = on
    new = CaseRound(
        case_id=c.id,
        round=c.round + 1,
        started_on=on,
        department_id=rnd.department_id,
        handler_id=rnd.handler_id,
        assigned_on=on,
        due_original=due,
        due=due,
    )
    new.co_departments = [
        RoundCoDepartment(department_id=x.department_id) for x in rnd.co_departments
    ]
    session.add(new)
    c.round += 1
    c.status = "assigned"
    c.last_on = on
    record(
        session,
        actor,
        "case.reopen",
        "case",
        c.id,
        on,
        case_id=c.id,
        round=c.round,
        details={"reason": clean_reason, "due": iso(due)},
    )
    return case_row(session, c.id, reason=clean_reason)


# -- reading ----------------------------------------------------------------------------


def case_row(session: Session, case_id: int, **extra: Any) -> dict[str, Any]:
    """The case as ``liaison cases --format json`` shows it, plus what a step adds.

    Write commands print this row in JSON and CSV, so a script gets the same
    keys from every step.
    """
    session.flush()
    return case_queries.case_row(session, case_id, **extra)


def show_case(session: Session, ref: str, today: date) -> dict[str, Any]:
    """The case row, its deputies, its rounds with extensions, and its timeline.

    The top level holds the same keys as ``liaison cases --format json`` so a
    script can read either; ``days_overdue`` is counted as of ``today`` while
    the current round is unanswered and past due.
    """
    c = resolve_case(session, ref)
    row = case_row(session, c.id)
    rounds = []
    for r in c.rounds:
        rounds.append(
            {
                "round": r.round,
                "started": iso(r.started_on),
                "department": r.department.name if r.department else None,
                "co_departments": [x.department.name for x in r.co_departments],
                "handler": r.handler.name if r.handler else None,
                "assigned": iso(r.assigned_on),
                "due_original": iso(r.due_original),
                "due": iso(r.due),
                "extensions": [
                    {
                        "date": iso(e.extended_on),
                        "old_due": iso(e.old_due),
                        "new_due": iso(e.new_due),
                        "reason": e.reason,
                        "actor": e.actor,
                    }
                    for e in r.extensions
                ],
                "replied": iso(r.replied_on),
                "reply_method": r.reply_method,
                "result": r.result,
                "summary": r.reply_summary,
                "on_time": None
                if r.replied_on is None
                else (r.due is None or r.replied_on <= r.due),
                "closed": iso(r.closed_on),
                "satisfaction": r.satisfaction,
            }
        )
    cur = c.rounds[-1]
    late = cur.replied_on is None and cur.due is not None and cur.due < today
    proc_late = (
        c.proc_due is not None
        and c.proc_replied_on is None
        and cur.replied_on is None
        and c.round == 1
        and c.proc_due < today
    )
    events = session.execute(
        select(Event).where(Event.case_id == c.id).order_by(Event.happened_on, Event.id)
    ).scalars()
    timeline = [
        {
            "date": iso(e.happened_on),
            "round": e.round,
            "action": e.action,
            "actor": e.actor,
            "recorded_at": e.recorded_at.isoformat(sep=" "),
            "details": json.loads(e.details) if e.details else {},
        }
        for e in events
    ]
    return {
        **row,
        "content": c.content,
        "complex": c.complex,
        "assigned": iso(cur.assigned_on),
        "co_departments": [x.department.name for x in cur.co_departments],
        "due_original": iso(cur.due_original),
        "days_overdue": (today - cur.due).days if late and cur.due else None,
        "proc_due": iso(c.proc_due),
        "proc_replied": iso(c.proc_replied_on),
        "proc_days_overdue": (today - c.proc_due).days if proc_late and c.proc_due else None,
        "deputy_list": [
            {
                "id": cd.deputy.id,
                "name": cd.deputy.name,
                "role": "lead" if cd.position == 0 else "co-signer",
            }
            for cd in c.deputies
        ],
        "rounds": rounds,
        "timeline": timeline,
    }
