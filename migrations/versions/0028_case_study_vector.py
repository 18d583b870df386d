"""Case-study search on PostgreSQL reads a stored tsvector

Revision ID: 0028_case_study_vector
Revises: 0026_search_title_vector

PostgreSQL only (SQLite keeps its FTS5 table). The GIN index over the expression (0006) found the
matches, but ranking them and re-checking rows outside the index worked out `to_tsvector` over the eight
text columns again for every row: at the large size a common word's search took 0.37x SQLite's time
(bench/README.md, third round). A generated, stored column holds the same document once.
"""

from alembic import op

revision = "0028_case_study_vector"
down_revision = "0026_search_title_vector"
branch_labels = None
depends_on = None

# The same document as 0006's index (and champions.casestudies.queries until this revision).
DOCUMENT = (
    "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || "
    "coalesce(challenge, '') || ' ' || coalesce(approach, '') || ' ' || coalesce(involvement, '') || ' ' || "
    "coalesce(impact, '') || ' ' || coalesce(learning, '') || ' ' || coalesce(advice, ''))"
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE case_studies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    op.execute("CREATE INDEX ix_case_studies_search_vector ON case_studies USING gin (search_vector)")
    op.execute("DROP INDEX IF EXISTS ix_case_studies_search")
    op.execute("ANALYZE case_studies")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_case_studies_search ON case_studies USING gin ({DOCUMENT})")
    op.execute("DROP INDEX IF EXISTS ix_case_studies_search_vector")
    op.execute("ALTER TABLE case_studies DROP COLUMN IF EXISTS search_vector")
