"""The deputies, departments and staff a ledger names, matched by name.

The registry is loaded once per import into dictionaries: a big ledger names
the same few hundred people row after row, and one query per row would cost
more than the rows themselves. A name the registry lacks is queued (a
department or a handler always; a deputy only with ``--create-deputies``)
and created with the next chunk, with the event its command would record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ...domain.spelling import NearNames
from ...domain.values import MAX_NAME, parse_id, split_qualified
from ...i18n import _
from ...store import import_reads
from ...store import schema as t
from ...store.bulk import BulkWriter
from ...store.events import details_json
from .values import BadValue, has_control_characters

# A deputy the row names: the id of one on the registry, or the name of one
# queued for creation (its id is known once the chunk is written).
DeputyRef = tuple[str, Any]  # ("id", 12) or ("new", name)
StaffRef = tuple[str, str | None]  # (name, department name)


@dataclass(frozen=True)
class NewName:
    """A department, staff member or deputy an import creates, and the names it is close to."""

    kind: str  # "department", "staff" or "deputy"
    name: str
    department: str | None
    # names already there (or created before it) one character away: a misspelling?
    near: list[str]


@dataclass
class NewDeputy:
    """A deputy to create: what the ledger says of them, and their id once written."""

    name: str
    body: str
    level: str
    unit: str | None = None
    id: int | None = None


def deputy_details(i: int, d: dict[str, Any] | NewDeputy, liaison: str | None) -> dict[str, Any]:
    """The row ``deputy.add`` records (as ``deputies.deputy_row`` gives it)."""
    get = d.get if isinstance(d, dict) else d.__dict__.get
    return {
        "id": i,
        "name": get("name"),
        "body": get("body"),
        "level": get("level"),
        "term": get("term"),
        "delegation": get("delegation"),
        "unit": get("unit"),
        "sector": get("sector"),
        "phone": get("phone"),
        "address": get("address"),
        "liaison": liaison,
    }


class Registry:
    """Deputies, departments and staff, loaded once; new ones are queued by name."""

    def __init__(self, conn: Connection, *, create_deputies: bool, level: str | None) -> None:
        self.deputies: dict[str, list[tuple[int, str | None]]] = {}
        self.deputy_names: dict[int, str] = {}
        for i, name, unit in import_reads.deputy_names(conn):
            self.deputies.setdefault(name, []).append((i, unit))
            self.deputy_names[i] = name
        self.departments: dict[str, int] = import_reads.department_ids(conn)
        self.staff_by_name: dict[str, list[tuple[int, int | None]]] = {}
        for i, name, dept in import_reads.staff_members(conn):
            self.staff_by_name.setdefault(name, []).append((i, dept))
        self.create_deputies = create_deputies
        self.level = level
        # the names there before the import, which a new name is compared with
        self._known = {
            "department": list(self.departments),
            "staff": list(self.staff_by_name),
            "deputy": list(self.deputies),
        }
        # queued for creation, in the order first met
        self.new_departments: dict[str, None] = {}
        self.new_staff: dict[StaffRef, None] = {}
        self.new_deputies: dict[str, NewDeputy] = {}
        self._staff_created: set[StaffRef] = set()
        self._department_names = {i: n for n, i in self.departments.items()}
        self._staff_refs: dict[tuple[str, str | None], StaffRef] = {}
        self._deputy_refs: dict[tuple[str, str], DeputyRef] = {}

    # -- matching ----------------------------------------------------------------------

    def deputy(self, text: str, body: str) -> DeputyRef:
        """A deputy by name, ``name(unit)`` or ``name(#id)``; else queued or refused."""
        cached = self._deputy_refs.get((text, body))
        if cached is None:
            cached = self._deputy_refs[(text, body)] = self._find_deputy(text, body)
        return cached

    def _find_deputy(self, text: str, body: str) -> DeputyRef:
        if len(text) > MAX_NAME:
            raise BadValue(
                "deputies",
                _("name is too long ({n} characters, at most {max})").format(
                    n=len(text), max=MAX_NAME
                ),
            )
        if has_control_characters(text):
            raise BadValue(
                "deputies", _("{what} contains control characters").format(what=_("name"))
            )
        matches = self.deputies.get(text, [])
        if len(matches) == 1:
            return ("id", matches[0][0])
        if len(matches) > 1:
            raise BadValue(
                "deputies",
                _("{ref!r} matches {n} deputies; write it as {example}").format(
                    ref=text,
                    n=len(matches),
                    example=" / ".join(f"{text}({u or '#' + str(i)})" for i, u in matches),
                ),
            )
        qualified = split_qualified(text)
        if qualified:
            name, qualifier = qualified
            candidates = self.deputies.get(name, [])
            by_unit = [i for i, u in candidates if u == qualifier]
            if len(by_unit) == 1:
                return ("id", by_unit[0])
            q = parse_id(qualifier.lstrip("#"))
            if q is not None and any(i == q for i, _u in candidates):
                return ("id", q)
            if not candidates and self.create_deputies:
                return self._queue_deputy(name, body, unit=qualifier)
        if self.create_deputies:
            return self._queue_deputy(text, body)
        raise BadValue(
            "deputies",
            _(
                "unknown deputy {ref!r}: add it first (liaison deputy add, liaison import "
                "deputies) or import with --create-deputies"
            ).format(ref=text),
        )

    def _queue_deputy(self, name: str, body: str, unit: str | None = None) -> DeputyRef:
        if self.level is None:
            raise BadValue(
                "deputies",
                _(
                    "unknown deputy {ref!r}: --create-deputies needs --level for the "
                    "deputies it creates"
                ).format(ref=name),
            )
        self.new_deputies.setdefault(name, NewDeputy(name, body, self.level, unit))
        return ("new", name)

    def department(self, name: str) -> str:
        """A department by name, queued for creation if the registry lacks it."""
        if name not in self.departments:
            self.new_departments.setdefault(name, None)
        return name

    def staff(self, name: str, department: str | None, key: str) -> StaffRef:
        """A handler (in ``department``) or a liaison: as ``resolve_staff`` would
        find them, else queued for creation in that department."""
        found = self._staff_refs.get((name, department))
        if found is None:
            found = self._staff_refs[(name, department)] = self._find_staff(name, department, key)
        return found

    def _find_staff(self, name: str, department: str | None, key: str) -> StaffRef:
        matches = self.staff_by_name.get(name, [])
        if department is not None:
            dept_id = self.departments.get(department)
            if dept_id is not None and any(d == dept_id for _i, d in matches):
                return (name, department)
        if len(matches) == 1:
            _i, d = matches[0]
            return (name, None if d is None else self._department_names.get(d))
        if len(matches) > 1:
            raise BadValue(
                key,
                _("{ref!r} matches {n} staff members; name the department").format(
                    ref=name, n=len(matches)
                ),
            )
        self.new_staff.setdefault((name, department), None)
        if department is not None:
            self.department(department)
        return (name, department)

    def new_names(self) -> list[NewName]:
        """Every name the import creates, departments first, each with its near names.

        A new name is compared with the names there before and with those the
        import creates before it, so of two spellings in one file the second
        is pointed out.
        """
        queued: list[tuple[str, str, str | None]] = [
            *(("department", n, None) for n in self.new_departments),
            *(("staff", n, d) for n, d in self.new_staff),
            *(("deputy", n, None) for n in self.new_deputies),
        ]
        index = {kind: NearNames(names) for kind, names in self._known.items()}
        out: list[NewName] = []
        for kind, name, department in queued:
            out.append(NewName(kind, name, department, index[kind].near(name)))
            index[kind].add(name)
        return out

    # -- ids ---------------------------------------------------------------------------

    def deputy_id(self, ref: DeputyRef) -> int:
        kind, value = ref
        if kind == "id":
            return int(value)
        new_id = self.new_deputies[value].id
        assert new_id is not None, "a queued deputy is created before its rows are written"
        return new_id

    def staff_id(self, ref: StaffRef) -> int:
        name, dept = ref
        dept_id = self.departments.get(dept) if dept else None
        matches = self.staff_by_name[name]
        for i, d in matches:
            if d == dept_id:
                return i
        return matches[0][0]

    # -- writing the queued ones -------------------------------------------------------

    def create(self, bulk: BulkWriter, actor: str, on: date) -> None:
        """Insert the departments, staff and deputies queued since the last call."""
        events = []
        names = [n for n in self.new_departments if n not in self.departments]
        ids = bulk.new_ids(t.departments, len(names))
        bulk.insert(t.departments, [{"id": i, "name": n} for i, n in zip(ids, names, strict=True)])
        for name, i in zip(names, ids, strict=True):
            self.departments[name] = i
            self._department_names[i] = name
            details = details_json({"name": name})
            events.append(bulk.event(actor, "dept.add", "department", i, on, details))
        keys = [k for k in self.new_staff if k not in self._staff_created]
        ids = bulk.new_ids(t.staff, len(keys))
        rows: list[dict[str, Any]] = [
            {"id": i, "name": n, "department_id": self.departments[d] if d else None}
            for i, (n, d) in zip(ids, keys, strict=True)
        ]
        bulk.insert(t.staff, rows)
        for (name, dept), row in zip(keys, rows, strict=True):
            i = row["id"]
            self.staff_by_name.setdefault(name, []).append((i, row["department_id"]))
            self._staff_created.add((name, dept))
            details = details_json({"name": name, "department": dept})
            events.append(bulk.event(actor, "staff.add", "staff", i, on, details))
        new = [d for d in self.new_deputies.values() if d.id is None]
        ids = bulk.new_ids(t.deputies, len(new))
        bulk.insert(
            t.deputies,
            [
                {"id": i, "name": d.name, "body": d.body, "level": d.level, "unit": d.unit}
                for i, d in zip(ids, new, strict=True)
            ],
        )
        for d, i in zip(new, ids, strict=True):
            d.id = i
            self.deputy_names[i] = d.name
            details = details_json(deputy_details(i, d, None))
            events.append(bulk.event(actor, "deputy.add", "deputy", i, on, details))
        bulk.events(events)
