"""Site search's counts and best ids kept a minute per process (issue #18): rows read as they are
now, a visitor's kept ids never a member's, and a document turned members-only never shown to a visitor."""

import time

import pytest
from sqlalchemy import insert, update

from champions.accounts.models import Role
from champions.extensions import db
from champions.search.models import SearchDocument

KEPT = pytest.mark.app_config({"RECENT_TOTALS_SECONDS": 60})


def _documents(kind: str, audience: str, titles: list[str], first: int = 1000) -> None:
    db.session.execute(
        insert(SearchDocument),
        [
            {
                "kind": kind,
                "object_id": first + n,
                "title": title,
                "body": f"{title} body",
                "audience": audience,
                "context": "",
                "link": f"/somewhere/{first + n}",
            }
            for n, title in enumerate(titles)
        ],
    )
    db.session.commit()


@KEPT
def test_kept_ids_are_read_as_they_are_now(client, count_queries, monkeypatch):
    _documents("resource", "public", ["Kelpie guide", "Kelpie handbook"])
    first = client.get("/search?q=kelpie").get_data(as_text=True)
    assert "guide</a>" in first and "handbook</a>" in first
    with count_queries() as queries:
        again = client.get("/search?q=kelpie").get_data(as_text=True)
    assert "guide</a>" in again and "brought up to date every minute" in again
    assert len(queries) == 1, [q[:80] for q in queries]  # the rows; the counts and ranking were kept
    db.session.execute(
        update(SearchDocument).where(SearchDocument.title == "Kelpie guide").values(audience="members")
    )
    db.session.commit()
    body = client.get("/search?q=kelpie").get_data(as_text=True)
    assert "guide</a>" not in body and "handbook</a>" in body  # checked again for a visitor
    _documents("resource", "public", ["Kelpie atlas"], first=2000)
    assert "atlas</a>" not in client.get("/search?q=kelpie").get_data(as_text=True)
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "atlas</a>" in client.get("/search?q=kelpie").get_data(as_text=True)


@KEPT
def test_a_visitors_kept_results_are_never_a_members(client, as_role):
    _documents("resource", "public", ["Kelpie guide"])
    _documents("post", "members", ["Kelpie members post"])
    visitor = client.get("/search?q=kelpie").get_data(as_text=True)
    assert "guide</a>" in visitor and "Discussion posts" not in visitor
    as_role(Role.MEMBER)
    member = client.get("/search?q=kelpie").get_data(as_text=True)
    assert "members post body" in member and "Discussion posts (1)" in member
    client.post("/account/sign-out")
    visitor = client.get("/search?q=kelpie").get_data(as_text=True)
    assert "members post body" not in visitor and "Discussion posts" not in visitor
