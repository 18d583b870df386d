"""Champion profiles for the first slice of members: mostly verified and listed, a few waiting or unlisted.

Local champions cover their own council area (a quarter cover a neighbour too); some cover a whole NHS
board, a few all of Scotland, exactly as the directory's services would store them.
"""

from datetime import timedelta

from sqlalchemy import update

from champions.accounts.models import Role, User
from champions.demo_scale.bulk import Run, sync_sequences
from champions.demo_scale.texts import JOB_TITLES
from champions.directory.models import (
    ChampionProfile,
    ContactAudience,
    Scope,
    Status,
    champion_profile_areas,
    champion_profile_levels,
    champion_profile_sectors,
)

PROFILES = ChampionProfile.__table__
USERS = User.__table__
STATUSES = (
    [Status.VERIFIED.value] * 94
    + [Status.PENDING.value] * 4
    + [Status.DECLINED.value]
    + [Status.REVOKED.value]
)
DECLINE_REASON = "Thank you for applying. Please ask your manager to confirm the role first."


def _scope(rng) -> str:
    roll = rng.random()
    if roll < 0.02:
        return Scope.NATIONAL.value
    return Scope.NHS_BOARD.value if roll < 0.09 else Scope.LOCAL.value


def seed(run: Run) -> None:
    rng, people, reference = run.rng, run.people, run.reference
    areas = reference["areas"]
    area_ids = [a.id for a in areas]
    board_of = {a.id: a.health_board_id for a in areas}
    areas_of_board: dict[int, list[int]] = {}
    for area in areas:
        areas_of_board.setdefault(area.health_board_id, []).append(area.id)
    sector_ids = [s.id for s in reference["sectors"]]
    level_ids = [lv.id for lv in reference["levels"]]
    coordinator_id = reference["coordinator_id"]
    first = run.next_id(PROFILES)
    links: dict[str, list[dict]] = {"areas": [], "sectors": [], "levels": []}
    verified: list[int] = []

    def rows():
        for n, user_id in enumerate(people.champion_ids):
            profile_id = first + n
            status = rng.choice(STATUSES)
            scope = _scope(rng)
            home = people.area_of[user_id]
            organisation_id = people.organisation_of[user_id]
            board_id = None
            if scope == Scope.NATIONAL:
                covered = area_ids
                organisation_id = rng.choice(people.national_organisation_ids)
            elif scope == Scope.NHS_BOARD:
                board_id = board_of[home]
                covered = areas_of_board[board_id]
                organisation_id = people.organisations_by_area[home][2]  # the area's NHS board
            else:
                neighbours = [a for a in areas_of_board[board_of[home]] if a != home]
                covered = [home] + ([rng.choice(neighbours)] if neighbours and rng.random() < 0.25 else [])
            applied = run.days_ago(7, 2 * 365)
            decided = None if status == Status.PENDING else applied + timedelta(days=rng.uniform(0.5, 20))
            listed = rng.random() < (0.92 if status == Status.VERIFIED else 0.7)
            if status == Status.VERIFIED:
                verified.append(user_id)
            links["areas"] += [{"champion_profile_id": profile_id, "council_area_id": a} for a in covered]
            links["sectors"] += [
                {"champion_profile_id": profile_id, "sector_id": s}
                for s in rng.sample(sector_ids, rng.randint(1, 3))
            ]
            links["levels"] += [
                {"champion_profile_id": profile_id, "nttp_level_id": lv}
                for lv in level_ids[: rng.randint(1, 3)]
            ]
            yield {
                "id": profile_id,
                "user_id": user_id,
                "display_name": people.name_of[user_id],
                "job_title": rng.choice(JOB_TITLES),
                "organisation_id": organisation_id,
                "scope": scope,
                "health_board_id": board_id,
                "bio": rng.choice(run.texts.bios),
                "phone": f"0131 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
                if rng.random() < 0.4
                else "",
                "contact_audience": ContactAudience.CHAMPIONS.value
                if rng.random() < 0.25
                else ContactAudience.MEMBERS.value,
                "stilt_completed": rng.random() < 0.6,
                "listing_consent_at": applied if listed else None,
                "status": status,
                "decision_reason": DECLINE_REASON if status == Status.DECLINED else "",
                "decided_at": decided,
                "decided_by_id": coordinator_id if decided else None,
                "applied_at": applied,
                "updated_at": decided or applied,
            }

    run.insert(PROFILES, rows(), counted=True)
    run.insert(champion_profile_areas, links["areas"])
    run.insert(champion_profile_sectors, links["sectors"])
    run.insert(champion_profile_levels, links["levels"])
    for start in range(0, len(verified), 1_000):  # verified champions hold the champion role
        chunk = verified[start : start + 1_000]
        run.conn.execute(update(USERS).where(USERS.c.id.in_(chunk)).values(role=Role.CHAMPION.value))
    run.champion_user_ids = verified
    sync_sequences(run.conn, [PROFILES])
