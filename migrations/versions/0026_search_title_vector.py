"""Site search on PostgreSQL: a title tsvector, and indexes that let a common word stop early

Revision ID: 0026_search_title_vector
Revises: 0025_one_unpublished_framework

PostgreSQL only (SQLite keeps FTS5 and changes nothing). At the large size "trauma" is in 68,000 of
334,000 documents, 62,000 of them posts. The one GIN index over every document made each of the
smaller kinds read that whole list (10-16 ms each), and the "title match" tier filtered the whole
vector per row. Now:

- title_vector: the title's words alone (generated), so a title match is an index lookup;
- for each kind but posts, its own GIN indexes (partial, WHERE kind = ...) over both vectors: a word's
  list there holds only that kind's matches (990 events say "trauma"), so a kind's count stops after
  501 rows without reading the others' lists; posts keep the index over every document;
- (kind, id): "newest first" reads one kind backwards and stops after the page it needs.
A kind added later works without its own indexes (it uses the one over every document), only slower.
"""

from alembic import op

revision = "0026_search_title_vector"
down_revision = "0025_one_unpublished_framework"
branch_labels = None
depends_on = None

TITLE_VECTOR = "to_tsvector('english', coalesce(title, ''))"
# champions.search.models.Kind, less posts (the bulk of the index, read newest first on (kind, id)).
SMALL_KINDS = ("champion", "thread", "casestudy", "event", "resource")
VECTORS = {"vector": "search_vector", "title": "title_vector"}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN title_vector tsvector "
        f"GENERATED ALWAYS AS ({TITLE_VECTOR}) STORED"
    )
    for kind in SMALL_KINDS:
        for name, column in VECTORS.items():
            op.execute(
                f"CREATE INDEX ix_search_documents_{name}_{kind} ON search_documents "
                f"USING gin ({column}) WHERE kind = '{kind}'"
            )
    op.execute("CREATE INDEX ix_search_documents_kind_id ON search_documents (kind, id)")
    op.execute("ANALYZE search_documents")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_documents_kind_id")
    for kind in SMALL_KINDS:
        for name in VECTORS:
            op.execute(f"DROP INDEX IF EXISTS ix_search_documents_{name}_{kind}")
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS title_vector")
