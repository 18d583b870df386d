"""Reads for the assessment pages, each with its loader options so the query count stays flat."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from champions.accounts.models import User
from champions.assessments.models import (
    RATING_LABELS,
    RATING_SCORE,
    Action,
    Answer,
    Assessment,
    Contributor,
    Domain,
    Framework,
    Invitation,
    Rating,
    Statement,
    Status,
)
from champions.casestudies.models import CaseStudy, case_study_domains
from champions.casestudies.models import Status as CaseStudyStatus
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.events.models import Event, EventStatus, event_domains
from champions.extensions import db
from champions.reference.models import ImplementationDomain, Organisation
from champions.resources.models import Resource, resource_domains
from champions.small_numbers import Breakdown, breakdown, is_small

VERIFIED = "verified"


def current_framework() -> Framework | None:
    """The newest published framework version: new assessments use it; old ones keep theirs."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.is_published.is_(True))
        .order_by(Framework.version_number.desc(), Framework.id.desc())
        .limit(1)
    )


def _full():
    return (
        joinedload(Assessment.organisation),
        selectinload(Assessment.framework)
        .selectinload(Framework.domains)
        .selectinload(Domain.statements)
        .joinedload(Statement.principle),
        selectinload(Assessment.answers),
        selectinload(Assessment.actions).joinedload(Action.owner),
        selectinload(Assessment.contributors).joinedload(Contributor.user),
    )


def assessment(assessment_id: int) -> Assessment | None:
    return db.session.scalar(select(Assessment).options(*_full()).where(Assessment.id == assessment_id))


def champion_organisation(user) -> Organisation | None:
    """The organisation a person is a verified champion of, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Organisation)
        .join(ChampionProfile, ChampionProfile.organisation_id == Organisation.id)
        .where(ChampionProfile.user_id == user.id, ChampionProfile.status == VERIFIED)
    )


def is_organisation_champion(user, organisation_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    found = db.session.scalar(
        select(ChampionProfile.id).where(
            ChampionProfile.user_id == user.id,
            ChampionProfile.organisation_id == organisation_id,
            ChampionProfile.status == VERIFIED,
        )
    )
    return found is not None


def belongs_to_organisation(user, organisation_id: int) -> bool:
    """A portal member of the organisation: their account names it, or they are its champion."""
    return user.organisation_id == organisation_id or is_organisation_champion(user, organisation_id)


def open_draft(organisation_id: int) -> Assessment | None:
    return db.session.scalar(
        select(Assessment).where(
            Assessment.organisation_id == organisation_id, Assessment.status == Status.DRAFT
        )
    )


def assessments_of(organisation_id: int) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment)
            .options(selectinload(Assessment.answers))
            .where(Assessment.organisation_id == organisation_id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        )
    )


def contributed_to(user) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment)
            .join(Contributor, Contributor.assessment_id == Assessment.id)
            .options(joinedload(Assessment.organisation), selectinload(Assessment.answers))
            .where(
                Contributor.user_id == user.id,
                # one who has moved on from the organisation no longer sees its assessments
                or_(
                    Assessment.organisation_id == user.organisation_id,
                    Assessment.organisation_id.in_(
                        select(ChampionProfile.organisation_id).where(
                            ChampionProfile.user_id == user.id, ChampionProfile.status == VERIFIED
                        )
                    ),
                ),
            )
            .order_by(Assessment.created_at.desc())
        )
    )


def all_assessments(limit: int = 200) -> list[Assessment]:
    """For coordinators: the newest assessments of every organisation."""
    return list(
        db.session.scalars(
            select(Assessment)
            .options(joinedload(Assessment.organisation), selectinload(Assessment.answers))
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
            .limit(limit)
        )
    )


def people_of(assessment: Assessment) -> list[User]:
    """Who can own an action: the organisation's champions and the invited contributors, in use."""
    champions = select(ChampionProfile.user_id).where(
        ChampionProfile.organisation_id == assessment.organisation_id, ChampionProfile.status == VERIFIED
    )
    contributors = (
        select(Contributor.user_id)
        .join(User, User.id == Contributor.user_id)
        .where(Contributor.assessment_id == assessment.id, User.organisation_id == assessment.organisation_id)
    )
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(champions.union(contributors)), User.active.is_(True), User.closed_at.is_(None)
            )
            .order_by(User.name, User.id)
        )
    )


