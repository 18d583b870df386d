"""The learning report: attendance, feedback and pledges for one event, on the page and as Markdown."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from champions.clock import format_london
from champions.events.models import (
    OWN,
    PLEDGE_CHOICES,
    RATING_LABELS,
    Event,
    Feedback,
    Pledge,
    PledgeProgress,
)
from champions.events.queries.listings import attendee_list
from champions.extensions import db
from champions.small_numbers import (
    Breakdown,
    breakdown,
    count_people,
    display_count,
    is_small,
    may_show_text,
    threshold,
)

RULE_OF_FIVE = (
    "To keep feedback anonymous, a count of fewer than 5 people is not given, people's own words "
    "appear only when at least 5 wrote some, and smaller groups are merged."
)

THEMES = {
    "Time and workload": ("time", "capacity", "workload", "busy", "pressure", "staffing", "shortage"),
    "Leadership and culture": ("leader", "manager", "culture", "buy-in", "support from", "senior"),
    "Resources and funding": ("fund", "money", "budget", "resource", "cost"),
    "Training and learning": ("training", "learning", "e-learning", "course", "knowledge", "skill"),
    "Working together": ("partner", "multi-agency", "network", "together", "colleague", "peer"),
    "Wellbeing": ("wellbeing", "burnout", "stress", "self-care", "vicarious"),
}


def theme_of(text: str) -> str:
    """Name the theme a barrier or enabler is about, by its words."""
    lowered = text.lower()
    for theme, words in THEMES.items():
        if any(word in lowered for word in words):
            return theme
    return "Other"


def _grouped(texts: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for text in texts:
        groups.setdefault(theme_of(text), []).append(text)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == "Other", -len(item[1]), item[0])))


@dataclass
class Report:
    """The learning report's figures, already put through the rule of five (champions.small_numbers)."""

    event: Event
    registered: int = 0
    attended: int = 0
    # False when "had a place" beside "attended" would tell how few (1 to 4) stayed away.
    shows_places: bool = True
    by_sector: Breakdown = field(default_factory=lambda: Breakdown((), 0))
    by_area: Breakdown = field(default_factory=lambda: Breakdown((), 0))
    responses: int = 0
    average_rating: float | None = None
    ratings: Breakdown = field(default_factory=lambda: Breakdown((), 0))
    barrier_answers: int = 0
    barriers: dict[str, list[str]] = field(default_factory=dict)
    enabler_answers: int = 0
    enablers: dict[str, list[str]] = field(default_factory=dict)
    pledged: list[tuple[str, int]] = field(default_factory=list)
    own_answers: int = 0
    own_pledges: list[str] = field(default_factory=list)
    followed_up: int = 0
    progress: Breakdown = field(default_factory=lambda: Breakdown((), 0))

    @property
    def attendance(self) -> str:
        """Say how many had a place and how many came, never how few stayed away."""
        if not self.shows_places:
            others = f"fewer than {threshold()} others"
            # Only reached when at least the threshold attended, so this starts with a figure.
            return f"{count_people(self.attended)} were marked as attending, and {others} had a place"
        came = display_count(self.attended)
        return f"{count_people(self.registered)} had a place and {came} were marked as attending".capitalize()


def _words(texts: list[str]) -> tuple[int, dict[str, list[str]]]:
    """How many wrote an answer, and their words by theme only when enough wrote one."""
    return len(texts), _grouped(texts) if may_show_text(len(texts)) else {}


def _ratings(report: Report, feedback: list[Feedback]) -> None:
    counts = Counter(f.rating for f in feedback)
    rows = [(label, counts[score]) for score, label in RATING_LABELS.items()]
    report.ratings = breakdown(rows, "Other ratings")
    # With groups merged, the average could tell how the few in them rated; with none merged it
    # tells nothing the spread does not.
    if feedback and report.ratings.rows == tuple(rows):
        report.average_rating = round(sum(f.rating for f in feedback) / len(feedback), 1)


