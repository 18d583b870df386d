"""Quarterly returns: windows per quarter, each champion's return, people reached by level, emails sent

Revision ID: 0020_returns
Revises: 0018_statistics
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_returns"
down_revision = "0019_chart_views"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "return_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["users.id"], name=op.f("fk_return_windows_opened_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_windows")),
        sa.UniqueConstraint("year", "quarter", name="uq_return_windows_quarter"),
    )
    op.create_table(
        "quarterly_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sessions_run", sa.Integer(), nullable=False),
        sa.Column("events_attended", sa.Integer(), nullable=False),
        sa.Column("case_studies_shared", sa.Integer(), nullable=False),
        sa.Column("helped", sa.String(length=300), nullable=False),
        sa.Column("helped_words", sa.Text(), nullable=False),
        sa.Column("hindered", sa.String(length=300), nullable=False),
        sa.Column("hindered_words", sa.Text(), nullable=False),
        sa.Column("support_wanted", sa.Text(), nullable=False),
        sa.Column("wellbeing", sa.Integer(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_quarterly_returns_user_id_users")),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["return_windows.id"],
            name=op.f("fk_quarterly_returns_window_id_return_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarterly_returns")),
        sa.UniqueConstraint("window_id", "user_id", name="uq_quarterly_returns_window_user"),
    )
    with op.batch_alter_table("quarterly_returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarterly_returns_user_id"), ["user_id"], unique=False)

    op.create_table(
        "return_chases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"], name=op.f("fk_return_chases_sent_by_id_users")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_return_chases_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["return_windows.id"],
            name=op.f("fk_return_chases_window_id_return_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_chases")),
        sa.UniqueConstraint("window_id", "user_id", "sent_on", name="uq_return_chases_daily"),
    )
    with op.batch_alter_table("return_chases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_chases_user_id"), ["user_id"], unique=False)

    op.create_table(
        "return_emails",
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_return_emails_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["return_windows.id"],
            name=op.f("fk_return_emails_window_id_return_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("window_id", "user_id", "kind", name=op.f("pk_return_emails")),
    )
    op.create_table(
        "return_reach",
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("nttp_level_id", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["nttp_level_id"], ["nttp_levels.id"], name=op.f("fk_return_reach_nttp_level_id_nttp_levels")
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["quarterly_returns.id"],
            name=op.f("fk_return_reach_return_id_quarterly_returns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("return_id", "nttp_level_id", name=op.f("pk_return_reach")),
    )


def downgrade():
    op.drop_table("return_reach")
    op.drop_table("return_emails")
    with op.batch_alter_table("return_chases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_chases_user_id"))

    op.drop_table("return_chases")
    with op.batch_alter_table("quarterly_returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarterly_returns_user_id"))

    op.drop_table("quarterly_returns")
    op.drop_table("return_windows")
