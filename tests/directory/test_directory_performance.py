"""The directory stays at a handful of queries with 5,000 champions in the database."""

import pytest
from sqlalchemy import insert, select

from champions.accounts.models import Role, User
from champions.clock import utcnow
from champions.directory.models import (
    ChampionProfile,
    champion_profile_areas,
    champion_profile_levels,
    champion_profile_sectors,
)
from champions.extensions import db
from champions.reference.models import CouncilArea, NttpLevel, Organisation, Sector

CHAMPIONS = 5_000


@pytest.fixture
def many_champions(app, password_hash):
    now = utcnow()
    areas = list(db.session.scalars(select(CouncilArea.id)))
    sectors = list(db.session.scalars(select(Sector.id)))
    levels = list(db.session.scalars(select(NttpLevel.id)))
    organisation = Organisation(name="Bulk Council")
    db.session.add(organisation)
    db.session.flush()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"bulk{n}@example.org",
                "name": f"Bulk Person {n}",
                "password_hash": password_hash,
                "role": Role.CHAMPION.value,
                "email_verified_at": now,
                "council_area_id": areas[n % len(areas)],
            }
            for n in range(CHAMPIONS)
        ],
    )
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    scopes = ["local"] * 8 + ["nhs-board", "national"]
    db.session.execute(
        insert(ChampionProfile),
        [
            {
                "user_id": user_id,
                "display_name": f"Bulk Person {n}",
                "job_title": "Head of Service",
                "organisation_id": organisation.id,
                "scope": scopes[n % 10],
                "status": "verified",
                "listing_consent_at": now,
                "bio": "Working on trauma-informed services",
                "applied_at": now,
                "updated_at": now,
            }
            for n, user_id in enumerate(user_ids)
        ],
    )
    profile_ids = list(db.session.scalars(select(ChampionProfile.id).order_by(ChampionProfile.id)))
    for table, column, ids in (
        (champion_profile_areas, "council_area_id", areas),
        (champion_profile_sectors, "sector_id", sectors),
        (champion_profile_levels, "nttp_level_id", levels),
    ):
        db.session.execute(
            insert(table),
            [{"champion_profile_id": pid, column: ids[n % len(ids)]} for n, pid in enumerate(profile_ids)],
        )
    db.session.commit()
    return user_ids


@pytest.mark.parametrize(
    "url",
    [
        "/champions",
        "/champions?area=fife",
        "/champions?board=nhs-lothian&sector=health",
        "/champions?level=trauma-skilled&q=bulk&page=3",
        "/champions?area=fife&board=nhs-fife&page=99999",
        "/champions?area=atlantis&q=" + "x" * 300,
        "/champions?hscp=fife-hscp",
        "/champions?q=NHS+Lothian",
        "/champions?q=STILT&hscp=glasgow-city-hscp&page=2",
        "/champions/coverage",
    ],
)
def test_directory_query_count_with_5000_champions(client, many_champions, count_queries, as_role, url):
    as_role(Role.MEMBER)
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= 10, [q[:120] for q in queries]


def test_home_and_local_query_count(client, many_champions, count_queries, sign_in):
    user = db.session.get(User, many_champions[0])
    user.password_hash = db.session.get(User, many_champions[1]).password_hash
    sign_in(user)
    for url in ("/", "/champions/local"):
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 10, [q[:120] for q in queries]


def test_export_query_count(client, many_champions, count_queries, as_role):
    as_role(Role.COORDINATOR)
    with count_queries() as queries:
        response = client.get("/champions/export.csv")
    assert response.get_data(as_text=True).count("\r\n") == CHAMPIONS + 1
    # Collections load in batches of 500 (three per batch), so the count grows by batch, never per row.
    assert len(queries) <= 8 + 3 * (CHAMPIONS // 500), len(queries)
