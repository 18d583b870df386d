"""Events over the last two years and the next one, with registrations that respect capacity.

The first synthetic event is the benchmark's: published, a month ahead, capacity 600, and exactly
BENCH_EVENT_REGISTRATIONS confirmed registrations (no other event reaches that many). Past events
have attendance, some feedback and pledges, and the follow-ups that would already have been sent.
"""

from datetime import time, timedelta

from champions.demo_scale.bulk import Run, spread_total, sync_sequences
from champions.demo_scale.texts import BARRIERS, ENABLERS
from champions.events.forms import london_to_utc
from champions.events.models import (
    PLEDGE_CHOICES,
    TYPE_LABELS,
    Event,
    EventFormat,
    EventStatus,
    EventType,
    Feedback,
    Pledge,
    PledgeFollowup,
    PledgeProgress,
    Registration,
    RegistrationStatus,
    event_levels,
    event_organisers,
    event_sectors,
)

EVENTS = Event.__table__
REGISTRATIONS = Registration.__table__
FEEDBACK = Feedback.__table__
PLEDGES = Pledge.__table__
BENCH_EVENT_TITLE = "Scotland-wide gathering of trauma champions"
BENCH_EVENT_REGISTRATIONS = 500
MOST_REGISTRATIONS = 400
CAPACITIES = [None, 20, 30, 40, 50, 80, 100, 150, 200, 300]
STATUSES = (
    [EventStatus.PUBLISHED.value] * 94 + [EventStatus.CANCELLED.value] * 3 + [EventStatus.DRAFT.value] * 3
)


def _event_row(run: Run, event_id: int, fixed: bool, organisers: list[int]) -> dict:
    rng = run.rng
    kind = EventType.LEARNING_EVENT if fixed else rng.choice(list(EventType))
    form = EventFormat.HYBRID if fixed else rng.choice(list(EventFormat))
    offset = 30 if fixed else rng.randint(-730, 365)
    day = (run.now + timedelta(days=offset)).date()
    clock = time(10, 0) if fixed else time(rng.choice([9, 10, 13, 14]), rng.choice([0, 30]))
    starts = london_to_utc(day, clock)
    created = min(run.now - timedelta(hours=1), starts - timedelta(days=rng.randint(20, 120)))
    in_person = form != EventFormat.ONLINE
    home = run.people.area_of.get(organisers[0]) or rng.choice(run.reference["areas"]).id
    area_id = home if in_person else None
    return {
        "id": event_id,
        "title": BENCH_EVENT_TITLE if fixed else run.texts.event_title(rng, TYPE_LABELS[kind]),
        "description": rng.choice(run.texts.paragraphs),
        "event_type": kind.value,
        "format": form.value,
        "status": EventStatus.PUBLISHED.value if fixed else rng.choice(STATUSES),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=rng.choice([1, 2, 3, 6])),
        "registration_deadline": starts - timedelta(days=2) if rng.random() < 0.3 else None,
        "capacity": 600 if fixed else rng.choice(CAPACITIES),
        "joining_link": "https://meet.example.org/tcn-event" if form != EventFormat.IN_PERSON else "",
        "venue": "Community Hall" if in_person else "",
        "address": "1 High Street" if in_person else "",
        "council_area_id": area_id,
        "accessibility": "Step-free access, a hearing loop and a quiet room." if in_person else "",
        "created_by_id": organisers[0],
        "created_at": created,
        "updated_at": created,
        "report_key_messages": "",
        "report_summary": "",
        "report_published_at": None,
    }


class _Extras:
    """Feedback, pledges and follow-ups for past events, with ids given here so pledges can point at them."""

    def __init__(self, run: Run):
        self.run, self.feedback, self.pledges, self.followups = run, [], [], []
        self.next_feedback, self.next_pledge = run.next_id(FEEDBACK), run.next_id(PLEDGES)

    def add(self, event: dict, user_id: int) -> None:
        rng, now = self.run.rng, self.run.now
        created = min(event["ends_at"] + timedelta(days=rng.uniform(0.1, 5)), now)
        owner = None if rng.random() < 0.25 else user_id
        feedback_id = self.next_feedback
        self.next_feedback += 1
        self.feedback.append(
            {
                "id": feedback_id,
                "event_id": event["id"],
                "user_id": owner,
                "rating": rng.choice([3, 4, 4, 5, 5]),
                "barriers": rng.choice(BARRIERS),
                "enablers": rng.choice(ENABLERS),
                "created_at": created,
            }
        )
        if rng.random() < 0.4:
            return
        for kind in rng.sample(sorted(PLEDGE_CHOICES), rng.randint(1, 2)):
            progress = rng.choice([None, None, *[p.value for p in PledgeProgress]])
            pledge_id = self.next_pledge
            self.next_pledge += 1
            self.pledges.append(
                {
                    "id": pledge_id,
                    "feedback_id": feedback_id,
                    "user_id": owner,
                    "kind": kind,
                    "text": "",
                    "progress": progress,
                    "progress_at": min(created + timedelta(days=31), now) if progress else None,
                    "followups_stopped": False,
                    "created_at": created,
                }
            )
            if owner is None:
                continue
            for days in (30, 90):
                if now - created >= timedelta(days=days) and progress != PledgeProgress.DONE.value:
                    self.followups.append(
                        {
                            "pledge_id": pledge_id,
                            "days_after": days,
                            "sent_at": created + timedelta(days=days),
                        }
                    )

    def insert(self) -> None:
        self.run.insert(FEEDBACK, self.feedback)
        self.run.insert(PLEDGES, self.pledges)
        self.run.insert(PledgeFollowup.__table__, self.followups)


