"""The hash chain of the audit trail: every event sealed with the one before it.

Each event stores ``prev_id`` (the event before it in the chain, by id) and
``hash``, a SHA-256 over its own content and the previous event's hash. The
one row of ``event_chain`` (the head) names the last event and its hash. A
writer takes the head's lock first (SQLite's write transaction holds it
already; an advisory lock on PostgreSQL), so that clerks writing at once
append one after the other and never fork the chain: events are chained in
id order, and ids are handed out under the lock.

An UPDATE or DELETE of an event is refused by triggers (see
:data:`TRIGGERS`); where someone gets round them (a ``sqlite3`` shell that
drops them, a PostgreSQL owner who disables them), :func:`first_break`
finds the first event whose content, link or place in the chain no longer
agrees, and ``db check`` reports it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, text, update

from .schema import event_chain, events

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# pg_advisory_xact_lock key held by a transaction appending events (any fixed
# number of ours, other than the migration's)
CHAIN_LOCK = 0x6C69_6163
HEAD_ID = 1

# The content an event's hash covers, in this order (with the previous hash
# first): every column but the id, which the chain's order and prev_id fix.
CONTENT = (
    "prev_id",
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

# A JSON array of the values (dates and timestamps as ``str`` gives them:
# ``2026-03-02``, ``2026-03-02 09:15:00``): compact, unambiguous, and one call
# into the C encoder per event.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def seal(prev_hash: str | None, content: Sequence[Any]) -> str:
    """The hash of an event: SHA-256 of ``[prev_hash, *content]`` as compact JSON."""
    payload = _ENCODER.encode([prev_hash or "", *content])
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class Head:
    """The last event of the chain (None, None: no event yet)."""

    event_id: int | None
    hash: str | None


def lock_head(conn: Connection) -> Head:
    """Take the chain's lock for this transaction and read its head."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    # SQLite: the write transaction (BEGIN IMMEDIATE) is the lock
    return read_head(conn)


def read_head(conn: Connection) -> Head:
    """The chain's head as stored, without taking its lock (a reader's view)."""
    row = conn.execute(
        select(event_chain.c.event_id, event_chain.c.hash).where(event_chain.c.id == HEAD_ID)
    ).first()
    return Head(row[0], row[1]) if row else Head(None, None)


def move_head(conn: Connection, before: Head, after: Head) -> None:
    """Record ``after`` as the chain's head (``before`` as :func:`lock_head` read it)."""
    c = event_chain.c
    if before.event_id is None and before.hash is None:
        found = conn.execute(select(c.id).where(c.id == HEAD_ID)).first()
        if found is None:
            conn.execute(
                insert(event_chain).values(id=HEAD_ID, event_id=after.event_id, hash=after.hash)
            )
            return
    conn.execute(
        update(event_chain).where(c.id == HEAD_ID).values(event_id=after.event_id, hash=after.hash)
    )


