"""send claims: which process hands a text to the provider, and the text's callback ref

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_ref", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("first_claimed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("claims", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_unique_constraint("uq_messages_provider_ref", ["provider_ref"])
    unsent = sa.text("status = 'accepted'")
    op.create_index(
        "ix_messages_unsent", "messages", ["id"], sqlite_where=unsent, postgresql_where=unsent
    )


def downgrade() -> None:
    op.drop_index("ix_messages_unsent", table_name="messages")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint("uq_messages_provider_ref", type_="unique")
        for column in ("claims", "first_claimed_at", "claimed_at", "claimed_by", "provider_ref"):
            batch_op.drop_column(column)
