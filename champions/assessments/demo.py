"""Demo self-assessments: a few organisations with last year's cycle submitted and this year's in progress.

The demo champion's own organisation has only last year's, submitted, so `make run` shows starting this
year's and, once it is submitted, last year's ratings beside it (the issue's "Done when"). One proposed
organisation working in three council areas waits on the register for a coordinator.
"""

import random
from datetime import timedelta

from sqlalchemy import select

from champions.accounts.models import User
from champions.assessments import queries, services
from champions.assessments.models import Assessment, Contributor, Rating
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.models import CouncilArea, Organisation

PREFERRED = [
    "City of Edinburgh Council",
    "Glasgow City Council",
    "NHS Education for Scotland",
    "Highland Council",
]
EVIDENCE = {
    Rating.NOT_STARTED: "We have talked about this, but nothing is in place yet.",
    Rating.STARTING: "A first team has tried this, and we are learning from what they found.",
    Rating.DEVELOPING: "Most services do this now; a review last spring showed where it is not consistent.",
    Rating.EMBEDDED: "This is how we work: it is in our plans, staff induction and yearly checks.",
}
ACTIONS = [
    "Agree a named lead and report progress to the leadership team each quarter",
    "Review the policy with staff and people with lived experience",
    "Offer trauma-skilled training to every team leader",
]


def _champion_of(organisation: Organisation) -> User | None:
    return db.session.scalar(
        select(User)
        .join(ChampionProfile, ChampionProfile.user_id == User.id)
        .where(ChampionProfile.organisation_id == organisation.id, ChampionProfile.status == "verified")
        .order_by(User.id)
        .limit(1)
    )


def _fill(rng, assessment: Assessment, user: User, domains, step: int, upto: int | None = None) -> None:
    scale = list(Rating)
    for n, domain in enumerate(domains[:upto]):
        rating = scale[min(3, max(0, rng.randint(0, 2) + step))]
        fresh = queries.assessment(assessment.id)
        actions = []
        if n % 3 == 0:
            due = (utcnow() + timedelta(days=rng.randint(-10, 120))).date()
            actions = [services.ActionInput(ACTIONS[n % len(ACTIONS)], user.id, due)]
        services.save_domain(fresh, domain, user, fresh.version, rating.value, EVIDENCE[rating], [], actions)


def seed(accounts: dict[str, User]) -> None:
    rng = random.Random(15)
    own = accounts["champion"].organisation_id
    names = db.session.scalars(
        select(Organisation).where(Organisation.name.in_(PREFERRED)).order_by(Organisation.name)
    )
    chosen = [(o, c) for o in names if o.id != own and (c := _champion_of(o)) is not None][:3]
    year_ago = timedelta(days=365)
    own_organisation = db.session.get(Organisation, own) if own else None
    if own_organisation is not None:
        champion = accounts["champion"]
        last = services.start(champion, own_organisation)
        _fill(rng, last, champion, last.framework.domains, step=0)
        last = queries.assessment(last.id)
        services.submit(last, champion, last.version)
        last = db.session.get(Assessment, last.id)
        last.created_at -= year_ago
        last.submitted_at -= year_ago
        db.session.commit()
    for organisation, champion in chosen:
        last = services.start(champion, organisation)
        domains = last.framework.domains
        _fill(rng, last, champion, domains, step=0)
        last = queries.assessment(last.id)
        services.submit(last, champion, last.version)
        last = db.session.get(Assessment, last.id)
        last.shared_with_network = organisation.name == "Glasgow City Council"  # one shares, to show it
        last.created_at -= year_ago
        last.submitted_at -= year_ago
        db.session.commit()
        current = services.start(champion, organisation)
        _fill(rng, current, champion, domains, step=1, upto=4)
        member = accounts.get("member")
        if member is not None and member.organisation_id == organisation.id:
            db.session.add(Contributor(assessment_id=current.id, user_id=member.id))
            db.session.commit()
    _propose_one_across_areas(accounts["champion"])


def _propose_one_across_areas(champion: User) -> None:
    """A proposal waiting for a coordinator, working in three council areas that share NHS Tayside."""
    areas = list(
        db.session.scalars(
            select(CouncilArea).where(CouncilArea.slug.in_(["angus", "dundee-city", "perth-and-kinross"]))
        )
    )
    board = areas[0].health_board if areas else None
    services.propose_organisation(champion, "Tayside Carers Network", "third-sector", areas, board)
