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
    event: Event
    registered: int = 0
    attended: int = 0
    by_sector: list[tuple[str, int]] = field(default_factory=list)
    by_area: list[tuple[str, int]] = field(default_factory=list)
    responses: int = 0
    average_rating: float | None = None
    ratings: list[tuple[str, int]] = field(default_factory=list)
    barriers: dict[str, list[str]] = field(default_factory=dict)
    enablers: dict[str, list[str]] = field(default_factory=dict)
    pledged: list[tuple[str, int]] = field(default_factory=list)
    own_pledges: list[str] = field(default_factory=list)
    followed_up: int = 0
    progress: list[tuple[str, int]] = field(default_factory=list)


def build_report(event: Event) -> Report:
    """Gather the learning report's figures and feedback for one event."""
    report = Report(event=event)
    people = [r for r in attendee_list(event) if r.is_confirmed]
    counted = [r for r in people if r.attended] or people
    report.registered, report.attended = len(people), sum(r.attended for r in people)
    report.by_sector = Counter(r.sector.name if r.sector else "Not given" for r in counted).most_common()
    report.by_area = Counter(r.user.workplace_label or "Not given" for r in counted).most_common()
    feedback = list(
        db.session.scalars(
            select(Feedback)
            .options(selectinload(Feedback.pledges))
            .where(Feedback.event_id == event.id)
            .order_by(Feedback.id)
        )
    )
    report.responses = len(feedback)
    if feedback:
        report.average_rating = round(sum(f.rating for f in feedback) / len(feedback), 1)
    rating_counts = Counter(f.rating for f in feedback)
    report.ratings = [(label, rating_counts[score]) for score, label in RATING_LABELS.items()]
    report.barriers = _grouped([f.barriers for f in feedback if f.barriers])
    report.enablers = _grouped([f.enablers for f in feedback if f.enablers])
    pledges: list[Pledge] = [p for f in feedback for p in f.pledges]
    kinds = Counter(p.kind for p in pledges)
    report.pledged = [(label, kinds[key]) for key, label in PLEDGE_CHOICES.items() if kinds[key]]
    report.own_pledges = [p.label for p in pledges if p.kind == OWN]
    followed = [p for p in pledges if p.user_id is not None]
    report.followed_up = len(followed)
    answers = Counter(p.progress for p in followed)
    report.progress = [
        ("Done", answers[PledgeProgress.DONE.value]),
        ("In progress", answers[PledgeProgress.IN_PROGRESS.value]),
        ("Not yet", answers[PledgeProgress.NOT_YET.value]),
        ("No answer yet", answers[None]),
    ]
    return report


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def report_markdown(report: Report) -> str:
    """Write the learning report as a Markdown document."""
    event = report.event
    lines = [
        f"# Learning report: {event.title}",
        "",
        f"{event.type_label}, {format_london(event.starts_at)} (UK time).",
        "",
    ]
    if event.report_key_messages:
        lines += ["## Key messages", "", event.report_key_messages, ""]
    if event.report_summary:
        lines += ["## Summary", "", event.report_summary, ""]
    lines += [
        "## Attendance",
        "",
        f"{report.registered} people had a place; {report.attended} attended.",
        "",
        "### By sector",
        "",
        *[f"- {name}: {n}" for name, n in report.by_sector],
        "",
        "### By council area or NHS board",
        "",
        *[f"- {name}: {n}" for name, n in report.by_area],
        "",
        "## Ratings",
        "",
        f"{report.responses} people gave feedback.",
    ]
    if report.average_rating is not None:
        lines.append(f"Average rating: {report.average_rating} out of 5.")
    lines += ["", *[f"- {label}: {n}" for label, n in report.ratings], ""]
    for title, groups in (("Barriers", report.barriers), ("Enablers", report.enablers)):
        lines += [f"## {title}", ""]
        for theme, texts in groups.items():
            lines += [f"### {theme}", "", *[f"- {' '.join(t.split())}" for t in texts], ""]
    lines += [
        "## Actions pledged",
        "",
        *[f"- {label}: {n}" for label, n in report.pledged],
        *[f"- {' '.join(t.split())}" for t in report.own_pledges],
        "",
        "## Pledge follow-up",
        "",
        f"{report.followed_up} pledges can be followed up.",
        *[f"- {label}: {n} ({_percent(n, report.followed_up)})" for label, n in report.progress],
        "",
    ]
    return "\n".join(lines)
