"""``liaison cases``: the listed cases, and which way to read them.

Importing SQLAlchemy would be most of the time of listing a page of cases.
So a listing of a period on a SQLite file (no filter but ``--from``,
``--to`` and ``--limit``) is first tried with the standard library alone
(:mod:`..store.listing_sqlite`, the same statement compiled ahead of time),
and the SQLAlchemy path (:func:`..store.case_queries.list_cases`) takes
every other listing, a server, or a file that needs anything the fast path
does not do (a migration, a lock, an error to report). Both give the same
rows; this module imports neither SQLAlchemy nor the store until the
ordinary path is taken.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.case_reads import CaseRow
    from ..store.database import Database


@contextmanager
def case_listing(
    db: Database,
    *,
    status: str | None = None,
    kind: str | None = None,
    dept: str | None = None,
    deputy: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    key: bool | None = None,
    limit: int | None = None,
    handler: str | None = None,
    replied_from: date | None = None,
    replied_to: date | None = None,
    closed_from: date | None = None,
    closed_to: date | None = None,
    search: str | None = None,
) -> Iterator[Iterator[CaseRow]]:
    """The cases matching the filters, oldest first, read while the block runs.

    The rows stream from one read transaction (a listing of a million cases
    is never held in memory); the filters are resolved on entering the
    block, so a bad reference fails before the caller prints anything.
    """
    filtered = status or kind or dept or deputy or handler or search or key is not None
    dated = replied_from or replied_to or closed_from or closed_to
    if db.path is not None and not (filtered or dated):
        from ..store.listing_sqlite import listed_cases

        with listed_cases(db.path, date_from=date_from, date_to=date_to, limit=limit) as rows:
            if rows is not None:
                yield rows
                return
    from ..domain.values import clean_text
    from ..store import case_queries
    from ..store.uow import unit_of_work

    with unit_of_work(db) as conn:
        yield case_queries.list_cases(
            conn,
            status=status,
            kind=kind,
            dept=dept,
            deputy=deputy,
            date_from=date_from,
            date_to=date_to,
            key=key,
            limit=limit,
            handler=handler,
            replied_from=replied_from,
            replied_to=replied_to,
            closed_from=closed_from,
            closed_to=closed_to,
            search=clean_text(search, "--search", single_line=True),
        )
