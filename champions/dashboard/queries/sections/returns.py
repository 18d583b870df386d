"""Quarterly returns: returns sent per quarter, what champions did, whom they reached, what helped and what
got in the way, and the support they asked for. Never the wellbeing answers: see `section`.

Each return counts in its quarter (the first month of it, in the figures), so only the quarters that start
in the period are columns. A quarter's activity and reach come from fewer than 5 returns are not shown:
they would be one or two champions' own answers.
"""

from datetime import date

from champions.dashboard.queries.figures import Figures, Section, Table, in_period, monthly, quarters
from champions.dashboard.queries.sections.events import rate
from champions.dashboard.queries.sections.feedback import LABELS, OTHER, theme_counts
from champions.small_numbers import NOT_SHOWN, display_count, is_small, may_show_text

SAFE_NOTE = "Shown only for a quarter in which at least 5 champions sent a return."


def _quarters(figures: Figures, months: list[date]) -> list[tuple[str, list[date], int, int]]:
    """The quarters that start in the period and asked for returns: name, months, returns asked and sent."""
    found = []
    for name, span in quarters(months).items():
        if span[0].month % 3 != 1:  # the period starts inside this quarter: its returns count before it
            continue
        asked, sent = (
            sum(monthly(figures, "returns_asked", span)),
            sum(monthly(figures, "returns_sent", span)),
        )
        if asked or sent:
            found.append((name, span, asked, sent))
    return found


def _enough(sent: int) -> bool:
    return may_show_text(sent)


def sent_per_quarter(columns) -> Table:
    rows, points = [], []
    for name, _span, asked, sent in columns:
        share = rate(sent, asked)
        # Beside the returns sent, the number asked would tell how many did not send one.
        rows.append(
            [name, display_count(sent)]
            + ([str(asked), f"{share}%"] if share is not None else [NOT_SHOWN] * 2)
        )
        if sent and not is_small(sent):
            points.append((name, sent))
    if points:
        quarter, count = points[-1]
        summary = f"{count} champions sent a return for {quarter}."
    elif columns:
        summary = "Too few champions sent a return in this period to show how many."
    else:
        summary = "No returns were asked for in this period."
    return Table(
        "returns_sent",
        "Quarterly returns sent per quarter",
        ["Quarter", "Returns sent", "Champions asked", "Share who sent one"],
        rows,
        summary,
        points,
        "Returns sent",
        "Champions asked: verified champions by the time the quarter’s window closed, and anyone who sent "
        "one. The number asked and the share are shown only when those who sent one and those who did not "
        "are each none or at least 5.",
    )


def activity(figures: Figures, columns) -> Table:
    rows = []
    for name, span, _asked, sent in columns:
        values = [
            sum(monthly(figures, m, span))
            for m in ("returns_sessions", "returns_events", "returns_case_studies")
        ]
        rows.append([name, *(str(v) if _enough(sent) else NOT_SHOWN for v in values)])
    shown = [(row[0], int(row[1])) for row in rows if row[1] != NOT_SHOWN]
    summary = (
        f"Champions who sent a return ran {shown[-1][1]} sessions in {shown[-1][0]}."
        if shown
        else "Too few returns were sent in this period to show what champions did."
    )
    return Table(
        "returns_activity",
        "What champions did, per quarter",
        ["Quarter", "Sessions run", "Events attended", "Case studies shared"],
        rows,
        summary,
        note=SAFE_NOTE,
    )


def reach(figures: Figures, columns) -> Table:
    safe = [month for _name, span, _asked, sent in columns if _enough(sent) for month in span]
    reached = in_period(figures, "returns_reach", safe)
    levels = sorted(reached, key=lambda label: -reached[label])
    points = [(label, reached[label]) for label in levels if not is_small(reached[label])]
    summary = (
        f"Champions reached most people at the {points[0][0]} level: {points[0][1]} in this period."
        if points
        else "Too few returns were sent in this period to show whom champions reached."
    )
    return Table(
        "returns_reach",
        "People reached by practice level",
        ["Practice level", "People reached"],
        [[label, display_count(reached[label])] for label in levels],
        summary,
        points,
        "People reached",
        "What champions said they reached, added up over the quarters of the period with at least 5 returns.",
    )


