"""Demo buddies: a few champions who offered to be a buddy, one waiting request, one active pairing.

The Fife demo champion has offered to be a buddy but has not asked for one, so `make run` lets them ask.
"""

from sqlalchemy import select

from champions.accounts.models import User
from champions.buddies import services
from champions.directory.models import ChampionProfile, Status
from champions.extensions import db

# Council areas near Fife (its own NHS board and its neighbours'), so Fife's champion has good matches.
NEAR_FIFE = {"fife", "city-of-edinburgh", "dundee-city", "perth-and-kinross", "stirling", "falkirk"}


def seed(accounts: dict[str, User]) -> None:
    champion, coordinator = accounts["champion"], accounts["coordinator"]
    profiles = list(
        db.session.scalars(
            select(ChampionProfile)
            .where(ChampionProfile.status == Status.VERIFIED.value, ChampionProfile.user_id != champion.id)
            .order_by(ChampionProfile.id)
        )
    )
    near = [p for p in profiles if {a.slug for a in p.council_areas} & NEAR_FIFE]
    elsewhere = [p for p in profiles if p not in near]
    willing = near[:6] + elsewhere[::9][:6]
    for n, profile in enumerate(willing):
        services.save_settings(profile.user, willing=True, roadmap_stage=n % 4 + 1)
    services.save_settings(champion, willing=True, roadmap_stage=1)

    # One champion waiting for a coordinator to find them a buddy.
    asker = elsewhere[1]
    services.save_settings(asker.user, willing=False, roadmap_stage=1)
    services.ask(
        asker.user,
        different_sector=True,
        nearby=True,
        further_on=True,
        council_board=False,
        note="I would value someone who has been through the self-assessment already.",
    )
    # And two who are buddies already.
    paired = elsewhere[2]
    request = services.ask(paired.user, False, True, False, False, "")
    services.pair(coordinator, request, willing[-1].user_id)
