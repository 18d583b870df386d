"""CPU ms per request for the key pages, in-process, production mode, without a profiler.

    .venv/bin/python -m bench.cpu --size large                       # every key page
    .venv/bin/python -m bench.cpu --size large --page thread --page home

Each page is requested a few times to warm up, then in `--batches` batches of `--per-batch` requests;
the figure is the fastest batch's CPU time (`time.process_time`) per request, which filters out most of
the noise from other work on a shared machine. The SQL statements of one request are counted too.
This is how bench/README.md's "before / after" figures for issue #18 are measured.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.profile import KEY_PAGES, production_clients  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="large", choices=["demo", "medium", "large"])
    parser.add_argument("--page", action="append", choices=sorted(KEY_PAGES), help="default: all")
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--per-batch", type=int, default=5)
    args = parser.parse_args()
    from sqlalchemy import event

    from champions.extensions import db

    app, found = production_clients(args.size)
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda _c, _k, sql, *_rest: statements.append(sql))
    print(f"{'page':48} {'CPU ms':>7} {'SQL':>4}")
    for key in args.page or list(KEY_PAGES):
        name, (path, who) = next((n, found[n]) for n in found if n.startswith(KEY_PAGES[key]))
        for _ in range(3):
            assert who.get(path).status_code == 200, path
        statements.clear()
        who.get(path)
        count = len(statements)
        best = float("inf")
        for _ in range(args.batches):
            started = time.process_time()
            for _ in range(args.per_batch):
                who.get(path)
            best = min(best, (time.process_time() - started) / args.per_batch)
        print(f"{name:48} {1000 * best:7.2f} {count:4}", flush=True)


if __name__ == "__main__":
    main()
