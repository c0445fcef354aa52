"""The ORM classes, mapped onto the Core tables of ``schema.py``.

A case keeps what does not change between handling rounds (number, kind,
title, receipt, procedural reply); each handling round (办理轮次) keeps its own
assignment, deadline, reply and close, so that a reopened case still shows
round 1 and the stats can take "the latest round as of a date" in one scan.
Every write also appends a row to ``events``, which is never updated.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from .store import schema


class Base(DeclarativeBase):
    metadata = schema.metadata


class Department(Base):
    """A handling department (承办部门)."""

    __table__ = schema.departments
    id: Mapped[int]
    name: Mapped[str]


class Staff(Base):
    """A staff member: a handler (承办人) or a liaison (联络人)."""

    __table__ = schema.staff
    id: Mapped[int]
    name: Mapped[str]
    department_id: Mapped[int | None]
    department: Mapped[Department | None] = relationship()


class Deputy(Base):
    """A people's congress deputy or CPPCC member on the registry."""

    __table__ = schema.deputies
    id: Mapped[int]
    name: Mapped[str]
    body: Mapped[str]
    level: Mapped[str]
    term: Mapped[int | None]
    delegation: Mapped[str | None]
    unit: Mapped[str | None]
    sector: Mapped[str | None]
    phone: Mapped[str | None]
    address: Mapped[str | None]
    liaison_id: Mapped[int | None]
    liaison: Mapped[Staff | None] = relationship()


class CaseCounter(Base):
    """Last sequence number used for auto case numbers ``YYYY-NNNN`` of a year."""

    __table__ = schema.case_counters
    year: Mapped[int]
    last: Mapped[int]


class Case(Base):
    """A suggestion, motion, proposal, letter, case of concern or petition."""

    __table__ = schema.cases
    id: Mapped[int]
    number: Mapped[str]
    kind: Mapped[str]
    title: Mapped[str]
    content: Mapped[str | None]
    key: Mapped[bool]
    complex: Mapped[bool]
    received: Mapped[date]
    status: Mapped[str]
    round: Mapped[int]
    proc_due: Mapped[date | None]
    proc_replied_on: Mapped[date | None]
    last_on: Mapped[date]

    deputies: Mapped[list[CaseDeputy]] = relationship(
        order_by="CaseDeputy.position", cascade="all, delete-orphan"
    )
    rounds: Mapped[list[CaseRound]] = relationship(
        order_by="CaseRound.round", cascade="all, delete-orphan", back_populates="case"
    )


class CaseDeputy(Base):
    """A deputy on a case: position 0 is the lead deputy (领衔), others co-signed."""

    __table__ = schema.case_deputies
    case_id: Mapped[int]
    deputy_id: Mapped[int]
    position: Mapped[int]
    deputy: Mapped[Deputy] = relationship()


class CaseRound(Base):
    """One handling round of a case: assignment, deadline, reply and close."""

    __table__ = schema.case_rounds
    id: Mapped[int]
    case_id: Mapped[int]
    round: Mapped[int]
    started_on: Mapped[date]
    superseded_on: Mapped[date | None]
    department_id: Mapped[int | None]
    handler_id: Mapped[int | None]
    assigned_on: Mapped[date | None]
    due_original: Mapped[date | None]
    due: Mapped[date | None]
    replied_on: Mapped[date | None]
    reply_method: Mapped[str | None]
    reply_summary: Mapped[str | None]
    result: Mapped[str | None]
    closed_on: Mapped[date | None]
    satisfaction: Mapped[str | None]

    case: Mapped[Case] = relationship(back_populates="rounds")
    department: Mapped[Department | None] = relationship()
    handler: Mapped[Staff | None] = relationship()
    co_departments: Mapped[list[RoundCoDepartment]] = relationship(cascade="all, delete-orphan")
    extensions: Mapped[list[Extension]] = relationship(
        order_by="Extension.id", cascade="all, delete-orphan"
    )


class RoundCoDepartment(Base):
    """A co-handling department (协办) of a round."""

    __table__ = schema.round_co_departments
    round_id: Mapped[int]
    department_id: Mapped[int]
    department: Mapped[Department] = relationship()


class Extension(Base):
    """A deadline extension (延期): a record, never a silent edit of the due date."""

    __table__ = schema.extensions
    id: Mapped[int]
    round_id: Mapped[int]
    extended_on: Mapped[date]
    old_due: Mapped[date]
    new_due: Mapped[date]
    reason: Mapped[str]
    actor: Mapped[str]


class Contact(Base):
    """A liaison activity (联络) with one or more deputies."""

    __table__ = schema.contacts
    id: Mapped[int]
    held_on: Mapped[date]
    type: Mapped[str]
    staff_id: Mapped[int | None]
    summary: Mapped[str | None]
    staff: Mapped[Staff | None] = relationship()
    deputies: Mapped[list[ContactDeputy]] = relationship(cascade="all, delete-orphan")


class ContactDeputy(Base):
    """A deputy taking part in a contact: one person-time (人次)."""

    __table__ = schema.contact_deputies
    contact_id: Mapped[int]
    deputy_id: Mapped[int]
    deputy: Mapped[Deputy] = relationship()


class Event(Base):
    """Append-only audit row: who did what, when, to which record."""

    __table__ = schema.events
    id: Mapped[int]
    recorded_at: Mapped[datetime]
    happened_on: Mapped[date]
    actor: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]
    entity_id: Mapped[int | None]
    case_id: Mapped[int | None]
    round: Mapped[int | None]
    details: Mapped[str | None]
