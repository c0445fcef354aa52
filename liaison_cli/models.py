"""The schema: SQLAlchemy 2.x declarative models.

A case keeps what does not change between handling rounds (number, kind,
title, receipt, procedural reply); each handling round (办理轮次) keeps its own
assignment, deadline, reply and close, so that a reopened case still shows
round 1 and the stats can take "the latest round as of a date" in one scan.
Every write also appends a row to ``events``, which is never updated.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Department(Base):
    """A handling department (承办部门)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Staff(Base):
    """A staff member: a handler (承办人) or a liaison (联络人)."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("name", "department_id", name="name_dept"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    department: Mapped[Department | None] = relationship()


class Deputy(Base):
    """A people's congress deputy or CPPCC member on the registry."""

    __tablename__ = "deputies"
    __table_args__ = (
        CheckConstraint("body IN ('npc', 'cppcc')", name="body"),
        CheckConstraint(
            "level IN ('national', 'provincial', 'municipal', 'county', 'township')",
            name="level",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    body: Mapped[str] = mapped_column(String(10), server_default="npc")
    level: Mapped[str] = mapped_column(String(20), index=True)
    term: Mapped[int | None] = mapped_column(Integer)
    delegation: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(300))
    sector: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    liaison_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    liaison: Mapped[Staff | None] = relationship()


class CaseCounter(Base):
    """Last sequence number used for auto case numbers ``YYYY-NNNN`` of a year."""

    __tablename__ = "case_counters"
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, server_default="0")


class Case(Base):
    """A suggestion, motion, proposal, letter, case of concern or petition."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('suggestion', 'motion', 'proposal', 'letter', 'concern', 'petition')",
            name="kind",
        ),
        CheckConstraint("status IN ('registered', 'assigned', 'replied', 'closed')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    content: Mapped[str | None] = mapped_column(Text)
    key: Mapped[bool] = mapped_column(Boolean, server_default="0")
    complex: Mapped[bool] = mapped_column(Boolean, server_default="0")
    received: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), server_default="registered", index=True)
    round: Mapped[int] = mapped_column(Integer, server_default="1")
    # 7-day procedural reply of letters and cases of concern (程序性答复)
    proc_due: Mapped[date | None] = mapped_column(Date)
    proc_replied_on: Mapped[date | None] = mapped_column(Date)
    # date of the latest step: a later step may not be dated before it
    last_on: Mapped[date] = mapped_column(Date)

    deputies: Mapped[list[CaseDeputy]] = relationship(
        order_by="CaseDeputy.position", cascade="all, delete-orphan"
    )
    rounds: Mapped[list[CaseRound]] = relationship(
        order_by="CaseRound.round", cascade="all, delete-orphan", back_populates="case"
    )


class CaseDeputy(Base):
    """A deputy on a case: position 0 is the lead deputy (领衔), others co-signed."""

    __tablename__ = "case_deputies"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    deputy: Mapped[Deputy] = relationship()


class CaseRound(Base):
    """One handling round of a case: assignment, deadline, reply and close."""

    __tablename__ = "case_rounds"
    __table_args__ = (
        UniqueConstraint("case_id", "round", name="case_round"),
        CheckConstraint("result IS NULL OR result IN ('A', 'B', 'C', 'D')", name="result"),
        CheckConstraint(
            "satisfaction IS NULL OR satisfaction IN ('satisfied', 'basic', 'dissatisfied')",
            name="satisfaction",
        ),
        CheckConstraint(
            "reply_method IS NULL OR reply_method IN ('written', 'in-person', 'phone')",
            name="reply_method",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    round: Mapped[int] = mapped_column(Integer, server_default="1")
    # round 1 starts on receipt, a later round on its reopening; the round is
    # superseded when the next one starts (NULL for the current round)
    started_on: Mapped[date] = mapped_column(Date)
    superseded_on: Mapped[date | None] = mapped_column(Date)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    assigned_on: Mapped[date | None] = mapped_column(Date)
    due_original: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply_method: Mapped[str | None] = mapped_column(String(20))
    reply_summary: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(String(1))
    closed_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(20))

    case: Mapped[Case] = relationship(back_populates="rounds")
    department: Mapped[Department | None] = relationship()
    handler: Mapped[Staff | None] = relationship()
    co_departments: Mapped[list[RoundCoDepartment]] = relationship(cascade="all, delete-orphan")
    extensions: Mapped[list[Extension]] = relationship(
        order_by="Extension.id", cascade="all, delete-orphan"
    )


class RoundCoDepartment(Base):
    """A co-handling department (协办) of a round."""

    __tablename__ = "round_co_departments"
    round_id: Mapped[int] = mapped_column(ForeignKey("case_rounds.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    department: Mapped[Department] = relationship()


class Extension(Base):
    """A deadline extension (延期): a record, never a silent edit of the due date."""

    __tablename__ = "extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("case_rounds.id"), index=True)
    extended_on: Mapped[date] = mapped_column(Date)
    old_due: Mapped[date] = mapped_column(Date)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))


class Contact(Base):
    """A liaison activity (联络) with one or more deputies."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint(
            "type IN ('visit', 'symposium', 'trial', 'inspection', 'open-day', 'hearing', "
            "'briefing', 'bulletin', 'message', 'phone', 'other')",
            name="type",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    type: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    summary: Mapped[str | None] = mapped_column(Text)
    staff: Mapped[Staff | None] = relationship()
    deputies: Mapped[list[ContactDeputy]] = relationship(cascade="all, delete-orphan")


class ContactDeputy(Base):
    """A deputy taking part in a contact: one person-time (人次)."""

    __tablename__ = "contact_deputies"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputies.id"), primary_key=True, index=True)
    deputy: Mapped[Deputy] = relationship()


class Event(Base):
    """Append-only audit row: who did what, when, to which record."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_case", "case_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    # the date the step happened (``--date``), which may precede recorded_at
    happened_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    round: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[str | None] = mapped_column(Text)
