"""handoff client id

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 08:22:28.201092
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_handoffs_client_id", ["client_id"])


def downgrade() -> None:
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_handoffs_client_id", type_="unique")
        batch_op.drop_column("client_id")
