"""Feedback after an event, with the actions people pledge."""

from champions.clock import utcnow
from champions.events.models import OWN, Event, Feedback, Pledge, Registration
from champions.extensions import db


class FeedbackNotAllowed(Exception):
    """Only people who attended may give feedback, once, after the event has ended."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def give_feedback(event: Event, registration: Registration, values: dict) -> Feedback:
    """Save one person's feedback and pledges, anonymously if they asked."""
    reason = event.feedback_closed_reason(registration, utcnow())
    if reason:
        raise FeedbackNotAllowed(reason)
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
    registration.feedback_given = True
    db.session.add(feedback)
    db.session.commit()
    return feedback
