"""Case studies in every state, mostly published, public or for members, tagged as authors tag them.

Each has the transitions its state implies (draft, submitted, published, ...), published_at and
submitted_at to match, and review_by two years after publication (a few are past it).
"""

from datetime import timedelta

from sqlalchemy import select

from champions.casestudies.models import (
    CaseStudy,
    Status,
    Topic,
    Transition,
    Visibility,
    case_study_areas,
    case_study_levels,
    case_study_principles,
    case_study_sectors,
    case_study_topics,
)
from champions.casestudies.services import CHECKLIST, topic_slug
from champions.demo_scale.bulk import Run, sync_sequences
from champions.demo_scale.texts import TOPICS

CASES = CaseStudy.__table__
TOPIC_TABLE = Topic.__table__
TRANSITIONS = Transition.__table__
STATUSES = (
    [Status.PUBLISHED.value] * 85
    + [Status.SUBMITTED.value] * 5
    + [Status.DRAFT.value] * 4
    + [Status.UNPUBLISHED.value] * 3
    + [Status.ARCHIVED.value] * 3
)
CHECKED = {key: True for key in CHECKLIST}
# The steps each final state went through, after "new -> draft".
STEPS = {
    Status.DRAFT.value: [],
    Status.SUBMITTED.value: [Status.SUBMITTED.value],
    Status.PUBLISHED.value: [Status.SUBMITTED.value, Status.PUBLISHED.value],
    Status.UNPUBLISHED.value: [Status.SUBMITTED.value, Status.PUBLISHED.value, Status.UNPUBLISHED.value],
    Status.ARCHIVED.value: [Status.SUBMITTED.value, Status.PUBLISHED.value, Status.ARCHIVED.value],
}


def _topics(run: Run) -> list[int]:
    """Find or add a topic tag for each of the pool's topics; return their ids."""
    existing = dict(run.conn.execute(select(TOPIC_TABLE.c.slug, TOPIC_TABLE.c.id)).all())
    next_id, rows = run.next_id(TOPIC_TABLE), []
    for name in TOPICS:
        slug = topic_slug(name)
        if slug not in existing:
            rows.append({"id": next_id, "slug": slug, "name": name[:60]})
            existing[slug] = next_id
            next_id += 1
    run.insert(TOPIC_TABLE, rows)
    return [existing[topic_slug(name)] for name in TOPICS]


def seed(run: Run) -> None:
    rng, people, texts, reference = run.rng, run.people, run.texts, run.reference
    topic_ids = _topics(run)
    sector_ids = [s.id for s in reference["sectors"]]
    principle_ids = [p.id for p in reference["principles"]]
    level_ids = [lv.id for lv in reference["levels"]]
    area_ids = [a.id for a in reference["areas"]]
    coordinator_id = reference["coordinator_id"]
    champions = run.champion_user_ids or people.active_ids
    first = run.next_id(CASES)
    links = {name: [] for name in ("sectors", "principles", "levels", "areas", "topics")}
    transitions: list[dict] = []

    def link(name: str, column: str, case_id: int, ids) -> None:
        links[name].extend({"case_study_id": case_id, column: value} for value in ids)

    def rows():
        for n in range(run.counts.case_studies):
            case_id = first + n
            author_id = rng.choice(champions) if rng.random() < 0.7 else rng.choice(people.active_ids)
            status = rng.choice(STATUSES)
            created = run.days_ago(3, 3 * 365)
            moments = [created]
            for _ in STEPS[status]:
                within_a_month = min(moments[-1] + timedelta(days=30), run.now)
                moments.append(run.moment_between(moments[-1], within_a_month))
            steps = ["draft", *STEPS[status]]
            submitted = moments[1] if len(moments) > 1 else None
            published = moments[2] if len(moments) > 2 else None
            review_by = (published or created).date() + timedelta(days=730)
            if rng.random() < 0.05:
                review_by = (run.now - timedelta(days=rng.randint(1, 90))).date()
            previous = "new"
            for step, moment in zip(steps, moments, strict=True):
                by_author = step in ("draft", "submitted")
                transitions.append(
                    {
                        "case_study_id": case_id,
                        "actor_id": author_id if by_author else coordinator_id,
                        "from_status": previous,
                        "to_status": step,
                        "comment": "",
                        "checklist": CHECKED if step == "published" else None,
                        "created_at": moment,
                    }
                )
                previous = step
            home = people.area_of[author_id]
            link("sectors", "sector_id", case_id, rng.sample(sector_ids, rng.randint(1, 3)))
            link("principles", "principle_id", case_id, rng.sample(principle_ids, rng.randint(1, 3)))
            link("levels", "nttp_level_id", case_id, rng.sample(level_ids, rng.randint(1, 2)))
            link(
                "areas",
                "council_area_id",
                case_id,
                {home, rng.choice(area_ids)} if rng.random() < 0.3 else {home},
            )
            link("topics", "topic_id", case_id, rng.sample(topic_ids, rng.randint(1, 3)))
            yield {
                "id": case_id,
                "author_id": author_id,
                "organisation_id": people.organisation_of[author_id],
                "status": status,
                "title": rng.choice(texts.case_titles)[:200],
                "visibility": Visibility.MEMBERS.value if rng.random() < 0.35 else Visibility.PUBLIC.value,
                "summary": texts.paragraph(2),
                "challenge": rng.choice(texts.paragraphs),
                "approach": rng.choice(texts.paragraphs),
                "involvement": rng.choice(texts.paragraphs),
                "co_produced": rng.random() < 0.4,
                "impact": rng.choice(texts.paragraphs),
                "learning": rng.choice(texts.paragraphs),
                "advice": rng.choice(texts.paragraphs),
                "contact_name": "",
                "contact_email": "",
                "review_by": review_by,
                "pending_changes": None,
                "pending_status": None,
                "created_at": created,
                "updated_at": moments[-1],
                "submitted_at": submitted,
                "published_at": published,
            }

    run.insert(CASES, rows(), counted=True)
    run.insert(TRANSITIONS, transitions)
    for name, table in (
        ("sectors", case_study_sectors),
        ("principles", case_study_principles),
        ("levels", case_study_levels),
        ("areas", case_study_areas),
        ("topics", case_study_topics),
    ):
        run.insert(table, links[name])
    sync_sequences(run.conn, [CASES, TOPIC_TABLE, TRANSITIONS])
