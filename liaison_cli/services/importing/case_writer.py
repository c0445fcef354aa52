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
from ...store.bulk import BulkWriter
from ...store.events import details_json
from .. import deadlines
from .case_rows import CaseRow
from .history import FIRST_ROUND, REPEATING, derive
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
        self._staff_ids = _Resolved(reg.staff_id)
        self._proc_due = _Resolved(lambda received: deadlines.procedural_due(received, rules))

    def write(self, part: Sequence[CaseRow]) -> None:
        """Insert ``part`` (numbered: every row has its number by now)."""
        bulk, actor, depts = self.bulk, self.actor, self.reg.departments
        case_ids = bulk.new_ids(t.cases, len(part))
        round_ids = bulk.new_ids(t.case_rounds, len(part))
        cases: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        rounds: list[dict[str, Any]] = []
        co_rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
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
            cases.append(
                {
                    "id": cid,
                    "number": c.number,
                    "kind": c.kind,
                    "title": c.title,
                    "content": c.content,
                    "key": c.key,
                    "complex": False,
                    "received": c.received,
                    "status": history.status,
                    "round": FIRST_ROUND,
                    "proc_due": proc_due,
                    "proc_replied_on": c.proc_replied,
                    "last_on": history.last_on,
                }
            )
            links += [
                {"case_id": cid, "deputy_id": d, "position": pos}
                for pos, d in enumerate(deputy_ids)
            ]
            rounds.append(
                {
                    "id": rid,
                    "case_id": cid,
                    "round": FIRST_ROUND,
                    "started_on": c.received,
                    "superseded_on": None,
                    "department_id": depts[c.department] if c.department else None,
                    "handler_id": self._staff_ids[handler] if handler else None,
                    "assigned_on": c.assigned,
                    "due_original": c.due,
                    "due": c.due,
                    "replied_on": c.replied,
                    "reply_method": c.method,
                    "reply_summary": None,
                    "result": c.result,
                    "closed_on": c.closed,
                    "satisfaction": c.satisfaction,
                }
            )
            if c.co_departments:
                co_rows += [
                    {"round_id": rid, "department_id": depts[name]} for name in c.co_departments
                ]
            for step in history.steps:
                if step.action in REPEATING:
                    details = self._json[tuple(step.details.items())]
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
        bulk.insert(t.cases, cases)
        bulk.insert(t.case_deputies, links)
        bulk.insert(t.case_rounds, rounds)
        bulk.insert(t.round_co_departments, co_rows)
        bulk.events(events)
