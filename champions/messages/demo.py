"""Demo messages: the member has written to the demo champion, who has replied."""

from champions.accounts.models import User
from champions.messages import services


def seed(accounts: dict[str, User]) -> None:
    member, champion = accounts["member"], accounts["champion"]
    conversation = services.start_conversation(
        member,
        champion,
        "Starting reflective practice in our team",
        "Hello Fiona, I saw your profile. Could I ask how you started reflective practice sessions?",
    )
    services.reply(
        conversation,
        champion,
        "Hello Callum, of course. We began with one protected hour a month. Happy to talk it through.",
    )
