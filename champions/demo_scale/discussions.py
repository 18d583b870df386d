"""Threads and posts across the demo's discussion categories: most threads short, a few long.

The first synthetic thread always has exactly BENCH_THREAD_POSTS posts (the benchmark's thread page).
post_count and last_post_at are set from the posts actually inserted, then the categories' counters
from the threads; authors follow their threads.
"""

from datetime import timedelta

from sqlalchemy import select

from champions.demo_scale.bulk import Run, spread_total, sync_sequences
from champions.discussions.models import Category, Post, Thread, ThreadFollow
from champions.discussions.services.counters import recount_categories

THREADS = Thread.__table__
POSTS = Post.__table__
FOLLOWS = ThreadFollow.__table__
BENCH_THREAD_TITLE = "What helps you switch off after a hard day?"
BENCH_THREAD_POSTS = 100
LONGEST = 400
CONTENT_NOTES = ["Mentions self-harm", "Describes a difficult incident at work", "Talks about bereavement"]


def _sizes(run: Run) -> list[int]:
    """Posts per thread: a long tail (lognormal), then nudged so they add up to the total exactly."""
    rng, counts = run.rng, run.counts
    sizes = [BENCH_THREAD_POSTS] + [
        min(LONGEST, 1 + int(rng.lognormvariate(1.7, 1.2))) for _ in range(counts.threads - 1)
    ]
    return spread_total(rng, sizes, max(counts.posts, counts.threads + BENCH_THREAD_POSTS), {0}, 1, LONGEST)


def _timeline(run: Run, size: int, fixed: bool) -> list:
    """When each post of a thread was written: a start, then gaps, never later than now."""
    rng, now = run.rng, run.now
    start = run.days_ago(20, 21) if fixed else run.days_ago(0.5, 2 * 365)
    span = min((now - start).total_seconds(), rng.uniform(0.2, 45) * 86_400)
    gap = span / size
    times, moment = [start], start
    for _ in range(size - 1):
        moment = min(moment + timedelta(seconds=int(gap * rng.uniform(0.2, 1.8))), now)
        times.append(moment)
    return times


def seed(run: Run) -> None:
    rng, people, texts = run.rng, run.people, run.texts
    categories = list(
        run.conn.scalars(
            select(Category.__table__.c.id).order_by(Category.__table__.c.position, Category.__table__.c.id)
        )
    )
    if not categories:
        raise RuntimeError("The small demo seed makes the discussion categories; run it first.")
    first_thread, first_post = run.next_id(THREADS), run.next_id(POSTS)
    weights = [len(categories) - n // 2 for n in range(len(categories))]  # earlier categories busier
    plans = []
    for n, size in enumerate(_sizes(run)):
        fixed = n == 0
        category = categories[0] if fixed else rng.choices(categories, weights)[0]
        title = BENCH_THREAD_TITLE if fixed else rng.choice(texts.thread_titles)
        plans.append(
            (
                first_thread + n,
                size,
                _timeline(run, size, fixed),
                rng.choice(people.active_ids),
                category,
                title,
            )
        )

    def thread_rows():
        for thread_id, size, times, author_id, category_id, title in plans:
            yield {
                "id": thread_id,
                "category_id": category_id,
                "author_id": author_id,
                "title": title,
                "post_count": size,
                "is_locked": thread_id != first_thread and rng.random() < 0.01,
                "is_pinned": False,
                "created_at": times[0],
                "last_post_at": times[-1],
            }

    def post_rows():
        post_id = first_post
        for thread_id, _size, times, author_id, _category, _title in plans:
            for n, moment in enumerate(times):
                body = rng.choice(texts.openings if n == 0 else texts.replies)
                yield {
                    "id": post_id,
                    "thread_id": thread_id,
                    "author_id": author_id if n == 0 else rng.choice(people.active_ids),
                    "body": body.text,
                    "body_html": body.html,
                    "content_note": rng.choice(CONTENT_NOTES) if rng.random() < 0.02 else "",
                    "is_anonymous": n == 0 and thread_id != first_thread and rng.random() < 0.04,
                    "form_key": f"scale-{post_id}",
                    "created_at": moment,
                    "edited_at": min(moment + timedelta(minutes=20), run.now)
                    if rng.random() < 0.02
                    else None,
                    "deleted_at": None,
                    "hidden_at": None,
                }
                post_id += 1

    run.insert(THREADS, thread_rows(), counted=True)
    run.insert(POSTS, post_rows(), counted=True)
    run.insert(
        FOLLOWS,
        (
            {"user_id": author_id, "thread_id": thread_id, "created_at": times[0]}
            for thread_id, _size, times, author_id, _category, _title in plans
        ),
    )
    sync_sequences(run.conn, [THREADS, POSTS])
    recount_categories(run.conn)  # the categories' counters, as the services would have kept them
