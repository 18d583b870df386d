"""Site search on PostgreSQL: a title tsvector, and indexes that let a common word stop early

Revision ID: 0026_search_title_vector
Revises: 0025_one_unpublished_framework

PostgreSQL only (SQLite keeps FTS5 and changes nothing). At the large size "trauma" is in 68,000 of
334,000 documents, 62,000 of them posts. The one GIN index over every document made each of the
smaller kinds read that whole list (10-16 ms each), and the "title match" tier filtered the whole
vector per row. Now:

- title_vector: the title's words alone (generated), so a title match is an index lookup;
- GIN indexes over the documents that are not posts (search and title vectors), about a tenth of the
  index: a word's list there is its matches in the smaller kinds only;
- (kind, id): "newest first" reads one kind backwards and stops after the page it needs, and a capped
  count stops after 501 rows.
Kept identical to champions.search.engine (SMALL_KINDS, the title vector).
"""

from alembic import op

revision = "0026_search_title_vector"
down_revision = "0025_one_unpublished_framework"
branch_labels = None
depends_on = None

TITLE_VECTOR = "to_tsvector('english', coalesce(title, ''))"
SMALL_KINDS = "kind <> 'post'"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN title_vector tsvector "
        f"GENERATED ALWAYS AS ({TITLE_VECTOR}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_title_vector ON search_documents "
        f"USING gin (title_vector) WHERE {SMALL_KINDS}"
    )
    op.execute(
        "CREATE INDEX ix_search_documents_small_vector ON search_documents "
        f"USING gin (search_vector) WHERE {SMALL_KINDS}"
    )
    op.execute("CREATE INDEX ix_search_documents_kind_id ON search_documents (kind, id)")
    op.execute("ANALYZE search_documents")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in ("kind_id", "small_vector", "title_vector"):
        op.execute(f"DROP INDEX IF EXISTS ix_search_documents_{name}")
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS title_vector")
