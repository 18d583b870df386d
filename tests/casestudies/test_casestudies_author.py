"""A case study links to its author's champion profile, which lists the author's case studies."""

from champions.accounts.models import Role
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.reference.services import find_or_create_organisation


def _listed_profile(user) -> ChampionProfile:
    profile = ChampionProfile(
        user=user,
        display_name=user.name,
        job_title="Service manager",
        scope="local",
        status="verified",
        organisation=find_or_create_organisation("Fife Council"),
        listing_consent_at=utcnow(),
    )
    db.session.add(profile)
    db.session.commit()
    return profile


def test_author_link_and_profile_section(client, make_case_study):
    case_study = make_case_study(title="Reflective practice groups in Fife", visibility="public")
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert "/champions/" not in page.split("Written by")[1][:300]  # no profile yet: the name only

    profile = _listed_profile(case_study.author)
    page = client.get(f"/case-studies/{case_study.id}").get_data(as_text=True)
    assert f'href="/champions/{profile.id}"' in page
    assert "Reflective practice groups in Fife" in client.get(f"/champions/{profile.id}").get_data(
        as_text=True
    )


def test_members_only_case_studies_stay_off_the_public_profile(client, make_case_study, as_role):
    case_study = make_case_study(title="A members-only story", visibility="members")
    profile = _listed_profile(case_study.author)
    assert "A members-only story" not in client.get(f"/champions/{profile.id}").get_data(as_text=True)
    as_role(Role.MEMBER)
    assert "A members-only story" in client.get(f"/champions/{profile.id}").get_data(as_text=True)
