"""A verified champion finds their area's figures from the home page; nobody else is offered a link."""

import re

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.dashboard import services
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.models import HealthBoard
from champions.reference.services import find_or_create_organisation


def links(client) -> list[tuple[str, str]]:
    body = client.get("/").get_data(as_text=True)
    return re.findall(r'<a href="(/dashboard/area/[^"]+)">Figures for ([^<]+)</a>', body)


def test_a_local_champion_sees_figures_for_their_areas_and_can_open_them(client, sign_in, champion_in):
    services.refresh_statistics()
    champion = champion_in("Fife").user
    sign_in(champion)
    assert links(client) == [("/dashboard/area/fife", "Fife")]
    assert client.get("/dashboard/area/fife").status_code == 200


def test_a_board_champion_sees_each_area_of_their_board(client, make_user, sign_in):
    services.refresh_statistics()
    board = db.session.scalar(select(HealthBoard).where(HealthBoard.name == "NHS Lothian"))
    user = make_user(role=Role.CHAMPION)
    db.session.add(
        ChampionProfile(
            user=user,
            display_name=user.name,
            job_title="Lead",
            organisation=find_or_create_organisation("NHS Lothian"),
            scope="nhs-board",
            health_board=board,
            status="verified",
        )
    )
    db.session.commit()
    sign_in(user)
    found = links(client)
    assert [name for _url, name in found] == [area.name for area in board.council_areas]
    for url, _name in found:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_a_champion_not_verified_gets_no_link(client, sign_in, champion_in, status):
    profile = champion_in("Fife")
    profile.status = status
    db.session.commit()
    sign_in(profile.user)
    assert links(client) == []
    assert client.get("/dashboard/area/fife").status_code == 403


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
def test_others_get_no_link(client, as_role, role):
    """No profile, no area's figures; coordinators reach every area from /dashboard."""
    as_role(role)
    assert links(client) == []