def themes(figures: Figures, columns, kind: str) -> Table:
    """What helped or got in the way by theme per quarter, as the feedback section shows its themes."""
    answered = [sum(monthly(figures, f"returns_{kind}_answers", span)) for _n, span, _a, _s in columns]
    shown = [
        theme_counts(in_period(figures, f"returns_{kind}_themes", span), count)
        for (_n, span, _a, _s), count in zip(columns, answered, strict=True)
    ]
    rows = [["Returns that named one", *(display_count(count) for count in answered)]]
    for label in LABELS:
        rows.append([label, *(NOT_SHOWN if s is None or label not in s else str(s[label]) for s in shown)])
    latest = next(
        (
            (name, found)
            for (name, *_), found in reversed(list(zip(columns, shown, strict=True)))
            if found and any(found.values())
        ),
        None,
    )
    points = [(label, count) for label, count in latest[1].items() if count] if latest else []
    words = "helped" if kind == "helped" else "got in the way"
    named = [point for point in points if point[0] != OTHER]
    if named:
        top = max(named, key=lambda point: point[1])
        summary = f"In {latest[0]}, champions said {top[0].lower()} {words} most often."
    elif any(answered):
        summary = f"Too few champions said what {words} in any quarter of this period to show themes."
    else:
        summary = f"No return in this period said what {words}."
    return Table(
        f"returns_{kind}",
        f"What {words}, by theme, per quarter",
        ["Theme", *(name for name, *_ in columns)],
        rows,
        summary,
        points,
        "Returns that named it",
        "Champions tick the themes of the events’ learning reports, as many as apply, so the themes add up "
        "to more than the returns. Themes are shown only for a quarter in which at least 5 returns "
        "named one; a theme named in fewer than 5 is counted in Other themes.",
    )


def support(figures: Figures, columns) -> Table:
    months = [month for _name, span, *_ in columns for month in span]
    asked = sum(monthly(figures, "returns_support_answers", months))
    kinds = theme_counts(in_period(figures, "returns_support_kinds", months), asked)
    rows = [["Returns asking for support", display_count(asked)]]
    if kinds is not None and asked:
        rows += [[label, str(count)] for label, count in kinds.items() if count]
    if asked and kinds is not None and len(rows) > 1:
        top = max(
            ((label, count) for label, count in kinds.items() if label != OTHER),
            key=lambda p: p[1],
            default=None,
        )
        summary = (
            f"{asked} returns asked for support, most often about {top[0].lower()}."
            if top and top[1]
            else f"{asked} returns asked for support."
        )
    elif asked:
        summary = "Too few returns asked for support in this period to say what kind."
    else:
        summary = "No return in this period asked for support."
    return Table(
        "returns_support",
        "Support asked for, by kind",
        ["Kind of support", "Returns"],
        rows,
        summary,
        note="Each request is put under one kind by its words, with the themes of the learning report. "
        "Kinds are shown only when at least 5 returns asked; a kind asked for in fewer than 5 is counted "
        "in Other themes. The words themselves are never shown here.",
    )


def section(figures: Figures, months: list[date]) -> Section:
    columns = _quarters(figures, months)
    tables = [
        sent_per_quarter(columns),
        activity(figures, columns),
        reach(figures, columns),
        themes(figures, columns, "helped"),
        themes(figures, columns, "hindered"),
        support(figures, columns),
    ]
    summary = (
        "Totals from the quarterly returns champions send, by the quarter the return is for. How champions "
        "find the role is not shown: it is each person’s own answer, and even a count of answers for a "
        "place or sector could point to someone, so it stays on the coordinators’ totals page for all of "
        "Scotland only."
    )
    return Section("returns", "Quarterly returns", tables, summary)
