"""Site-wide full-text search: one index of documents, one query parser, FTS5 or tsvector."""
