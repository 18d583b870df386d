"""Reply by email: the log of the replies received and what became of each (never their words)

Revision ID: 0022_reply_mail
Revises: 0021_buddies
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_reply_mail"
down_revision = "0021_buddies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "received_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("message_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_received_mail_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_mail")),
    )
    with op.batch_alter_table("received_mail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_received_mail_message_key"), ["message_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_received_mail_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_received_mail_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("received_mail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_mail_user_id"))
        batch_op.drop_index(batch_op.f("ix_received_mail_received_at"))
        batch_op.drop_index(batch_op.f("ix_received_mail_message_key"))

    op.drop_table("received_mail")