def invitation_by_hash(token_hash: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation)
        .options(joinedload(Invitation.assessment).joinedload(Assessment.organisation))
        .where(Invitation.token_hash == token_hash)
    )


def invitation_to(assessment_id: int, email: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(Invitation.assessment_id == assessment_id, Invitation.email == email)
    )


def actions_due(by: date) -> list[Action]:
    """Actions of submitted assessments due by then whose owner has not been reminded."""
    return list(
        db.session.scalars(
            select(Action)
            .join(Assessment, Assessment.id == Action.assessment_id)
            .options(
                joinedload(Action.owner),
                joinedload(Action.domain),
                joinedload(Action.assessment).joinedload(Assessment.organisation),
            )
            .where(
                Action.due_on <= by,
                Action.reminded_at.is_(None),
                Action.owner_id.is_not(None),
                Assessment.status == Status.SUBMITTED,
            )
            .order_by(Action.due_on, Action.id)
        )
    )


# Words to search the portal's case studies, resources and events by, for each domain (by slug), until
# those carry a domain tag of their own.
SEARCH_WORDS = {
    "governance-and-leadership": "leadership",
    "policy": "policy",
    "lived-experience": "lived experience",
    "workforce-development": "training",
    "environment": "environment",
    "cross-sector-collaboration": "partnership",
    "screening-assessment-treatment": "assessment",
    "finance": "funding",
    "monitoring-quality": "quality",
    "evaluation": "evaluation",
}


def search_words(domain: Domain) -> str:
    return SEARCH_WORDS.get(domain.slug, domain.name)


@dataclass
class Summary:
    """What a submitted assessment gives back."""

    assessment: Assessment
    rows: list[tuple[Domain, Answer | None]]
    strengths: list[tuple[Domain, Answer]]
    work_on_first: list[tuple[Domain, Answer | None]]
    earlier: list[Assessment]
    # domain slug -> the rating label in each earlier assessment, in the order of `earlier`
    earlier_ratings: dict[str, list[str]]
    # domain slug -> published case studies tagged with that implementation domain (for work_on_first)
    case_studies: dict[str, list[CaseStudy]]
    # domain slug -> resources tagged with it
    resources: dict[str, list[Resource]]
    # domain slug -> upcoming published events tagged with it
    events: dict[str, list[Event]]


def _score(answer: Answer | None) -> int:
    return RATING_SCORE[Rating(answer.rating)] if answer and answer.rating else -1


def summary(assessment: Assessment, earlier_count: int = 3) -> Summary:
    domains = assessment.framework.domains
    rows = [(domain, assessment.answer_for(domain)) for domain in domains]
    strengths = [(d, a) for d, a in rows if a and a.rating in (Rating.DEVELOPING, Rating.EMBEDDED)]
    strengths.sort(key=lambda row: (-_score(row[1]), row[0].position))
    weakest = sorted(rows, key=lambda row: (_score(row[1]), row[0].position))
    work_on_first = [row for row in weakest if _score(row[1]) < RATING_SCORE[Rating.EMBEDDED]][:3]
    earlier = [
        a
        for a in assessments_of(assessment.organisation_id)
        # made before this one; at the same moment, the one made first (the lower id)
        if a.is_submitted and (a.created_at, a.id) < (assessment.created_at, assessment.id)
    ][:earlier_count]
    slugs = {a.id: {} for a in earlier}
    if earlier:
        answers = db.session.execute(
            select(Answer.assessment_id, Domain.slug, Answer.rating)
            .join(Domain, Domain.id == Answer.domain_id)
            .where(Answer.assessment_id.in_([a.id for a in earlier]))
        )
        for assessment_id, slug, rating in answers:
            slugs[assessment_id][slug] = rating
    earlier_ratings = {
        d.slug: [RATING_LABELS[Rating(r)] if (r := slugs[a.id].get(d.slug)) else "—" for a in earlier]
        for d in domains
    }
    return Summary(
        assessment,
        rows,
        strengths,
        work_on_first,
        earlier,
        earlier_ratings,
        tagged_case_studies([d.slug for d, _a in work_on_first]),
        tagged_resources([d.slug for d, _a in work_on_first]),
        tagged_events([d.slug for d, _a in work_on_first]),
    )


