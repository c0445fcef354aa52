"""The annual report as a document: its sections and how each cell reads.

The command arranges the figures of :mod:`liaison_cli.services.report` into a
:class:`Report` of :class:`Section` s (a table each, with its notes); the
writers (:mod:`.report`, :mod:`.xlsx`, :mod:`.markdown`) lay it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..i18n import _
from .cells import Column

# columns holding a percentage (a float, or None when its denominator is 0)
RATE_SUFFIXES = ("_rate", "coverage")


def is_rate(key: str) -> bool:
    return key.endswith(RATE_SUFFIXES)


@dataclass
class Section:
    """One table of the report: raw rows (codes, numbers) and how to show them."""

    key: str  # cases_by_kind, cases_by_dept, overdue, contacts_by_level, contacts_by_type
    title: str
    columns: list[Column]
    rows: Sequence[Mapping[str, Any]]
    notes: list[str] = field(default_factory=list)
    # the group column's label for a raw value (vocabulary label, "total" …)
    group: Callable[[Any], str] | None = None
    sheet: str = ""  # a short name for its XLSX sheet (at most 31 characters)

    def shown(self, key: str, value: Any) -> str:
        """A cell as a person reads it."""
        if key == "group" and self.group is not None:
            return self.group(value)
        if is_rate(key):
            return "—" if value is None else f"{value:.2f}%"
        col = next(c for c in self.columns if c.key == key)
        if value is None or value == "":
            return ""
        if col.show is not None:
            return col.show(value)
        return str(value)

    def for_render(self) -> list[dict[str, Any]]:
        """Rows for ``render_rows``: groups and rates shown, the rest left to the columns."""
        out = []
        for r in self.rows:
            row = dict(r)
            for c in self.columns:
                if c.key == "group" or is_rate(c.key):
                    row[c.key] = self.shown(c.key, r.get(c.key))
            out.append(row)
        return out


@dataclass
class Report:
    year: int
    as_of: date
    summary: list[str]
    sections: list[Section]


def heading(report: Report) -> str:
    return _("Annual report {year} (as of {day})").format(year=report.year, day=report.as_of)
