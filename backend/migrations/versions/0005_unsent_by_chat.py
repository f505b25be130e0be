"""unsent texts by chat: the claim's "does an earlier text to this number wait?" reads
only unsent rows of the number's chats, not each chat's whole history

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    unsent = sa.text("status = 'accepted'")
    op.create_index(
        "ix_messages_unsent_chat",
        "messages",
        ["chat_id", "id"],
        sqlite_where=unsent,
        postgresql_where=unsent,
    )


def downgrade() -> None:
    op.drop_index("ix_messages_unsent_chat", table_name="messages")
