"""``liaison deputy add|list|show|edit``."""

from __future__ import annotations

import typer

from ..i18n import C_, N_, _
from .common import check_limit, emit_result, handle_errors, parse_day, state

app = typer.Typer(no_args_is_help=True)

LEVEL_HELP = N_("Level: national, provincial, municipal, county, township (or 全国/省/市/县/乡镇).")
BODY_HELP = N_("npc (人大代表) or cppcc (政协委员).")
# contacts listed in a profile; the rest are counted and `liaison contacts` lists them
PROFILE_CONTACTS = 20


@app.command("add", help=N_("Add a deputy or CPPCC member to the registry."))
@handle_errors
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=N_("Full name.")),
    level: str = typer.Option(..., "--level", help=LEVEL_HELP),
    body: str = typer.Option("npc", "--body", help=BODY_HELP),
    # text, not int: 第14届 is read as 14, as in edit and import
    term: str | None = typer.Option(None, "--term", help=N_("Term (届次), e.g. 14.")),
    delegation: str | None = typer.Option(None, "--delegation", help=N_("Delegation (代表团).")),
    unit: str | None = typer.Option(None, "--unit", help=N_("Work unit (工作单位).")),
    sector: str | None = typer.Option(None, "--sector", help=N_("Sector (界别/行业).")),
    phone: str | None = typer.Option(None, "--phone", help=N_("Phone number.")),
    address: str | None = typer.Option(None, "--address", help=N_("Address.")),
    liaison: str | None = typer.Option(
        None, "--liaison", help=N_("Paired liaison staff (结对联络人).")
    ),
    date: str | None = typer.Option(None, "--date", help=N_("Date of the entry (default today).")),
    new: bool = typer.Option(
        False,
        "--new",
        help=N_("Another person with the name, level and unit of a deputy already registered."),
    ),
) -> None:
    from ..services.deputies import add_deputy

    st = state(ctx)
    on = parse_day(date)
    row = add_deputy(
        st.db,
        st.actor,
        name=name,
        level=level,
        body=body,
        term=term,
        liaison=liaison,
        on=on,
        delegation=delegation,
        unit=unit,
        sector=sector,
        phone=phone,
        address=address,
        new=new,
    )
    emit_result(
        st, _("added deputy {id}: {name}").format(id=row["id"], name=row["name"]), dict(row)
    )


@app.command("list", help=N_("List deputies, optionally filtered."))
@handle_errors
def list_(
    ctx: typer.Context,
    level: str | None = typer.Option(None, "--level", help=LEVEL_HELP),
    body: str | None = typer.Option(None, "--body", help=BODY_HELP),
    search: str | None = typer.Option(
        None, "--search", help=N_("Text in name, unit, delegation, sector, phone or address.")
    ),
    limit: int | None = typer.Option(None, "--limit", metavar="N", help=N_("Show at most N rows.")),
) -> None:
    from ..output import render_rows
    from ..services.deputies import list_deputies
    from .columns import deputy_columns

    st = state(ctx)
    rows = list_deputies(st.db, level=level, body=body, search=search, limit=check_limit(limit))
    render_rows(rows, deputy_columns(), st.format, title=_("Deputies"))


@app.command("show", help=N_("A deputy's profile, contacts and cases (履职画像)."))
@handle_errors
def show(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=N_("Deputy id or name.")),
) -> None:
    from ..domain.lifecycle import STATUSES
    from ..domain.vocab import BODIES, CONTACT_TYPES, KINDS, LEVELS, SATISFACTION
    from ..output import Column, render_record, render_rows, write_json
    from ..services.deputies import deputy_profile
    from .columns import deputy_columns

    st = state(ctx)
    p = deputy_profile(st.db, ref)
    if st.format == "json":
        write_json([p], typer.get_text_stream("stdout"))
        return
    d = p["deputy"]
    if st.format == "csv":
        render_rows([d], deputy_columns(), "csv")
        return
    labels = {c.key: c.header for c in deputy_columns()}
    shown = dict(d, body=BODIES.label(d["body"]), level=LEVELS.label(d["level"]))
    render_record([(labels[k], shown[k]) for k in labels], st.format)
    # the types in the vocabulary's order, as the help lists them
    by_type = p["contact_counts"]
    counts = C_("enumeration", ", ").join(
        f"{CONTACT_TYPES.label(t)} {by_type[t]}" for t in CONTACT_TYPES.codes if t in by_type
    )
    typer.echo("")
    typer.echo(
        _("Contacts: {n} person-times ({counts})").format(n=len(p["contacts"]), counts=counts)
        if counts
        else _("Contacts: {n} person-times").format(n=len(p["contacts"]))
    )
    if p["contacts"]:
        shown_contacts = p["contacts"][:PROFILE_CONTACTS]
        render_rows(
            shown_contacts,
            [
                Column("date", _("date")),
                Column("type", _("type"), CONTACT_TYPES.label),
                Column("summary", _("summary")),
            ],
            st.format,
        )
        if len(shown_contacts) < len(p["contacts"]):
            typer.echo(
                _(
                    "(the latest {n} of {total} contacts; liaison contacts --deputy {id} lists all)"
                ).format(n=len(shown_contacts), total=len(p["contacts"]), id=d["id"])
            )
    typer.echo("")
    typer.echo(_("Cases: {n}").format(n=len(p["cases"])))
    if p["cases"]:
        render_rows(
            p["cases"],
            [
                Column("number", _("number")),
                Column("kind", _("kind"), KINDS.label),
                Column("title", _("title")),
                Column("role", _("role"), lambda v: _("lead") if v == "lead" else _("co-signer")),
                Column("status", _("status"), STATUSES.label),
                Column("received", _("received")),
                Column("satisfaction", _("satisfaction"), SATISFACTION.label),
            ],
            st.format,
        )


@app.command("edit", help=N_("Change a deputy's details (an empty value clears a field)."))
@handle_errors
def edit(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=N_("Deputy id or name.")),
    name: str | None = typer.Option(None, "--name", help=N_("New name.")),
    level: str | None = typer.Option(None, "--level", help=LEVEL_HELP),
    body: str | None = typer.Option(None, "--body", help=BODY_HELP),
    term: str | None = typer.Option(None, "--term", help=N_("Term (届次).")),
    delegation: str | None = typer.Option(None, "--delegation", help=N_("Delegation (代表团).")),
    unit: str | None = typer.Option(None, "--unit", help=N_("Work unit (工作单位).")),
    sector: str | None = typer.Option(None, "--sector", help=N_("Sector (界别/行业).")),
    phone: str | None = typer.Option(None, "--phone", help=N_("Phone number.")),
    address: str | None = typer.Option(None, "--address", help=N_("Address.")),
    liaison: str | None = typer.Option(
        None, "--liaison", help=N_("Paired liaison staff (结对联络人).")
    ),
    date: str | None = typer.Option(None, "--date", help=N_("Date of the change (default today).")),
) -> None:
    from ..services.deputies import edit_deputy

    st = state(ctx)
    on = parse_day(date)
    given = {
        "name": name,
        "level": level,
        "body": body,
        "term": term,
        "delegation": delegation,
        "unit": unit,
        "sector": sector,
        "phone": phone,
        "address": address,
        "liaison": liaison,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    row = edit_deputy(st.db, st.actor, ref, on, changes)
    emit_result(
        st, _("updated deputy {id}: {name}").format(id=row["id"], name=row["name"]), dict(row)
    )