def tagged_events(slugs: list[str], each: int = 3) -> dict[str, list[Event]]:
    """The next published events tagged with each implementation domain, soonest first (one query)."""
    found: dict[str, list[Event]] = {slug: [] for slug in slugs}
    if not slugs:
        return found
    rows = db.session.execute(
        select(ImplementationDomain.slug, Event)
        .join(event_domains, event_domains.c.event_id == Event.id)
        .join(ImplementationDomain, ImplementationDomain.id == event_domains.c.implementation_domain_id)
        .where(
            ImplementationDomain.slug.in_(slugs),
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at >= utcnow(),
        )
        .order_by(Event.starts_at, Event.id)
    )
    for slug, event in rows:
        if len(found[slug]) < each:
            found[slug].append(event)
    return found


def tagged_resources(slugs: list[str], each: int = 3) -> dict[str, list[Resource]]:
    """Resources tagged with each implementation domain, by title (one query)."""
    found: dict[str, list[Resource]] = {slug: [] for slug in slugs}
    if not slugs:
        return found
    rows = db.session.execute(
        select(ImplementationDomain.slug, Resource)
        .join(resource_domains, resource_domains.c.resource_id == Resource.id)
        .join(ImplementationDomain, ImplementationDomain.id == resource_domains.c.implementation_domain_id)
        .where(ImplementationDomain.slug.in_(slugs))
        .order_by(Resource.title, Resource.id)
    )
    for slug, resource in rows:
        if len(found[slug]) < each:
            found[slug].append(resource)
    return found


def tagged_case_studies(slugs: list[str], each: int = 3) -> dict[str, list[CaseStudy]]:
    """The newest published case studies tagged with each implementation domain (one query)."""
    found: dict[str, list[CaseStudy]] = {slug: [] for slug in slugs}
    if not slugs:
        return found
    rows = db.session.execute(
        select(ImplementationDomain.slug, CaseStudy)
        .join(case_study_domains, case_study_domains.c.case_study_id == CaseStudy.id)
        .join(ImplementationDomain, ImplementationDomain.id == case_study_domains.c.implementation_domain_id)
        .where(ImplementationDomain.slug.in_(slugs), CaseStudy.status == CaseStudyStatus.PUBLISHED)
        .order_by(CaseStudy.published_at.desc(), CaseStudy.id.desc())
    )
    for slug, case_study in rows:
        if len(found[slug]) < each:
            found[slug].append(case_study)
    return found


def frameworks() -> list[Framework]:
    return list(
        db.session.scalars(select(Framework).order_by(Framework.name, Framework.version_number.desc()))
    )


def framework(framework_id: int) -> Framework | None:
    return db.session.scalar(
        select(Framework)
        .options(
            selectinload(Framework.domains).selectinload(Domain.statements).joinedload(Statement.principle)
        )
        .where(Framework.id == framework_id)
    )


def unpublished_version(name: str) -> Framework | None:
    return db.session.scalar(
        select(Framework).where(Framework.name == name, Framework.is_published.is_(False)).limit(1)
    )


def latest_version_number(name: str) -> int:
    return db.session.scalar(select(func.max(Framework.version_number)).where(Framework.name == name)) or 0


def assessments_using(framework_id: int) -> int:
    return db.session.scalar(select(func.count(Assessment.id)).where(Assessment.framework_id == framework_id))


@dataclass
class OrganisationRow:
    organisation: Organisation
    people: int
    assessments: int


def organisations_register(status: str | None = None) -> list[OrganisationRow]:
    """Every organisation with its places, how many accounts name it and how many assessments it has
    (4 queries)."""
    query = (
        select(Organisation)
        .options(selectinload(Organisation.council_areas), joinedload(Organisation.health_board))
        .order_by(Organisation.name)
    )
    if status:
        query = query.where(Organisation.status == status)
    organisations = list(db.session.scalars(query))
    people = dict(
        db.session.execute(
            select(User.organisation_id, func.count(User.id)).group_by(User.organisation_id)
        ).all()
    )
    counted = dict(
        db.session.execute(
            select(Assessment.organisation_id, func.count(Assessment.id)).group_by(Assessment.organisation_id)
        ).all()
    )
    return [OrganisationRow(o, people.get(o.id, 0), counted.get(o.id, 0)) for o in organisations]


def organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


@dataclass
class Scotland:
    """Across Scotland, under the rule of five: no figure singles out an organisation that did not share."""

    assessed: int
    by_kind: Breakdown
    by_area: Breakdown
    # (domain name, breakdown of organisations by rating)
    by_domain: list[tuple[str, Breakdown]]
    domain_names: list[str]
    # (organisation, its latest submitted assessment's rating labels in domain order), for those sharing
    shared: list[tuple[Organisation, list[str]]]


