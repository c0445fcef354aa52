"""indexes for the overdue report and the stats

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

``overdue`` reads the unanswered rounds through ``replied_on`` (IS NULL, or
after the as-of date) instead of the whole ledger. ``stats cases`` scans the
rounds; the covering index holds every column it aggregates, so the scan
reads a narrow index instead of rows carrying reply texts.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATS_COLUMNS = [
    "superseded_on",
    "started_on",
    "department_id",
    "handler_id",
    "assigned_on",
    "due",
    "due_original",
    "replied_on",
    "closed_on",
    "result",
    "satisfaction",
    "case_id",
]


def upgrade() -> None:
    with op.batch_alter_table("case_rounds", schema=None) as batch_op:
        batch_op.create_index("ix_case_rounds_replied_on", ["replied_on"], unique=False)
        batch_op.create_index("ix_case_rounds_stats", STATS_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_case_rounds_stats")
        batch_op.drop_index("ix_case_rounds_replied_on")
