"""Import of deputies, cases and contacts from a ledger file, in one transaction.

Rows are read in chunks. Each row's values are parsed and the deputies,
departments and staff it names resolved against dictionaries loaded once;
the first bad row stops everything with its line, column and reason, and
the transaction takes back whatever earlier chunks wrote. Each good chunk is
written in bulk (plain ``executemany``, ``COPY`` on PostgreSQL, no ORM):
first the departments, staff and deputies it introduces, then its rows,
their links and their events. A ``--dry-run`` checks every row and writes
nothing.

A case row may carry its history (assignment, reply, close). It is stored as
the same round state and the same events (``case.add``, ``case.assign``,
``case.procedural_reply``, ``case.reply``, ``case.close``) that the commands
would have written, dated as in the file, so that the rates over an imported
ledger equal those over the same cases entered by hand.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from ..domain.dates import parse_date
from ..domain.dates import today as today_
from ..domain.vocab import (
    BODIES,
    CONTACT_TYPES,
    KINDS,
    LEVELS,
    METHODS,
    PROCEDURAL_KINDS,
    RESULTS,
    SATISFACTION,
    Vocabulary,
)
from ..errors import ImportFileError, InvalidValue, LiaisonError
from ..i18n import N_, _
from ..models import (
    Case,
    CaseCounter,
    CaseDeputy,
    Department,
    Deputy,
    Staff,
)
from . import deadlines
from .common import MAX_NAME, MAX_TEXT, dialect, now
from .deputies import MAX_TERM, TEXT_FIELDS
from .io_read import CASES, CONTACTS, DEPUTIES, Sheet, open_sheet

CHUNK = 5000  # rows per executemany batch
ROWS_PER_STATEMENT = 100  # SQLite: rows in one multi-row INSERT
# measured: narrow tables (events, links) gain from multi-row statements; the wide
# ones (cases, case_rounds) lose while their indexes are kept up to date, and gain
# (about 20%) while the indexes are deferred (see _Bulk.defer_indexes)
MULTI_ROW_MAX_COLUMNS = 9
SQLITE_MAX_PARAMS = 32766  # SQLite >= 3.32; 999 before
CACHE_LIMIT = 10_000  # entries in a cache of parsed or rendered values (memory: issue 8)
# SQLite: a case import of at least this many rows, and more than the cases
# already there, drops the tables' secondary indexes and builds them at the end
REBUILD_MIN_ROWS = 10_000
CASE_TABLES = ("cases", "case_deputies", "case_rounds", "round_co_departments", "events")

# For the bulk load on SQLite, on the import's own connection and restored after:
SQLITE_PRAGMAS = {
    # a page cache that keeps the pages being filled in memory (the default
    # 2 MB spills them to the WAL over and over); 8 MB, not more, so that the
    # import stays within the memory budget of issue 8 (120 MiB)
    "cache_size": -8192,
    # every coded value was parsed by its vocabulary before it gets here, so
    # the CHECK (x IN (...)) constraints can only agree; SQLite rebuilds each
    # IN list for every row, which costs as much as the rest of the insert
    "ignore_check_constraints": 1,
}
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    table: str
    file: str
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    created_deputies: int = 0
    created_departments: int = 0
    created_staff: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "file": self.file,
            "rows": self.rows,
            "imported": self.imported,
            "skipped": self.skipped,
            "created_deputies": self.created_deputies,
            "created_departments": self.created_departments,
            "created_staff": self.created_staff,
            "dry_run": self.dry_run,
            "ignored_columns": self.ignored_columns,
        }


# -- values ------------------------------------------------------------------------

_BAD_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SEPARATORS = re.compile(r"[;；、,，]")
_QUALIFIED = re.compile(r"^(.+?)\s*[(（]\s*(.+?)\s*[)）]$")
_TRUE = {"true", "yes", "y", "1", "是", "√", "✓", "x", "重点", "重点督办"}
_FALSE = {"false", "no", "n", "0", "否", "", "-"}


class _Bad(Exception):
    """A bad value; the row loop adds line and column."""

    def __init__(self, key: str | None, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


def _text(
    row: dict[str, Any],
    key: str,
    what: str,
    *,
    required: bool = False,
    max_len: int = MAX_TEXT,
    single_line: bool = True,
) -> str | None:
    """The same checks as ``common.clean_text``, with regexes (this runs per cell).

    ``what`` is untranslated (``N_``): it is translated only for a message.
    """
    value = row.get(key)
    if value is None:
        if required:
            raise _Bad(key, _("{what} must not be empty").format(what=_(what)))
        return None
    if value.__class__ is not str:
        value = value.isoformat()  # a date cell in a text column
    bad = (_BAD_LINE if single_line else _BAD_TEXT).search(value)
    if bad:
        what = _(what)
        if 0xD800 <= ord(bad.group()) <= 0xDFFF:
            raise _Bad(key, _("{what} is not valid text").format(what=what))
        raise _Bad(key, _("{what} contains control characters").format(what=what))
    if len(value) > max_len:
        raise _Bad(
            key,
            _("{what} is too long ({n} characters, at most {max})").format(
                what=_(what), n=len(value), max=max_len
            ),
        )
    return value


class _Dates:
    """Dates parsed once per distinct text (a ledger repeats them a lot)."""

    def __init__(self) -> None:
        self._cache: dict[str, date] = {}

    def get(self, row: dict[str, Any], key: str, *, required: bool = False) -> date | None:
        value = row.get(key)
        found = self._cache.get(value)  # the usual case: a text seen before
        if found is not None:
            return found
        if value is None:
            if required:
                raise _Bad(key, _("empty date"))
            return None
        if isinstance(value, date):
            return value
        try:
            found = parse_date(value)
        except InvalidValue as exc:
            raise _Bad(key, exc.message) from exc
        self._cache[value] = found
        return found


class _Codes:
    """A vocabulary's parse, remembered per distinct text."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._cache: dict[str, str] = {}

    def get(self, row: dict[str, Any], key: str, default: str | None = None) -> str | None:
        value = row.get(key)
        code = self._cache.get(value)  # the usual case: a word seen before
        if code is not None:
            return code
        value = _str(value)
        if value is None:
            return default
        try:
            code = self.vocab.parse(value)
        except InvalidValue as exc:
            raise _Bad(key, exc.message) from exc
        self._cache[value] = code
        return code


