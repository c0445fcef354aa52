"""Departments (承办部门) and staff (承办人 / 联络人): add and list them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..domain.audit import Entity, RecordAction
from ..domain.values import MAX_DEPARTMENT, clean_name
from ..errors import InvalidValue
from ..i18n import _
from ..store import events, refs
from ..store import registry as store
from ..store.registry import DepartmentRow, StaffRow
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from ..store.database import Database

__all__ = [
    "DepartmentRow",
    "StaffRow",
    "add_department",
    "add_department_in",
    "add_staff",
    "add_staff_in",
    "list_departments",
    "list_staff",
]


def add_department(db: Database, actor: str, name: str, on: date) -> DepartmentRow:
    with unit_of_work(db, write=True) as conn:
        return add_department_in(conn, actor, name, on)


def add_department_in(conn: Connection, actor: str, name: str, on: date) -> DepartmentRow:
    """``add_department`` in a transaction the caller holds (one of several steps)."""
    clean = clean_name(name, _("department name"), max_len=MAX_DEPARTMENT)
    if store.department_named(conn, clean) is not None:
        raise InvalidValue(_("department {name!r} already exists").format(name=clean))
    new_id = store.insert_department(conn, clean)
    events.append(
        conn,
        actor,
        events.NewEvent(
            RecordAction.DEPT_ADD, Entity.DEPARTMENT, new_id, on, details={"name": clean}
        ),
    )
    return DepartmentRow(id=new_id, name=clean, staff=0)


def list_departments(db: Database) -> list[DepartmentRow]:
    with unit_of_work(db) as conn:
        return store.department_rows(conn)


def add_staff(db: Database, actor: str, name: str, dept_ref: str | None, on: date) -> StaffRow:
    with unit_of_work(db, write=True) as conn:
        return add_staff_in(conn, actor, name, dept_ref, on)


def add_staff_in(
    conn: Connection, actor: str, name: str, dept_ref: str | None, on: date
) -> StaffRow:
    """``add_staff`` in a transaction the caller holds (one of several steps)."""
    clean = clean_name(name, _("staff name"))
    # a blank --dept is an unknown department, not "no department"
    dept_id = refs.department_id(conn, dept_ref) if dept_ref is not None else None
    dept_name = store.department_name(conn, dept_id) if dept_id is not None else None
    if store.staff_exists(conn, clean, dept_id):
        raise InvalidValue(
            _("staff member {name!r} already exists in that department").format(name=clean)
        )
    new_id = store.insert_staff(conn, clean, dept_id)
    events.append(
        conn,
        actor,
        events.NewEvent(
            RecordAction.STAFF_ADD,
            Entity.STAFF,
            new_id,
            on,
            details={"name": clean, "department": dept_name},
        ),
    )
    return StaffRow(id=new_id, name=clean, department=dept_name)


def list_staff(db: Database, dept_ref: str | None = None) -> list[StaffRow]:
    with unit_of_work(db) as conn:
        dept_id = refs.department_id(conn, dept_ref) if dept_ref else None
        return store.staff_rows(conn, dept_id)
