"""stats indexes: one in group order, one in case order

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

``stats cases`` by department, handler or none groups the rounds in force by
department, handler, satisfaction and result, reading them off an index led
by those columns, so SQLite streams the groups instead of sorting a million
rows. The figures that join the cases (by kind, level, month, or for a
period) read an index led by ``case_id``, so the cases are looked up in the
order they are stored. Both hold every column the figures read; together
they replace 0002's ``ix_case_rounds_stats``, whose order suited neither.
The first leads with ``department_id``, so the index on that column alone
(from 0001) goes: lookups by department use the new one, and an import
writes one index fewer.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GROUPS_COLUMNS = [
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
]
CASES_COLUMNS = [
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
]
# 0002's index, restored by the downgrade
STATS_COLUMNS_0002 = [
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
        batch_op.drop_index("ix_case_rounds_stats")
        batch_op.drop_index("ix_case_rounds_department_id")
        batch_op.create_index("ix_case_rounds_stats_groups", GROUPS_COLUMNS, unique=False)
        batch_op.create_index("ix_case_rounds_stats_cases", CASES_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_case_rounds_stats_cases")
        batch_op.drop_index("ix_case_rounds_stats_groups")
        batch_op.create_index("ix_case_rounds_department_id", ["department_id"], unique=False)
        batch_op.create_index("ix_case_rounds_stats", STATS_COLUMNS_0002, unique=False)
