"""A version number on every object people edit in a form, so a stale save is refused, not lost

Revision ID: 0010_edit_versions
Revises: 0009_discussion_counters
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_edit_versions"
down_revision = "0009_discussion_counters"
branch_labels = None
depends_on = None

TABLES = ("users", "events", "champion_profiles", "discussion_posts", "discussion_categories", "resources")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
