"""Benchmark: full-text search over 5,000 case studies on SQLite (FTS5). Run: make bench-casestudies."""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("APP_ENV", "development")  # a throwaway database, not a production site

from flask_migrate import upgrade
from sqlalchemy import insert, select

from champions import create_app
from champions.accounts.models import User
from champions.casestudies.models import CaseStudy
from champions.casestudies.queries import search_case_studies
from champions.clock import utcnow
from champions.extensions import db

WORDS = [
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
    "housing tenancy",
    "nothingmatches",
    "trust AND choice",
    '"quoted',
] * 10


def vocabulary(rng: random.Random) -> list[str]:
    """Domain words plus 5,000 made-up ones, so word frequencies look like real prose."""
    syllables = ["ka", "ro", "mi", "tel", "san", "dor", "vi", "len", "mar", "po", "quis", "tra", "bel", "no"]
    made_up = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(8000)}
    return WORDS + sorted(made_up)[:5000]


def text(rng: random.Random, words: list[str], k: int) -> str:
    # Zipf-like: a few words are common, most are rare.
    return " ".join(
        words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)]
        if rng.random() < 0.5
        else rng.choice(words)
        for _ in range(k)
    )


def main(count: int = 5000) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
        }
    )
    rng = random.Random(5)
    words = vocabulary(rng)
    with app.app_context():
        upgrade()
        author = User(email="bench@example.org", name="Bench", password_hash="x")
        db.session.add(author)
        db.session.commit()
        now = utcnow()
        db.session.execute(
            insert(CaseStudy),
            [
                {
                    "author_id": author.id,
                    "status": "published",
                    "visibility": "public",
                    "title": text(rng, words, 6),
                    "summary": text(rng, words, 40),
                    **{
                        name: text(rng, words, 120)
                        for name in ("challenge", "approach", "involvement", "impact", "learning", "advice")
                    },
                    "co_produced": False,
                    "contact_name": "",
                    "contact_email": "",
                    "review_by": now.date(),
                    "created_at": now,
                    "updated_at": now,
                    "published_at": now,
                }
                for _ in range(count)
            ],
        )
        db.session.commit()
        timings = []
        for query in QUERIES:
            started = time.perf_counter()
            found = search_case_studies(query).subquery()
            matches = (
                select(CaseStudy.id).join(found, CaseStudy.id == found.c.id).order_by(found.c.rank).limit(20)
            )
            db.session.execute(matches).all()
            timings.append((time.perf_counter() - started) * 1000)
    print(f"{count} case studies, {len(QUERIES)} searches (first 20 results, ranked)")
    print(
        f"searches: median {statistics.median(timings):.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)]:.1f} ms, "
        f"max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
