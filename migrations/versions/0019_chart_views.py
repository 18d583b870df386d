"""Dashboard charts per view: the chart table is keyed by (view signature, chart key)

The charts are drawn again by every `flask refresh-statistics`, so the table is made anew: nothing in
it is lost that the next refresh does not draw again.

Revision ID: 0019_chart_views
Revises: 0018_statistics
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_chart_views"
down_revision = "0018_statistics"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("statistics_charts")
    op.create_table(
        "statistics_charts",
        sa.Column("view", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("ahead", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("svg", sa.Text(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("view", "key", name=op.f("pk_statistics_charts")),
    )


def downgrade():
    op.drop_table("statistics_charts")
    op.create_table(
        "statistics_charts",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("svg", sa.Text(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_statistics_charts")),
    )
