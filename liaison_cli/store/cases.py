"""The case tables as the lifecycle steps read and write them (SQLAlchemy Core).

A step loads a case's state (locking the case row in a write unit), the
lifecycle decides, and these functions store what changed: the case row, its
current round, co-departments and extensions. Numbering is race-free: an
upsert of the year's counter, then an atomic increment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..domain.lifecycle import Action, CaseState, Status
from ..domain.values import parse_id, strip_text
from ..errors import InvalidValue, NotFound
from ..i18n import _
from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

C = t.cases.c
R = t.case_rounds.c


@dataclass(frozen=True)
class LoadedCase:
    """A case's row ids beside its lifecycle state."""

    id: int
    round_id: int
    department_id: int | None
    handler_id: int | None
    state: CaseState


def _locks(conn: Connection) -> bool:
    """Whether this connection is a write unit (it then locks the rows it reads to change)."""
    return bool(conn.get_execution_options().get("liaison_write", False))


def find_case_id(conn: Connection, ref: str) -> int:
    """A case by its number (auto or official), else by id.

    A write unit locks the case row until commit (FOR UPDATE; SQLite's BEGIN
    IMMEDIATE already serialises writers): two clerks taking a step on one
    case at once take turns, and the second sees the first's step.
    """
    text = strip_text(ref or "")
    if not text:
        raise InvalidValue(_("empty case reference"))
    lock = _locks(conn)
    by_number = select(C.id).where(C.number == text)
    found = conn.execute(by_number.with_for_update() if lock else by_number).scalar()
    ident = parse_id(text)
    if found is None and ident is not None:
        by_id = select(C.id).where(C.id == ident)
        found = conn.execute(by_id.with_for_update() if lock else by_id).scalar()
    if found is None:
        raise NotFound(_("unknown case {ref!r}").format(ref=ref))
    return int(found)


def load_case(conn: Connection, ref: str) -> LoadedCase:
    """The case ``ref`` names, with its current round, as the lifecycle sees it."""
    case_id = find_case_id(conn, ref)
    row = conn.execute(
        select(
            C.number,
            C.kind,
            C.status,
            C.round,
            C.received,
            C.last_on,
            C.complex,
            C.proc_due,
            C.proc_replied_on,
            R.id.label("round_id"),
            R.department_id,
            R.handler_id,
            R.assigned_on,
            R.due_original,
            R.due,
            R.replied_on,
            R.satisfaction,
        )
        .select_from(t.cases.join(t.case_rounds, (R.case_id == C.id) & (R.round == C.round)))
        .where(C.id == case_id)
    ).one()
    state = CaseState(
        number=row.number,
        kind=row.kind,
        status=Status(row.status),
        round=row.round,
        received=row.received,
        last_on=row.last_on,
        complex=bool(row.complex),
        proc_due=row.proc_due,
        proc_replied_on=row.proc_replied_on,
        assigned_on=row.assigned_on,
        due_original=row.due_original,
        due=row.due,
        replied_on=row.replied_on,
        satisfaction=row.satisfaction,
    )
    return LoadedCase(case_id, row.round_id, row.department_id, row.handler_id, state)


# -- numbering ------------------------------------------------------------------------


def number_taken(conn: Connection, number: str) -> bool:
    return conn.execute(select(C.id).where(C.number == number)).first() is not None


def next_number(conn: Connection, year: int) -> str:
    """Allocate ``YYYY-NNNN`` without races: an upsert, then an atomic increment."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    k = t.case_counters.c
    conn.execute(
        upsert(t.case_counters)
        .values(year=year, last=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    while True:
        n = conn.execute(
            update(t.case_counters).where(k.year == year).values(last=k.last + 1).returning(k.last)
        ).scalar_one()
        number = f"{year}-{n:04d}"
        # an official number may already have taken this one
        if not number_taken(conn, number):
            return number


# -- writes ---------------------------------------------------------------------------


def insert_case(
    conn: Connection,
    state: CaseState,
    *,
    title: str,
    content: str | None,
    key: bool,
    deputy_ids: Sequence[int],
) -> tuple[int, int]:
    """A new case with its deputies (the first leads) and its first round: (case id, round id)."""
    try:
        case_id = conn.execute(
            insert(t.cases)
            .values(
                number=state.number,
                kind=state.kind,
                title=title,
                content=content,
                key=key,
                complex=state.complex,
                received=state.received,
                status=state.status.value,
                round=state.round,
                proc_due=state.proc_due,
                last_on=state.last_on,
            )
            .returning(C.id)
        ).scalar_one()
    except IntegrityError as exc:
        raise InvalidValue(_("case number {n!r} already exists").format(n=state.number)) from exc
    conn.execute(
        insert(t.case_deputies),
        [{"case_id": case_id, "deputy_id": d, "position": i} for i, d in enumerate(deputy_ids)],
    )
    round_id = insert_round(conn, case_id, state, started_on=state.received)
    return int(case_id), round_id


def insert_round(
    conn: Connection,
    case_id: int,
    state: CaseState,
    *,
    started_on: date,
    department_id: int | None = None,
    handler_id: int | None = None,
) -> int:
    """The case's round ``state.round``, with the assignment and deadline ``state`` holds."""
    return int(
        conn.execute(
            insert(t.case_rounds)
            .values(
                case_id=case_id,
                round=state.round,
                started_on=started_on,
                department_id=department_id,
                handler_id=handler_id,
                assigned_on=state.assigned_on,
                due_original=state.due_original,
                due=state.due,
            )
            .returning(R.id)
        ).scalar_one()
    )


