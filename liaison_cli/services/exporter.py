"""Export of deputies, cases and contacts: the import's columns, plus id, status, round.

An export is meant to be opened in Excel and to be imported again, so:
the columns and headers are exactly those :mod:`io_read` reads (English keys,
or the Chinese headers and words when the interface is Chinese); a text cell
starting with ``= + - @`` gets a leading ``'`` so no spreadsheet runs it as a
formula (import removes it); a deputy whose name another deputy shares is
written ``name(unit)`` so that the file names each deputy unambiguously.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from ..domain.ledger import TABLES, neutralise
from ..domain.vocab import BODIES, CONTACT_TYPES, KINDS, LEVELS, METHODS, SATISFACTION, STATUSES
from ..errors import InvalidValue
from ..i18n import _
from ..models import (
    Case,
    CaseDeputy,
    CaseRound,
    Contact,
    ContactDeputy,
    Department,
    Deputy,
    RoundCoDepartment,
    Staff,
)

FORMATS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}
NAME_SEPARATOR = "、"
CHUNK = 1000

# columns holding a code of a vocabulary, written as the Chinese word in Chinese files
_VOCABULARIES = {
    "body": BODIES,
    "level": LEVELS,
    "kind": KINDS,
    "status": STATUSES,
    "reply_method": METHODS,
    "satisfaction": SATISFACTION,
    "type": CONTACT_TYPES,
}


def format_for(path: str) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InvalidValue(
            _("cannot export to {name}: use a .csv, .xlsx or .json file").format(
                name=Path(path).name
            )
        )
    return fmt


# -- deputy names that say which deputy --------------------------------------------------


def deputy_labels(session: Session) -> dict[int, str]:
    """``name(unit)`` for deputies whose name is shared (else ``name(#id)``)."""
    shared = select(Deputy.name).group_by(Deputy.name).having(func.count() > 1).scalar_subquery()
    rows = session.execute(
        select(Deputy.id, Deputy.name, Deputy.unit).where(Deputy.name.in_(shared))
    ).all()
    units: dict[tuple[str, str | None], int] = {}
    for _i, name, unit in rows:
        units[(name, unit)] = units.get((name, unit), 0) + 1
    labels = {}
    for i, name, unit in rows:
        qualifier = unit if unit and units[(name, unit)] == 1 else f"#{i}"
        labels[i] = f"{name}({qualifier})"
    return labels


def _names_by(
    session: Session, stmt_for: Any, ids: list[int], labels: dict[int, str]
) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for owner, deputy_id, name in session.execute(stmt_for(ids)):
        names.setdefault(owner, []).append(labels.get(deputy_id, name))
    return {k: NAME_SEPARATOR.join(v) for k, v in names.items()}


# -- rows -------------------------------------------------------------------------------


def deputy_rows(session: Session) -> Iterator[dict[str, Any]]:
    liaison = aliased(Staff)
    stmt = (
        select(Deputy, liaison.name.label("liaison"))
        .outerjoin(liaison, Deputy.liaison_id == liaison.id)
        .order_by(Deputy.id)
        .execution_options(yield_per=CHUNK)
    )
    for d, liaison_name in session.execute(stmt):
        yield {
            "id": d.id,
            "name": d.name,
            "body": d.body,
            "level": d.level,
            "term": d.term,
            "delegation": d.delegation,
            "unit": d.unit,
            "sector": d.sector,
            "phone": d.phone,
            "address": d.address,
            "liaison": liaison_name,
        }


def case_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Every case in its latest round, oldest received first."""
    labels = deputy_labels(session)
    handler = aliased(Staff)
    stmt = (
        select(
            Case.id,
            Case.number,
            Case.kind,
            Case.title,
            Case.status,
            Case.received,
            Case.round,
            Case.key,
            Case.content,
            Case.proc_replied_on,
            CaseRound.id.label("round_id"),
            CaseRound.assigned_on,
            Department.name.label("department"),
            handler.name.label("handler"),
            CaseRound.due,
            CaseRound.replied_on,
            CaseRound.reply_method,
            CaseRound.result,
            CaseRound.closed_on,
            CaseRound.satisfaction,
        )
        .join(CaseRound, and_(CaseRound.case_id == Case.id, CaseRound.round == Case.round))
        .outerjoin(Department, CaseRound.department_id == Department.id)
        .outerjoin(handler, CaseRound.handler_id == handler.id)
        .order_by(Case.received, Case.id)
        .execution_options(yield_per=CHUNK)
    )

    def deputies_of(ids: list[int]) -> Any:
        return (
            select(CaseDeputy.case_id, CaseDeputy.deputy_id, Deputy.name)
            .join(Deputy, Deputy.id == CaseDeputy.deputy_id)
            .where(CaseDeputy.case_id.in_(ids))
            .order_by(CaseDeputy.case_id, CaseDeputy.position)
        )

    for part in session.execute(stmt).partitions():
        names = _names_by(session, deputies_of, [r.id for r in part], labels)
        co: dict[int, list[str]] = {}
        for round_id, name in session.execute(
            select(RoundCoDepartment.round_id, Department.name)
            .join(Department, Department.id == RoundCoDepartment.department_id)
            .where(RoundCoDepartment.round_id.in_([r.round_id for r in part]))
            .order_by(RoundCoDepartment.round_id, Department.name)
        ):
            co.setdefault(round_id, []).append(name)
        for r in part:
            yield {
                "id": r.id,
                "number": r.number,
                "kind": r.kind,
                "title": r.title,
                "deputies": names.get(r.id, ""),
                "status": r.status,
                "received": r.received,
                "assigned": r.assigned_on,
                "department": r.department,
                "co_departments": NAME_SEPARATOR.join(co.get(r.round_id, [])) or None,
                "handler": r.handler,
                "due": r.due,
                "replied": r.replied_on,
                "reply_method": r.reply_method,
                "result": r.result,
                "closed": r.closed_on,
                "satisfaction": r.satisfaction,
                "round": r.round,
                "proc_replied": r.proc_replied_on,
                "key": bool(r.key),
                "content": r.content,
            }


def contact_rows(session: Session) -> Iterator[dict[str, Any]]:
    labels = deputy_labels(session)
    stmt = (
        select(
            Contact.id, Contact.held_on, Contact.type, Staff.name.label("staff"), Contact.summary
        )
        .outerjoin(Staff, Contact.staff_id == Staff.id)
        .order_by(Contact.held_on, Contact.id)
        .execution_options(yield_per=CHUNK)
    )

    def deputies_of(ids: list[int]) -> Any:
        return (
            select(ContactDeputy.contact_id, ContactDeputy.deputy_id, Deputy.name)
            .join(Deputy, Deputy.id == ContactDeputy.deputy_id)
            .where(ContactDeputy.contact_id.in_(ids))
            .order_by(ContactDeputy.contact_id, ContactDeputy.deputy_id)
        )

    for part in session.execute(stmt).partitions():
        names = _names_by(session, deputies_of, [r.id for r in part], labels)
        for r in part:
            yield {
                "id": r.id,
                "date": r.held_on,
                "type": r.type,
                "deputies": names.get(r.id, ""),
                "staff": r.staff,
                "summary": r.summary,
            }


ROWS = {"deputies": deputy_rows, "cases": case_rows, "contacts": contact_rows}


# -- writing ------------------------------------------------------------------------------


def _cell(key: str, value: Any, chinese: bool) -> Any:
    """A value as a spreadsheet cell: codes in the file's language, text neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        if chinese:
            return "是" if value else "否"
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return value
    if chinese and key in _VOCABULARIES:
        return _VOCABULARIES[key].chinese(value)
    return neutralise(value)


def _headers(table: str, chinese: bool) -> list[tuple[str, str]]:
    return [(f.key, f.zh if chinese else f.key) for f in TABLES[table].fields]


def write_csv(
    rows: Iterator[dict[str, Any]], table: str, out: TextIO, *, chinese: bool, bom: bool
) -> int:
    """RFC 4180 with CRLF; with ``bom`` a UTF-8 BOM so Excel reads Chinese right."""
    columns = _headers(table, chinese)
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for _k, h in columns])
    n = 0
    for row in rows:
        cells = []
        for key, _h in columns:
            v = _cell(key, row.get(key), chinese)
            cells.append("" if v is None else v.isoformat() if isinstance(v, date) else v)
        writer.writerow(cells)
        n += 1
    return n


