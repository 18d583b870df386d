"""A second submit is a no-op: one open report per person and post; a one-time key on new case studies

Revision ID: 0011_submit_once
Revises: 0010_edit_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_submit_once"
down_revision = "0010_edit_versions"
branch_labels = None
depends_on = None

OPEN = sa.text("resolved_at IS NULL")

# Plain table shapes, not the app's models: this migration must keep working as the models change.
reports = sa.table(
    "discussion_reports",
    sa.column("id", sa.Integer),
    sa.column("post_id", sa.Integer),
    sa.column("reporter_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("resolved_at", sa.DateTime),
    sa.column("outcome", sa.String),
)


def close_repeated_reports(connection) -> None:
    """Keep the oldest open report of each person and post; close the repeats (kept, not deleted)."""
    oldest = (
        sa.select(sa.func.min(reports.c.id))
        .where(reports.c.resolved_at.is_(None))
        .group_by(reports.c.post_id, reports.c.reporter_id)
    )
    connection.execute(
        reports.update()
        .where(reports.c.resolved_at.is_(None), reports.c.id.not_in(oldest))
        .values(resolved_at=reports.c.created_at, outcome="duplicate")
    )


def upgrade():
    close_repeated_reports(op.get_bind())
    op.create_index(
        "uq_discussion_reports_open",
        "discussion_reports",
        ["post_id", "reporter_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    # Existing case studies get no key (NULL): NULLs never clash, so nothing to clean up first. A plain
    # ADD COLUMN and a unique index, not batch mode: rebuilding the table on SQLite drops its search triggers.
    op.add_column("case_studies", sa.Column("form_key", sa.String(length=36), nullable=True))
    op.create_index("uq_case_studies_form_key", "case_studies", ["author_id", "form_key"], unique=True)


def downgrade():
    op.drop_index("uq_case_studies_form_key", table_name="case_studies")
    op.execute("ALTER TABLE case_studies DROP COLUMN form_key")  # not batch mode: that drops the triggers
    op.drop_index("uq_discussion_reports_open", table_name="discussion_reports")