def chain_rows(
    head: Head, ids: Sequence[int], rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` (the :data:`CONTENT` columns but ``prev_id``) chained on ``head``.

    Each result is ``(id, prev_id, hash, *row)``; ``head`` is moved to the last.
    """
    out: list[tuple[Any, ...]] = []
    prev_id, prev_hash = head.event_id, head.hash
    # the timestamp and the dates as text, once per distinct value: the same
    # JSON as the encoder's ``default=str`` gives, without a call back into
    # Python for each (measured: 6.1 -> 4.5 µs an event on a loaded machine)
    texts = _Texts()
    encode, sha256 = _ENCODER.encode, hashlib.sha256
    for event_id, row in zip(ids, rows, strict=True):
        stamp, day = texts[row[0]], texts[row[1]]
        payload = encode([prev_hash or "", prev_id, stamp, day, *row[2:]])
        digest = sha256(payload.encode()).hexdigest()
        out.append((event_id, prev_id, digest, *row))
        prev_id, prev_hash = event_id, digest
    head.event_id, head.hash = prev_id, prev_hash
    return out


class _Texts(dict[Any, str]):
    """value -> ``str(value)``, computed once per distinct value."""

    def __missing__(self, value: Any) -> str:
        found = self[value] = str(value)
        return found


@dataclass(frozen=True)
class Break:
    """The first link of the chain that does not hold."""

    kind: str  # "changed", "unsealed", "removed", "inserted", "head"
    event_id: int | None
    case_id: int | None = None
    entity: str | None = None
    entity_id: int | None = None
    expected: int | None = None  # the id the link names, or the head's
    action: str | None = None
    actor: str | None = None


def first_break(conn: Connection) -> Break | None:
    """Walk the events in id order; the first event whose seal does not hold.

    One pass over the table, streamed (a 100,000-case ledger holds about
    250,000 events: a second or two), since SQLite has no SHA-256 of its own.
    """
    e = events.c
    cols = [e.id, e.hash, *(e[name] for name in CONTENT)]
    stmt = select(*cols).order_by(e.id).execution_options(yield_per=5000)
    last_id: int | None = None
    last_hash: str | None = None
    for row in conn.execute(stmt):
        event_id, digest, content = row[0], row[1], tuple(row[2:])
        prev_id, actor, action, entity, entity_id, case_id = content[0], *content[3:8]
        where = {"case_id": case_id, "entity": entity, "entity_id": entity_id}
        if digest is None:
            return Break("unsealed", event_id, **where)
        if prev_id != last_id:
            kind = "removed" if last_id is None or (prev_id or 0) > last_id else "inserted"
            return Break(kind, event_id, **where, expected=prev_id)
        if seal(last_hash, content) != digest:
            return Break("changed", event_id, **where, action=action, actor=actor)
        last_id, last_hash = event_id, digest
    head = read_head(conn)
    if head.event_id != last_id or head.hash != last_hash:
        return Break("head", last_id, expected=head.event_id)
    return None


# -- append-only, enforced by the database ---------------------------------------

APPEND_ONLY = "the audit trail is append-only"

# (name, SQL) of every trigger that keeps the trail append-only. A migration
# that rebuilds ``events`` or ``event_chain`` on SQLite (batch mode) must
# create them again.
SQLITE_TRIGGERS = [
    (
        "events_no_update",
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: an event cannot be changed'); END",
    ),
    (
        "events_no_delete",
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: an event cannot be deleted'); END",
    ),
    (
        "event_chain_no_delete",
        "CREATE TRIGGER event_chain_no_delete BEFORE DELETE ON event_chain "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: its head cannot be deleted'); END",
    ),
]
PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION liaison_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}: % on % refused', TG_OP, TG_TABLE_NAME; END $$"
)
PG_TRIGGERS = [
    (
        "events_no_update",
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "FOR EACH ROW EXECUTE FUNCTION liaison_append_only()",
    ),
    (
        "events_no_delete",
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "FOR EACH ROW EXECUTE FUNCTION liaison_append_only()",
    ),
    (
        "events_no_truncate",
        "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only()",
    ),
    (
        "event_chain_no_delete",
        "CREATE TRIGGER event_chain_no_delete BEFORE DELETE ON event_chain "
        "FOR EACH ROW EXECUTE FUNCTION liaison_append_only()",
    ),
    (
        "event_chain_no_truncate",
        "CREATE TRIGGER event_chain_no_truncate BEFORE TRUNCATE ON event_chain "
        "FOR EACH STATEMENT EXECUTE FUNCTION liaison_append_only()",
    ),
]


def trigger_names(dialect: str) -> list[str]:
    return [name for name, _ in (SQLITE_TRIGGERS if dialect == "sqlite" else PG_TRIGGERS)]


def missing_triggers(conn: Connection) -> list[str]:
    """The append-only triggers the database lacks (or has disabled, on PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        found = {
            r[0]
            for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        }
    else:
        found = {
            r[0]
            for r in conn.execute(
                text(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled != 'D' "
                    "AND tgrelid IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                    "AND c.relname IN ('events', 'event_chain'))"
                )
            )
        }
    return [name for name in trigger_names(conn.dialect.name) if name not in found]


def install_triggers(conn: Connection) -> None:
    """Create the append-only triggers; on PostgreSQL also take UPDATE and DELETE
    on the trail away from every role but its owner."""
    if conn.dialect.name == "sqlite":
        for _, sql in SQLITE_TRIGGERS:
            conn.execute(text(sql))
        return
    conn.execute(text(PG_FUNCTION))
    for _, sql in PG_TRIGGERS:
        conn.execute(text(sql))
    revoke_writes(conn)


def revoke_writes(conn: Connection) -> None:
    """PostgreSQL: no role but the owner may UPDATE, DELETE or TRUNCATE events."""
    grantees = conn.execute(
        text(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
            "WHERE table_schema = current_schema() AND table_name = 'events' "
            "AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') "
            "AND grantee != (SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'events')"
        )
    ).scalars()
    for grantee in grantees:
        role = '"' + str(grantee).replace('"', '""') + '"'
        conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON events FROM {role}"))


def roles_that_may_rewrite(conn: Connection) -> list[str]:
    """PostgreSQL: the roles but the owner and superusers that may UPDATE or DELETE events."""
    if conn.dialect.name != "postgresql":
        return []
    found = conn.execute(
        text(
            "SELECT r.rolname FROM pg_roles r WHERE NOT r.rolsuper AND r.rolname NOT LIKE 'pg\\_%' "
            "AND r.rolname != (SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'events') "
            "AND (has_table_privilege(r.oid, 'events', 'UPDATE') "
            "OR has_table_privilege(r.oid, 'events', 'DELETE') "
            "OR has_table_privilege(r.oid, 'events', 'TRUNCATE')) ORDER BY r.rolname"
        )
    ).scalars()
    return [str(name) for name in found]


def drop_triggers(conn: Connection) -> None:
    for name in trigger_names(conn.dialect.name):
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            table = "event_chain" if name.startswith("event_chain") else "events"
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP FUNCTION IF EXISTS liaison_append_only()"))
