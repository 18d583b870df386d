"""Synthetic members: member<n>@example.org, spread over the council areas roughly by population.

One password hash (the demo password's, computed once by the small seed) is shared by everyone, so
any synthetic account signs in with the demo password.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from champions.accounts.models import Role, User
from champions.demo_scale.bulk import Run, sync_sequences, weighted_picker
from champions.reference.models import CouncilArea, HealthBoard, Organisation, OrganisationKind

USERS = User.__table__
ORGANISATIONS = Organisation.__table__
# Rough populations in thousands: the directory then has busy areas and quiet islands, as in life.
POPULATION = {
    "glasgow-city": 620,
    "city-of-edinburgh": 520,
    "fife": 375,
    "north-lanarkshire": 340,
    "south-lanarkshire": 320,
    "aberdeenshire": 260,
    "highland": 235,
    "aberdeen-city": 225,
    "west-lothian": 180,
    "renfrewshire": 180,
    "falkirk": 160,
    "perth-and-kinross": 150,
    "dumfries-and-galloway": 145,
    "dundee-city": 150,
    "north-ayrshire": 135,
    "east-ayrshire": 120,
    "angus": 115,
    "scottish-borders": 115,
    "south-ayrshire": 112,
    "east-lothian": 110,
    "east-dunbartonshire": 108,
    "east-renfrewshire": 96,
    "moray": 94,
    "midlothian": 93,
    "stirling": 92,
    "west-dunbartonshire": 88,
    "argyll-and-bute": 86,
    "inverclyde": 78,
    "clackmannanshire": 51,
    "na-h-eileanan-siar": 27,
    "shetland-islands": 23,
    "orkney-islands": 22,
}
THIRD_SECTOR = ["Women's Aid", "Carers Centre", "Recovery Network", "Youth Project", "Advocacy Service"]
NATIONAL_BODIES = [
    "NHS Education for Scotland",
    "Improvement Service",
    "Police Scotland",
    "Scottish Fire and Rescue Service",
    "Care Inspectorate",
    "Scottish Prison Service",
]


@dataclass
class People:
    """Who was made: ids by slice, and each person's area and organisation, for the later parts."""

    ids: list[int]
    area_of: dict[int, int]
    organisation_of: dict[int, int]
    name_of: dict[int, str]
    champion_ids: list[int]
    coordinator_ids: list[int]
    active_ids: list[int]  # verified and in use: these people post, write and register
    organisations_by_area: dict[int, list[int]] = field(default_factory=dict)
    national_organisation_ids: list[int] = field(default_factory=list)


def _organisations(run: Run, areas: list[CouncilArea], boards: dict[int, HealthBoard]) -> dict:
    """Make (or find) the councils, partnerships, boards and charities people work for."""
    wanted: dict[str, tuple[str, int | None]] = {}
    for area in areas:
        wanted[f"{area.name} Council"] = (OrganisationKind.COUNCIL.value, area.id)
        wanted[area.hscp_name] = (OrganisationKind.HSCP.value, area.id)
        wanted.setdefault(boards[area.health_board_id].name, (OrganisationKind.NHS_BOARD.value, area.id))
        wanted[f"{area.name} {THIRD_SECTOR[area.id % len(THIRD_SECTOR)]}"] = (
            OrganisationKind.THIRD_SECTOR.value,
            area.id,
        )
    for name in NATIONAL_BODIES:
        wanted[name] = (OrganisationKind.NATIONAL_BODY.value, None)
    existing = dict(run.conn.execute(select(ORGANISATIONS.c.name, ORGANISATIONS.c.id)).all())
    next_id = run.next_id(ORGANISATIONS)
    rows = []
    for name, (kind, area_id) in wanted.items():
        if name not in existing:
            rows.append({"id": next_id, "name": name, "kind": kind, "council_area_id": area_id})
            existing[name] = next_id
            next_id += 1
    run.insert(ORGANISATIONS, rows)
    by_area: dict[int, list[int]] = {}
    for area in areas:
        by_area[area.id] = [
            existing[f"{area.name} Council"],
            existing[area.hscp_name],
            existing[boards[area.health_board_id].name],
            existing[f"{area.name} {THIRD_SECTOR[area.id % len(THIRD_SECTOR)]}"],
        ]
    return {"by_area": by_area, "national": [existing[name] for name in NATIONAL_BODIES]}


def seed(run: Run) -> People:
    """Insert the members; the first slice become champions' accounts, the next few coordinators."""
    rng, counts = run.rng, run.counts
    areas: list[CouncilArea] = run.reference["areas"]
    organisations = _organisations(run, areas, run.reference["boards"])
    pick_area = weighted_picker(rng, [a.id for a in areas], [POPULATION.get(a.slug, 100) for a in areas])
    first = run.next_id(USERS)
    coordinators = max(2, counts.users // 5_000)
    unverified = counts.users // 100  # the last 1%: signed up but never confirmed their address
    people = People(
        ids=[],
        area_of={},
        organisation_of={},
        name_of={},
        champion_ids=[],
        coordinator_ids=[],
        active_ids=[],
        organisations_by_area=organisations["by_area"],
        national_organisation_ids=organisations["national"],
    )
    password_hash = run.reference["password_hash"]

    def rows():
        for n in range(counts.users):
            user_id = first + n
            area_id = pick_area()
            organisation_id = rng.choices(organisations["by_area"][area_id], weights=(5, 3, 2, 1))[0]
            created = run.days_ago(1, 3 * 365)
            verified = n < counts.users - unverified
            coordinating = counts.champions <= n < counts.champions + coordinators
            role = Role.COORDINATOR if coordinating else Role.MEMBER
            people.ids.append(user_id)
            people.area_of[user_id] = area_id
            people.organisation_of[user_id] = organisation_id
            people.name_of[user_id] = name = run.texts.name(rng)
            if n < counts.champions:
                people.champion_ids.append(user_id)
            elif role == Role.COORDINATOR:
                people.coordinator_ids.append(user_id)
            if verified:
                people.active_ids.append(user_id)
            signed_in = run.moment_between(created, run.now) if verified and rng.random() < 0.8 else None
            yield {
                "id": user_id,
                "email": f"member{n + 1}@example.org",
                "name": name,
                "password_hash": password_hash,
                "organisation_id": organisation_id,
                "council_area_id": area_id,
                "health_board_id": None,
                "role": role.value,
                "active": True,
                "email_verified_at": created + timedelta(minutes=rng.randint(2, 600)) if verified else None,
                "session_version": 1,
                "password_changed_at": created,
                "created_at": created,
                "last_signed_in_at": signed_in,
                "is_demo": True,
            }

    run.insert(USERS, rows(), counted=True)
    sync_sequences(run.conn, [USERS, ORGANISATIONS])
    return people
