"""the outbox and drafts move to outbox.db (copied there by the cache before this runs);
an index of the pending rows

Revision ID: c0004
Revises: c0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0004"
down_revision = "c0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("drafts")
    op.execute("DELETE FROM \"values\" WHERE name IN ('me', 'staff_id', 'unread')")
    # The outbox's bubbles are checked against it at every opening: found by this index.
    op.create_index("ix_messages_pending", "messages", ["key"], sqlite_where=sa.text("pending"))


def downgrade() -> None:
    raise NotImplementedError("the outbox stays in outbox.db")
