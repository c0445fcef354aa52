"""``liaison init`` and ``liaison db …``: create, upgrade, inspect, back up, check."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import N_, _
from .common import handle_errors, state

app = typer.Typer()
db_app = typer.Typer(no_args_is_help=True)


@app.command("init", help=N_("Create the database, or upgrade it to the current schema."))
@handle_errors
def init(ctx: typer.Context) -> None:
    from ..services.schema import upgrade as upgrade_schema

    def said(path: Path) -> None:
        # said before migrating: if the upgrade fails, the clerk knows where the copy is
        typer.echo(_("backup written to {path}").format(path=path), err=True)

    done = upgrade_schema(state(ctx).db, said)
    if done.revision == done.head:
        typer.echo(
            _("{where} is up to date (schema {rev})").format(where=done.where, rev=done.head)
        )
    elif done.revision is None:
        typer.echo(_("created {where} (schema {rev})").format(where=done.where, rev=done.head))
    else:
        typer.echo(
            _("upgraded {where} from schema {old} to {rev}").format(
                where=done.where, old=done.revision, rev=done.head
            )
        )


@db_app.command(
    "upgrade", help=N_("Upgrade the schema to this version (backs up a SQLite file first).")
)
@handle_errors
def upgrade(ctx: typer.Context) -> None:
    init(ctx)


@db_app.command("current", help=N_("Print the database's schema revision."))
@handle_errors
def current(ctx: typer.Context) -> None:
    from ..services.schema import current_revision

    found = current_revision(state(ctx).db)
    rev, where = found.revision, found.where
    if rev is None:
        typer.echo(_("{where}: empty (no schema yet)").format(where=where))
    elif rev == found.head:
        typer.echo(_("{rev} (head) {where}").format(rev=rev, where=where))
    else:
        typer.echo(
            _("{rev} (head is {head}) {where}").format(rev=rev, head=found.head, where=where)
        )


@db_app.command("backup", help=N_("Copy the database to FILE while others keep working."))
@handle_errors
def backup(
    ctx: typer.Context,
    # a str, not a Path: Path("") is "." (the current folder), and an empty
    # name must be refused as what it is
    file: str = typer.Argument(..., help=N_("Where to write the copy.")),
) -> None:
    from ..errors import InvalidValue
    from ..services.schema import backup as backup_database

    if not file.strip():
        raise InvalidValue(_("the backup file name is empty"))
    backup_database(state(ctx).db, Path(file))
    typer.echo(_("backup written to {path}").format(path=file))


@db_app.command("check", help=N_("Check integrity, references and case invariants."))
@handle_errors
def check(ctx: typer.Context) -> None:
    from ..output import Column, render_rows
    from ..services.maintenance import check_database

    st = state(ctx)
    problems = check_database(st.db)
    if problems:
        render_rows(
            problems,
            [Column("check", _("check")), Column("detail", _("detail"))],
            st.format,
        )
        raise typer.Exit(1)
    if st.format in ("json",):
        typer.echo("[]")
    elif st.format != "csv":
        typer.echo(_("database is consistent"))


@db_app.command(
    "copy",
    help=N_(
        "Copy every record to another, empty database (for example an office's "
        "SQLite file to the shared PostgreSQL server)."
    ),
)
@handle_errors
def copy(
    ctx: typer.Context,
    to: str = typer.Option(
        ...,
        "--to",
        help=N_("The target: a file path (SQLite) or a URL such as postgresql+psycopg://…"),
    ),
) -> None:
    from ..output import Column, render_rows
    from ..services.copy import copy_database

    st = state(ctx)
    done = copy_database(st.db, to)
    render_rows(done.counts, [Column("table", _("table")), Column("rows", _("rows"))], st.format)
    if st.format not in ("json", "csv"):
        typer.echo(
            _("copied {n} rows to {where}").format(
                n=sum(c["rows"] for c in done.counts), where=done.where
            )
        )
