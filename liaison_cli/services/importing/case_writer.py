"""The rows of a chunk of cases: the cases, their deputies, rounds and events.

Each case is stored as one round holding its history, with the events that
:mod:`.history` derives for it; everything is written in bulk, a chunk at a
time. The ids of deputies and staff are looked up once per distinct
reference, and procedural deadlines once per receipt date.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import date
from typing import Any

from ...domain.vocab import PROCEDURAL_KINDS
from ...store import schema as t
from ...store.bulk import BulkWriter, EventRow
from ...store.events import details_json, value_json
from .. import deadlines
from .case_rows import CaseRow
from .history import ADD, ASSIGN, FIRST_ROUND, REPEATING, derive
from .references import Registry
from .values import CACHE_LIMIT


class _Resolved(dict[Any, Any]):
    """key -> ``resolve(key)``, computed on first use (a subscript in the row loop)."""

    def __init__(self, resolve: Callable[[Any], Any]) -> None:
        super().__init__()
        self._resolve = resolve

    def __missing__(self, key: Hashable) -> Any:
        if len(self) > CACHE_LIMIT:  # the cache serves repetition, not every row
            self.clear()
        value = self[key] = self._resolve(key)
        return value


class CaseWriter:
    """Writes chunks of checked, numbered and resolved case rows."""

    def __init__(self, bulk: BulkWriter, actor: str, reg: Registry, rules: deadlines.Rules) -> None:
        self.bulk = bulk
        self.actor = actor
        self.reg = reg
        # references to ids and names, once per distinct reference (ids never change)
        self._deputy_ids = _Resolved(lambda refs: tuple(reg.deputy_id(r) for r in refs))
        self._deputy_names = _Resolved(lambda ids: tuple(reg.deputy_names[d] for d in ids))
        # the JSON of a repeating step's details, once per distinct details
        self._json = _Resolved(lambda items: details_json(dict(items)))
        # the JSON of the values that repeat in the add and assign details: texts,
        # dates, yes/no and lists of names (no 1 to be taken for True)
        self._value_json = _Resolved(value_json)
        self._staff_ids = _Resolved(reg.staff_id)
        self._proc_due = _Resolved(lambda received: deadlines.procedural_due(received, rules))

    def write(self, part: Sequence[CaseRow]) -> None:
        """Insert ``part`` (numbered: every row has its number by now)."""
        self._unchecked = {ADD, ASSIGN}  # see _checked
        bulk, actor, depts = self.bulk, self.actor, self.reg.departments
        case_ids = bulk.new_ids(t.cases, len(part))
        round_ids = bulk.new_ids(t.case_rounds, len(part))
        cases: list[tuple[Any, ...]] = []
        links: list[tuple[int, int, int]] = []
        rounds: list[tuple[Any, ...]] = []
        co_rows: list[tuple[int, int]] = []
        events: list[EventRow] = []
        for c, cid, rid in zip(part, case_ids, round_ids, strict=True):
            assert c.number is not None
            proc_due: date | None = None
            if c.kind in PROCEDURAL_KINDS:
                proc_due = self._proc_due[c.received]
            deputy_ids = self._deputy_ids[c.deputy_refs]
            handler = c.handler_ref
            history = derive(
                c,
                number=c.number,
                deputy_names=self._deputy_names[deputy_ids],
                handler=handler[0] if handler else None,
                proc_due=proc_due,
            )
            # in the order of CASE_COLUMNS
            cases.append(
                (
                    cid,
                    c.number,
                    c.kind,
                    c.title,
                    c.content,
                    c.key,
                    False,  # complex
                    c.received,
                    history.status,
                    FIRST_ROUND,
                    proc_due,
                    c.proc_replied,
                    history.last_on,
                )
            )
            links += [(cid, d, pos) for pos, d in enumerate(deputy_ids)]
            # in the order of ROUND_COLUMNS
            rounds.append(
                (
                    rid,
                    cid,
                    FIRST_ROUND,
                    c.received,  # started_on
                    None,  # superseded_on
                    depts[c.department] if c.department else None,
                    self._staff_ids[handler] if handler else None,
                    c.assigned,
                    c.due,  # due_original
                    c.due,
                    c.replied,
                    c.method,
                    None,  # reply_summary
                    c.result,
                    c.closed,
                    c.satisfaction,
                )
            )
            if c.co_departments:
                co_rows += [(rid, depts[name]) for name in c.co_departments]
            for step in history.steps:
                if step.action in REPEATING:
                    details = self._json[tuple(step.details.items())]
                elif step.action == ADD:
                    details = self._add_json(step.details)
                elif step.action == ASSIGN:
                    details = self._assign_json(step.details)
                else:
                    details = details_json(step.details)
                events.append(
                    bulk.event(
                        actor,
                        step.action,
                        "case",
                        cid,
                        step.on,
                        details,
                        case_id=cid,
                        round_=step.round,
                    )
                )
        bulk.insert_rows(t.cases, CASE_COLUMNS, cases)
        bulk.insert_rows(t.case_deputies, LINK_COLUMNS, links)
        bulk.insert_rows(t.case_rounds, ROUND_COLUMNS, rounds)
        bulk.insert_rows(t.round_co_departments, CO_DEPARTMENT_COLUMNS, co_rows)
        bulk.events(events)

    # details_json of the add and assign details, which differ from case to
    # case, put together from the JSON of their values: the encoder's set-up
    # for each call costs more than encoding a few short texts (0.43 µs instead
    # of 3.0 µs a details; measured at 100,000 cases: 5.60 -> 5.32 CPU s, medians
    # of 6). The text is details_json's, which a check compares once per chunk.

    def _add_json(self, d: dict[str, Any]) -> str:
        known = self._value_json
        found = (
            f'{{"number": {value_json(d["number"])}, "kind": {value_json(d["kind"])}, '
            f'"title": {value_json(d["title"])}, "deputies": {known[d["deputies"]]}, '
            f'"key": {known[d["key"]]}}}'
        )
        return self._checked(ADD, found, d)

    def _assign_json(self, d: dict[str, Any]) -> str:
        known = self._value_json
        found = (
            f'{{"department": {known[d["department"]]}, "handler": {known[d["handler"]]}, '
            f'"co_departments": {known[d["co_departments"]]}, "due": {known[d["due"]]}, '
            f'"complex": {known[d["complex"]]}}}'
        )
        return self._checked(ASSIGN, found, d)

    def _checked(self, action: str, found: str, details: dict[str, Any]) -> str:
        """``found``; the first of each action in a chunk compared with details_json's text."""
        if action in self._unchecked:
            self._unchecked.discard(action)
            if found != details_json(details):
                raise AssertionError(f"{action} details put together wrongly: {found}")
        return found


# The columns of the rows :meth:`CaseWriter.write` builds, named once per table.
CASE_COLUMNS = (
    "id",
    "number",
    "kind",
    "title",
    "content",
    "key",
    "complex",
    "received",
    "status",
    "round",
    "proc_due",
    "proc_replied_on",
    "last_on",
)
LINK_COLUMNS = ("case_id", "deputy_id", "position")
ROUND_COLUMNS = (
    "id",
    "case_id",
    "round",
    "started_on",
    "superseded_on",
    "department_id",
    "handler_id",
    "assigned_on",
    "due_original",
    "due",
    "replied_on",
    "reply_method",
    "reply_summary",
    "result",
    "closed_on",
    "satisfaction",
)
CO_DEPARTMENT_COLUMNS = ("round_id", "department_id")
