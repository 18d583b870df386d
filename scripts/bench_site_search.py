"""Benchmark: site search over ~300,000 posts and other documents on SQLite (FTS5).

Run: .venv/bin/python scripts/bench_site_search.py [posts] [-v] [--rebuild]. It bulk-inserts
synthetic documents into a throwaway database (the triggers fill the FTS5 index), then times whole GET /search
requests as a signed-in member (who searches every kind) and prints median and p95. With -v it
prints each query's median; with --rebuild it then puts the posts in the discussion tables and
times rebuild_index() over them (which also replaces the synthetic documents).
"""

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("APP_ENV", "development")  # a throwaway database, not a production site

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from champions import create_app
from champions.accounts.models import User
from champions.clock import utcnow
from champions.discussions.models import Category, Post, Thread
from champions.extensions import db
from champions.search.models import Kind, SearchDocument
from champions.search.services import rebuild_index

DOMAIN = [
    "supervision",
    "peer",
    "support",
    "wellbeing",
    "trauma",
    "reflective",
    "practice",
    "housing",
    "tenancy",
    "children",
    "school",
    "leadership",
    "safety",
    "trust",
    "choice",
    "collaboration",
    "empowerment",
    "carers",
    "staff",
    "evidence",
    "outcome",
    "lived",
    "experience",
    "coproduction",
    "recovery",
    "justice",
    "police",
    "health",
    "nurse",
    "ward",
    "room",
    "letters",
]
QUERIES = [
    "supervision",
    "peer support",
    "reflective practices",
    "lived experience carers",
    '"peer support" housing',
    "nothingmatches",
    "trust AND choice",
    '"quoted',
    "trauma",
]
SIZES = {
    Kind.POST: 1.0,
    Kind.THREAD: 20_000 / 300_000,
    Kind.CHAMPION: 5_000 / 300_000,
    Kind.CASE_STUDY: 5_000 / 300_000,
    Kind.EVENT: 5_000 / 300_000,
    Kind.RESOURCE: 100 / 300_000,
}


def vocabulary(rng: random.Random) -> list[str]:
    """5,000 made-up words with the domain words spread among the commoner ranks."""
    syllables = ["ka", "ro", "mi", "tel", "san", "dor", "vi", "len", "mar", "po", "quis", "tra", "bel", "no"]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(8000)})[:5000]
    rng.shuffle(words)
    for n, word in enumerate(DOMAIN):
        words.insert(10 + n * 7, word)
    return words


def prose(rng: random.Random, words: list[str], k: int) -> str:
    # Zipf-like: a few words are common, most are rare.
    return " ".join(
        words[min(int(rng.paretovariate(1.0)) - 1, len(words) - 1)]
        if rng.random() < 0.6
        else rng.choice(words)
        for _ in range(k)
    )


def load(rng: random.Random, posts: int) -> int:
    words, now, total = vocabulary(rng), utcnow(), 0
    for kind, share in SIZES.items():
        count = max(int(posts * share), 1)
        for start in range(0, count, 20_000):
            db.session.execute(
                insert(SearchDocument),
                [
                    {
                        "kind": kind.value,
                        "object_id": n,
                        "audience": "members" if kind in (Kind.POST, Kind.THREAD) else "public",
                        "title": "" if kind == Kind.POST else prose(rng, words, 6),
                        "body": prose(rng, words, 60),
                        "context": "",
                        "link": "",
                        "dated_at": now,
                    }
                    for n in range(start, min(start + 20_000, count))
                ],
            )
        total += count
    db.session.execute(text("INSERT INTO search_documents_fts(search_documents_fts) VALUES ('optimize')"))
    db.session.commit()
    return total


def time_rebuild(rng: random.Random, posts: int) -> None:
    """Put the posts in the discussion tables too, then time rebuild_index() over everything."""
    words, now = vocabulary(rng), utcnow()
    author = db.session.scalar(select(User))
    category = Category(slug="bench", name="Bench")
    db.session.add(category)
    db.session.commit()
    threads = posts // 15
    db.session.execute(
        insert(Thread),
        [
            {"category_id": category.id, "author_id": author.id, "title": prose(rng, words, 6)}
            for _ in range(threads)
        ],
    )
    first = db.session.scalar(select(func.min(Thread.id)))
    for start in range(0, posts, 20_000):
        db.session.execute(
            insert(Post),
            [
                {
                    "thread_id": first + n % threads,
                    "author_id": author.id,
                    "body": (body := prose(rng, words, 60)),
                    "body_html": body,
                    "form_key": str(n),
                    "created_at": now,
                }
                for n in range(start, min(start + 20_000, posts))
            ],
        )
    db.session.commit()
    started = time.perf_counter()
    rebuild_index()
    documents = db.session.scalar(select(func.count()).select_from(SearchDocument))
    print(f"rebuild_index(): {documents} documents in {time.perf_counter() - started:.0f} s")


def main(posts: int = 300_000) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        run(folder, posts)
    finally:
        shutil.rmtree(folder)


def run(folder: Path, posts: int) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench-site-search.sqlite3'}",
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        total = load(random.Random(7), posts)
        print(f"loaded {total} documents in {time.perf_counter() - started:.0f} s")
        member = User(email="bench@example.org", name="Bench", password_hash="x", email_verified_at=utcnow())
        db.session.add(member)
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = member.get_id(), True
        for label, params in (("all kinds", {}), ("posts, page 3", {"kind": "posts", "page": "3"})):
            timings, per_query = [], {}
            for _ in range(5):
                for query in QUERIES:
                    started = time.perf_counter()
                    response = client.get("/search", query_string={"q": query, **params})
                    elapsed = (time.perf_counter() - started) * 1000
                    timings.append(elapsed)
                    per_query.setdefault(query, []).append(elapsed)
                    assert response.status_code == 200 and "Search results for" in response.text
            timings.sort()
            if "-v" in sys.argv:
                for query, times in per_query.items():
                    print(f"    {query!r}: median {statistics.median(times):.1f} ms")
            print(
                f"{label}: {len(timings)} requests, median {statistics.median(timings):.1f} ms, "
                f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms"
            )
        if "--rebuild" in sys.argv:
            time_rebuild(random.Random(8), posts)


if __name__ == "__main__":
    sizes = [arg for arg in sys.argv[1:] if arg.isdigit()]
    main(int(sizes[0]) if sizes else 300_000)
