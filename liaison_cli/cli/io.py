"""``liaison import deputies|cases|contacts FILE`` and ``liaison export …``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from ..i18n import N_, _
from .common import State, emit_result, handle_errors, state

if TYPE_CHECKING:
    from ..services.importing.run import ImportResult

import_app = typer.Typer(no_args_is_help=True)
export_app = typer.Typer(no_args_is_help=True)

FILE_HELP = N_("A .csv (UTF-8 or GB18030), .xlsx or .json file; English or Chinese headers.")
SHEET_HELP = N_("The sheet of an .xlsx workbook to read (needed when several hold data).")
ENCODING_HELP = N_("The encoding of a .csv or .json file (e.g. big5), when not UTF-8 or GB18030.")
DRY_HELP = N_("Check the file and report what would be imported; write nothing.")
CREATE_HELP = N_("Add deputies the file names but the registry lacks (needs --level).")
LEVEL_HELP = N_("Level of the deputies --create-deputies adds (全国/省/市/县/乡镇).")
PROGRESS_FROM = 2000  # rows: smaller files finish before a bar is worth drawing


@contextmanager
def _progress(enabled: bool) -> Any:
    """A rich progress bar on stderr, only for a person watching a terminal."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    labels = {"import": _("importing")}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if total < PROGRESS_FROM:
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _run_import(
    ctx: typer.Context,
    table: str,
    file: str,
    dry_run: bool,
    extra: dict[str, Any],
    sheet: str | None,
    encoding: str | None,
) -> None:
    import sys
    from importlib import import_module

    from ..services.importing.files import ReadOptions

    st = state(ctx)
    importer = import_module(f"liaison_cli.services.importing.{table}")
    run: Callable[..., ImportResult] = getattr(importer, f"import_{table}")
    read = ReadOptions(sheet=sheet, encoding=encoding)
    with _progress(sys.stdout.isatty()) as progress:
        result = run(st.db, st.actor, file, dry_run=dry_run, progress=progress, read=read, **extra)
    _report(st, result)


def _report(st: State, result: ImportResult) -> None:
    from ..services.importing.files import short_list

    what = {
        "deputies": _("deputies"),
        "cases": _("cases"),
        "contacts": _("contacts"),
    }[result.table]
    if result.dry_run:
        message = _("dry run: {rows} rows checked, {n} {what} would be imported").format(
            rows=result.rows, n=result.imported, what=what
        )
    else:
        message = _("imported {n} {what} from {file}").format(
            n=result.imported, what=what, file=result.file
        )
    notes = []
    if result.skipped:
        reason = (
            _("already on the registry")
            if result.table == "deputies"
            else _("already in the ledger")
        )
        notes.append(_("{n} skipped ({reason})").format(n=result.skipped, reason=reason))
    created = [
        (result.created_departments, _("departments")),
        (result.created_staff, _("staff")),
        (result.created_deputies, _("deputies")),
    ]
    made = _(", ").join(f"{n} {label}" for n, label in created if n)
    if made:
        notes.append(
            (_("would create {what}") if result.dry_run else _("created {what}")).format(what=made)
        )
    ignored = short_list(result.ignored_columns)
    if ignored:
        notes.append(_("ignored columns: {columns}").format(columns=ignored))
    if result.dry_run:
        notes.append(_("nothing written"))
    text = message + (_("; ") + _("; ").join(notes) if notes else "")
    row: dict[str, object] = {**result.as_row()}
    row["ignored_columns"] = ", ".join(result.ignored_columns)  # all of them, for a script
    if st.format == "csv":
        for key in ("new_departments", "new_staff", "new_deputies"):
            row[key] = ", ".join(result.names(key.removeprefix("new_").rstrip("s")))
    emit_result(st, text, row)
    to_stderr = st.format in ("json", "csv")
    if to_stderr:
        typer.echo(text, err=True)
    for line in _created_lines(result):
        typer.echo(line, err=to_stderr)
    for line in _near_lines(result):
        typer.echo(line, err=True)


def _created_lines(result: ImportResult) -> list[str]:
    """One line per department, staff member and deputy the import creates."""
    lines = []
    for new in result.created:
        if new.kind == "department":
            what = _("department {name}").format(name=new.name)
        elif new.kind == "staff" and new.department:
            what = _("staff member {name} in {dept}").format(name=new.name, dept=new.department)
        elif new.kind == "staff":
            what = _("staff member {name}").format(name=new.name)
        else:
            what = _("deputy {name}").format(name=new.name)
        if result.dry_run:
            lines.append(_("  would create {what}").format(what=what))
        else:
            lines.append(_("  created {what}").format(what=what))
    return lines


def _near_lines(result: ImportResult) -> list[str]:
    """A ``warning:`` for each new name one character away from another."""
    labels = {
        "department": _("new department"),
        "staff": _("new staff member"),
        "deputy": _("new deputy"),
    }
    return [
        _("warning: {what} {name} is one character away from {near}").format(
            what=labels[new.kind], name=new.name, near=_(", ").join(new.near)
        )
        for new in result.created
        if new.near
    ]


