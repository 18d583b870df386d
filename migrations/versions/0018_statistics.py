"""Dashboard statistics: month-by-month figures and charts worked out by `flask refresh-statistics`

Revision ID: 0018_statistics
Revises: 0017_messages
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_statistics"
down_revision = "0017_messages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "statistics_charts",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("svg", sa.Text(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_statistics_charts")),
    )
    op.create_table(
        "statistics_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_figures")),
    )
    with op.batch_alter_table("statistics_figures", schema=None) as batch_op:
        batch_op.create_index("ix_statistics_figures_lookup", ["scope", "sector_id", "month"], unique=False)

    op.create_table(
        "statistics_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_runs")),
    )


def downgrade():
    op.drop_table("statistics_runs")
    with op.batch_alter_table("statistics_figures", schema=None) as batch_op:
        batch_op.drop_index("ix_statistics_figures_lookup")

    op.drop_table("statistics_figures")
    op.drop_table("statistics_charts")