def build_report(event: Event) -> Report:
    """Gather the learning report's figures and feedback for one event, under the rule of five."""
    report = Report(event=event)
    people = [r for r in attendee_list(event) if r.is_confirmed]
    counted = [r for r in people if r.attended] or people
    report.registered, report.attended = len(people), sum(r.attended for r in people)
    # Attendance not marked (0) or itself "fewer than 5" leaves the gap unknown; an exact figure would not.
    report.shows_places = (
        not report.attended or is_small(report.attended) or not is_small(len(people) - report.attended)
    )
    sectors = Counter(r.sector.name if r.sector else "Not given" for r in counted).most_common()
    report.by_sector = breakdown(sectors, "Other sectors")
    areas = Counter(r.user.workplace_label or "Not given" for r in counted).most_common()
    report.by_area = breakdown(areas, "Other areas")
    feedback = list(
        db.session.scalars(
            select(Feedback)
            .options(selectinload(Feedback.pledges))
            .where(Feedback.event_id == event.id)
            .order_by(Feedback.id)
        )
    )
    report.responses = len(feedback)
    _ratings(report, feedback)
    report.barrier_answers, report.barriers = _words([f.barriers for f in feedback if f.barriers])
    report.enabler_answers, report.enablers = _words([f.enablers for f in feedback if f.enablers])
    pledges: list[Pledge] = [p for f in feedback for p in f.pledges]
    kinds = Counter(p.kind for p in pledges)
    report.pledged = [(label, kinds[key]) for key, label in PLEDGE_CHOICES.items() if kinds[key]]
    own = [p.label for p in pledges if p.kind == OWN]
    report.own_answers = len(own)
    report.own_pledges = own if may_show_text(len(own)) else []
    followed = [p for p in pledges if p.user_id is not None]
    report.followed_up = len(followed)
    answers = Counter(p.progress for p in followed)
    progress = [
        ("Done", answers[PledgeProgress.DONE.value]),
        ("In progress", answers[PledgeProgress.IN_PROGRESS.value]),
        ("Not yet", answers[PledgeProgress.NOT_YET.value]),
        ("No answer yet", answers[None]),
    ]
    report.progress = breakdown(progress, "Other answers")
    return report


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _breakdown_lines(rows: Breakdown, what: str) -> list[str]:
    if rows.withheld:
        return [f"Not shown by {what}: the groups are too small to show without pointing to people."]
    return [f"- {name}: {n}" for name, n in rows.rows] or ["No one yet."]


def _words_lines(title: str, answers: int, groups: dict[str, list[str]]) -> list[str]:
    lines = [f"## {title}", ""]
    if answers and not groups:
        return [
            *lines,
            f"{count_people(answers)} wrote about this: their words are not shown.".capitalize(),
            "",
        ]
    for theme, texts in groups.items():
        lines += [f"### {theme}", "", *[f"- {' '.join(t.split())}" for t in texts], ""]
    return lines if groups else [*lines, "None given.", ""]


def report_markdown(report: Report) -> str:
    """Write the learning report as a Markdown document, under the rule of five."""
    event = report.event
    lines = [
        f"# Learning report: {event.title}",
        "",
        f"{event.type_label}, {format_london(event.starts_at)} (UK time).",
        "",
        RULE_OF_FIVE,
        "",
    ]
    if event.report_key_messages:
        lines += ["## Key messages", "", event.report_key_messages, ""]
    if event.report_summary:
        lines += ["## Summary", "", event.report_summary, ""]
    lines += [
        "## Attendance",
        "",
        report.attendance + ".",
        "",
        "### By sector",
        "",
        *_breakdown_lines(report.by_sector, "sector"),
        "",
        "### By council area or NHS board",
        "",
        *_breakdown_lines(report.by_area, "area"),
        "",
        "## Ratings",
        "",
        f"{count_people(report.responses)} gave feedback.".capitalize(),
    ]
    if report.average_rating is not None:
        lines.append(f"Average rating: {report.average_rating} out of 5.")
    lines += ["", *_breakdown_lines(report.ratings, "rating"), ""]
    lines += _words_lines("Barriers", report.barrier_answers, report.barriers)
    lines += _words_lines("Enablers", report.enabler_answers, report.enablers)
    lines += [
        "## Actions pledged",
        "",
        *[f"- {label}: {display_count(n)}" for label, n in report.pledged],
        *[f"- {' '.join(t.split())}" for t in report.own_pledges],
    ]
    if report.own_answers and not report.own_pledges:
        lines.append(f"- In their own words: {count_people(report.own_answers)} (not shown)")
    lines += [
        "",
        "## Pledge follow-up",
        "",
        f"{count_people(report.followed_up, 'pledge')} can be followed up.".capitalize(),
        *[f"- {label}: {n} ({_percent(n, report.followed_up)})" for label, n in report.progress.rows],
    ]
    if report.progress.withheld:
        lines += _breakdown_lines(report.progress, "answer")
    return "\n".join([*lines, ""])
