"""Issue #18's targets, checked against one benchmark report (ratios, latency, SQL per page)."""

import re

THREAD_RATIO = 0.35
PAGE_RATIO = 0.25
SEARCH_RATIO = 0.15
P99_LIMIT_MS = 250
LARGE_TO_MEDIUM = 0.9
SEARCH_SINGLE_MS = 25
MAX_QUERIES = 8


def milliseconds(latency: str | None) -> float | None:
    """wrk prints latencies as 812.00us, 12.34ms or 1.02s."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", latency or "")
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def _check(what: str, ok: bool, detail: str) -> dict:
    return {"check": what, "ok": ok, "detail": detail}


def _ratio_goal(name: str) -> float:
    if name.startswith("thread page"):
        return THREAD_RATIO
    return SEARCH_RATIO if name.startswith("site-wide search") else PAGE_RATIO


def check(report: dict) -> list[dict]:
    sizes = report["sizes"]
    results = []
    for size, result in sizes.items():
        for row in result["pages"]:
            goal = _ratio_goal(row["name"])
            results.append(
                _check(
                    f"{size}: {row['name']} ratio >= {goal}",
                    row["ratio_to_ceiling"] >= goal,
                    f"{row['ratio_to_ceiling']:.3f}",
                )
            )
            results.append(
                _check(
                    f"{size}: {row['name']} SQL <= {MAX_QUERIES}",
                    row["sql_queries"] <= MAX_QUERIES,
                    str(row["sql_queries"]),
                )
            )
            answered = row["non_2xx"] == 0 and row["status"] == 200
            results.append(
                _check(
                    f"{size}: {row['name']} answered",
                    answered,
                    f"status {row['status']}, {row['non_2xx']} errors under load",
                )
            )
    if "large" in sizes:
        for row in sizes["large"]["pages"]:
            p99 = milliseconds(row["p99"])
            results.append(
                _check(
                    f"large: {row['name']} p99 < {P99_LIMIT_MS} ms at {report['connections']} connections",
                    p99 is not None and p99 < P99_LIMIT_MS,
                    str(row["p99"]),
                )
            )
        search = [row for row in sizes["large"]["pages"] if row["name"].startswith("site-wide search")]
        for row in search:
            single = row["single_request_ms"]
            results.append(
                _check(
                    f"large: {row['name']} single request < {SEARCH_SINGLE_MS} ms",
                    single < SEARCH_SINGLE_MS,
                    f"{single} ms",
                )
            )
    if "large" in sizes and "medium" in sizes:
        medium = {row["name"].split(" (")[0]: row for row in sizes["medium"]["pages"]}
        for row in sizes["large"]["pages"]:
            other = medium.get(row["name"].split(" (")[0])
            if not other:
                continue
            # Compare ratios to each run's own ceiling, so a busier machine in one run cancels out.
            share = row["ratio_to_ceiling"] / other["ratio_to_ceiling"] if other["ratio_to_ceiling"] else 0
            results.append(
                _check(
                    f"{row['name']}: large >= {LARGE_TO_MEDIUM} x medium",
                    share >= LARGE_TO_MEDIUM,
                    f"{share:.2f}",
                )
            )
            results.append(
                _check(
                    f"{row['name']}: same SQL at medium and large",
                    row["sql_queries"] == other["sql_queries"],
                    f"{other['sql_queries']} / {row['sql_queries']}",
                )
            )
    return results


def print_checks(results: list[dict]) -> None:
    missed = [r for r in results if not r["ok"]]
    print(f"\nTargets: {len(results) - len(missed)} of {len(results)} met.")
    for result in missed:
        print(f"  MISSED  {result['check']}: {result['detail']}")
