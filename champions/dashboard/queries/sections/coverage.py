"""Coverage month by month, and the people: champions by sector, level and area; members by area."""

from datetime import date

from champions.dashboard.queries.figures import Figures, Table, change, month_name, monthly
from champions.small_numbers import breakdown, display_count, is_small, may_show_total


def coverage(figures: Figures, months: list[date]) -> Table:
    areas, boards = monthly(figures, "areas_covered", months), monthly(figures, "boards_covered", months)
    names = [month_name(m) for m in months]
    points = list(zip(names, areas, strict=True))
    return Table(
        "coverage",
        "Council areas with a verified local champion",
        ["Month", "Council areas covered", "NHS boards covered"],
        [[n, str(a), str(b)] for n, a, b in zip(names, areas, boards, strict=True)],
        change("council areas with a verified local champion", points),
        points,
        "Council areas",
    )


def people(figures: Figures, last: date) -> list[Table]:
    tables = []
    overlapping = "A champion can work in more than one {}, so the groups add up to more than the total."
    kinds = (
        ("champions_by_sector", "Champions by sector", "Sector", "sector"),
        ("champions_by_level", "Champions by practice level", "Practice level", "practice level"),
        ("champions_by_area", "Champions by council area", "Council area", "council area"),
    )
    total = sum(figures["champions"].get(last, {}).values())
    # The total is written once per table; beside a group of fewer than 5 in any of them, it could give
    # that group's count away.
    exact = may_show_total(value for key, *_ in kinds for value in figures[key].get(last, {}).values())
    for key, title, column, kind in kinds:
        groups = sorted(figures[key].get(last, {}).items(), key=lambda item: -item[1])
        points = [(label, value) for label, value in groups if not is_small(value)]
        if not points:
            summary = "There are too few champions here to show how they divide."
        elif exact:
            summary = f"There are {display_count(total)} verified champions; the most work in {points[0][0]}."
        else:
            summary = f"More verified champions here work in {points[0][0]} than in any other {kind}."
        rows = [[label, display_count(value)] for label, value in groups]
        tables.append(
            Table(
                key,
                title,
                [column, "Champions"],
                rows,
                summary,
                points,
                "Champions",
                overlapping.format(kind),
            )
        )
    members = breakdown(sorted(figures["members_by_area"].get(last, {}).items()), "Other areas")
    rows = [[label, display_count(value)] for label, value in members.rows]
    summary = f"The network has {display_count(members.total)} members."
    note = "Areas with fewer than 5 members are counted together." if members.rows else ""
    tables.append(
        Table(
            "members_by_area",
            "Members by council area",
            ["Council area", "Members"],
            rows,
            summary,
            note=note,
        )
    )
    return tables