def _flag(row: dict[str, Any], key: str) -> bool:
    value = _str(row.get(key))
    if value is None:
        return False
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise _Bad(key, _("{value!r} is not yes or no").format(value=value))


_SPLIT_CACHE: dict[str, tuple[str, ...]] = {}


def split_names(text: str) -> tuple[str, ...]:
    """Names separated by ``; ； 、 , ，``, a separator inside parentheses excepted.

    Remembered per text: a ledger names the same deputies row after row.
    """
    found = _SPLIT_CACHE.get(text)
    if found is None:
        if len(_SPLIT_CACHE) > CACHE_LIMIT:
            _SPLIT_CACHE.clear()
        found = _SPLIT_CACHE[text] = _split(text)
    return found


def _split(text: str) -> tuple[str, ...]:
    if "(" not in text and "（" not in text:
        parts = _SEPARATORS.split(text)
    else:
        parts, current, depth = [], [], 0
        for ch in text:
            if ch in "(（":
                depth += 1
            elif ch in ")）":
                depth = max(depth - 1, 0)
            if depth == 0 and ch in ";；、,，":
                parts.append("".join(current))
                current = []
            else:
                current.append(ch)
        parts.append("".join(current))
    seen: list[str] = []
    for p in parts:
        name = p.strip()
        if name and name not in seen:
            seen.append(name)
    return tuple(seen)


def _dumps(details: dict[str, Any]) -> str:
    # exactly what services.common.record stores
    return json.dumps(details, ensure_ascii=False, default=str)


_encode = encode_basestring  # a JSON string literal, as json.dumps(ensure_ascii=False)


# -- references ----------------------------------------------------------------------


class _Registry:
    """Deputies, departments and staff, loaded once; new ones are queued by name."""

    def __init__(self, session: Session, *, create_deputies: bool, level: str | None) -> None:
        self.deputies: dict[str, list[tuple[int, str | None]]] = {}
        self.deputy_names: dict[int, str] = {}
        for i, name, unit in session.execute(select(Deputy.id, Deputy.name, Deputy.unit)):
            self.deputies.setdefault(name, []).append((i, unit))
            self.deputy_names[i] = name
        self.departments: dict[str, int] = dict(
            session.execute(select(Department.name, Department.id)).all()
        )
        self.staff_by_name: dict[str, list[tuple[int, int | None]]] = {}
        for i, name, dept in session.execute(select(Staff.id, Staff.name, Staff.department_id)):
            self.staff_by_name.setdefault(name, []).append((i, dept))
        self.create_deputies = create_deputies
        self.level = level
        # queued for creation, in the order first met
        self.new_departments: dict[str, None] = {}
        self.new_staff: dict[tuple[str, str | None], None] = {}  # (name, department)
        self.new_deputies: dict[str, dict[str, Any]] = {}
        self._staff_created: set[tuple[str, str | None]] = set()
        self._department_names = {i: n for n, i in self.departments.items()}
        self._staff_refs: dict[tuple[str, str | None], tuple[str, str | None]] = {}
        self._deputy_refs: dict[tuple[str, str], tuple[str, Any]] = {}

    # deputies: ("id", 12) for one on the registry, ("new", name) for one to create
    def deputy(self, text: str, body: str) -> tuple[str, Any]:
        cached = self._deputy_refs.get((text, body))
        if cached is not None:
            return cached
        ref = self._find_deputy(text, body)
        self._deputy_refs[(text, body)] = ref
        return ref

    def _find_deputy(self, text: str, body: str) -> tuple[str, Any]:
        if len(text) > MAX_NAME:
            raise _Bad(
                "deputies",
                _("name is too long ({n} characters, at most {max})").format(
                    n=len(text), max=MAX_NAME
                ),
            )
        if _BAD_LINE.search(text):
            raise _Bad("deputies", _("{what} contains control characters").format(what=_("name")))
        matches = self.deputies.get(text, [])
        if len(matches) == 1:
            return ("id", matches[0][0])
        if len(matches) > 1:
            raise _Bad(
                "deputies",
                _("{ref!r} matches {n} deputies; write it as {example}").format(
                    ref=text,
                    n=len(matches),
                    example=" / ".join(f"{text}({u or '#' + str(i)})" for i, u in matches),
                ),
            )
        m = _QUALIFIED.match(text)
        if m:
            name, qualifier = m.group(1), m.group(2)
            candidates = self.deputies.get(name, [])
            by_unit = [i for i, u in candidates if u == qualifier]
            if len(by_unit) == 1:
                return ("id", by_unit[0])
            q = qualifier.lstrip("#")
            if q.isdigit() and any(i == int(q) for i, _u in candidates):
                return ("id", int(q))
            if not candidates and self.create_deputies:
                return self._queue_deputy(name, body, unit=qualifier)
        if self.create_deputies:
            return self._queue_deputy(text, body)
        raise _Bad(
            "deputies",
            _(
                "unknown deputy {ref!r}: add it first (liaison deputy add, liaison import "
                "deputies) or import with --create-deputies"
            ).format(ref=text),
        )

    def _queue_deputy(self, name: str, body: str, unit: str | None = None) -> tuple[str, Any]:
        if self.level is None:
            raise _Bad(
                "deputies",
                _(
                    "unknown deputy {ref!r}: --create-deputies needs --level for the "
                    "deputies it creates"
                ).format(ref=name),
            )
        self.new_deputies.setdefault(
            name, {"name": name, "body": body, "level": self.level, "unit": unit}
        )
        return ("new", name)

    def department(self, name: str) -> str:
        if name not in self.departments:
            self.new_departments.setdefault(name, None)
        return name

    def staff(self, name: str, department: str | None, key: str) -> tuple[str, str | None]:
        """A handler (in ``department``) or a liaison: as ``resolve_staff`` would
        find them, else queued for creation in that department."""
        found = self._staff_refs.get((name, department))
        if found is None:
            found = self._staff_refs[(name, department)] = self._find_staff(name, department, key)
        return found

    def _find_staff(self, name: str, department: str | None, key: str) -> tuple[str, str | None]:
        matches = self.staff_by_name.get(name, [])
        if department is not None:
            dept_id = self.departments.get(department)
            if dept_id is not None and any(d == dept_id for _i, d in matches):
                return (name, department)
        if len(matches) == 1:
            i, d = matches[0]
            return (name, self._department_name(d))
        if len(matches) > 1:
            raise _Bad(
                key,
                _("{ref!r} matches {n} staff members; name the department").format(
                    ref=name, n=len(matches)
                ),
            )
        self.new_staff.setdefault((name, department), None)
        if department is not None:
            self.department(department)
        return (name, department)

    def _department_name(self, dept_id: int | None) -> str | None:
        return None if dept_id is None else self._department_names.get(dept_id)

    # -- writing the queued ones -------------------------------------------------------

    def create(self, bulk: _Bulk, actor: str, on: date) -> None:
        """Insert the departments, staff and deputies queued since the last call."""
        events = []
        names = [n for n in self.new_departments if n not in self.departments]
        ids = bulk.new_ids("departments", len(names))
        bulk.insert("departments", ("id", "name"), list(zip(ids, names, strict=True)))
        for name, i in zip(names, ids, strict=True):
            self.departments[name] = i
            self._department_names[i] = name
            details = _dumps({"name": name})
            events.append(bulk.event(actor, on, "dept.add", "department", i, None, None, details))
        keys = [k for k in self.new_staff if k not in self._staff_created]
        ids = bulk.new_ids("staff", len(keys))
        rows = [
            (i, n, self.departments[d] if d else None) for i, (n, d) in zip(ids, keys, strict=True)
        ]
        bulk.insert("staff", ("id", "name", "department_id"), rows)
        for (name, dept), (i, _n, dept_id) in zip(keys, rows, strict=True):
            self.staff_by_name.setdefault(name, []).append((i, dept_id))
            self._staff_created.add((name, dept))
            details = _dumps({"name": name, "department": dept})
            events.append(bulk.event(actor, on, "staff.add", "staff", i, None, None, details))
        new = [d for d in self.new_deputies.values() if "id" not in d]
        ids = bulk.new_ids("deputies", len(new))
        bulk.insert(
            "deputies",
            ("id", "name", "body", "level", "unit"),
            [
                (i, d["name"], d["body"], d["level"], d["unit"])
                for i, d in zip(ids, new, strict=True)
            ],
        )
        for d, i in zip(new, ids, strict=True):
            d["id"] = i
            self.deputy_names[i] = d["name"]
            details = _dumps(_deputy_details(i, d, None))
            events.append(bulk.event(actor, on, "deputy.add", "deputy", i, None, None, details))
        bulk.events(events)

    def deputy_id(self, ref: tuple[str, Any]) -> int:
        kind, value = ref
        return value if kind == "id" else self.new_deputies[value]["id"]

    def staff_id(self, ref: tuple[str, str | None]) -> int:
        name, dept = ref
        dept_id = self.departments.get(dept) if dept else None
        matches = self.staff_by_name[name]
        for i, d in matches:
            if d == dept_id:
                return i
        return matches[0][0]


