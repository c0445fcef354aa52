"""References a clerk types (a name or an id), resolved to row ids in Core.

One implementation of the matching rules, shared by the write services (which
then load the ORM object) and the read paths (which stay in Core): an exact
name first, else a number taken as the id; a name two rows share is an error
that lists them with their ids.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..domain.vocab import LEVELS
from ..errors import Ambiguous, InvalidValue, NotFound
from ..i18n import _
from ..store import schema as t


def is_id(text: str) -> bool:
    return text.isdigit() and len(text) < 10


def department_id(conn: Any, ref: str) -> int:
    """A department by exact name, or by id."""
    name = (ref or "").strip()
    found = conn.execute(select(t.departments.c.id).where(t.departments.c.name == name)).scalar()
    if found is None and is_id(name):
        found = conn.execute(
            select(t.departments.c.id).where(t.departments.c.id == int(name))
        ).scalar()
    if found is None:
        raise NotFound(_("unknown department {ref!r}").format(ref=ref))
    return int(found)


def deputy_id(conn: Any, ref: str) -> int:
    """A deputy by exact name, or by id; a shared name lists the candidates."""
    text = (ref or "").strip()
    if not text:
        raise InvalidValue(_("empty deputy reference"))
    d = t.deputies.c
    matches = conn.execute(
        select(d.id, d.name, d.level, d.unit).where(d.name == text).order_by(d.id)
    ).all()
    if not matches and is_id(text):
        matches = conn.execute(select(d.id, d.name, d.level, d.unit).where(d.id == int(text))).all()
    if not matches:
        raise NotFound(_("unknown deputy {ref!r}").format(ref=ref))
    if len(matches) > 1:
        raise Ambiguous(
            _("{ref!r} matches {n} deputies; use the id").format(ref=text, n=len(matches)),
            [
                f"  {m.id}  {m.name}  {LEVELS.label(m.level)}  {m.unit or ''}".rstrip()
                for m in matches
            ],
        )
    return int(matches[0].id)
