"""The main pages render with the synthetic network in place, and the command refuses real databases."""

from sqlalchemy import func, select

from champions import demo, demo_scale
from champions.directory.models import ChampionProfile, Status, champion_profile_areas
from champions.discussions.models import Category
from champions.events.models import Event
from champions.extensions import db
from champions.reference.models import CouncilArea
from tests.demo_scale.conftest import TINY

DEMO_EMAILS = ["admin@example.org", "coordinator@example.org", "champion@example.org", "member@example.org"]


def _sign_in(client, email: str) -> None:
    response = client.post("/account/sign-in", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.headers.get("Location") == "/", email


def _busiest_area() -> CouncilArea:
    listed = (
        select(champion_profile_areas.c.council_area_id)
        .join(ChampionProfile, ChampionProfile.id == champion_profile_areas.c.champion_profile_id)
        .where(
            ChampionProfile.status == Status.VERIFIED.value, ChampionProfile.listing_consent_at.is_not(None)
        )
        .group_by(champion_profile_areas.c.council_area_id)
        .order_by(func.count().desc(), champion_profile_areas.c.council_area_id)
        .limit(1)
    )
    return db.session.get(CouncilArea, db.session.scalar(listed))


def test_demo_accounts_and_synthetic_members_sign_in(seeded, client):
    for email in [*DEMO_EMAILS, "member1@example.org"]:
        _sign_in(client, email)
        client.post("/account/sign-out")


def test_main_pages_render_with_the_data(seeded, client):
    _, targets = seeded
    area = _busiest_area()
    category = db.session.scalar(select(Category).order_by(Category.position, Category.id))
    event = db.session.get(Event, targets["event_id"])
    public = {
        "/": None,
        f"/champions?area={area.slug}": area.name,
        "/champions/coverage": area.name,
        "/case-studies": None,
        "/events": None,
        f"/events/{event.id}": event.title,
    }
    for path, text in public.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text is None or text in response.get_data(as_text=True), path
    _sign_in(client, "member@example.org")
    thread_page = client.get(f"/discussions/t/{targets['thread_id']}")
    assert thread_page.status_code == 200
    assert "What helps you switch off after a hard day?" in thread_page.get_data(as_text=True)
    for path in ["/", f"/discussions/{category.slug}", "/case-studies", "/events", f"/events/{event.id}"]:
        assert client.get(path).status_code == 200, path


def test_the_command_seeds_a_size(app, monkeypatch):
    monkeypatch.setitem(demo_scale.SIZES, "medium", TINY)
    result = app.test_cli_runner().invoke(args=["seed-demo", "--size", "medium"])
    assert result.exit_code == 0, result.output
    assert "Demo content added" in result.output
    assert demo_scale.bench_targets()["thread_id"] is not None
    again = app.test_cli_runner().invoke(args=["seed-demo", "--size", "medium", "--if-empty"])
    assert again.exit_code == 0 and "already there" in again.output


def test_the_command_refuses_a_database_with_real_accounts(app, make_user):
    make_user()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--size", "large"])
    assert result.exit_code == 1
    assert "real accounts" in result.output
    quiet = app.test_cli_runner().invoke(args=["seed-demo", "--size", "medium", "--if-empty"])
    assert quiet.exit_code == 0 and "real accounts" in quiet.output
    assert demo_scale.bench_targets() == {"thread_id": None, "event_id": None}