def _deputy_details(i: int, d: dict[str, Any], liaison: str | None) -> dict[str, Any]:
    """The row ``deputy.add`` records (as ``deputies.deputy_row`` gives it)."""
    return {
        "id": i,
        "name": d["name"],
        "body": d["body"],
        "level": d["level"],
        "term": d.get("term"),
        "delegation": d.get("delegation"),
        "unit": d.get("unit"),
        "sector": d.get("sector"),
        "phone": d.get("phone"),
        "address": d.get("address"),
        "liaison": liaison,
    }


# -- bulk writing --------------------------------------------------------------------


class _Resolved(dict[Any, Any]):
    """key -> ``resolve(key)``, computed on first use (a subscript in the row loop)."""

    def __init__(self, resolve: Callable[[Any], Any]) -> None:
        super().__init__()
        self._resolve = resolve

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._resolve(key)
        return value


class _Days(_Resolved):
    """date -> the driver's value, computed once per date; ``days[None]`` is None.

    A subscript, not a method call: the writer converts about 14 dates a case.
    """

    def __init__(self, convert: Callable[[date], Any] | None) -> None:
        super().__init__(convert or _same)
        self[None] = None


def _same(value: Any) -> Any:
    return value


class _Bulk:
    """Plain DBAPI ``executemany`` (``COPY`` on PostgreSQL) in the session's transaction.

    The ORM and even Core spend more per row on parameters than the database
    spends storing it; a ledger of 100,000 cases is about 700,000 rows. Ids
    are allocated up front (the table's maximum under SQLite's write lock,
    the sequence on PostgreSQL) so that links and events can name them.
    """

    def __init__(self, session: Session) -> None:
        from sqlalchemy import Date, DateTime

        conn = session.connection()
        dialect = conn.dialect
        self.raw = conn.connection.driver_connection
        self.postgres = dialect.name == "postgresql"
        self.mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self._date = Date().dialect_impl(dialect).bind_processor(dialect)
        stamp_proc = DateTime().dialect_impl(dialect).bind_processor(dialect)
        stamp = now()
        self.stamp = stamp_proc(stamp) if stamp_proc else stamp
        self.days = _Days(self._date)
        self._restore: list[str] = []
        self._deferred: list[str] = []  # CREATE INDEX statements to run before commit

    def __enter__(self) -> _Bulk:
        if not self.postgres:
            for pragma, value in SQLITE_PRAGMAS.items():
                old = self.raw.execute(f"PRAGMA {pragma}").fetchone()[0]
                self._restore.append(f"PRAGMA {pragma} = {old}")
                self.raw.execute(f"PRAGMA {pragma} = {value}")
        return self

    def __exit__(self, *exc: object) -> None:
        # the connection goes back to the pool: leave it as it was
        for statement in self._restore:
            self.raw.execute(statement)

    def defer_indexes(self, tables: Sequence[str]) -> None:
        """SQLite: drop the secondary indexes of ``tables`` until :meth:`restore_indexes`.

        Filling a B-tree one random key at a time costs more than sorting the
        keys once: for a ledger that brings more cases than the database holds,
        building the indexes afresh at the end is about twice as fast as
        keeping them up to date row by row. It all happens inside the import's
        transaction, so a failed or killed import leaves the indexes as they
        were. The unique indexes stay: they are constraints, and the lookups
        of the import itself (case numbers) use them.
        """
        if self.postgres:
            return
        marks = ", ".join("?" * len(tables))
        found = self.raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks}) ORDER BY name",
            tuple(tables),
        ).fetchall()
        for name, sql in found:
            self.raw.execute(f'DROP INDEX "{name}"')
            self._deferred.append(sql)

    def restore_indexes(self) -> None:
        """Create the indexes :meth:`defer_indexes` dropped, exactly as they were.

        The sort behind ``CREATE INDEX`` takes as much memory as the page
        cache allows, on top of the cache itself: the cache is shrunk first
        (the pages the import wrote are no longer needed) to stay in budget.
        """
        if self._deferred:
            self.raw.execute("PRAGMA cache_size = -2048")
        while self._deferred:
            self.raw.execute(self._deferred.pop(0))

    def day(self, d: date | None) -> Any:
        """A date as the driver wants it (SQLAlchemy's text form on SQLite)."""
        return self.days[d]

    def new_ids(self, table: str, n: int) -> list[int]:
        if n <= 0:
            return []
        cur = self.raw.cursor()
        if self.postgres:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (table, n),
            )
            return [r[0] for r in cur.fetchall()]
        cur.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
        first = cur.fetchone()[0] + 1
        return list(range(first, first + n))

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        cur = self.raw.cursor()
        if self.postgres:
            with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # several rows per statement: fewer statement steps and resets
        one = "(" + ", ".join([self.mark] * len(columns)) + ")"
        multi = len(columns) <= MULTI_ROW_MAX_COLUMNS or bool(self._deferred)
        per = ROWS_PER_STATEMENT if multi else 1
        per = max(1, min(per, SQLITE_MAX_PARAMS // len(columns)))
        full = len(rows) - len(rows) % per
        if full:
            sql = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join([one] * per)
            # a generator: the flattened parameters are never all in memory at once
            cur.executemany(
                sql, (list(chain.from_iterable(rows[i : i + per])) for i in range(0, full, per))
            )
        if full < len(rows):
            rest = rows[full:]
            sql = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join([one] * len(rest))
            cur.execute(sql, list(chain.from_iterable(rest)))

    def events(self, rows: list[tuple[Any, ...]]) -> None:
        self.insert("events", EVENT_COLUMNS, rows)

    def event(
        self,
        actor: str,
        on: date,
        action: str,
        entity: str,
        entity_id: int | None,
        case_id: int | None,
        round_: int | None,
        details: str | None,
    ) -> tuple[Any, ...]:
        return (
            self.stamp,
            self.day(on),
            actor,
            action,
            entity,
            entity_id,
            case_id,
            round_,
            details,
        )


EVENT_COLUMNS = (
    "recorded_at",
    "happened_on",
    "actor",
    "action",
    "entity",
    "entity_id",
    "case_id",
    "round",
    "details",
)


def _j(value: Any) -> str:
    """One JSON value exactly as ``json.dumps(..., ensure_ascii=False)`` writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _encode(value)
    if isinstance(value, list):
        return "[" + ", ".join(_j(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    found: set[str] = set()
    items = list(numbers)
    for part in _chunks(items, 500):
        found.update(session.execute(select(Case.number).where(Case.number.in_(part))).scalars())
    return found


class _Numbers:
    """Auto numbers ``YYYY-NNNN`` for the cases of a file that carry none.

    For each chunk, one atomic increment of a year's counter reserves a block
    (so a clerk numbering a case meanwhile gets a number after it). A number
    in the block that is already taken, by a case in the ledger or by a
    number in the file, is skipped and the block topped up. The numbers the
    ledger held before the import are read once per year; the ones this
    import writes are all known here, so the growing table is not queried
    again (on PostgreSQL its statistics do not know the new rows yet).
    """

    def __init__(self, session: Session, in_file: Container[str], last_id: int) -> None:
        self.session = session
        self.in_file = in_file
        self.last_id = last_id
        self._before: dict[int, set[str]] = {}
        if dialect(session) == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        self._upsert = upsert

    def _taken_before(self, year: int) -> set[str]:
        found = self._before.get(year)
        if found is None:
            prefix = f"{year}-"
            found = self._before[year] = set(
                self.session.execute(
                    select(Case.number).where(
                        Case.id <= self.last_id,
                        func.substr(Case.number, 1, len(prefix)) == prefix,
                    )
                ).scalars()
            )
        return found

    def allocate(self, counts: dict[int, int]) -> dict[int, deque[str]]:
        session = self.session
        out: dict[int, deque[str]] = {}
        for year, count in sorted(counts.items()):
            session.execute(
                self._upsert(CaseCounter)
                .values(year=year, last=0)
                .on_conflict_do_nothing(index_elements=["year"])
            )
            before = self._taken_before(year)
            got: list[str] = []
            while len(got) < count:
                need = count - len(got)
                end = session.execute(
                    update(CaseCounter)
                    .where(CaseCounter.year == year)
                    .values(last=CaseCounter.last + need)
                    .returning(CaseCounter.last)
                ).scalar_one()
                for n in range(end - need + 1, end + 1):
                    number = f"{year}-{n:04d}"
                    if number not in before and number not in self.in_file:
                        got.append(number)
            out[year] = deque(got)
        return out


# -- the common frame ----------------------------------------------------------------


def _fail(sheet: Sheet, line: int, exc: _Bad | LiaisonError) -> ImportFileError:
    if isinstance(exc, _Bad):
        return sheet.error(line, exc.key, exc.reason)
    return sheet.error(line, None, exc.message)


class _Run:
    """One import: the sheet, the registry, the counts, and (unless a dry run)
    the bulk writer. Rows are checked and written chunk by chunk, so memory
    does not grow with the file; the transaction makes it all or nothing."""

    def __init__(
        self,
        session: Session,
        actor: str,
        table: str,
        sheet: Sheet,
        path: str,
        *,
        dry_run: bool,
        progress: Progress | None,
        create_deputies: bool = False,
        level: str | None = None,
    ) -> None:
        self.session = session
        self.actor = actor
        self.sheet = sheet
        self.progress = progress
        self.result = ImportResult(table, str(path), dry_run=dry_run, ignored_columns=sheet.ignored)
        self.reg = _Registry(
            session, create_deputies=create_deputies, level=LEVELS.parse(level) if level else None
        )
        self.on = today_()
        self.bulk: _Bulk | None = None

    def __enter__(self) -> _Run:
        if not self.result.dry_run:
            self.bulk = _Bulk(self.session).__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bulk is not None:
            self.bulk.__exit__(*exc)

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for line, row in self.sheet.rows():
            self.result.rows += 1
            yield line, row

    def write(self, chunk: list[Any], write: Callable[[_Bulk, list[Any]], None]) -> None:
        """Create what the chunk introduced, then write it (a dry run only counts)."""
        self.result.imported += len(chunk)
        if self.bulk is not None and chunk:
            self.reg.create(self.bulk, self.actor, self.on)
            write(self.bulk, chunk)
        if self.progress is not None:
            done = self.result.rows
            self.progress("import", done, max(self.sheet.total, done))

    def finish(self) -> ImportResult:
        r = self.result
        r.created_deputies = len(self.reg.new_deputies)
        r.created_departments = len(self.reg.new_departments)
        r.created_staff = len(self.reg.new_staff)
        if self.bulk is not None:
            self.bulk.restore_indexes()
            details = {
                "file": r.file,
                "rows": r.rows,
                "imported": r.imported,
                "skipped": r.skipped,
                "created_deputies": r.created_deputies,
                "created_departments": r.created_departments,
                "created_staff": r.created_staff,
            }
            event = self.bulk.event(
                self.actor,
                self.on,
                f"import.{r.table}",
                "import",
                None,
                None,
                None,
                _dumps(details),
            )
            self.bulk.events([event])
        return r


# -- deputies ---------------------------------------------------------------------------


def import_deputies(
    session: Session,
    actor: str,
    path: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Deputies; a row identical to one on the registry (every column) is skipped."""
    sheet = open_sheet(path, DEPUTIES)
    bodies, levels = _Codes(BODIES), _Codes(LEVELS)
    staff_names = dict(session.execute(select(Staff.id, Staff.name)).all())
    seen: set[tuple[Any, ...]] = set()
    for d in session.execute(select(Deputy)).scalars():
        seen.add(_deputy_key(d.__dict__, staff_names.get(d.liaison_id)))
    columns = ("id", "liaison_id", *_DEPUTY_FIELDS)

    with _Run(session, actor, "deputies", sheet, path, dry_run=dry_run, progress=progress) as run:
        reg = run.reg

        def write(bulk: _Bulk, chunk: list[tuple[dict[str, Any], Any]]) -> None:
            ids = bulk.new_ids("deputies", len(chunk))
            rows, events = [], []
            for i, (d, ref) in zip(ids, chunk, strict=True):
                rows.append(
                    (i, reg.staff_id(ref) if ref else None, *(d[k] for k in _DEPUTY_FIELDS))
                )
                details = _dumps(_deputy_details(i, d, ref[0] if ref else None))
                events.append(
                    bulk.event(actor, run.on, "deputy.add", "deputy", i, None, None, details)
                )
            bulk.insert("deputies", columns, rows)
            bulk.events(events)

        chunk: list[tuple[dict[str, Any], Any]] = []
        for line, row in run.rows():
            try:
                d: dict[str, Any] = {
                    "name": _text(row, "name", N_("name"), required=True, max_len=MAX_NAME),
                    "body": bodies.get(row, "body", "npc"),
                    "level": levels.get(row, "level"),
                    "term": _term(row),
                }
                if d["level"] is None:
                    raise _Bad("level", _("{what} must not be empty").format(what=_("level")))
                for key, max_len in TEXT_FIELDS.items():
                    d[key] = _text(row, key, key, max_len=max_len)
                liaison = _text(row, "liaison", N_("liaison"), max_len=MAX_NAME)
                k = _deputy_key(d, liaison)
                if k in seen:
                    run.result.skipped += 1
                    continue
                seen.add(k)
                ref = reg.staff(liaison, None, "liaison") if liaison else None
            except (_Bad, LiaisonError) as exc:
                raise _fail(sheet, line, exc) from None
            chunk.append((d, ref))
            if len(chunk) >= CHUNK:
                run.write(chunk, write)
                chunk = []
        run.write(chunk, write)
        return run.finish()


_DEPUTY_FIELDS = ("name", "body", "level", "term", *TEXT_FIELDS)


def _deputy_key(d: dict[str, Any], liaison: str | None) -> tuple[Any, ...]:
    return (
        d.get("name"),
        d.get("body"),
        d.get("level"),
        d.get("term"),
        *(d.get(k) for k in TEXT_FIELDS),
        liaison,
    )


def _term(row: dict[str, Any]) -> int | None:
    value = _str(row.get("term"))
    if value is None:
        return None
    try:
        term = int(value.strip().removeprefix("第").removesuffix("届"))
    except ValueError:
        raise _Bad("term", _("term must be a number, not {v!r}").format(v=value)) from None
    if not 1 <= term <= MAX_TERM:
        raise _Bad("term", _("term must be between 1 and {max}").format(max=MAX_TERM))
    return term


# -- cases -------------------------------------------------------------------------------


@dataclass(slots=True)
class _CaseRow:
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
    # resolved in the second pass
    deputy_refs: tuple[tuple[str, Any], ...] = ()
    handler_ref: tuple[str, str | None] | None = None


_MISS = object()  # a cache miss, where None is a valid answer

# what a text column is called in a message (translated only then)
_TITLE, _NUMBER, _CONTENT = N_("title"), N_("case number"), N_("content")
_DEPARTMENT, _STAFF = N_("department name"), N_("staff name")


class _CaseParser:
    """One case row to a :class:`_CaseRow`, checked as the commands check it.

    This runs for every row of a big ledger, so the common path is a few
    dictionary lookups: dates, vocabulary words, department and handler names
    are parsed or checked once per distinct text and remembered.
    """

    def __init__(self) -> None:
        self.dates = _Dates()
        self.kinds = _Codes(KINDS)
        self.methods = _Codes(METHODS)
        self.results = _Codes(RESULTS)
        self.satisfaction = _Codes(SATISFACTION)
        self.rules = deadlines.rules()
        self._due: dict[tuple[str, date], date] = {}
        # None (a blank cell) is in every cache: blank is an answer, not a miss
        self.dates._cache[None] = None  # type: ignore[index]
        for codes in (self.methods, self.results, self.satisfaction):
            codes._cache[None] = None  # type: ignore[index]
        self.kinds._cache[None] = "suggestion"  # type: ignore[index]
        self._names: set[str | None] = {None}  # department and handler texts checked

    def _date(self, row: dict[str, Any], key: str) -> date | None:
        found = self.dates._cache.get(row.get(key), _MISS)
        if found is _MISS:
            return self.dates.get(row, key)
        return found  # type: ignore[return-value]

    def _code(self, codes: _Codes, row: dict[str, Any], key: str) -> str | None:
        found = codes._cache.get(row.get(key), _MISS)
        if found is _MISS:
            return codes.get(row, key)
        return found  # type: ignore[return-value]

    def _name(self, row: dict[str, Any], key: str, what: str, max_len: int) -> str | None:
        value = row.get(key)
        if value in self._names:
            return value
        value = _text(row, key, what, max_len=max_len)
        self._names.add(value)
        return value

    def parse(self, line: int, row: dict[str, Any]) -> _CaseRow:
        get = row.get
        day = self._date
        received = day(row, "received")
        if received is None:
            raise _Bad("received", _("empty date"))
        code = self._code
        kind = code(self.kinds, row, "kind") or "suggestion"
        title = _text(row, "title", _TITLE, required=True, max_len=500) or ""
        number = _text(row, "number", _NUMBER, max_len=100) if get("number") else None
        content = _text(row, "content", _CONTENT, single_line=False) if get("content") else None
        deputies_text = get("deputies")
        names = split_names(_str(deputies_text)) if deputies_text else ()  # type: ignore[arg-type]
        if not names:
            raise _Bad("deputies", _("at least one deputy is required"))
        department = self._name(row, "department", _DEPARTMENT, 200)
        co_text = get("co_departments")
        co = split_names(_str(co_text)) if co_text else ()  # type: ignore[arg-type]
        handler = self._name(row, "handler", _STAFF, MAX_NAME)
        assigned = day(row, "assigned")
        due = day(row, "due")
        replied = day(row, "replied")
        method = code(self.methods, row, "reply_method")
        result = code(self.results, row, "result")
        closed = day(row, "closed")
        satisfaction = code(self.satisfaction, row, "satisfaction")
        proc_replied = day(row, "proc_replied")
        key = _flag(row, "key") if get("key") else False

        if department is None:
            for col, value in (
                ("assigned", assigned),
                ("handler", handler),
                ("co_departments", co),
                ("due", due),
                ("replied", replied),
            ):
                if value:
                    raise _Bad(col, _("the case has no department: it is not assigned"))
        else:
            if assigned is None:
                assigned = received  # DESIGN: a department without a date is assigned on receipt
            if assigned < received:
                raise _Bad(
                    "assigned",
                    _("assignment date {on} is before the case was received ({received})").format(
                        on=assigned, received=received
                    ),
                )
            if department in co:
                raise _Bad(
                    "co_departments", _("the lead department cannot also be a co-department")
                )
            if due is not None:
                if due < received:
                    raise _Bad(
                        "due",
                        _("due date {due} is before the case was received ({received})").format(
                            due=due, received=received
                        ),
                    )
                if due < assigned:
                    raise _Bad(
                        "due",
                        _("due date {due} is before the assignment date {on}").format(
                            due=due, on=assigned
                        ),
                    )
            else:
                due = self._due.get((kind, assigned))
                if due is None:
                    due = deadlines.substantive_due(kind, assigned, False, self.rules)
                    self._due[(kind, assigned)] = due
        if proc_replied is not None:
            if kind not in PROCEDURAL_KINDS:
                raise _Bad(
                    "proc_replied",
                    _(
                        "a procedural reply applies to letters and cases of concern, "
                        "not to a {kind}"
                    ).format(kind=KINDS.label(kind)),
                )
            if proc_replied < received:
                raise _Bad(
                    "proc_replied",
                    _("procedural reply date {on} is before the case was received ({r})").format(
                        on=proc_replied, r=received
                    ),
                )
        if replied is None:
            for col, value in (("reply_method", method), ("result", result), ("closed", closed)):
                if value:
                    raise _Bad(col, _("the case has no reply date: it is not replied"))
        else:
            assert assigned is not None
            if method is None:
                raise _Bad(
                    "reply_method",
                    _("a replied case needs its reply method (written, in-person or phone)"),
                )
            last = max(assigned, proc_replied or assigned)
            if replied < last:
                raise _Bad(
                    "replied",
                    _("reply date {on} is before the case's previous step ({last})").format(
                        on=replied, last=last
                    ),
                )
        if closed is None:
            if satisfaction:
                raise _Bad("satisfaction", _("the case has no close date: it is not closed"))
        elif replied is not None and closed < replied:
            raise _Bad(
                "closed",
                _("close date {on} is before the reply ({last})").format(on=closed, last=replied),
            )
        return _CaseRow(
            line=line,
            number=number,
            kind=kind,
            title=title,
            content=content,
            key=key,
            deputies=names,
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


def import_cases(
    session: Session,
    actor: str,
    path: str,
    *,
    dry_run: bool = False,
    create_deputies: bool = False,
    level: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Cases with their history. A case already in the ledger is skipped: one
    whose number is taken, or, without a number, one with the same received
    date, kind, title and lead deputy as a case there before the import (so
    importing the same ledger twice adds nothing)."""
    sheet = open_sheet(path, CASES)
    # A first pass over the number column only: numbers already in the ledger
    # (skipped), numbers given twice, and the numbers auto-numbering must avoid.
    first_line: dict[str, int] = {}
    if "number" in sheet.headers:
        for line, value in sheet.column("number"):
            first_line.setdefault(_str(value), line)
    last_id = session.execute(select(func.max(Case.id))).scalar() or 0
    existing = _existing_numbers(session, first_line) if last_id else set()
    # a ledger bigger than the database: index it once at the end (see defer_indexes)
    rebuild = sheet.total >= max(REBUILD_MIN_ROWS, last_id)
    numbering = _Numbers(session, first_line.keys(), last_id)
    parser = _CaseParser()

    with _Run(
        session,
        actor,
        "cases",
        sheet,
        path,
        dry_run=dry_run,
        progress=progress,
        create_deputies=create_deputies,
        level=level,
    ) as run:
        reg = run.reg
        writer: _CaseWriter | None = None
        if rebuild and run.bulk is not None:
            run.bulk.defer_indexes(CASE_TABLES)

        def write(bulk: _Bulk, chunk: list[_CaseRow]) -> None:
            nonlocal writer
            counts: dict[int, int] = {}
            for c in chunk:
                if c.number is None:
                    counts[c.received.year] = counts.get(c.received.year, 0) + 1
            if counts:
                numbers = numbering.allocate(counts)
                # handed out in file order within each year, as entry one by one would
                for c in chunk:
                    if c.number is None:
                        c.number = numbers[c.received.year].popleft()
            if writer is None:
                writer = _CaseWriter(bulk, actor, reg, parser.rules)
            # written in order of receipt (a stable sort: file order among equal
            # dates, so listings ordered by date and id are unchanged): the date
            # indexes then grow at their ends instead of splitting pages all over
            writer.write(sorted(chunk, key=_received))

        def flush(chunk: list[_CaseRow]) -> None:
            known = _known_cases(session, chunk, last_id)
            if known:
                kept = [c for c in chunk if _case_key(c) not in known]
                run.result.skipped += len(chunk) - len(kept)
                chunk = kept
            run.write(chunk, write)

        # the references of a list of names, resolved once per distinct list
        deputy_refs: dict[tuple[tuple[str, ...], str], tuple[tuple[str, Any], ...]] = {}
        chunk: list[_CaseRow] = []
        for line, row in run.rows():
            try:
                c = parser.parse(line, row)
                if c.number is not None:
                    first = first_line.get(c.number, line)
                    if first != line:
                        raise _Bad(
                            "number",
                            _("case number {n!r} appears twice (also line {first})").format(
                                n=c.number, first=first
                            ),
                        )
                    if c.number in existing:
                        run.result.skipped += 1
                        continue
                body = "cppcc" if c.kind == "proposal" else "npc"
                refs = deputy_refs.get((c.deputies, body))
                if refs is None:
                    found: list[tuple[str, Any]] = []
                    for name in c.deputies:
                        ref = reg.deputy(name, body)
                        if ref not in found:
                            found.append(ref)
                    if len(deputy_refs) > CACHE_LIMIT:
                        deputy_refs.clear()
                    refs = deputy_refs[(c.deputies, body)] = tuple(found)
                c.deputy_refs = refs
                if c.department is not None:
                    reg.department(c.department)
                    for co in c.co_departments:
                        reg.department(co)
                    if c.handler is not None:
                        c.handler_ref = reg.staff(c.handler, c.department, "handler")
            except (_Bad, LiaisonError) as exc:
                raise _fail(sheet, line, exc) from None
            chunk.append(c)
            if len(chunk) >= CHUNK:
                flush(chunk)
                chunk = []
        flush(chunk)
        return run.finish()


def _received(c: _CaseRow) -> date:
    return c.received


def _case_key(c: _CaseRow) -> tuple[Any, ...] | None:
    """What identifies a case without a number: received, kind, title, lead deputy."""
    kind, lead = c.deputy_refs[0]
    if c.number is not None or kind != "id":
        return None
    return (c.received, c.kind, c.title, lead)


def _known_cases(session: Session, chunk: list[_CaseRow], last_id: int) -> set[tuple[Any, ...]]:
    """The keys of the chunk's unnumbered cases that the ledger held before the import."""
    if not last_id:  # an empty ledger knows no case
        return set()
    keys = {k for k in map(_case_key, chunk) if k is not None}
    if not keys:
        return set()
    rows = session.execute(
        select(Case.received, Case.kind, Case.title, CaseDeputy.deputy_id)
        .join(CaseDeputy, and_(CaseDeputy.case_id == Case.id, CaseDeputy.position == 0))
        .where(
            Case.id <= last_id,
            Case.received.in_({k[0] for k in keys}),
            Case.title.in_({k[2] for k in keys}),
        )
    )
    return keys & {tuple(r) for r in rows}


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


class _CaseWriter:
    """Rows for cases, their deputies, rounds and events, one chunk at a time.

    Event details are the JSON that ``services.cases`` records for the same
    step, built from templates and cached where they repeat.
    """

    def __init__(self, bulk: _Bulk, actor: str, reg: _Registry, rules: deadlines.Rules) -> None:
        self.bulk = bulk
        self.actor = actor
        self.reg = reg
        self.rules = rules
        self._proc_due: dict[date, date] = {}
        self._names: dict[tuple[int, ...], str] = {}
        self._assign: dict[tuple[Any, ...], str] = {}
        self._reply: dict[tuple[Any, ...], str] = {}
        self._close: dict[str | None, str] = {}
        # references to ids, once per distinct reference (ids never change once given)
        self._deputy_ids = _Resolved(lambda refs: tuple(reg.deputy_id(r) for r in refs))
        self._staff_ids = _Resolved(reg.staff_id)

    def write(self, part: Sequence[_CaseRow]) -> None:
        # the caches serve repetition, not every row of a huge ledger
        for cache in (self._names, self._assign, self._deputy_ids):
            if len(cache) > CACHE_LIMIT:
                cache.clear()
        bulk, reg, actor = self.bulk, self.reg, self.actor
        days, stamp = bulk.days, bulk.stamp
        depts = reg.departments
        case_ids = bulk.new_ids("cases", len(part))
        round_ids = bulk.new_ids("case_rounds", len(part))
        cases: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        rounds: list[tuple[Any, ...]] = []
        co_rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        ids_of, staff_ids = self._deputy_ids, self._staff_ids
        for c, cid, rid in zip(part, case_ids, round_ids, strict=True):
            received = c.received
            last = received
            for d in (c.assigned, c.proc_replied, c.replied, c.closed):
                if d is not None and d > last:
                    last = d
            if c.closed is not None:
                status = "closed"
            elif c.replied is not None:
                status = "replied"
            elif c.department is not None:
                status = "assigned"
            else:
                status = "registered"
            proc_due = None
            if c.kind in PROCEDURAL_KINDS:
                proc_due = self._proc_due.get(received)
                if proc_due is None:
                    proc_due = self._proc_due[received] = deadlines.procedural_due(
                        received, self.rules
                    )
            cases.append(
                (
                    cid,
                    c.number,
                    c.kind,
                    c.title,
                    c.content,
                    c.key,
                    False,
                    days[received],
                    status,
                    1,
                    days[proc_due],
                    days[c.proc_replied],
                    days[last],
                )
            )
            deputy_ids = ids_of[c.deputy_refs]
            for pos, d in enumerate(deputy_ids):
                links.append((cid, d, pos))
            handler = c.handler_ref
            rounds.append(
                (
                    rid,
                    cid,
                    1,
                    days[received],
                    None,
                    depts[c.department] if c.department else None,
                    staff_ids[handler] if handler else None,
                    days[c.assigned],
                    days[c.due],
                    days[c.due],
                    days[c.replied],
                    c.method,
                    None,
                    c.result,
                    days[c.closed],
                    c.satisfaction,
                )
            )
            for name in c.co_departments:
                co_rows.append((rid, depts[name]))

            names = self._names.get(deputy_ids)
            if names is None:
                names = self._names[deputy_ids] = _j([reg.deputy_names[d] for d in deputy_ids])
            details = (
                f'{{"number": {_encode(c.number)}, "kind": {_encode(c.kind)}, '
                f'"title": {_encode(c.title)}, "deputies": {names}, '
                f'"key": {"true" if c.key else "false"}}}'
            )
            events.append((stamp, days[received], actor, "case.add", "case", cid, cid, 1, details))
            if c.assigned is None:
                continue
            # the due date varies case by case; what comes before it repeats
            key = (c.department, handler[0] if handler else None, c.co_departments)
            head = self._assign.get(key)
            if head is None:
                head = self._assign[key] = (
                    f'{{"department": {_j(key[0])}, "handler": {_j(key[1])}, '
                    f'"co_departments": {_j(list(key[2]))}, "due": '
                )
            due = f'"{c.due.isoformat()}"' if c.due is not None else "null"
            details = f'{head}{due}, "complex": false}}'
            steps = [(c.assigned, 1, "case.assign", details)]
            if c.proc_replied is not None:
                on_time = proc_due is None or c.proc_replied <= proc_due
                details = '{"on_time": true}' if on_time else '{"on_time": false}'
                steps.append((c.proc_replied, 2, "case.procedural_reply", details))
                steps.sort(key=lambda s: (s[0], s[1]))
            if c.replied is not None:
                on_time = c.due is None or c.replied <= c.due
                rkey = (c.method, c.result, on_time)
                details = self._reply.get(rkey)
                if details is None:
                    details = self._reply[rkey] = (
                        f'{{"method": {_j(c.method)}, "result": {_j(c.result)}, '
                        f'"summary": null, "on_time": {_j(on_time)}}}'
                    )
                steps.append((c.replied, 3, "case.reply", details))
            if c.closed is not None:
                details = self._close.get(c.satisfaction)
                if details is None:
                    details = f'{{"satisfaction": {_j(c.satisfaction)}}}'
                    self._close[c.satisfaction] = details
                steps.append((c.closed, 4, "case.close", details))
            for on, _order, action, details in steps:
                events.append((stamp, days[on], actor, action, "case", cid, cid, 1, details))
        bulk.insert("cases", CASE_COLUMNS, cases)
        bulk.insert("case_deputies", ("case_id", "deputy_id", "position"), links)
        bulk.insert("case_rounds", ROUND_COLUMNS, rounds)
        bulk.insert("round_co_departments", ("round_id", "department_id"), co_rows)
        bulk.events(events)


# -- contacts ------------------------------------------------------------------------------


def import_contacts(
    session: Session,
    actor: str,
    path: str,
    *,
    dry_run: bool = False,
    create_deputies: bool = False,
    level: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Contacts (every row is a new activity: a contact has no number to match)."""
    sheet = open_sheet(path, CONTACTS)
    dates, types = _Dates(), _Codes(CONTACT_TYPES)
    columns = ("id", "held_on", "type", "staff_id", "summary")

    with _Run(
        session,
        actor,
        "contacts",
        sheet,
        path,
        dry_run=dry_run,
        progress=progress,
        create_deputies=create_deputies,
        level=level,
    ) as run:
        reg = run.reg

        def write(bulk: _Bulk, chunk: list[dict[str, Any]]) -> None:
            ids = bulk.new_ids("contacts", len(chunk))
            rows, links, events = [], [], []
            for p, i in zip(chunk, ids, strict=True):
                staff = p["staff"]
                staff_id = reg.staff_id(staff) if staff else None
                rows.append((i, bulk.day(p["held_on"]), p["type"], staff_id, p["summary"]))
                deputy_ids = [reg.deputy_id(r) for r in p["refs"]]
                links.extend((i, d) for d in deputy_ids)
                # what services.contacts.log_contact records
                details = {
                    "type": p["type"],
                    "deputies": [reg.deputy_names[d] for d in deputy_ids],
                    "deputy_ids": deputy_ids,
                    "staff": staff[0] if staff else None,
                    "summary": p["summary"],
                }
                events.append(
                    bulk.event(
                        actor,
                        p["held_on"],
                        "contact.add",
                        "contact",
                        i,
                        None,
                        None,
                        _dumps(details),
                    )
                )
            bulk.insert("contacts", columns, rows)
            bulk.insert("contact_deputies", ("contact_id", "deputy_id"), links)
            bulk.events(events)

        chunk: list[dict[str, Any]] = []
        for line, row in run.rows():
            try:
                held_on = dates.get(row, "date", required=True)
                kind = types.get(row, "type")
                if kind is None:
                    raise _Bad("type", _("{what} must not be empty").format(what=_("contact type")))
                text = _str(row.get("deputies"))
                names = split_names(text) if text else ()
                if not names:
                    raise _Bad("deputies", _("at least one deputy is required"))
                refs: list[tuple[str, Any]] = []
                for name in names:
                    ref = reg.deputy(name, "npc")
                    if ref not in refs:
                        refs.append(ref)
                staff = _text(row, "staff", N_("staff name"), max_len=MAX_NAME)
                summary = _text(row, "summary", N_("summary"), single_line=False)
                staff_ref = reg.staff(staff, None, "staff") if staff else None
            except (_Bad, LiaisonError) as exc:
                raise _fail(sheet, line, exc) from None
            chunk.append(
                {
                    "held_on": held_on,
                    "type": kind,
                    "refs": refs,
                    "staff": staff_ref,
                    "summary": summary,
                }
            )
            if len(chunk) >= CHUNK:
                run.write(chunk, write)
                chunk = []
        run.write(chunk, write)
        return run.finish()
