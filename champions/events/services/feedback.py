"""Feedback after an event, with the actions people pledge."""

from sqlalchemy import update

from champions.clock import utcnow
from champions.events.models import OWN, Event, Feedback, Pledge, Registration
from champions.extensions import db


class FeedbackNotAllowed(Exception):
    """Only people who attended may give feedback, once, after the event has ended."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


ALREADY_GIVEN = "You have already given feedback on this event. Thank you."


def give_feedback(event: Event, registration: Registration, values: dict) -> Feedback:
    """Save one person's feedback and pledges, anonymously if they asked."""
    reason = event.feedback_closed_reason(registration, utcnow())
    if reason:
        raise FeedbackNotAllowed(reason)
    # Claim the one feedback this place allows before writing it: of two identical submissions at
    # once, only one changes the row (anonymous feedback has no user to make a key of).
    claimed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.feedback_given.is_(False))
        .values(feedback_given=True)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise FeedbackNotAllowed(ALREADY_GIVEN)
    owner = None if values["anonymous"] else registration.user_id
    feedback = Feedback(
        event_id=event.id,
        user_id=owner,
        rating=values["rating"],
        barriers=values["barriers"],
        enablers=values["enablers"],
    )
    for kind in values["pledges"]:
        feedback.pledges.append(Pledge(kind=kind, user_id=owner))
    if values["own_pledge"]:
        feedback.pledges.append(Pledge(kind=OWN, text=values["own_pledge"], user_id=owner))
    db.session.add(feedback)
    db.session.commit()
    return feedback
