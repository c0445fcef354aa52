"""Queries on departments (承办部门) and staff (承办人 / 联络人)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, insert, select

from ..domain.ordering import department_sort_key
from . import schema as t

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class DepartmentRow(TypedDict):
    id: int
    name: str
    staff: int


class StaffRow(TypedDict):
    id: int
    name: str
    department: str | None


def department_named(conn: Connection, name: str) -> int | None:
    """The id of the department of exactly this name, if there is one."""
    found = conn.execute(select(t.departments.c.id).where(t.departments.c.name == name)).scalar()
    return int(found) if found is not None else None


def department_name(conn: Connection, department_id: int) -> str:
    d = t.departments.c
    return str(conn.execute(select(d.name).where(d.id == department_id)).scalar_one())


def insert_department(conn: Connection, name: str) -> int:
    stmt = insert(t.departments).values(name=name).returning(t.departments.c.id)
    return int(conn.execute(stmt).scalar_one())


def department_rows(conn: Connection) -> list[DepartmentRow]:
    """Every department with its number of staff, 第一 … 第十一 in numeric order."""
    s = t.staff.c
    staff_count = select(s.department_id, func.count().label("n")).group_by(s.department_id)
    counted = staff_count.subquery()
    d = t.departments.c
    rows = conn.execute(
        select(d.id, d.name, func.coalesce(counted.c.n, 0)).outerjoin(
            counted, counted.c.department_id == d.id
        )
    )
    found = [DepartmentRow(id=i, name=n, staff=int(c)) for i, n, c in rows]
    # departments are few: ordered here, by the one rule of their order
    return sorted(found, key=lambda r: department_sort_key(r["name"]))


def staff_exists(conn: Connection, name: str, department_id: int | None) -> bool:
    """A staff member of this name in this department (or in none) already."""
    s = t.staff.c
    in_department = (
        s.department_id == department_id if department_id is not None else s.department_id.is_(None)
    )
    return conn.execute(select(s.id).where(s.name == name, in_department)).first() is not None


def insert_staff(conn: Connection, name: str, department_id: int | None) -> int:
    stmt = insert(t.staff).values(name=name, department_id=department_id)
    return int(conn.execute(stmt.returning(t.staff.c.id)).scalar_one())


def staff_name(conn: Connection, staff_id: int) -> str:
    s = t.staff.c
    return str(conn.execute(select(s.name).where(s.id == staff_id)).scalar_one())


def staff_rows(conn: Connection, department_id: int | None = None) -> list[StaffRow]:
    """Staff in id order, with their department's name; only one department if given."""
    s, d = t.staff.c, t.departments.c
    stmt = (
        select(s.id, s.name, d.name)
        .outerjoin(t.departments, s.department_id == d.id)
        .order_by(s.id)
    )
    if department_id is not None:
        stmt = stmt.where(s.department_id == department_id)
    return [StaffRow(id=i, name=n, department=dn) for i, n, dn in conn.execute(stmt)]


def staff_departments(conn: Connection, ids: list[int]) -> dict[int, str | None]:
    """The department of each of the staff members ``ids`` (None for none)."""
    s, d = t.staff.c, t.departments.c
    stmt = (
        select(s.id, d.name).outerjoin(t.departments, s.department_id == d.id).where(s.id.in_(ids))
    )
    return {int(i): n for i, n in conn.execute(stmt)}


def staff_labels(conn: Connection, rows: list[tuple[int, str]]) -> dict[int, str]:
    """Names of (id, name) rows; a name two staff members share gets their department
    (陈志强（第四检察部）), or the id where the department does not tell them apart."""
    seen: dict[str, int] = {}
    for _id, name in rows:
        seen[name] = seen.get(name, 0) + 1
    shared = [_id for _id, name in rows if seen[name] > 1]
    departments = staff_departments(conn, shared) if shared else {}
    in_dept: dict[tuple[str, str | None], int] = {}
    for _id, name in rows:
        if seen[name] > 1:
            key = (name, departments.get(_id))
            in_dept[key] = in_dept.get(key, 0) + 1
    names = {}
    for _id, name in rows:
        dept = departments.get(_id)
        if seen[name] == 1:
            names[_id] = name
        elif dept and in_dept[(name, dept)] == 1:
            names[_id] = f"{name}（{dept}）"
        else:
            names[_id] = f"{name}（#{_id}）"
    return names
