"""drafts and full-text search

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None

# An external-content FTS5 index over messages.body, kept in step by triggers (the pattern
# of SQLite's FTS5 documentation, section 4.4.3). Search reads it newest first by rowid.
FTS_STATEMENTS = [
    "CREATE VIRTUAL TABLE messages_fts USING fts5("
    "body, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', "
    # Prefix indexes: search runs as you type, the last word as a prefix ("vac" -> vaccine).
    "prefix='2 3')",
    "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN "
    "INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body); END",
    "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body); "
    "END",
    # Status updates rewrite the row but rarely the text: re-index only a changed body.
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages "
    "WHEN old.body IS NOT new.body BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body); "
    "INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body); END",
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("chat_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    for statement in FTS_STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("messages_fts_insert", "messages_fts_delete", "messages_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS messages_fts")
    op.drop_table("drafts")
