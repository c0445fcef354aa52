"""Departments (承办部门) and staff (承办人 / 联络人)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Ambiguous, InvalidValue, NotFound
from ..i18n import _
from ..models import Department, Staff
from .common import MAX_NAME, clean_text, record
from .refs import department_id, is_id


def resolve_department(session: Session, ref: str) -> Department:
    """A department by exact name, or by id (rules in :func:`refs.department_id`)."""
    dept = session.get(Department, department_id(session, ref))
    assert dept is not None
    return dept


def resolve_staff(session: Session, ref: str, department_id: int | None = None) -> Staff:
    """A staff member by name (preferring the given department) or by id."""
    name = (ref or "").strip()
    matches = list(session.execute(select(Staff).where(Staff.name == name)).scalars())
    if len(matches) > 1 and department_id is not None:
        in_dept = [m for m in matches if m.department_id == department_id]
        if in_dept:
            matches = in_dept
    if not matches and is_id(name):
        found = session.get(Staff, int(name))
        matches = [found] if found else []
    if not matches:
        raise NotFound(_("unknown staff member {ref!r}").format(ref=ref))
    if len(matches) > 1:
        raise Ambiguous(
            _("{ref!r} matches {n} staff members; use the id").format(ref=ref, n=len(matches)),
            [f"  {m.id}  {m.name}  {m.department.name if m.department else ''}" for m in matches],
        )
    return matches[0]


def add_department(session: Session, actor: str, name: str, on: date) -> dict[str, Any]:
    clean = clean_text(name, _("department name"), required=True, max_len=200, single_line=True)
    if session.execute(select(Department.id).where(Department.name == clean)).first():
        raise InvalidValue(_("department {name!r} already exists").format(name=clean))
    dept = Department(name=clean)
    session.add(dept)
    session.flush()
    record(session, actor, "dept.add", "department", dept.id, on, details={"name": clean})
    return {"id": dept.id, "name": dept.name, "staff": 0}


def list_departments(session: Session) -> list[dict[str, Any]]:
    staff_count = (
        select(Staff.department_id, func.count().label("n"))
        .group_by(Staff.department_id)
        .subquery()
    )
    rows = session.execute(
        select(Department.id, Department.name, func.coalesce(staff_count.c.n, 0))
        .outerjoin(staff_count, staff_count.c.department_id == Department.id)
        .order_by(Department.id)
    )
    return [{"id": i, "name": n, "staff": c} for i, n, c in rows]


def get_or_create_department(session: Session, actor: str, name: str, on: date) -> Department:
    """Used by import: a department named in a ledger is created if new."""
    clean = clean_text(name, _("department name"), required=True, max_len=200, single_line=True)
    dept = session.execute(select(Department).where(Department.name == clean)).scalar()
    if dept is None:
        add_department(session, actor, clean or "", on)
        dept = session.execute(select(Department).where(Department.name == clean)).scalar_one()
    return dept


def add_staff(
    session: Session, actor: str, name: str, dept_ref: str | None, on: date
) -> dict[str, Any]:
    clean = clean_text(name, _("staff name"), required=True, max_len=MAX_NAME, single_line=True)
    # a blank --dept is an unknown department, not "no department"
    dept = resolve_department(session, dept_ref) if dept_ref is not None else None
    dup = select(Staff.id).where(
        Staff.name == clean,
        Staff.department_id == dept.id if dept else Staff.department_id.is_(None),
    )
    if session.execute(dup).first():
        raise InvalidValue(
            _("staff member {name!r} already exists in that department").format(name=clean)
        )
    staff = Staff(name=clean, department_id=dept.id if dept else None)
    session.add(staff)
    session.flush()
    record(
        session,
        actor,
        "staff.add",
        "staff",
        staff.id,
        on,
        details={"name": clean, "department": dept.name if dept else None},
    )
    return {"id": staff.id, "name": staff.name, "department": dept.name if dept else None}


def list_staff(session: Session, dept_ref: str | None = None) -> list[dict[str, Any]]:
    stmt = (
        select(Staff.id, Staff.name, Department.name)
        .outerjoin(Department, Staff.department_id == Department.id)
        .order_by(Staff.id)
    )
    if dept_ref:
        stmt = stmt.where(Staff.department_id == resolve_department(session, dept_ref).id)
    return [{"id": i, "name": n, "department": d} for i, n, d in session.execute(stmt)]
