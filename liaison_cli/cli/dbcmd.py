"""``liaison init`` and ``liaison db …``: create, upgrade, inspect, back up, check."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import _
from .common import handle_errors, state

app = typer.Typer()
db_app = typer.Typer(no_args_is_help=True)


@app.command("init", help=_("Create the database, or upgrade it to the current schema."))
@handle_errors
def init(ctx: typer.Context) -> None:
    from ..store.database import HEAD_REVISION, safe_url

    st = state(ctx)
    before = st.db.current_revision()
    backup = None
    if before not in (None, HEAD_REVISION):
        backup = st.db.backup_before_upgrade()
    if backup:
        # said before migrating: if the upgrade fails, the clerk knows where the copy is
        typer.echo(_("backup written to {path}").format(path=backup), err=True)
    st.db.ensure_schema()
    where = str(st.db.path) if st.db.path else safe_url(st.db.url)
    if before == HEAD_REVISION:
        typer.echo(_("{where} is up to date (schema {rev})").format(where=where, rev=HEAD_REVISION))
    elif before is None:
        typer.echo(_("created {where} (schema {rev})").format(where=where, rev=HEAD_REVISION))
    else:
        typer.echo(
            _("upgraded {where} from schema {old} to {rev}").format(
                where=where, old=before, rev=HEAD_REVISION
            )
        )


@db_app.command(
    "upgrade", help=_("Upgrade the schema to this version (backs up a SQLite file first).")
)
@handle_errors
def upgrade(ctx: typer.Context) -> None:
    init(ctx)


@db_app.command("current", help=_("Print the database's schema revision."))
@handle_errors
def current(ctx: typer.Context) -> None:
    from ..store.database import HEAD_REVISION, safe_url

    st = state(ctx)
    rev = st.db.current_revision()
    where = str(st.db.path) if st.db.path else safe_url(st.db.url)
    if rev is None:
        typer.echo(_("{where}: empty (no schema yet)").format(where=where))
    elif rev == HEAD_REVISION:
        typer.echo(_("{rev} (head) {where}").format(rev=rev, where=where))
    else:
        typer.echo(
            _("{rev} (head is {head}) {where}").format(rev=rev, head=HEAD_REVISION, where=where)
        )


@db_app.command("backup", help=_("Copy the database to FILE while others keep working."))
@handle_errors
def backup(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help=_("Where to write the copy."), dir_okay=False),
) -> None:
    from ..errors import LiaisonError
    from ..store.database import safe_url

    st = state(ctx)
    if not st.db.is_sqlite:
        import shlex

        from sqlalchemy.engine import make_url

        # the command to paste: pg_dump's own URL scheme, the file quoted for
        # the shell, the password never shown (*** stands in for it)
        url = safe_url(st.db.url).replace("+psycopg", "")
        if make_url(st.db.url).password:
            advice = _(
                "a PostgreSQL database is backed up with pg_dump, not by liaison: "
                "pg_dump --format=custom --file {file} {url} (the password in place of "
                "***, or from ~/.pgpass); restore into an empty database with "
                "pg_restore --dbname URL {file}"
            )
        else:
            advice = _(
                "a PostgreSQL database is backed up with pg_dump, not by liaison: "
                "pg_dump --format=custom --file {file} {url}; restore into an empty "
                "database with pg_restore --dbname URL {file}"
            )
        raise LiaisonError(advice.format(file=shlex.quote(str(file)), url=url))
    st.db.ensure_schema()
    st.db.backup_to(file)
    typer.echo(_("backup written to {path}").format(path=file))


@db_app.command("check", help=_("Check integrity, references and case invariants."))
@handle_errors
def check(ctx: typer.Context) -> None:
    from ..render import Column, render_rows
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
    help=_(
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
        help=_("The target: a file path (SQLite) or a URL such as postgresql+psycopg://…"),
    ),
) -> None:
    from ..render import Column, render_rows
    from ..services.copy import copy_database
    from ..store.database import Database, resolve_url, safe_url

    st = state(ctx)
    target = Database(resolve_url(to))
    try:
        counts = copy_database(st.db, target)
    finally:
        target.dispose()
    where = str(target.path) if target.path else safe_url(target.url)
    render_rows(counts, [Column("table", _("table")), Column("rows", _("rows"))], st.format)
    if st.format not in ("json", "csv"):
        typer.echo(
            _("copied {n} rows to {where}").format(n=sum(c["rows"] for c in counts), where=where)
        )
