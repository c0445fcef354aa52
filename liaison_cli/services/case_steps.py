"""The lifecycle steps on a connection: load the case, apply the step, store it.

Each function here runs inside its caller's transaction: :mod:`.cases` opens
one unit of work per command around it, and a caller that plays many steps
in one transaction (the sample office) calls these directly. The rules
themselves are :mod:`liaison_cli.domain.lifecycle`'s; this module resolves the
references a clerk typed, checks the texts, and writes the step's changes
and its one event through :mod:`liaison_cli.store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..domain import lifecycle
from ..domain.dates import iso
from ..domain.lifecycle import Action, CaseEvent, Step
from ..domain.values import clean_text
from ..domain.vocab import KINDS, METHODS, RESULTS, SATISFACTION
from ..errors import InvalidValue
from ..i18n import _
from ..store import case_queries, events
from ..store import cases as store
from ..store.case_reads import CaseRow
from ..store.refs import department_id, deputy_ids, staff_id
from . import deadlines

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

MAX_TITLE = 500


@dataclass(frozen=True)
class StepResult:
    """A step's outcome as a write command prints it: the case row, plus what the step adds.

    Write commands print :meth:`record` in JSON and CSV, so a script gets the
    listing's keys from every step, followed by the step's own.
    """

    row: CaseRow

    def extra(self) -> dict[str, object]:
        return {}

    def record(self) -> dict[str, object]:
        return {**self.row, **self.extra()}


@dataclass(frozen=True)
class Registered(StepResult):
    proc_due: str | None

    def extra(self) -> dict[str, object]:
        return {"proc_due": self.proc_due}


@dataclass(frozen=True)
class Assigned(StepResult):
    co_departments: list[str]

    def extra(self) -> dict[str, object]:
        return {"co_departments": self.co_departments}


@dataclass(frozen=True)
class Reminded(StepResult):
    reminders: int

    def extra(self) -> dict[str, object]:
        return {"reminders": self.reminders}


@dataclass(frozen=True)
class Extended(StepResult):
    old_due: str | None
    reason: str

    def extra(self) -> dict[str, object]:
        return {"old_due": self.old_due, "reason": self.reason}


@dataclass(frozen=True)
class Replied(StepResult):
    on_time: bool

    def extra(self) -> dict[str, object]:
        return {"on_time": self.on_time}


@dataclass(frozen=True)
class ProcedurallyReplied(StepResult):
    proc_due: str | None
    proc_replied: str | None
    on_time: bool

    def extra(self) -> dict[str, object]:
        return {
            "proc_due": self.proc_due,
            "proc_replied": self.proc_replied,
            "on_time": self.on_time,
        }


@dataclass(frozen=True)
class Closed(StepResult):
    pass


@dataclass(frozen=True)
class Reopened(StepResult):
    reason: str

    def extra(self) -> dict[str, object]:
        return {"reason": self.reason}


def as_new_event(case_id: int, event: CaseEvent) -> events.NewEvent:
    """The lifecycle's event of case ``case_id`` as the audit trail stores it.

    One conversion for every writer of case events: these steps append it
    one at a time, a bulk writer may collect them.
    """
    return events.NewEvent(
        action=event.action.value,
        entity=lifecycle.ENTITY,
        entity_id=case_id,
        happened_on=event.happened_on,
        case_id=case_id,
        round=event.round,
        details=event.details,
    )


def _record(conn: Connection, actor: str, case_id: int, step: Step) -> None:
    """Append the step's one event in the caller's transaction."""
    events.append(conn, actor, as_new_event(case_id, step.event))


def _deputy_ids(conn: Connection, refs: Sequence[str]) -> list[int]:
    """Several references, each once, in the order given (the first leads)."""
    if not refs:
        raise InvalidValue(_("at least one deputy is required"))
    ids: list[int] = []
    for ref in refs:
        for found in deputy_ids(conn, ref):
            if found not in ids:
                ids.append(found)
    return ids


def add_case(
    conn: Connection,
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
    kind_code = KINDS.parse(kind)
    clean_title = clean_text(title, _("title"), required=True, max_len=MAX_TITLE, single_line=True)
    clean_content = clean_text(content, _("content"))
    official = clean_text(number, _("case number"), max_len=100, single_line=True)
    people = _deputy_ids(conn, deputies)
    if official and store.number_taken(conn, official):
        raise InvalidValue(_("case number {n!r} already exists").format(n=official))
    step = lifecycle.register(
        number=official or store.next_number(conn, received.year),
        kind=kind_code,
        title=clean_title or "",
        received=received,
        deputies=store.deputy_names(conn, people),
        key=bool(key),
        rules=deadlines.rules(),
    )
    case_id, _round_id = store.insert_case(
        conn,
        step.state,
        title=clean_title or "",
        content=clean_content,
        key=bool(key),
        deputy_ids=people,
    )
    _record(conn, actor, case_id, step)
    return Registered(case_queries.case_row(conn, case_id), iso(step.state.proc_due))


def assign(
    conn: Connection,
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
    """交办: set the handling department and start the deadline clock.

    A handler of another department is refused unless ``other_dept`` says
    the lead department borrows them on purpose: a name typed against the
    wrong department would otherwise put the case in two places.
    """
    c = store.load_case(conn, ref)
    lifecycle.check_assign(c.state, on=on, due=due, complex_=complex_)
    lead = department_id(conn, dept)
    staff = staff_id(conn, handler, lead) if handler else None
    if staff is not None and not other_dept:
        _refuse_other_department(conn, staff, lead)
    co = [department_id(conn, d) for d in co_depts]
    co_names = store.department_names(conn, co)
    step = lifecycle.assign(
        c.state,
        on=on,
        department=store.department_names(conn, [lead])[0],
        handler=store.staff_name(conn, staff) if staff is not None else None,
        co_departments=co_names,
        lead_is_co=lead in co,
        due=due,
        complex_=complex_,
        rules=deadlines.rules(),
    )
    store.update_round_assignment(
        conn, c.round_id, step.state, department_id=lead, handler_id=staff, co_department_ids=co
    )
    store.update_case(conn, c.id, step.state)
    _record(conn, actor, c.id, step)
    return Assigned(case_queries.case_row(conn, c.id), co_names)


def _refuse_other_department(conn: Connection, staff: int, lead: int) -> None:
    home = store.staff_department(conn, staff)
    if home is not None and home[0] != lead:
        raise InvalidValue(
            _(
                "{handler} is in {home}, not {dept}; give --other-dept to assign them all the same"
            ).format(
                handler=store.staff_name(conn, staff),
                home=home[1],
                dept=store.department_names(conn, [lead])[0],
            )
        )


def remind(conn: Connection, actor: str, ref: str, *, on: date, note: str | None) -> Reminded:
    """催办: record a reminder sent to the handler."""
    c = store.load_case(conn, ref)
    lifecycle.check(c.state, Action.REMIND, on)
    step = lifecycle.remind(c.state, on=on, note=clean_text(note, _("note")))
    store.update_case(conn, c.id, step.state)
    _record(conn, actor, c.id, step)
    count = store.count_reminders(conn, c.id, step.state.round)
    return Reminded(case_queries.case_row(conn, c.id), count)


def extend(
    conn: Connection,
    actor: str,
    ref: str,
    *,
    due: date,
    reason: str,
    on: date,
    late: bool = False,
) -> Extended:
    """延期: a new due date, kept as a record beside the old one (``late``: after it passed)."""
    c = store.load_case(conn, ref)
    lifecycle.check(c.state, Action.EXTEND, on)
    clean_reason = clean_text(reason, _("reason"), required=True) or ""
    step = lifecycle.extend(
        c.state, on=on, due=due, reason=clean_reason, rules=deadlines.rules(), late=late
    )
    old = c.state.due
    assert old is not None  # the step refuses a round without a deadline
    store.add_extension(
        conn, c.round_id, on=on, old_due=old, new_due=due, reason=clean_reason, actor=actor
    )
    store.update_case(conn, c.id, step.state)
    _record(conn, actor, c.id, step)
    return Extended(case_queries.case_row(conn, c.id), iso(old), clean_reason)


def reply(
    conn: Connection,
    actor: str,
    ref: str,
    *,
    method: str,
    on: date,
    result: str | None = None,
    summary: str | None = None,
) -> Replied:
    """答复: the substantive reply of the current round."""
    c = store.load_case(conn, ref)
    lifecycle.check(c.state, Action.REPLY, on)
    method_code = METHODS.parse(method)
    result_code = RESULTS.parse_optional(result)
    clean_summary = clean_text(summary, _("summary"))
    step = lifecycle.reply(
        c.state, on=on, method=method_code, result=result_code, summary=clean_summary
    )
    store.set_reply(
        conn, c.round_id, on=on, method=method_code, result=result_code, summary=clean_summary
    )
    store.update_case(conn, c.id, step.state)
    _record(conn, actor, c.id, step)
    return Replied(case_queries.case_row(conn, c.id), lifecycle.on_time(on, c.state.due))


def reply_procedural(
    conn: Connection,
    actor: str,
    ref: str,
    *,
    on: date,
    method: str | None = None,
    summary: str | None = None,
) -> ProcedurallyReplied:
    """程序性答复: stops the 7-day clock of letters and cases of concern only."""
    c = store.load_case(conn, ref)
    step = lifecycle.procedural_reply(
        c.state,
        on=on,
        method=METHODS.parse_optional(method),
        summary=clean_text(summary, _("summary")),
    )
    store.update_case(conn, c.id, step.state)
    _record(conn, actor, c.id, step)
    return ProcedurallyReplied(
        case_queries.case_row(conn, c.id),
        iso(c.state.proc_due),
        iso(on),
        lifecycle.on_time(on, c.state.proc_due),
    )


def close(
    conn: Connection, actor: str, ref: str, *, on: date, satisfaction: str | None = None
) -> Closed:
    """办结, with the deputy's feedback if known."""
    c = store.load_case(conn, ref)
    lifecycle.check(c.state, Action.CLOSE, on)
    sat = SATISFACTION.parse_optional(satisfaction)
    step = lifecycle.close(c.state, on=on, satisfaction=sat)
    store.set_close(conn, c.round_id, on=on, satisfaction=sat)
    store.update_case(conn, c.id, step.state)
    _record(conn, actor, c.id, step)
    return Closed(case_queries.case_row(conn, c.id))


def reopen(conn: Connection, actor: str, ref: str, *, reason: str, on: date) -> Reopened:
    """重新办理: a new round after a dissatisfied close, with its own deadline."""
    c = store.load_case(conn, ref)
    lifecycle.check(c.state, Action.REOPEN, on)
    clean_reason = clean_text(reason, _("reason"), required=True) or ""
    step = lifecycle.reopen(c.state, on=on, reason=clean_reason, rules=deadlines.rules())
    store.supersede_round(conn, c.round_id, on)
    new_round = store.insert_round(
        conn,
        c.id,
        step.state,
        started_on=on,
        department_id=c.department_id,
        handler_id=c.handler_id,
    )
    store.set_co_departments(conn, new_round, store.co_department_ids(conn, c.round_id))
    store.update_case(conn, c.id, step.state)
    _record(conn, actor, c.id, step)
    return Reopened(case_queries.case_row(conn, c.id), clean_reason)
