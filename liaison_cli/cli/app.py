"""The root of the command tree and its global options.

Every command module is imported and joined here, the ordinary Typer way:
the whole tree is built for every invocation (``liaison --help`` stays far
inside its start-up budget with it). The groups are
:class:`~liaison_cli.cli.localized.LocalizedGroup`: the language is chosen
when the command runs and help is translated when it is shown.
"""

from __future__ import annotations

import sys

import typer

from .. import __version__
from ..i18n import N_, _
from . import cases, contacts, dbcmd, deputy, io, registry, report, stats
from .common import State, default_actor
from .localized import LocalizedGroup


def _version(value: bool) -> None:
    if value:
        typer.echo(f"liaison {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="LIAISON_DB",
        help=N_("Database: a file path (SQLite) or a URL such as postgresql+psycopg://…"),
        show_envvar=True,
    ),
    fmt: str | None = typer.Option(
        None,
        "--format",
        envvar="LIAISON_FORMAT",
        help=N_("Output format: table, plain, csv, json, markdown or any tabulate format."),
        show_envvar=True,
    ),
    actor: str | None = typer.Option(
        None,
        "--as",
        envvar="LIAISON_USER",
        help=N_("Name recorded as the actor of every change (default: the OS user)."),
        show_envvar=True,
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar="LIAISON_LANG",
        help=N_("Interface language: zh or en (default: from the locale)."),
        show_envvar=True,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=N_("Show the version and exit.")
    ),
) -> None:
    if lang is not None:
        from ..i18n import normalize

        if normalize(lang) is None:
            raise typer.BadParameter(_("choose zh or en"), param_hint="--lang")
    chosen = (fmt or "").strip().lower()
    if not chosen:
        chosen = "table" if sys.stdout.isatty() else "plain"
    elif chosen not in ("table", "plain", "csv", "json", "markdown", "md"):
        from ..output import valid_formats

        if chosen not in valid_formats():
            raise typer.BadParameter(
                _("{value!r} is not one of: {choices}").format(
                    value=fmt, choices=", ".join(valid_formats())
                ),
                param_hint="--format",
            )
    from ..domain.values import MAX_NAME, strip_text, text_problem

    who = strip_text(actor or "") or default_actor()
    # a name of nothing but invisible characters is no name (blank is the default)
    invisible = bool((actor or "").strip()) and not strip_text(actor or "")
    if invisible or text_problem(who, "--as", single_line=True, max_len=MAX_NAME):
        raise typer.BadParameter(_("not a usable name"), param_hint="--as")
    ctx.obj = State(db_arg=db, format=chosen, actor=who)
    # close connections when the command ends (tests run many in one process)
    ctx.call_on_close(ctx.obj.close)


def build() -> typer.Typer:
    """The whole command tree, in the order ``--help`` lists it."""
    tree = typer.Typer(
        name="liaison",
        cls=LocalizedGroup,
        help=N_(
            "Case tracker for deputy-liaison offices: deputies, contacts, suggestions "
            "and cases of concern, deadlines, overdue lists and annual rates."
        ),
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    tree.callback()(root)
    tree.add_typer(dbcmd.app)
    tree.add_typer(
        dbcmd.db_app,
        name="db",
        cls=LocalizedGroup,
        help=N_("Database: upgrade, current, backup, copy, check."),
    )
    tree.add_typer(
        deputy.app,
        name="deputy",
        cls=LocalizedGroup,
        help=N_("Deputies and CPPCC members: add, list, show, edit."),
    )
    tree.add_typer(
        registry.dept_app,
        name="dept",
        cls=LocalizedGroup,
        help=N_("Handling departments: add, list."),
    )
    tree.add_typer(
        registry.staff_app,
        name="staff",
        cls=LocalizedGroup,
        help=N_("Staff, handlers and liaisons: add, list."),
    )
    tree.add_typer(contacts.app)
    tree.add_typer(cases.app)
    tree.add_typer(
        stats.app,
        name="stats",
        cls=LocalizedGroup,
        help=N_("Rates and counts for a period: cases, contacts."),
    )
    tree.add_typer(report.app)
    tree.add_typer(
        io.import_app,
        name="import",
        cls=LocalizedGroup,
        help=N_("Import deputies, cases or contacts from CSV or XLSX."),
    )
    tree.add_typer(
        io.export_app,
        name="export",
        cls=LocalizedGroup,
        help=N_("Export deputies, cases or contacts."),
    )
    return tree


app = build()
