"""One row of a case ledger to a :class:`CaseRow`, checked as the commands check it.

A row carries a case and, in the same line, its history: the department it
was assigned to and when, its reply, its close. The dates must follow each
other as the commands would have let them; a due date left blank is
computed from the deadline rules, as ``assign`` computes it.

This runs for every row of a big ledger, so the common path is a few
dictionary lookups: dates, vocabulary words, department and handler names
are parsed or checked once per distinct text and remembered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...domain.values import MAX_NAME
from ...domain.vocab import KINDS, METHODS, PROCEDURAL_KINDS, RESULTS, SATISFACTION
from ...i18n import N_, _
from .. import deadlines
from .references import DeputyRef, StaffRef
from .values import BadValue, Codes, Dates, Row, as_str, flag, names, split_names, text

# what a text column is called in a message (translated only then)
_TITLE, _NUMBER, _CONTENT = N_("title"), N_("case number"), N_("content")
_DEPARTMENT, _STAFF = N_("department name"), N_("staff name")


@dataclass(slots=True)
class CaseRow:
    """A case as the ledger gives it, with its history in one round."""

    line: int
    number: str | None
    kind: str
    title: str
    content: str | None
    key: bool
    deputies: tuple[str, ...]
    received: date
    assigned: date | None
    department: str | None
    co_departments: tuple[str, ...]
    handler: str | None
    due: date | None
    replied: date | None
    method: str | None
    result: str | None
    closed: date | None
    satisfaction: str | None
    proc_replied: date | None
    # resolved against the registry after parsing
    deputy_refs: tuple[DeputyRef, ...] = ()
    handler_ref: StaffRef | None = None


class CaseParser:
    """Parses and checks case rows; remembers what repeats."""

    def __init__(self) -> None:
        self.dates = Dates()
        self.kinds = Codes(KINDS, "suggestion")
        self.methods = Codes(METHODS)
        self.results = Codes(RESULTS)
        self.satisfaction = Codes(SATISFACTION)
        self.rules = deadlines.rules()
        self._due: dict[tuple[str, date], date] = {}
        self._names: set[str | None] = {None}  # department and handler texts checked

    def _name(self, row: Row, key: str, what: str, max_len: int) -> str | None:
        value = row.get(key)
        if value in self._names:
            return value
        value = text(row, key, what, max_len=max_len)
        self._names.add(value)
        return value

    def parse(self, line: int, row: Row) -> CaseRow:
        get = row.get
        day = self.dates.get
        received = day(row, "received", required=True)
        assert received is not None
        kind = self.kinds.get(row, "kind") or "suggestion"
        title = text(row, "title", _TITLE, required=True, max_len=500) or ""
        number = text(row, "number", _NUMBER, max_len=100) if get("number") else None
        content = text(row, "content", _CONTENT, single_line=False) if get("content") else None
        deputies = names(row, "deputies")
        co_signers = as_str(get("co_deputies"))
        if co_signers:
            # a 联名代表 column: the co-signers after the lead, each once
            deputies = tuple(dict.fromkeys((*deputies, *split_names(co_signers))))
        department = self._name(row, "department", _DEPARTMENT, 200)
        co_text = as_str(get("co_departments"))
        co = split_names(co_text) if co_text else ()
        handler = self._name(row, "handler", _STAFF, MAX_NAME)
        assigned = day(row, "assigned")
        due = day(row, "due")
        replied = day(row, "replied")
        method = self.methods.get(row, "reply_method")
        result = self.results.get(row, "result")
        closed = day(row, "closed")
        satisfaction = self.satisfaction.get(row, "satisfaction")
        proc_replied = day(row, "proc_replied")
        key = flag(row, "key") if get("key") else False

        if department is None:
            for col, value in (
                ("assigned", assigned),
                ("handler", handler),
                ("co_departments", co),
                ("due", due),
                ("replied", replied),
            ):
                if value:
                    raise BadValue(col, _("the case has no department: it is not assigned"))
        else:
            if assigned is None:
                assigned = received  # a department without a date is assigned on receipt
            if assigned < received:
                raise BadValue(
                    "assigned",
                    _("assignment date {on} is before the case was received ({received})").format(
                        on=assigned, received=received
                    ),
                )
            if department in co:
                raise BadValue(
                    "co_departments", _("the lead department cannot also be a co-department")
                )
            due = self._due_date(kind, received, assigned, due)
        if proc_replied is not None:
            self._check_procedural(kind, received, proc_replied)
        if replied is None:
            for col, value in (("reply_method", method), ("result", result), ("closed", closed)):
                if value:
                    raise BadValue(col, _("the case has no reply date: it is not replied"))
        else:
            assert assigned is not None
            if method is None:
                raise BadValue(
                    "reply_method",
                    _("a replied case needs its reply method (written, in-person or phone)"),
                )
            last = max(assigned, proc_replied or assigned)
            if replied < last:
                raise BadValue(
                    "replied",
                    _("reply date {on} is before the case's previous step ({last})").format(
                        on=replied, last=last
                    ),
                )
        if closed is None:
            if satisfaction:
                raise BadValue("satisfaction", _("the case has no close date: it is not closed"))
        elif replied is not None and closed < replied:
            raise BadValue(
                "closed",
                _("close date {on} is before the reply ({last})").format(on=closed, last=replied),
            )
        return CaseRow(
            line=line,
            number=number,
            kind=kind,
            title=title,
            content=content,
            key=key,
            deputies=deputies,
            received=received,
            assigned=assigned,
            department=department,
            co_departments=co,
            handler=handler,
            due=due,
            replied=replied,
            method=method,
            result=result,
            closed=closed,
            satisfaction=satisfaction,
            proc_replied=proc_replied,
        )

    def _due_date(self, kind: str, received: date, assigned: date, due: date | None) -> date:
        """The due date given (checked), else the one ``assign`` would compute."""
        if due is not None:
            if due < received:
                raise BadValue(
                    "due",
                    _("due date {due} is before the case was received ({received})").format(
                        due=due, received=received
                    ),
                )
            if due < assigned:
                raise BadValue(
                    "due",
                    _("due date {due} is before the assignment date {on}").format(
                        due=due, on=assigned
                    ),
                )
            return due
        found = self._due.get((kind, assigned))
        if found is None:
            found = deadlines.substantive_due(kind, assigned, False, self.rules)
            self._due[(kind, assigned)] = found
        return found

    def _check_procedural(self, kind: str, received: date, proc_replied: date) -> None:
        if kind not in PROCEDURAL_KINDS:
            raise BadValue(
                "proc_replied",
                _(
                    "a procedural reply applies to letters and cases of concern, not to a {kind}"
                ).format(kind=KINDS.label(kind)),
            )
        if proc_replied < received:
            raise BadValue(
                "proc_replied",
                _("procedural reply date {on} is before the case was received ({r})").format(
                    on=proc_replied, r=received
                ),
            )
