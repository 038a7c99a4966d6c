"""Source facts of a stored document converted from a file (PDF, .docx, HTML, .doc ...).

The stored `text` is already the converted text the spans point into; beside it the document
keeps what the file was: its name, media type, number of pages, the sha256 of its bytes, and
the offsets where its pages start (so stored targets and results can name their page). All
null for a plan sent as text.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


COLUMNS = (("file_name", sa.String(500)), ("file_media_type", sa.String(200)),
           ("file_pages", sa.Integer), ("file_sha256", sa.String(64)), ("page_starts", sa.JSON))


def upgrade() -> None:
    # plain ADD COLUMN on both databases: a batch copy of `documents` would break the views on it
    for name, type_ in COLUMNS:
        op.add_column("documents", sa.Column(name, type_))


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.execute(f"ALTER TABLE documents DROP COLUMN {name}")
