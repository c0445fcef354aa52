"""The annual report (年度报告): the year's figures in one document.

Cases received in the year by kind and by department with every rate, the
cases overdue at the year's end (or on the report date, if earlier) whatever
the year they were received, and contacts by level and by type. The
figures come from ``services.stats`` and ``case_queries.overdue`` (so the
report says exactly what ``liaison stats`` and ``liaison overdue`` say);
this module gathers them and words the summary. It neither prints nor
writes: :mod:`liaison_cli.output.report` lays the document out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..store.uow import unit_of_work

if TYPE_CHECKING:
    from ..store.database import Database
    from ..store.overdue_rows import OverdueRow


@dataclass
class Figures:
    """The raw rows of each table of the report (codes and numbers)."""

    cases_by_kind: list[dict[str, Any]]
    cases_by_dept: list[dict[str, Any]]
    overdue: list[OverdueRow]
    contacts_by_level: list[dict[str, Any]]
    contacts_by_type: list[dict[str, Any]]
    # the day the overdue list is judged on, and its count as `liaison overdue` prints it
    overdue_on: date
    overdue_count: int

    def table(self, key: str) -> list[Mapping[str, Any]]:
        rows: list[Mapping[str, Any]] = getattr(self, key)
        return rows


def gather(db: Database, *, year: int, as_of: date) -> Figures:
    """The raw figures of ``year`` as the ledger stood on ``as_of``, in one snapshot."""
    from dataclasses import asdict

    from ..store.case_queries import overdue
    from ..store.stats import overdue_day
    from .stats import case_table, contact_table, resolve_period

    start, end = resolve_period(year, None, None)
    assert start is not None and end is not None
    period = {"date_from": start, "date_to": end}
    # the list `liaison overdue --as-of D` prints on the year's last day (or as_of)
    day = overdue_day(as_of, end)
    with unit_of_work(db) as conn:
        late, counts = overdue(conn, as_of=day)
        return Figures(
            cases_by_kind=[asdict(r) for r in case_table(conn, **period, as_of=as_of, by="kind")],
            cases_by_dept=[asdict(r) for r in case_table(conn, **period, as_of=as_of, by="dept")],
            overdue=late,
            contacts_by_level=[asdict(r) for r in contact_table(conn, **period, by="level")],
            contacts_by_type=[asdict(r) for r in contact_table(conn, **period, by="type")],
            overdue_on=day,
            overdue_count=counts["overdue"],
        )


def summary_lines(figures: Figures, year: int) -> list[str]:
    """The sentences an office's report opens with (受理…件，已办结…件，办结率…)."""
    cases = figures.cases_by_kind[-1]
    contacts = figures.contacts_by_level[-1]

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.2f}%"

    return [
        _(
            "{year}: {received} cases received, {replied} replied, {closed} closed; "
            "completion rate {completion}, on-time rate {on_time}, satisfaction rate {sat}."
        ).format(
            year=year,
            received=cases["received"],
            replied=cases["replied"],
            closed=cases["closed"],
            completion=pct(cases["completion_rate"]),
            on_time=pct(cases["on_time_rate"]),
            sat=pct(cases["satisfaction_rate"]),
        ),
        _(
            "{activities} contacts, {person_times} person-times, {reached} deputies reached "
            "(coverage {coverage}); {overdue} overdue as of {day}."
        ).format(
            activities=contacts["activities"],
            person_times=contacts["person_times"],
            reached=contacts["deputies_reached"],
            coverage=pct(contacts["coverage"]),
            overdue=figures.overdue_count,
            day=figures.overdue_on,
        ),
    ]