def write_xlsx(rows: Iterator[dict[str, Any]], table: str, path: Path, *, chinese: bool) -> int:
    """One sheet, streamed (openpyxl write-only); dates are real date cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    columns = _headers(table, chinese)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(
        {"deputies": "代表", "cases": "案件", "contacts": "联络"}[table] if chinese else table
    )
    widths = {"title": 40, "content": 40, "summary": 40, "unit": 24, "address": 24}
    from openpyxl.utils import get_column_letter

    for i, (key, _h) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(key, 12)
    bold = Font(bold=True)
    header = []
    for _k, h in columns:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    n = 0
    for row in rows:
        cells = []
        for key, _h in columns:
            v = _cell(key, row.get(key), chinese)
            if isinstance(v, date):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd"
                cells.append(c)
            else:
                cells.append(v)
        ws.append(cells)
        n += 1
    wb.save(path)
    return n


def write_json(rows: Iterator[dict[str, Any]], table: str, out: TextIO) -> int:
    """English keys and codes: the stable interface, as ``--format json`` prints."""
    from ..render import write_json as dump

    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        keys = [f.key for f in TABLES[table].fields]
        for row in rows:
            count += 1
            yield {k: row.get(k) for k in keys}

    dump(counted(), out)
    return count


def export(
    session: Session,
    table: str,
    *,
    out: str | None,
    fmt: str,
    chinese: bool,
    bom: bool = False,
) -> int:
    """Write ``table`` to the file ``out`` (format by its extension) or to stdout."""
    rows = ROWS[table](session)
    if out is None:
        if fmt == "json":
            return write_json(rows, table, sys.stdout)
        return write_csv(rows, table, sys.stdout, chinese=chinese, bom=bom)
    path = Path(out)
    fmt = format_for(out)
    if path.is_dir():
        raise InvalidValue(_("{path} is a directory").format(path=path))
    # write beside the target, then move into place: a failed export leaves no half file
    tmp = path.with_name(f".{path.name}.part")
    try:
        if fmt == "xlsx":
            n = write_xlsx(rows, table, tmp, chinese=chinese)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                if fmt == "json":
                    n = write_json(rows, table, f)
                else:
                    n = write_csv(rows, table, f, chinese=chinese, bom=bom)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
