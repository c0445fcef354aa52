"""``liaison db check``: SQLite's own checks, references and the domain's invariants.

A clean database gives an empty list; every violation is a row ``{check,
detail}`` naming the case. The queries are :mod:`liaison_cli.store.integrity`'s;
this service reads them in one snapshot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store import integrity, migrate
from ..store.integrity import STATUS_AFTER, Problem
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from ..store.database import Database

__all__ = ["STATUS_AFTER", "Problem", "check_database"]


def check_database(db: Database) -> list[Problem]:
    """Every violation found, as rows ``{check, detail}``; empty when clean."""
    # an older schema is checked as it is, not migrated
    db.ensure_schema(older_ok=True)
    at_head = db.current_revision() == migrate.HEAD_REVISION
    # one snapshot on PostgreSQL too: the chain walked and its head read as of
    # one moment, while clerks append
    with unit_of_work(db, snapshot=True) as conn:
        return integrity.problems(conn, at_head=at_head)
