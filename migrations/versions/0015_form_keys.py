"""One-time form keys: a form that makes or sends something acts once, however often it is sent

Revision ID: 0015_form_keys
Revises: 0014_second_factor
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_form_keys"
down_revision = "0014_second_factor"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_form_submissions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index("uq_form_submissions_user_key", ["user_id", "key"], unique=True)
        batch_op.create_index(batch_op.f("ix_form_submissions_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submissions_created_at"))
        batch_op.drop_index("uq_form_submissions_user_key")
    op.drop_table("form_submissions")
