"""Demo content for `flask seed-demo`, built with the features' own services."""

from sqlalchemy import func, select

from champions import mail
from champions.accounts import passwords
from champions.accounts.models import Role, User
from champions.assessments import demo as assessments_demo
from champions.buddies import demo as buddies_demo
from champions.casestudies import demo as casestudies_demo
from champions.clock import utcnow
from champions.dashboard import demo as dashboard_demo
from champions.directory import demo as directory_demo
from champions.discussions import demo as discussions_demo
from champions.events import demo as events_demo
from champions.extensions import db
from champions.messages import demo as messages_demo
from champions.reference.models import CouncilArea, OrganisationKind
from champions.reference.services import find_or_create_organisation
from champions.returns import demo as returns_demo

DEMO_PASSWORD = "champions-demo-2026"

DEMO_ACCOUNTS = [
    # email, name, role, council area, organisation, organisation kind
    (
        "admin@example.org",
        "Alasdair MacLeod",
        Role.ADMIN,
        "City of Edinburgh",
        "Improvement Service",
        OrganisationKind.NATIONAL_BODY,
    ),
    (
        "coordinator@example.org",
        "Morag Henderson",
        Role.COORDINATOR,
        "Glasgow City",
        "Improvement Service",
        OrganisationKind.NATIONAL_BODY,
    ),
    (
        "champion@example.org",
        "Fiona Robertson",
        Role.CHAMPION,
        "Fife",
        "Fife Health and Social Care Partnership",
        OrganisationKind.HSCP,
    ),
    (
        "member@example.org",
        "Callum Stewart",
        Role.MEMBER,
        "City of Edinburgh",
        "City of Edinburgh Council",
        OrganisationKind.COUNCIL,
    ),
]


class NotADemoDatabase(Exception):
    """The database holds real accounts, so demo content must not be mixed in."""


def _area(name: str) -> CouncilArea:
    return db.session.scalar(select(CouncilArea).where(CouncilArea.name == name))


def ensure_demo_database() -> bool:
    """Return True when demo accounts already exist; refuse a database with real ones."""
    real = db.session.scalar(select(func.count(User.id)).where(User.is_demo.is_(False)))
    if real:
        raise NotADemoDatabase
    return bool(db.session.scalar(select(func.count(User.id))))


def create_demo_accounts() -> dict[str, User]:
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    accounts = {}
    for email, name, role, area_name, organisation, kind in DEMO_ACCOUNTS:
        area = _area(area_name)
        user = User(
            email=email,
            name=name,
            role=role.value,
            password_hash=password_hash,
            council_area=area,
            email_verified_at=utcnow(),
            is_demo=True,
            organisation=find_or_create_organisation(organisation, kind.value, area),
        )
        db.session.add(user)
        accounts[email.partition("@")[0]] = user
    db.session.commit()
    return accounts


def seed_demo() -> bool:
    """Load the demo content into an empty database; return False if it is there already."""
    if ensure_demo_database():
        return False
    # The features' own services queue the mail a real change would send; demo people have no inbox.
    with mail.held_back():
        accounts = create_demo_accounts()
        directory_demo.seed(accounts)
        discussions_demo.seed(accounts)
        events_demo.seed(accounts)
        casestudies_demo.seed(accounts)
        messages_demo.seed(accounts)
        returns_demo.seed(accounts)
        buddies_demo.seed(accounts)
        assessments_demo.seed(accounts)
        dashboard_demo.seed(accounts)
    return True
