"""The root of the command tree and its global options.

The command modules are listed in ``_groups`` rather than imported here:
``liaison overdue`` loads only ``cli/cases.py`` and Typer builds only its
commands (:func:`app_for`), while help, completion and an unknown word get
the whole tree. ``app`` (the whole tree) is built on first use, for the tests
and scripts that import it.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer

from .. import __version__
from ..i18n import _
from .common import State, default_actor

# Root commands defined by a module whose commands join the root (no group
# name of their own); tests/test_startup.py checks this against the tree.
ROOT_COMMANDS: dict[str, str] = {
    "init": "dbcmd",
    "log-contact": "contacts",
    "contacts": "contacts",
    "add-suggestion": "cases",
    "assign": "cases",
    "remind": "cases",
    "extend": "cases",
    "reply": "cases",
    "close": "cases",
    "reopen": "cases",
    "show": "cases",
    "cases": "cases",
    "overdue": "cases",
    "report": "report",
}

# the global options that take a value (``--db FILE``)
_VALUE_OPTIONS = ("--db", "--format", "--as", "--lang")


def _groups() -> list[tuple[str, str, str | None, str | None]]:
    """(module, Typer attribute, group name or None to join the root, help), in help order."""
    return [
        ("dbcmd", "app", None, None),
        ("dbcmd", "db_app", "db", _("Database: upgrade, current, backup, copy, check.")),
        ("deputy", "app", "deputy", _("Deputies and CPPCC members: add, list, show, edit.")),
        ("registry", "dept_app", "dept", _("Handling departments: add, list.")),
        ("registry", "staff_app", "staff", _("Staff, handlers and liaisons: add, list.")),
        ("contacts", "app", None, None),
        ("cases", "app", None, None),
        ("stats", "app", "stats", _("Rates and counts for a period: cases, contacts.")),
        ("report", "app", None, None),
        (
            "io",
            "import_app",
            "import",
            _("Import deputies, cases or contacts from CSV or XLSX."),
        ),
        ("io", "export_app", "export", _("Export deputies, cases or contacts.")),
    ]


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
        help=_("Database: a file path (SQLite) or a URL such as postgresql+psycopg://…"),
        show_envvar=True,
    ),
    fmt: str | None = typer.Option(
        None,
        "--format",
        envvar="LIAISON_FORMAT",
        help=_("Output format: table, plain, csv, json, markdown or any tabulate format."),
        show_envvar=True,
    ),
    actor: str | None = typer.Option(
        None,
        "--as",
        envvar="LIAISON_USER",
        help=_("Name recorded as the actor of every change (default: the OS user)."),
        show_envvar=True,
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar="LIAISON_LANG",
        help=_("Interface language: zh or en (default: from the locale)."),
        show_envvar=True,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
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
    who = (actor or "").strip() or default_actor()
    if len(who) > 100 or any(ord(ch) < 32 for ch in who):
        raise typer.BadParameter(_("not a usable name"), param_hint="--as")
    ctx.obj = State(db_arg=db, format=chosen, actor=who)
    # close connections when the command ends (tests run many in one process)
    ctx.call_on_close(ctx.obj.close)


def build(only: str | None = None) -> typer.Typer:
    """The command tree: every command, or only the module that defines ``only``."""
    tree = typer.Typer(
        name="liaison",
        help=_(
            "Case tracker for deputy-liaison offices: deputies, contacts, suggestions "
            "and cases of concern, deadlines, overdue lists and annual rates."
        ),
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    tree.callback()(root)
    for module, attribute, name, help_text in _groups():
        if only is not None and (name != only if name else ROOT_COMMANDS.get(only) != module):
            continue
        sub = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
        if name is None:
            tree.add_typer(_only(sub, only) if only else sub)
        else:
            tree.add_typer(sub, name=name, help=help_text)
    return tree


def _only(sub: typer.Typer, command: str) -> typer.Typer:
    """``sub`` with just ``command``: Typer then builds one command, not the module's ten."""
    chosen = [info for info in sub.registered_commands if info.name == command]
    if not chosen:
        return sub
    lean = typer.Typer()
    lean.registered_commands = chosen
    return lean


def command_word(argv: list[str]) -> str | None:
    """The command ``argv`` runs, past the global options; None for the root's own.

    None also when an option is not one of ours (``--help``, ``--version``,
    completion, a typo): the whole tree then answers, as it always did.
    """
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _VALUE_OPTIONS:
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in _VALUE_OPTIONS)):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def app_for(argv: list[str]) -> typer.Typer:
    """The tree ``liaison`` needs for ``argv``: one module's commands when it can tell."""
    word = command_word(argv)
    completing = any(k.endswith("_COMPLETE") for k in os.environ)
    known = word in ROOT_COMMANDS or word in {g[2] for g in _groups() if g[2]}
    if word is None or completing or not known:
        return build()
    return build(only=word)


def __getattr__(name: str) -> Any:
    # ``from liaison_cli.cli.app import app``: the whole tree, built once
    if name == "app":
        tree = globals()["app"] = build()
        return tree
    raise AttributeError(name)
