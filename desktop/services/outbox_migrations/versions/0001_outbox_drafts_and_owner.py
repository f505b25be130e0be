"""the outbox, drafts and who they belong to, in their own file

Revision ID: o0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "o0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "outbox"


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Float(), nullable=False),
        sa.Column("first_tried_at", sa.Float(), nullable=True),
        sa.Column("written_at", sa.Float(), nullable=False),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id"),
        schema=SCHEMA,
    )
    op.create_index("ix_outbox_chat_id", "outbox", ["chat_id", "id"], schema=SCHEMA)
    op.create_table(
        "drafts",
        sa.Column("chat_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
        schema=SCHEMA,
    )
    op.create_table(
        "values",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("name"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in ("values", "drafts", "outbox"):
        op.drop_table(table, schema=SCHEMA)
