"""The actions of the audit trail outside a case's lifecycle, and the entities events name.

A case's own steps are :class:`liaison_cli.domain.lifecycle.Action`; the
registry, contacts and imports record these. The values are the codes stored
in ``events.action`` and ``events.entity``, so they never change.
"""

from __future__ import annotations

from enum import StrEnum


class RecordAction(StrEnum):
    """A change to the registry or the contacts."""

    DEPT_ADD = "dept.add"
    STAFF_ADD = "staff.add"
    DEPUTY_ADD = "deputy.add"
    DEPUTY_EDIT = "deputy.edit"
    CONTACT_ADD = "contact.add"


class Entity(StrEnum):
    """What an event is about."""

    CASE = "case"
    DEPARTMENT = "department"
    STAFF = "staff"
    DEPUTY = "deputy"
    CONTACT = "contact"
    IMPORT = "import"


def import_action(table: str) -> str:
    """The action of a whole import: ``import.cases``, ``import.deputies`` …"""
    return f"import.{table}"