def update_case(conn: Connection, case_id: int, state: CaseState) -> None:
    """The case row's lifecycle columns as ``state`` has them."""
    conn.execute(
        update(t.cases)
        .where(C.id == case_id)
        .values(
            status=state.status.value,
            round=state.round,
            last_on=state.last_on,
            complex=state.complex,
            proc_replied_on=state.proc_replied_on,
        )
    )


def update_round_assignment(
    conn: Connection,
    round_id: int,
    state: CaseState,
    *,
    department_id: int,
    handler_id: int | None,
    co_department_ids: Sequence[int],
) -> None:
    """Who handles the round and its deadline; the co-departments replaced."""
    conn.execute(
        update(t.case_rounds)
        .where(R.id == round_id)
        .values(
            department_id=department_id,
            handler_id=handler_id,
            assigned_on=state.assigned_on,
            due_original=state.due_original,
            due=state.due,
        )
    )
    set_co_departments(conn, round_id, co_department_ids)


def set_co_departments(conn: Connection, round_id: int, department_ids: Sequence[int]) -> None:
    co = t.round_co_departments
    conn.execute(delete(co).where(co.c.round_id == round_id))
    if department_ids:
        conn.execute(
            insert(co), [{"round_id": round_id, "department_id": d} for d in department_ids]
        )


def co_department_ids(conn: Connection, round_id: int) -> list[int]:
    co = t.round_co_departments.c
    stmt = select(co.department_id).where(co.round_id == round_id).order_by(co.department_id)
    return [int(d) for d in conn.execute(stmt).scalars()]


def add_extension(
    conn: Connection,
    round_id: int,
    *,
    on: date,
    old_due: date,
    new_due: date,
    reason: str,
    actor: str,
) -> None:
    """A deadline extension: a record beside the round, and the round's new due date."""
    conn.execute(
        insert(t.extensions).values(
            round_id=round_id,
            extended_on=on,
            old_due=old_due,
            new_due=new_due,
            reason=reason,
            actor=actor,
        )
    )
    conn.execute(update(t.case_rounds).where(R.id == round_id).values(due=new_due))


def set_reply(
    conn: Connection,
    round_id: int,
    *,
    on: date,
    method: str,
    result: str | None,
    summary: str | None,
) -> None:
    conn.execute(
        update(t.case_rounds)
        .where(R.id == round_id)
        .values(replied_on=on, reply_method=method, result=result, reply_summary=summary)
    )


def set_close(conn: Connection, round_id: int, *, on: date, satisfaction: str | None) -> None:
    conn.execute(
        update(t.case_rounds)
        .where(R.id == round_id)
        .values(closed_on=on, satisfaction=satisfaction)
    )


def supersede_round(conn: Connection, round_id: int, on: date) -> None:
    conn.execute(update(t.case_rounds).where(R.id == round_id).values(superseded_on=on))


# -- what a step reports --------------------------------------------------------------


def count_reminders(conn: Connection, case_id: int, round_: int) -> int:
    ev = t.events.c
    return int(
        conn.execute(
            select(func.count()).where(
                ev.case_id == case_id, ev.round == round_, ev.action == Action.REMIND.value
            )
        ).scalar_one()
    )


def department_names(conn: Connection, ids: Sequence[int]) -> list[str]:
    """The names of departments ``ids``, in that order."""
    d = t.departments.c
    names = dict(conn.execute(select(d.id, d.name).where(d.id.in_(list(ids)))).all())
    return [names[i] for i in ids]


def staff_department(conn: Connection, staff_id: int) -> tuple[int, str] | None:
    """The id and name of the department staff member ``staff_id`` belongs to, if any."""
    s, d = t.staff.c, t.departments.c
    stmt = select(d.id, d.name).join(t.staff, s.department_id == d.id).where(s.id == staff_id)
    row = conn.execute(stmt).first()
    return None if row is None else (int(row[0]), str(row[1]))


def staff_name(conn: Connection, staff_id: int) -> str:
    s = t.staff.c
    return str(conn.execute(select(s.name).where(s.id == staff_id)).scalar_one())


def deputy_names(conn: Connection, ids: Sequence[int]) -> list[str]:
    """The names of deputies ``ids``, in that order."""
    d = t.deputies.c
    names = dict(conn.execute(select(d.id, d.name).where(d.id.in_(list(ids)))).all())
    return [names[i] for i in ids]
