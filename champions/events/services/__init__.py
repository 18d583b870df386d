"""Event writes and rules, one module per concern; views call them as `services.<name>`."""

# Other features import only a feature's models and services, so the two reads their pages show
# (a person's registrations on /account, a champion's events on their profile) are offered here too.
from champions.events.queries.listings import events_organised_by, registrations_for
from champions.events.services.feedback import FeedbackNotAllowed, give_feedback
from champions.events.services.followups import (
    STOP,
    TokenInvalid,
    pledge_token,
    read_token,
    record_answer,
    send_feedback_invitations,
    send_followups,
    send_reminders,
)
from champions.events.services.organising import (
    cancel_event,
    create_event,
    email_registrants,
    publish_event,
    save_report_text,
    update_event,
)
from champions.events.services.registrations import (
    RegistrationClosed,
    cancel_registration,
    fill_free_seats,
    mark_attendance,
    register,
    registration_of,
)

__all__ = [
    "STOP",
    "FeedbackNotAllowed",
    "RegistrationClosed",
    "TokenInvalid",
    "cancel_event",
    "cancel_registration",
    "create_event",
    "email_registrants",
    "events_organised_by",
    "fill_free_seats",
    "give_feedback",
    "mark_attendance",
    "publish_event",
    "read_token",
    "record_answer",
    "register",
    "registration_of",
    "registrations_for",
    "save_report_text",
    "send_feedback_invitations",
    "send_followups",
    "send_reminders",
    "pledge_token",
    "update_event",
]
