"""The actions people pledge, in the words of the learning report."""

from champions.events.models import Pledge

PLEDGE_CHOICES = {
    "disseminate": "Disseminate information to staff",
    "champion-role": "Develop a champion role",
    "learning-development": "Embed in learning and development",
    "multi-agency": "Link with multi-agency partners",
    "wellbeing": "Support staff wellbeing",
    "culture-change": "Promote culture change",
}
OWN = "own"


def pledge_label(pledge: Pledge) -> str:
    return pledge.text if pledge.kind == OWN else PLEDGE_CHOICES.get(pledge.kind, pledge.kind)
