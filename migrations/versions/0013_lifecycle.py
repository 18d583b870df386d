"""Closing accounts and retention: when an account was closed, and when retention warned it

Revision ID: 0013_lifecycle
Revises: 0012_privacy
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_lifecycle"
down_revision = "0012_privacy"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("retention_warned_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("retention_warned_at")
        batch_op.drop_column("closed_at")