@import_app.command(
    "deputies", help=N_("Import deputies; rows identical to a registered deputy are skipped.")
)
@handle_errors
def import_deputies(
    ctx: typer.Context,
    file: str = typer.Argument(..., help=FILE_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_HELP),
    sheet: str | None = typer.Option(None, "--sheet", help=SHEET_HELP),
    encoding: str | None = typer.Option(None, "--encoding", help=ENCODING_HELP),
) -> None:
    _run_import(ctx, "deputies", file, dry_run, {}, sheet, encoding)


@import_app.command(
    "cases",
    help=N_(
        "Import cases with their history (assigned, replied, closed …); "
        "numbers already in the ledger are skipped."
    ),
)
@handle_errors
def import_cases(
    ctx: typer.Context,
    file: str = typer.Argument(..., help=FILE_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_HELP),
    create_deputies: bool = typer.Option(False, "--create-deputies", help=CREATE_HELP),
    level: str | None = typer.Option(None, "--level", help=LEVEL_HELP),
    sheet: str | None = typer.Option(None, "--sheet", help=SHEET_HELP),
    encoding: str | None = typer.Option(None, "--encoding", help=ENCODING_HELP),
) -> None:
    extra = {"create_deputies": create_deputies, "level": level}
    _run_import(ctx, "cases", file, dry_run, extra, sheet, encoding)


@import_app.command("contacts", help=N_("Import liaison contacts (each row is one activity)."))
@handle_errors
def import_contacts(
    ctx: typer.Context,
    file: str = typer.Argument(..., help=FILE_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_HELP),
    create_deputies: bool = typer.Option(False, "--create-deputies", help=CREATE_HELP),
    level: str | None = typer.Option(None, "--level", help=LEVEL_HELP),
    sheet: str | None = typer.Option(None, "--sheet", help=SHEET_HELP),
    encoding: str | None = typer.Option(None, "--encoding", help=ENCODING_HELP),
) -> None:
    extra = {"create_deputies": create_deputies, "level": level}
    _run_import(ctx, "contacts", file, dry_run, extra, sheet, encoding)


def _run_export(
    ctx: typer.Context,
    table: str,
    out: str | None,
    bom: bool,
    overwrite: bool = False,
    mode: str | None = None,
) -> None:
    import sys

    from ..i18n import language
    from ..output.export import format_for, write_export
    from ..output.files import check_target, parse_mode

    st = state(ctx)
    file_mode = parse_mode(mode)
    if out is not None:
        # a bad extension, a missing folder or a file in the way fail before any work
        format_for(out)
        check_target(out, overwrite=overwrite)
    from ..services.exporter import export_rows

    n = write_export(
        export_rows(st.db, table),
        out=out,
        stdout=sys.stdout,
        fmt=st.format,
        chinese=language() == "zh",
        bom=bom,
        overwrite=overwrite,
        mode=file_mode,
    )
    if out is not None:
        message = _("exported {n} rows to {file}").format(n=n, file=out)
        typer.echo(message, err=st.format in ("json", "csv"))


OUT_HELP = N_("Write to this file: .csv, .xlsx or .json (default: stdout, CSV or --format json).")
BOM_HELP = N_("Start a CSV with a UTF-8 BOM, so that Excel shows Chinese correctly.")
OVERWRITE_HELP = N_("Replace the --out file if it exists (refused otherwise).")
MODE_HELP = N_("Permissions of the --out file, in octal (default 0600: the owner only).")


@export_app.command("deputies", help=N_("Export the registry of deputies."))
@handle_errors
def export_deputies(
    ctx: typer.Context,
    out: str | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
    bom: bool = typer.Option(False, "--bom", help=BOM_HELP),
    overwrite: bool = typer.Option(False, "--overwrite", help=OVERWRITE_HELP),
    mode: str | None = typer.Option(None, "--mode", help=MODE_HELP),
) -> None:
    _run_export(ctx, "deputies", out, bom, overwrite, mode)


@export_app.command("cases", help=N_("Export every case with its latest handling round."))
@handle_errors
def export_cases(
    ctx: typer.Context,
    out: str | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
    bom: bool = typer.Option(False, "--bom", help=BOM_HELP),
    overwrite: bool = typer.Option(False, "--overwrite", help=OVERWRITE_HELP),
    mode: str | None = typer.Option(None, "--mode", help=MODE_HELP),
) -> None:
    _run_export(ctx, "cases", out, bom, overwrite, mode)


@export_app.command("contacts", help=N_("Export the liaison log."))
@handle_errors
def export_contacts(
    ctx: typer.Context,
    out: str | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
    bom: bool = typer.Option(False, "--bom", help=BOM_HELP),
    overwrite: bool = typer.Option(False, "--overwrite", help=OVERWRITE_HELP),
    mode: str | None = typer.Option(None, "--mode", help=MODE_HELP),
) -> None:
    _run_export(ctx, "contacts", out, bom, overwrite, mode)
