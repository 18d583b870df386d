"""What waits for a coordinator or admin, read in a fixed number of queries whatever the data."""

from dataclasses import dataclass

from champions.accounts.models import User
from champions.accounts.queries import responsible_areas
from champions.buddies import queries as buddies
from champions.casestudies import queries as casestudies
from champions.directory import queries as directory
from champions.discussions import queries as discussions
from champions.events import queries as events
from champions.messages import queries as messages
from champions.returns import queries as returns

# These are counts of work items for staff (applications, reviews, reports, events), not statistics
# about people, so the rule of five (champions/small_numbers.py) does not apply to them.


@dataclass(frozen=True)
class Count:
    """One kind of work: how many wait in the person's areas, and how many elsewhere."""

    in_areas: int
    elsewhere: int

    @classmethod
    def split(cls, counts: tuple[int, int]) -> "Count":
        in_areas, total = counts
        return cls(in_areas, total - in_areas)


@dataclass(frozen=True)
class Work:
    area_names: list[str]
    applications: Count
    case_studies: Count
    reports: Count
    conversation_reports: Count
    buddy_requests: Count
    waiting_lists: events.EventWork
    attendance: events.EventWork
    learning_reports: events.EventWork
    # One line per open return window: "N of M champions have sent their return".
    returns: list[returns.OpenLine]

    @property
    def has_areas(self) -> bool:
        return bool(self.area_names)

    @property
    def _counts(self) -> list[Count]:
        return [
            self.applications,
            self.case_studies,
            self.reports,
            self.conversation_reports,
            self.buddy_requests,
        ]

    def total(self, in_areas: bool) -> int:
        """All the work in one group: in the person's areas, or elsewhere."""
        side = "in_areas" if in_areas else "elsewhere"
        counts = [getattr(c, side) for c in self._counts]
        lists = [
            getattr(w, f"{side}_total") for w in (self.waiting_lists, self.attendance, self.learning_reports)
        ]
        return sum(counts) + sum(lists)


def work_for(user: User) -> Work:
    """Everything waiting for this person, split by their areas; an admin's is one list of everything."""
    areas = responsible_areas(user)
    area_ids = frozenset(area.id for area in areas)
    # Organisers' pages let in only an event's organisers and admins: a coordinator sees their own events.
    organiser = None if user.is_admin else user
    return Work(
        area_names=[area.name for area in areas],
        applications=Count.split(directory.pending_application_counts(area_ids)),
        case_studies=Count.split(casestudies.review_queue_counts(area_ids)),
        reports=Count.split(discussions.open_report_counts(area_ids)),
        conversation_reports=Count.split(messages.open_report_counts(area_ids)),
        buddy_requests=Count.split(buddies.open_request_counts(area_ids)),
        waiting_lists=events.with_waiting_lists(area_ids, organiser),
        attendance=events.attendance_not_recorded(area_ids, organiser),
        learning_reports=events.report_not_published(area_ids, organiser),
        returns=returns.open_lines(),
    )
