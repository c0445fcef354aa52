"""``liaison dept add|list`` and ``liaison staff add|list``."""

from __future__ import annotations

import typer

from ..i18n import C_, N_, _
from ..output import Column
from .common import emit_result, handle_errors, parse_day, state

dept_app = typer.Typer(no_args_is_help=True)
staff_app = typer.Typer(no_args_is_help=True)


@dept_app.command("add", help=N_("Add a handling department."))
@handle_errors
def dept_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=N_("Department name.")),
    date: str | None = typer.Option(None, "--date", help=N_("Date of the entry (default today).")),
) -> None:
    from ..services.registry import add_department

    st = state(ctx)
    on = parse_day(date)
    row = add_department(st.db, st.actor, name, on)
    emit_result(st, _("added department {id}: {name}").format(**row), dict(row))


@dept_app.command("list", help=N_("List departments."))
@handle_errors
def dept_list(ctx: typer.Context) -> None:
    from ..output import render_rows
    from ..services.registry import list_departments

    st = state(ctx)
    rows = list_departments(st.db)
    render_rows(
        rows,
        [
            Column("id", _("id"), justify="right"),
            Column("name", C_("department", "name")),
            # how many staff the department has (人数), not who they are
            Column("staff", C_("count", "staff"), justify="right"),
        ],
        st.format,
        title=_("Departments"),
    )


@staff_app.command("add", help=N_("Add a staff member (handler or liaison)."))
@handle_errors
def staff_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=N_("Staff member's name.")),
    dept: str = typer.Option(..., "--dept", help=N_("Department name or id.")),
    date: str | None = typer.Option(None, "--date", help=N_("Date of the entry (default today).")),
) -> None:
    from ..services.registry import add_staff

    st = state(ctx)
    on = parse_day(date)
    row = add_staff(st.db, st.actor, name, dept, on)
    emit_result(st, _("added staff {id}: {name} ({department})").format(**row), dict(row))


@staff_app.command("list", help=N_("List staff."))
@handle_errors
def staff_list(
    ctx: typer.Context,
    dept: str | None = typer.Option(None, "--dept", help=N_("Only this department.")),
) -> None:
    from ..output import render_rows
    from ..services.registry import list_staff

    st = state(ctx)
    rows = list_staff(st.db, dept)
    render_rows(
        rows,
        [
            Column("id", _("id"), justify="right"),
            Column("name", _("name")),
            Column("department", _("department")),
        ],
        st.format,
        title=_("Staff"),
    )
