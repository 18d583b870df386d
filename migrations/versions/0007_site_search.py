"""Site-wide search: one table of documents, an FTS5 index (SQLite) or a weighted tsvector (PostgreSQL)

Revision ID: 0007_site_search
Revises: 0006_casestudies
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_site_search'
down_revision = '0006_casestudies'
branch_labels = None
depends_on = None

# Kept identical to champions.search.engine (PG_VECTOR_COLUMN and the FTS5 column list).
PG_VECTOR = ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
             "setweight(to_tsvector('english', coalesce(body, '')), 'B')")
FTS_COLUMNS = "title, body, kind, audience"
NEW_ROW = "new.id, new.title, new.body, new.kind, new.audience"
OLD_ROW = "old.id, old.title, old.body, old.kind, old.audience"


def upgrade():
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=8), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('dated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('kind', 'object_id', name='uq_search_documents_kind_object')
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE search_documents ADD COLUMN search_vector tsvector "
                   f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED")
        op.execute("CREATE INDEX ix_search_documents_search_vector ON search_documents "
                   "USING gin (search_vector)")
        return
    # External content: the words live once, in search_documents; kind and audience are indexed
    # too, so that filtering by them is part of the full-text match.
    op.execute(f"CREATE VIRTUAL TABLE search_documents_fts USING fts5({FTS_COLUMNS}, "
               "content='search_documents', content_rowid='id', tokenize='porter unicode61')")
    op.execute("CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN "
               f"INSERT INTO search_documents_fts(rowid, {FTS_COLUMNS}) VALUES ({NEW_ROW}); END")
    op.execute("CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN "
               f"INSERT INTO search_documents_fts(search_documents_fts, rowid, {FTS_COLUMNS}) "
               f"VALUES ('delete', {OLD_ROW}); END")
    op.execute("CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN "
               f"INSERT INTO search_documents_fts(search_documents_fts, rowid, {FTS_COLUMNS}) "
               f"VALUES ('delete', {OLD_ROW}); "
               f"INSERT INTO search_documents_fts(rowid, {FTS_COLUMNS}) VALUES ({NEW_ROW}); END")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_documents_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS search_documents_fts")
    op.drop_table('search_documents')
