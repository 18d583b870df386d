"""Full-text search: the case-study library's search and the site-wide search over search_documents."""

from champions.search.casestudies import search_case_studies, terms
from champions.search.documents import rebuild_index, refresh

__all__ = ["rebuild_index", "refresh", "search_case_studies", "terms"]