def _safe_beside_shared(figures: Breakdown, shared: dict[str, int], other_label: str) -> Breakdown:
    """Withhold a breakdown when taking away the organisations named in the shared table would leave a
    group of 1 to 4 that did not share: beside 5 named councils, "Council: 6" tells the sixth one's kind."""
    shown = {label for label, _count in figures.rows if label != other_label}
    for label, count in figures.rows:
        if label == other_label:
            named = sum(n for named_label, n in shared.items() if named_label not in shown)
        else:
            named = shared.get(label, 0)
        if is_small(count - named):
            return Breakdown((), figures.total)
    return figures


def scotland() -> Scotland:
    """Each organisation's latest submitted assessment, counted (5 queries, however many there are); an
    organisation in two council areas counts in both."""
    submitted = db.session.scalars(
        select(Assessment)
        .options(
            joinedload(Assessment.organisation).selectinload(Organisation.council_areas),
            selectinload(Assessment.answers).joinedload(Answer.domain),
        )
        .where(Assessment.status == Status.SUBMITTED)
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
    )
    latest: dict[int, Assessment] = {}
    for assessment in submitted:
        latest.setdefault(assessment.organisation_id, assessment)
    chosen = list(latest.values())
    framework = current_framework()
    domains = [(d.slug, d.name) for d in framework.domains] if framework else []
    kinds: dict[str, int] = {}
    areas: dict[str, int] = {}
    shared_kinds: dict[str, int] = {}
    shared_areas: dict[str, int] = {}
    for a in chosen:
        kind = a.organisation.kind_label
        its_areas = [area.name for area in a.organisation.council_areas] or ["Not one council area"]
        kinds[kind] = kinds.get(kind, 0) + 1
        for area in its_areas:
            areas[area] = areas.get(area, 0) + 1
        if a.shared_with_network:
            shared_kinds[kind] = shared_kinds.get(kind, 0) + 1
            for area in its_areas:
                shared_areas[area] = shared_areas.get(area, 0) + 1
    by_domain = []
    for slug, name in domains:
        counts = dict.fromkeys(Rating, 0)
        shared_counts: dict[str, int] = {}
        for a in chosen:
            answer = next((x for x in a.answers if x.domain.slug == slug), None)
            if answer is not None and answer.rating:
                counts[Rating(answer.rating)] += 1
                if a.shared_with_network:
                    label = RATING_LABELS[Rating(answer.rating)]
                    shared_counts[label] = shared_counts.get(label, 0) + 1
        rows = [(RATING_LABELS[r], counts[r]) for r in Rating]
        by_domain.append(
            (name, _safe_beside_shared(breakdown(rows, "Other ratings"), shared_counts, "Other ratings"))
        )
    shared = []
    for a in sorted((a for a in chosen if a.shared_with_network), key=lambda a: a.organisation.name):
        ratings = {x.domain.slug: x.rating_label for x in a.answers}
        shared.append((a.organisation, [ratings.get(slug, "—") for slug, _name in domains]))
    return Scotland(
        assessed=len(chosen),
        by_kind=_safe_beside_shared(
            breakdown(sorted(kinds.items()), "Other kinds"), shared_kinds, "Other kinds"
        ),
        by_area=_safe_beside_shared(
            breakdown(sorted(areas.items()), "Other areas"), shared_areas, "Other areas"
        ),
        by_domain=by_domain,
        domain_names=[name for _slug, name in domains],
        shared=shared,
    )


def report_table(assessment: Assessment) -> tuple[list[str], list[list[str]]]:
    """The report for a board: each domain's rating, evidence, links and actions, and earlier ratings."""
    data = summary(assessment)
    rows = []
    for domain, answer in data.rows:
        actions = "; ".join(
            f"{a.description} ({a.owner.name if a.owner else 'no owner'}, due {a.due_on:%d %b %Y})"
            for a in assessment.actions_for(domain)
        )
        rows.append(
            [
                domain.name,
                answer.rating_label if answer else "Not rated yet",
                answer.evidence if answer else "",
                "\n".join(answer.link_list) if answer else "",
                actions,
                *data.earlier_ratings.get(domain.slug, []),
            ]
        )
    header = ["Domain", "Rating", "Evidence", "Links", "Next actions"]
    header += [f"Rating {a.submitted_at or a.created_at:%b %Y}" for a in data.earlier]
    return header, rows