def _registration_sizes(run: Run, events: list[dict]) -> list[int]:
    """Registrations per open event: a long tail, mostly within capacity (a few waiting lists)."""
    rng, counts = run.rng, run.counts
    most = min(MOST_REGISTRATIONS, len(run.people.active_ids))
    highs = [
        most if e["capacity"] is None else min(most, e["capacity"] + e["capacity"] // 10) for e in events
    ]
    sizes = [0] * len(events)
    closed = {0}
    for n, event in enumerate(events):
        if event["status"] == EventStatus.PUBLISHED.value:
            sizes[n] = min(highs[n], int(rng.lognormvariate(3.2, 1.0)))
        else:
            closed.add(n)
    sizes[0] = BENCH_EVENT_REGISTRATIONS
    return spread_total(rng, sizes, max(counts.registrations, BENCH_EVENT_REGISTRATIONS), closed, 0, highs)


def seed(run: Run) -> None:
    rng, people, reference = run.rng, run.people, run.reference
    hosts = [
        *people.coordinator_ids,
        reference["coordinator_id"],
        *(run.champion_user_ids or people.active_ids),
    ]
    first = run.next_id(EVENTS)
    events, links = [], {"levels": [], "sectors": [], "organisers": []}
    for n in range(run.counts.events):
        organisers = [rng.choice(hosts) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        event = _event_row(run, first + n, n == 0, organisers)
        events.append(event)
        co_organisers = sorted(set(organisers[1:]) - {organisers[0]})
        links["organisers"] += [{"event_id": event["id"], "user_id": u} for u in co_organisers]
        links["levels"] += [
            {"event_id": event["id"], "level_id": lv.id}
            for lv in rng.sample(reference["levels"], rng.randint(1, 2))
        ]
        links["sectors"] += [
            {"event_id": event["id"], "sector_id": s.id}
            for s in rng.sample(reference["sectors"], rng.randint(1, 3))
        ]
    run.insert(EVENTS, events, counted=True)
    run.insert(event_levels, links["levels"])
    run.insert(event_sectors, links["sectors"])
    run.insert(event_organisers, links["organisers"])
    extras = _Extras(run)
    sector_ids = [s.id for s in reference["sectors"]]

    def registrations():
        for n, (event, size) in enumerate(zip(events, _registration_sizes(run, events), strict=True)):
            if not size:
                continue
            opened, closes = event["created_at"], min(event["starts_at"], run.now)
            moments = sorted(run.moment_between(opened, closes) for _ in range(size))
            past, confirmed = event["ends_at"] <= run.now, 0
            for user_id, moment in zip(rng.sample(people.active_ids, size), moments, strict=True):
                status = RegistrationStatus.CONFIRMED.value
                if n and rng.random() < 0.05:
                    status = RegistrationStatus.CANCELLED.value
                elif event["capacity"] is not None and confirmed >= event["capacity"]:
                    status = RegistrationStatus.WAITLISTED.value
                confirmed += status == RegistrationStatus.CONFIRMED.value
                attended = past and status == RegistrationStatus.CONFIRMED.value and rng.random() < 0.8
                feedback = attended and rng.random() < 0.15
                if feedback:
                    extras.add(event, user_id)
                yield {
                    "event_id": event["id"],
                    "user_id": user_id,
                    "status": status,
                    "needs": "Step-free access, please." if rng.random() < 0.03 else "",
                    "sector_id": rng.choice(sector_ids) if rng.random() < 0.7 else None,
                    "attended": attended,
                    "feedback_given": feedback,
                    "created_at": moment,
                    "updated_at": moment,
                }

    run.insert(REGISTRATIONS, registrations(), counted=True)
    extras.insert()
    sync_sequences(run.conn, [EVENTS, REGISTRATIONS, FEEDBACK, PLEDGES, PledgeFollowup.__table__])
