"""audit trail: hash chain, chain head, append-only triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Every event gets ``prev_id`` and ``hash`` (SHA-256 over its content and the
previous event's hash, see ``liaison_cli.store.chain``); the events already
there are chained in id order, and ``event_chain`` records the last one.
Triggers then refuse any UPDATE or DELETE of an event (and TRUNCATE on
PostgreSQL, where UPDATE, DELETE and TRUNCATE on ``events`` are also revoked
from every role but the table's owner).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from liaison_cli.store import chain

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 5000

# the events' columns as this revision has them
EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("prev_id", sa.Integer),
    sa.column("hash", sa.String),
    sa.column("recorded_at", sa.DateTime),
    sa.column("happened_on", sa.Date),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("round", sa.Integer),
    sa.column("details", sa.Text),
)
HEAD = sa.table(
    "event_chain",
    sa.column("id", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    op.add_column("events", sa.Column("prev_id", sa.Integer(), nullable=True))
    op.add_column("events", sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_table(
        "event_chain",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_chain")),
    )
    conn = op.get_bind()
    e = EVENTS.c
    content = [e[name] for name in chain.CONTENT[1:]]
    head = chain.Head(None, None)
    last = 0
    while True:
        rows = conn.execute(
            sa.select(e.id, *content).where(e.id > last).order_by(e.id).limit(BATCH)
        ).all()
        if not rows:
            break
        sealed = chain.chain_rows(head, [r[0] for r in rows], [tuple(r[1:]) for r in rows])
        conn.execute(
            EVENTS.update()
            .where(e.id == sa.bindparam("b_id"))
            .values(prev_id=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash")),
            [{"b_id": s[0], "b_prev": s[1], "b_hash": s[2]} for s in sealed],
        )
        last = rows[-1][0]
    if head.event_id is not None:
        conn.execute(HEAD.insert().values(id=chain.HEAD_ID, event_id=head.event_id, hash=head.hash))
    chain.install_triggers(conn)


def downgrade() -> None:
    chain.drop_triggers(op.get_bind())
    op.drop_table("event_chain")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_id")
