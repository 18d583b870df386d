"""Peer buddies: each champion's buddy settings, requests for a buddy, and the pairings coordinators make

Revision ID: 0021_buddies
Revises: 0018_statistics
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_buddies"
down_revision = "0020_returns"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "buddy_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("open_key", sa.Integer(), nullable=True),
        sa.Column("different_sector", sa.Boolean(), nullable=False),
        sa.Column("nearby", sa.Boolean(), nullable=False),
        sa.Column("further_on", sa.Boolean(), nullable=False),
        sa.Column("council_board", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_buddy_requests_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buddy_requests")),
        sa.UniqueConstraint("open_key", name=op.f("uq_buddy_requests_open_key")),
    )
    with op.batch_alter_table("buddy_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buddy_requests_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_buddy_requests_user_id"), ["user_id"], unique=False)

    op.create_table(
        "buddy_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("willing", sa.Boolean(), nullable=False),
        sa.Column("roadmap_stage", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_buddy_settings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_buddy_settings")),
    )
    op.create_table(
        "buddy_pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("buddy_id", sa.Integer(), nullable=False),
        sa.Column("active_key", sa.String(length=40), nullable=True),
        sa.Column("paired_by_id", sa.Integer(), nullable=True),
        sa.Column("paired_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["asker_id"], ["users.id"], name=op.f("fk_buddy_pairings_asker_id_users")),
        sa.ForeignKeyConstraint(["buddy_id"], ["users.id"], name=op.f("fk_buddy_pairings_buddy_id_users")),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["users.id"], name=op.f("fk_buddy_pairings_ended_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["paired_by_id"], ["users.id"], name=op.f("fk_buddy_pairings_paired_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["buddy_requests.id"], name=op.f("fk_buddy_pairings_request_id_buddy_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buddy_pairings")),
        sa.UniqueConstraint("active_key", name=op.f("uq_buddy_pairings_active_key")),
        sa.UniqueConstraint("request_id", name=op.f("uq_buddy_pairings_request_id")),
    )
    with op.batch_alter_table("buddy_pairings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buddy_pairings_asker_id"), ["asker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_buddy_pairings_buddy_id"), ["buddy_id"], unique=False)


def downgrade():
    with op.batch_alter_table("buddy_pairings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buddy_pairings_buddy_id"))
        batch_op.drop_index(batch_op.f("ix_buddy_pairings_asker_id"))

    op.drop_table("buddy_pairings")
    op.drop_table("buddy_settings")
    with op.batch_alter_table("buddy_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buddy_requests_user_id"))
        batch_op.drop_index(batch_op.f("ix_buddy_requests_status"))

    op.drop_table("buddy_requests")
