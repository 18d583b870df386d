"""The results page: empty and no-result states, groups, filters, pages, capped counts, query counts."""

import re

import pytest
from sqlalchemy import insert, text

from champions.accounts.models import Role
from champions.extensions import db
from champions.search import queries
from champions.search.models import SearchDocument


def _bulk_posts(count: int, words: str = "kelpie rota", start: int = 1) -> None:
    """Documents straight into the index, as the bulk seeder would leave them."""
    db.session.execute(
        insert(SearchDocument),
        [
            {
                "kind": "post",
                "object_id": n,
                "title": "",
                "body": f"{words} number {n}",
                "audience": "members",
                "context": f"Thread {n}",
                "link": "",
            }
            for n in range(start, start + count)
        ],
    )
    db.session.commit()


def test_the_empty_page_is_calm(client):
    body = client.get("/search").get_data(as_text=True)
    assert "<title>Search - Trauma Champions Network</title>" in body
    assert 'id="search-query"' in body and "for example" in body and "ds_search-result" not in body


def test_the_header_has_a_search_box_on_every_page(client):
    for path in ("/", "/champions", "/search", "/events"):
        body = client.get(path).get_data(as_text=True)
        assert 'action="/search"' in body and 'for="site-search"' in body and "Search the network" in body
        assert body.count('id="site-search"') == 1


def test_no_results_suggests_what_to_try(client, make_resource):
    make_resource()
    body = client.get("/search?q=zzyzx").get_data(as_text=True)
    assert "<title>Search results for “zzyzx” - Trauma Champions Network</title>" in body
    assert "No results" in body and "check the spelling" in body and "fewer words" in body


def test_the_all_view_shows_a_few_of_each_kind_and_links_to_the_rest(client, as_role, make_resource):
    as_role(Role.MEMBER)
    for n in range(5):
        make_resource(title=f"Kelpie guide {n}", url=f"https://example.org/{n}")
    _bulk_posts(2)
    body = client.get("/search?q=kelpie").get_data(as_text=True)
    assert "Resources (5)" in body and "Discussion posts (2)" in body
    assert body.count("ds_search-result__link") == queries.PREVIEW + 2
    assert 'href="/search?q=kelpie&amp;kind=resources">See all 5 resources' in body
    assert "Champions (0)" in body, "each kind is offered as a filter with its count"


def test_a_kind_view_pages_through_its_results(client, as_role):
    as_role(Role.MEMBER)
    _bulk_posts(45)
    first = client.get("/search?q=kelpie&kind=posts").get_data(as_text=True)
    assert "Discussion posts: 45 results" in first and first.count("ds_search-result__link") == 20
    assert 'aria-current="page" aria-label="Page 1, current page"' in first
    last = client.get("/search?q=kelpie&kind=posts&page=3").get_data(as_text=True)
    assert last.count("ds_search-result__link") == 5 and 'start="41"' in last
    beyond = client.get("/search?q=kelpie&kind=posts&page=99").get_data(as_text=True)
    assert 'start="41"' in beyond, "a page past the end shows the last page"


def test_huge_counts_are_capped_and_say_so(client, as_role):
    as_role(Role.MEMBER)
    _bulk_posts(queries.COUNT_CAP + 20)
    body = client.get("/search?q=kelpie&kind=posts").get_data(as_text=True)
    assert (
        f"more than {queries.COUNT_CAP}" in body and f"Only the first {queries.COUNT_CAP} are shown" in body
    )
    last = client.get("/search?q=kelpie&kind=posts&page=25").get_data(as_text=True)
    assert last.count("ds_search-result__link") == 20


@pytest.mark.parametrize("kind", ["", "posts"])
def test_the_query_count_stays_flat_as_the_index_grows(client, as_role, count_queries, kind):
    as_role(Role.MEMBER)
    _bulk_posts(30)
    with count_queries() as few:
        assert client.get("/search", query_string={"q": "kelpie rota", "kind": kind}).status_code == 200
    _bulk_posts(1_500, start=1_000)
    with count_queries() as many:
        assert client.get("/search", query_string={"q": "kelpie rota", "kind": kind}).status_code == 200
    assert len(many) == len(few) <= 8


@pytest.mark.parametrize("kind", ["", "resources"])
def test_the_query_count_stays_flat_past_the_cap(
    client, as_role, count_queries, make_resource, kind, monkeypatch
):
    # Past the cap, titles first then the rest newest first: still one statement for every kind.
    as_role(Role.MEMBER)
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    for n in range(6):
        make_resource(title=f"Kelpie {n}" if n % 2 else f"Guide {n}", description="kelpie rota")
    _bulk_posts(10)
    with count_queries() as few:
        assert client.get("/search", query_string={"q": "kelpie", "kind": kind}).status_code == 200
    _bulk_posts(1_500, start=1_000)
    with count_queries() as many:
        assert client.get("/search", query_string={"q": "kelpie", "kind": kind}).status_code == 200
    assert len(many) == len(few) <= 8


def test_unknown_kinds_and_odd_pages_fall_back_calmly(client, make_resource):
    make_resource(title="Kelpie guide")
    for query in ("q=kelpie&kind=nonsense", "q=kelpie&page=-3", "q=kelpie&page=abc", "q=kelpie&kind=posts"):
        response = client.get(f"/search?{query}")
        assert response.status_code == 200 and "<mark>Kelpie</mark> guide" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_postgres_uses_the_weighted_vector_and_its_gin_index(app):
    _bulk_posts(5)
    assert (
        db.session.scalar(text("SELECT search_vector::text FROM search_documents WHERE object_id = 1"))
        == "'1':4B 'kelpi':1B 'number':3B 'rota':2B"
    )
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        db.session.scalars(
            text(
                "EXPLAIN SELECT id FROM search_documents "
                "WHERE search_vector @@ plainto_tsquery('english', 'kelpie')"
            )
        )
    )
    assert "ix_search_documents_search_vector" in plan


@pytest.mark.postgres
def test_postgres_keeps_the_title_words_apart_and_indexes_the_smaller_kinds(app, make_resource):
    make_resource(title="Kelpie rotas", description="Sleep and rest")
    _bulk_posts(3)
    vectors = dict(db.session.execute(text("SELECT kind, title_vector::text FROM search_documents")).all())
    assert vectors == {"resource": "'kelpi':1 'rota':2", "post": ""}
    indexes = dict(
        db.session.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_documents'")
        ).all()
    )
    # Each smaller kind's own GIN indexes, and (kind, id) to read a kind newest first (0026).
    for kind in ("champion", "thread", "casestudy", "event", "resource"):
        for name, column in (("vector", "search_vector"), ("title", "title_vector")):
            definition = indexes[f"ix_search_documents_{name}_{kind}"]
            assert f"gin ({column}) WHERE ((kind)::text = '{kind}'::text)" in definition
    assert "btree (kind, id)" in indexes["ix_search_documents_kind_id"]


def test_posts_are_shown_newest_first(client, as_role):
    as_role(Role.MEMBER)
    _bulk_posts(1, words="kelpie rota kelpie kelpie kelpie", start=1)  # says it most, but oldest
    _bulk_posts(30, start=2)
    body = client.get("/search?q=kelpie&kind=posts").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r"Thread (\d+)", body)]
    assert shown[:3] == [30 + 1, 30, 29]
    assert 1 not in shown  # the oldest is on the second page
