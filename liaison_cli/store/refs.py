"""References a clerk types (a name or an id), resolved to row ids in Core.

One implementation of the matching rules, shared by the write services (which
and the read paths alike: an exact
name first, else a number taken as the id; a name two rows share is an error
that lists them with their ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, and_, case, cast, func, select

from ..domain.vocab import LEVELS
from ..errors import Ambiguous, InvalidValue, NotFound
from ..i18n import _
from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy import Subquery
    from sqlalchemy.engine import Connection


def is_id(text: str) -> bool:
    return text.isdigit() and len(text) < 10


def department_id(conn: Connection, ref: str) -> int:
    """A department by exact name, or by id."""
    name = (ref or "").strip()
    found = conn.execute(select(t.departments.c.id).where(t.departments.c.name == name)).scalar()
    if found is None and is_id(name):
        found = conn.execute(
            select(t.departments.c.id).where(t.departments.c.id == int(name))
        ).scalar()
    if found is None:
        raise NotFound(_("unknown department {ref!r}").format(ref=ref))
    return int(found)


def deputy_id(conn: Connection, ref: str) -> int:
    """A deputy by exact name, or by id; a shared name lists the candidates."""
    text = (ref or "").strip()
    if not text:
        raise InvalidValue(_("empty deputy reference"))
    d = t.deputies.c
    matches = conn.execute(
        select(d.id, d.name, d.level, d.unit).where(d.name == text).order_by(d.id)
    ).all()
    if not matches and is_id(text):
        matches = conn.execute(select(d.id, d.name, d.level, d.unit).where(d.id == int(text))).all()
    if not matches:
        raise NotFound(_("unknown deputy {ref!r}").format(ref=ref))
    if len(matches) > 1:
        raise Ambiguous(
            _("{ref!r} matches {n} deputies; use the id").format(ref=text, n=len(matches)),
            [
                f"  {m.id}  {m.name}  {LEVELS.label(m.level)}  {m.unit or ''}".rstrip()
                for m in matches
            ],
        )
    return int(matches[0].id)


def staff_id(conn: Connection, ref: str, department_id: int | None = None) -> int:
    """A staff member by exact name (preferring ``department_id``'s), or by id."""
    name = (ref or "").strip()
    s = t.staff.c
    dept = t.departments.c
    query = select(s.id, s.name, s.department_id, dept.name.label("department")).outerjoin(
        t.departments, dept.id == s.department_id
    )
    matches = conn.execute(query.where(s.name == name).order_by(s.id)).all()
    if len(matches) > 1 and department_id is not None:
        in_dept = [m for m in matches if m.department_id == department_id]
        if in_dept:
            matches = in_dept
    if not matches and is_id(name):
        matches = conn.execute(query.where(s.id == int(name))).all()
    if not matches:
        raise NotFound(_("unknown staff member {ref!r}").format(ref=ref))
    if len(matches) > 1:
        raise Ambiguous(
            _("{ref!r} matches {n} staff members; use the id").format(ref=ref, n=len(matches)),
            [f"  {m.id}  {m.name}  {m.department or ''}" for m in matches],
        )
    return int(matches[0].id)


def labelled_deputies() -> Subquery:
    """``(id, label)`` of every deputy: the name, told apart where it is shared.

    A listing of 张伟、张伟 does not say which 张伟: where two deputies share
    a name, each reads with its unit, as the error of :func:`deputy_id` lists
    them (张伟（省交通厅）), or with its id when the unit does not tell them
    apart either (张伟（#12）). A name nobody else has reads as it is.
    """
    d = t.deputies.c
    shared = (
        select(d.name, func.count().label("n")).group_by(d.name).having(func.count() > 1)
    ).subquery("shared_names")
    units = (select(d.name, d.unit, func.count().label("n")).group_by(d.name, d.unit)).subquery(
        "shared_units"
    )
    label = case(
        (shared.c.n.is_(None), d.name),
        (and_(d.unit != "", units.c.n == 1), d.name + "（" + d.unit + "）"),
        else_=d.name + "（#" + cast(d.id, String) + "）",
    )
    return (
        select(d.id, label.label("label"))
        .outerjoin(shared, shared.c.name == d.name)
        .outerjoin(units, and_(units.c.name == d.name, units.c.unit == d.unit))
        .subquery("labelled_deputies")
    )
