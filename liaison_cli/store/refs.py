"""References a clerk types (a name or an id), resolved to row ids in Core.

One implementation of the matching rules, shared by the write services (which
and the read paths alike: an exact
name first, else a number taken as the id (ASCII digits, or full-width ones:
``²`` or ``①`` is no id); a name two rows share is an error that lists them
with their ids. A deputy may also be written as the importer reads one:
``张伟(内江市东兴区人民医院)`` (the unit) or ``张伟(#12)`` (the id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, and_, case, cast, func, select

from ..domain.values import parse_id, split_names, split_qualified, strip_text
from ..domain.vocab import LEVELS
from ..errors import Ambiguous, InvalidValue, NotFound
from ..i18n import _
from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy import Subquery
    from sqlalchemy.engine import Connection


def is_id(text: str) -> bool:
    return parse_id(text) is not None


def department_id(conn: Connection, ref: str) -> int:
    """A department by exact name, or by id."""
    name = strip_text(ref or "")
    found = conn.execute(select(t.departments.c.id).where(t.departments.c.name == name)).scalar()
    ident = parse_id(name)
    if found is None and ident is not None:
        found = conn.execute(select(t.departments.c.id).where(t.departments.c.id == ident)).scalar()
    if found is None:
        raise NotFound(_("unknown department {ref!r}").format(ref=ref))
    return int(found)


def deputy_id(conn: Connection, ref: str) -> int:
    """A deputy by exact name, or by id; a shared name lists the candidates."""
    text = strip_text(ref or "")
    if not text:
        raise InvalidValue(_("empty deputy reference"))
    d = t.deputies.c
    query = select(d.id, d.name, d.level, d.unit)
    matches = conn.execute(query.where(d.name == text).order_by(d.id)).all()
    qualified = split_qualified(text) if not matches else None
    if qualified is not None:
        # 张伟(内江市东兴区人民医院) or 张伟(#12): one of the deputies of that name
        name, qualifier = qualified
        ident = parse_id(qualifier.removeprefix("#"))
        matches = conn.execute(
            query.where(d.name == name, d.id == ident if ident is not None else d.unit == qualifier)
        ).all()
    ident = parse_id(text)
    if not matches and ident is not None:
        matches = conn.execute(query.where(d.id == ident)).all()
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


def deputy_ids(conn: Connection, ref: str) -> list[int]:
    """The deputies one ``--deputy`` names: one, or several listed as in an
    import file (``李红梅、周建华``). A deputy whose registered name holds a
    separator is still found by it whole."""
    parts = split_names(ref or "")
    if len(parts) > 1:
        d = t.deputies.c
        whole = conn.execute(select(d.id).where(d.name == strip_text(ref or "")).limit(1)).first()
        if whole is None:
            return [deputy_id(conn, part) for part in parts]
    return [deputy_id(conn, ref)]


def deputy_ids_of_level(conn: Connection, level: str | None) -> list[int]:
    """Every deputy on the registry (of ``level``), by id."""
    d = t.deputies.c
    query = select(d.id).order_by(d.id)
    if level is not None:
        query = query.where(d.level == level)
    return [int(i) for i in conn.execute(query).scalars()]


def staff_id(conn: Connection, ref: str, department_id: int | None = None) -> int:
    """A staff member by exact name (preferring ``department_id``'s), or by id."""
    name = strip_text(ref or "")
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
    ident = parse_id(name)
    if not matches and ident is not None:
        matches = conn.execute(query.where(s.id == ident)).all()
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
