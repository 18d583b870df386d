"""Case studies: published per quarter, by principle, sector and practice level, and the most saved."""

from datetime import date

from champions.dashboard.queries.figures import Figures, Section, Table, in_period, monthly, quarters
from champions.small_numbers import display_count, is_small


def published(figures: Figures, months: list[date]) -> list[Table]:
    """Case studies published per quarter."""
    points = [(name, sum(monthly(figures, "case_studies", span))) for name, span in quarters(months).items()]
    total = sum(count for _name, count in points)
    summary = (
        f"{total} case studies were published in this period."
        if total != 1
        else "1 case study was published in this period."
    )
    tables = [
        Table(
            "case_studies",
            "Case studies published per quarter",
            ["Quarter", "Published"],
            [[q, str(n)] for q, n in points],
            summary,
            points,
            "Case studies",
        )
    ]
    return tables


TOP = 10
TAGS = (("principle", "Principle"), ("sector", "Sector"), ("level", "Practice level"))


def by_tag(figures: Figures, months: list[date], kind: str, column: str) -> Table:
    """Case studies published per quarter with one tag of a kind (principle, sector or level)."""
    columns = [*quarters(months).items(), ("In this period", months)]
    counts = [in_period(figures, f"case_studies_by_{kind}", span) for _name, span in columns]
    period = counts[-1]
    labels = sorted(period, key=lambda label: (-period[label], label))
    rows = [[label, *(str(found.get(label, 0)) for found in counts)] for label in labels]
    summary = (
        f"Case studies published in this period were most often about {labels[0]}: "
        f"{period[labels[0]]} of them."
        if labels
        else "No case studies were published in this period."
    )
    return Table(
        f"case_studies_by_{kind}",
        f"Case studies published per quarter, by {column.lower()}",
        [column, *(name for name, _span in columns)],
        rows,
        summary,
        [(label, period[label]) for label in labels],
        "Case studies",
        f"A case study can have more than one {column.lower()}, so the groups add up to more than the total. "
        "Published case studies are not people, so every count is shown.",
    )


def most_saved(figures: Figures, months: list[date]) -> Table:
    """The published case studies saved most in the period, with save counts under the rule of five."""
    saves = [
        (label.partition("|")[2], count)
        for label, count in in_period(figures, "case_study_saves", months).items()
    ]
    # Small counts sort by title, not by count, so their order tells nothing the figures hide.
    ranked = sorted(
        saves, key=lambda item: (is_small(item[1]), 0 if is_small(item[1]) else -item[1], item[0])
    )[:TOP]
    points = [(title, count) for title, count in ranked if not is_small(count)]
    if points:
        summary = f"“{points[0][0]}” was saved most in this period, by {points[0][1]} people."
    elif ranked:
        summary = "Too few people saved case studies in this period to say which was saved most."
    else:
        summary = "Nobody saved a published case study in this period."
    return Table(
        "most_saved",
        f"The {TOP} case studies saved most",
        ["Case study", "People who saved it"],
        [[title, display_count(count)] for title, count in ranked],
        summary,
        points,
        "People who saved it",
        "Saves made in this period and not since removed, of case studies published now.",
    )


def section(figures: Figures, months: list[date]) -> Section:
    """The case studies section, with a sentence on how many were published and what they covered."""
    tables = [*published(figures, months), *(by_tag(figures, months, kind, column) for kind, column in TAGS)]
    tables.append(most_saved(figures, months))
    summary = tables[0].summary
    principle = tables[1].points
    if principle:
        summary = summary.removesuffix(".") + f", most often about {principle[0][0]}."
    return Section("case-studies", "Case studies", tables, summary)
