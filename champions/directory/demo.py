"""Demo champions for `flask seed-demo`: most council areas covered, a few gaps, a short queue."""

import random
import re

from faker import Faker
from sqlalchemy import select

from champions.accounts.models import User
from champions.clock import utcnow
from champions.directory import services
from champions.directory.models import ContactAudience, Scope
from champions.extensions import db
from champions.reference.models import CouncilArea, HealthBoard, NttpLevel, Sector

# Areas left without a local champion, so the coverage page has gaps to show.
GAPS = {
    "na-h-eileanan-siar",
    "orkney-islands",
    "clackmannanshire",
    "inverclyde",
    "east-renfrewshire",
    "moray",
}
BOARD_CHAMPIONS = ["nhs-highland", "nhs-greater-glasgow-and-clyde", "nhs-lothian", "nhs-tayside"]
NATIONAL_ORGANISATIONS = ["NHS Education for Scotland", "Improvement Service", "Police Scotland"]
JOB_TITLES = [
    "Head of Children's Services",
    "Chief Social Work Officer",
    "Director of Public Health",
    "Head of Adult Social Care",
    "Service Manager, Justice Social Work",
    "Head of Housing Services",
    "Chief Officer",
    "Depute Head of Education",
    "Associate Director of Nursing",
    "Head of Organisational Development",
    "Locality Manager",
    "Strategic Lead for Workforce Wellbeing",
]
BIO_OPENINGS = [
    "I lead our work to make services feel safer for the people who use them and for our staff.",
    "I am passionate about reducing re-traumatisation in how we design letters, buildings and meetings.",
    "My focus is on staff wellbeing: we cannot offer safety to others if we do not feel it ourselves.",
    "I help teams across our partnership to use the NTTP framework in everyday practice.",
]
BIO_CLOSINGS = [
    "Happy to share what we have learned about **trauma-informed recruitment**.",
    "Ask me about our lived experience panel and how we pay people for their time.",
    "We are working on plain-language letters; I would love to hear from others doing the same.",
    "I am glad to talk through getting leadership buy-in for trauma-informed change.",
]


def _email(name: str, n: int) -> str:
    return re.sub(r"[^a-z.]", "", name.lower().replace(" ", ".")) + f".{n}@example.org"


def _person(fake: Faker, n: int, password_hash: str, area: CouncilArea | None) -> User:
    name = f"{fake.first_name()} {fake.last_name()}"
    user = User(
        email=_email(name, n),
        name=name,
        password_hash=password_hash,
        council_area=area,
        email_verified_at=utcnow(),
        is_demo=True,
    )
    db.session.add(user)
    return user


def _details(
    rng: random.Random,
    user: User,
    organisation: str,
    scope: Scope,
    sectors,
    levels,
    areas=(),
    board: HealthBoard | None = None,
    listed: bool = True,
) -> services.ProfileDetails:
    return services.ProfileDetails(
        display_name=user.name,
        job_title=rng.choice(JOB_TITLES),
        organisation=organisation,
        scope=scope.value,
        council_areas=list(areas),
        health_board=board,
        sectors=rng.sample(sectors, rng.randint(1, 3)),
        levels=levels[: rng.randint(1, 3)],
        stilt_completed=rng.random() < 0.6,
        bio=f"{rng.choice(BIO_OPENINGS)}\n\n{rng.choice(BIO_CLOSINGS)}",
        phone=f"0131 {rng.randint(200, 999)} {rng.randint(1000, 9999)}" if rng.random() < 0.4 else "",
        contact_audience=rng.choice([ContactAudience.MEMBERS.value] * 3 + [ContactAudience.CHAMPIONS.value]),
        listed=listed,
    )


def seed(accounts: dict[str, User]) -> None:
    """Add about 60 verified champions, a few NHS board and national ones, and two pending applications."""
    fake, rng = Faker("en_GB"), random.Random(2026)
    fake.seed_instance(2026)
    coordinator, password_hash = accounts["coordinator"], accounts["coordinator"].password_hash
    areas = list(db.session.scalars(select(CouncilArea).order_by(CouncilArea.name)))
    boards = {b.slug: b for b in db.session.scalars(select(HealthBoard))}
    sectors = list(db.session.scalars(select(Sector).order_by(Sector.position)))
    levels = list(db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)))
    fife = next(area for area in areas if area.slug == "fife")
    champion = accounts["champion"]
    services.approve(
        coordinator,
        services.apply(
            champion,
            _details(rng, champion, champion.organisation.name, Scope.LOCAL, sectors, levels, [fife]),
        ),
    )
    covered = [area for area in areas if area.slug not in GAPS]
    plan = [(Scope.LOCAL, area) for area in covered for _ in range(2)]
    busy = [area for area in covered if area.slug in ("glasgow-city", "city-of-edinburgh")]
    plan += [(Scope.LOCAL, area) for area in busy for _ in range(2)]
    plan += [(Scope.NHS_BOARD, boards[slug]) for slug in BOARD_CHAMPIONS]
    plan += [(Scope.NATIONAL, name) for name in NATIONAL_ORGANISATIONS]
    for n, (scope, where) in enumerate(plan, start=1):
        if scope == Scope.LOCAL:
            user = _person(fake, n, password_hash, where)
            details = _details(
                rng,
                user,
                f"{where.name} Council" if n % 2 else f"{where.hscp_name}",
                scope,
                sectors,
                levels,
                [where],
                listed=n % 17 != 0,
            )
        elif scope == Scope.NHS_BOARD:
            user = _person(fake, n, password_hash, where.council_areas[0])
            details = _details(rng, user, where.name, scope, sectors, levels, board=where)
        else:
            user = _person(fake, n, password_hash, None)
            details = _details(rng, user, where, scope, sectors, levels)
        services.approve(coordinator, services.apply(user, details))
    for n, area in enumerate(rng.sample(covered, 2), start=len(plan) + 1):
        user = _person(fake, n, password_hash, area)
        details = _details(rng, user, f"{area.name} Council", Scope.LOCAL, sectors, levels, [area])
        services.apply(user, details)
