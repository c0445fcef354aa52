"""The tables, in SQLAlchemy Core: each defined once, read and written only through ``store``.

A case keeps what does not change between handling rounds (number, kind,
title, receipt, procedural reply); each handling round (办理轮次) keeps its own
assignment, deadline, reply and close, so that a reopened case still shows
round 1 and the stats can take "the latest round as of a date" in one scan.
Every write also appends a row to ``events``, which is never updated.
The CHECK constraints are built from the vocabularies of
:mod:`liaison_cli.domain.vocab`; migrations compare against this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    column,
    or_,
)

from ..domain.lifecycle import STATUSES
from ..domain.vocab import (
    BODIES,
    CONTACT_TYPES,
    KINDS,
    LEVELS,
    METHODS,
    RESULTS,
    SATISFACTION,
    Vocabulary,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(name: str, vocabulary: Vocabulary, *, nullable: bool = False) -> CheckConstraint:
    """A CHECK that column ``name`` holds one of the vocabulary's codes (or NULL).

    Built from the vocabulary itself, so a code added there is a code the
    database accepts; the constraint is named after the column. The text it
    compiles to (``kind IN ('suggestion', ...)``) is the one the initial
    migration wrote.
    """
    value = column(name, String)
    test: ColumnElement[bool] = value.in_(vocabulary.codes)
    if nullable:
        test = or_(value.is_(None), test)
    return CheckConstraint(test, name=name)


# A handling department (承办部门).
departments = Table(
    "departments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
)

# A staff member: a handler (承办人) or a liaison (联络人).
staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, index=True),
    Column("department_id", Integer, ForeignKey("departments.id")),
    UniqueConstraint("name", "department_id", name="name_dept"),
)

# A people's congress deputy or CPPCC member on the registry.
deputies = Table(
    "deputies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, index=True),
    Column("body", String(10), nullable=False, server_default="npc"),
    Column("level", String(20), nullable=False, index=True),
    Column("term", Integer),
    Column("delegation", String(200)),
    Column("unit", String(300)),
    Column("sector", String(200)),
    Column("phone", String(100)),
    Column("address", String(300)),
    Column("liaison_id", Integer, ForeignKey("staff.id")),
    one_of("body", BODIES),
    one_of("level", LEVELS),
)

# Last sequence number used for auto case numbers ``YYYY-NNNN`` of a year.
case_counters = Table(
    "case_counters",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last", Integer, nullable=False, server_default="0"),
)

# A suggestion, motion, proposal, letter, case of concern or petition.
cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(100), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("title", String(500), nullable=False),
    Column("content", Text),
    Column("key", Boolean, nullable=False, server_default="0"),
    Column("complex", Boolean, nullable=False, server_default="0"),
    Column("received", Date, nullable=False),
    Column("status", String(20), nullable=False, server_default="registered", index=True),
    Column("round", Integer, nullable=False, server_default="1"),
    # 7-day procedural reply of letters and cases of concern (程序性答复)
    Column("proc_due", Date),
    Column("proc_replied_on", Date),
    # date of the latest step: a later step may not be dated before it
    Column("last_on", Date, nullable=False),
    # the listing (cases, export) in received order, holding the columns it
    # shows: read alone, in order, with no lookup of each case (migration 0004);
    # also every lookup by received date
    Index(
        "ix_cases_listing", "received", "id", "number", "kind", "title", "status", "round", "key"
    ),
    one_of("kind", KINDS),
    one_of("status", STATUSES),
)

# A deputy on a case: position 0 is the lead deputy (领衔), others co-signed.
case_deputies = Table(
    "case_deputies",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True),
    Column("deputy_id", Integer, ForeignKey("deputies.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False, server_default="0"),
)

# One handling round of a case: assignment, deadline, reply and close. Round 1
# starts on receipt, a later round on its reopening; a round is superseded when
# the next one starts (NULL for the current round).
case_rounds = Table(
    "case_rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("round", Integer, nullable=False, server_default="1"),
    Column("started_on", Date, nullable=False),
    Column("superseded_on", Date),
    # no index of its own: ix_case_rounds_stats_groups leads with it
    Column("department_id", Integer, ForeignKey("departments.id")),
    Column("handler_id", Integer, ForeignKey("staff.id"), index=True),
    Column("assigned_on", Date),
    Column("due_original", Date),
    Column("due", Date),
    Column("replied_on", Date),
    Column("reply_method", String(20)),
    Column("reply_summary", Text),
    Column("result", String(1)),
    Column("closed_on", Date),
    Column("satisfaction", String(20)),
    UniqueConstraint("case_id", "round", name="case_round"),
    # overdue: the unanswered rounds (replied_on IS NULL or after the as-of date)
    Index("ix_case_rounds_replied_on", "replied_on"),
    # stats: two indexes holding every column the case figures read, so a
    # scan reads an index, not the rows. Led by the groups (department,
    # handler, satisfaction, result), a scan meets each group's rounds
    # together and the grouping needs no sort; it leaves out case_id, so
    # queries joining the cases cannot pick it and look cases up at random.
    # It also serves every lookup by department (filters, foreign keys).
    Index(
        "ix_case_rounds_stats_groups",
        "department_id",
        "handler_id",
        "satisfaction",
        "result",
        "superseded_on",
        "started_on",
        "assigned_on",
        "replied_on",
        "closed_on",
        "due",
        "due_original",
    ),
    # led by case_id, for the figures grouped by a case's column or for a
    # period: cases are met in their stored order, or found one by one
    Index(
        "ix_case_rounds_stats_cases",
        "case_id",
        "superseded_on",
        "started_on",
        "department_id",
        "handler_id",
        "satisfaction",
        "result",
        "assigned_on",
        "replied_on",
        "closed_on",
        "due",
        "due_original",
    ),
    one_of("result", RESULTS, nullable=True),
    one_of("satisfaction", SATISFACTION, nullable=True),
    one_of("reply_method", METHODS, nullable=True),
)

# A co-handling department (协办) of a round.
round_co_departments = Table(
    "round_co_departments",
    metadata,
    Column("round_id", Integer, ForeignKey("case_rounds.id"), primary_key=True),
    Column("department_id", Integer, ForeignKey("departments.id"), primary_key=True),
)

# A deadline extension (延期): a record, never a silent edit of the due date.
extensions = Table(
    "extensions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("case_rounds.id"), nullable=False, index=True),
    Column("extended_on", Date, nullable=False),
    Column("old_due", Date, nullable=False),
    Column("new_due", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(100), nullable=False),
)

# A liaison activity (联络) with one or more deputies.
contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("held_on", Date, nullable=False, index=True),
    Column("type", String(20), nullable=False),
    Column("staff_id", Integer, ForeignKey("staff.id")),
    Column("summary", Text),
    one_of("type", CONTACT_TYPES),
)

# A deputy taking part in a contact: one person-time (人次).
contact_deputies = Table(
    "contact_deputies",
    metadata,
    Column("contact_id", Integer, ForeignKey("contacts.id"), primary_key=True),
    Column("deputy_id", Integer, ForeignKey("deputies.id"), primary_key=True, index=True),
)

# Append-only audit row: who did what, when, to which record. ``happened_on``
# is the date the step happened (``--date``), which may precede recorded_at.
# ``prev_id`` and ``hash`` chain it to the event before it (store.chain);
# triggers refuse an UPDATE or DELETE (migrations, not this metadata, make them).
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recorded_at", DateTime, nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("entity_id", Integer),
    Column("case_id", Integer, ForeignKey("cases.id")),
    Column("round", Integer),
    Column("details", Text),
    Column("prev_id", Integer),
    Column("hash", String(64)),
    Index("ix_events_case", "case_id", "id"),
)

# The head of the events' hash chain: one row (id 1) naming the last event and
# its hash, written under the chain's lock by every transaction that appends.
event_chain = Table(
    "event_chain",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("event_id", Integer),
    Column("hash", String(64)),
)
