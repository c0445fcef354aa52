"""Column sets shared by the listings: headers in the interface language."""

from __future__ import annotations

from ..domain.lifecycle import STATUSES
from ..domain.vocab import BODIES, CONTACT_TYPES, KINDS, LEVELS, RESULTS, SATISFACTION
from ..i18n import _
from ..output import Column


def deputy_columns() -> list[Column]:
    return [
        Column("id", _("id"), justify="right"),
        Column("name", _("name")),
        Column("body", _("body"), BODIES.label),
        Column("level", _("level"), LEVELS.label),
        Column("term", _("term"), justify="right"),
        Column("delegation", _("delegation")),
        Column("unit", _("unit")),
        Column("sector", _("sector")),
        Column("phone", _("phone")),
        Column("address", _("address")),
        Column("liaison", _("liaison")),
    ]


def case_columns() -> list[Column]:
    return [
        Column("id", _("id"), justify="right"),
        Column("number", _("number")),
        Column("kind", _("kind"), KINDS.label),
        Column("title", _("title")),
        Column("deputies", _("deputies")),
        Column("status", _("status"), STATUSES.label),
        Column("received", _("received")),
        Column("department", _("department")),
        Column("handler", _("handler")),
        Column("due", _("due")),
        Column("replied", _("replied")),
        Column("result", _("result")),
        Column("closed", _("closed")),
        Column("satisfaction", _("satisfaction"), SATISFACTION.label),
        Column("round", _("round"), justify="right"),
    ]


def case_list_columns() -> list[Column]:
    """The columns a person scans in ``liaison cases`` (JSON/CSV get them all)."""
    keep = ("number", "kind", "title", "deputies", "status", "received", "department", "due")
    return [c for c in case_columns() if c.key in keep]


def contact_columns() -> list[Column]:
    return [
        Column("id", _("id"), justify="right"),
        Column("date", _("date")),
        Column("type", _("type"), CONTACT_TYPES.label),
        Column("deputies", _("deputies")),
        Column("staff", _("staff")),
        Column("summary", _("summary")),
    ]


def result_label(code: str) -> str:
    return RESULTS.label(code)


def overdue_columns(machine: bool = False, within: bool = False) -> list[Column]:
    """The overdue report's columns; with ``within``, the days left of the clocks due soon."""
    clock = Column(
        "clock",
        _("clock"),
        lambda v: _("procedural reply") if v == "procedural" else _("reply"),
    )
    extra = [
        # a clock due soon is not overdue: its days show under days left
        Column("days_overdue", _("days overdue"), lambda v: str(v) if v > 0 else "", "right"),
        Column("days_left", _("days left"), justify="right"),
        Column("reminders", _("reminders"), justify="right"),
        clock,
    ]
    if machine:
        return case_columns() + extra
    if not within:
        extra = [c for c in extra if c.key != "days_left"]
    keep = ("number", "kind", "title", "deputies", "department", "handler", "due")
    return [c for c in case_columns() if c.key in keep] + extra
