"""Load-or-404 helpers: a conversation is only there for its two people and, while reported, coordinators."""

from flask import abort

from champions.accounts.models import User
from champions.directory.models import ChampionProfile
from champions.messages import queries
from champions.messages.models import Conversation


def conversation_or_404(conversation_id: int, user: User) -> Conversation:
    """Someone else's conversation is a 404, never a 403: it does not say that it exists."""
    conversation = queries.conversation(conversation_id)
    if conversation is None or not conversation.can_be_read_by(user):
        abort(404)
    return conversation


def own_conversation_or_404(conversation_id: int, user: User) -> Conversation:
    """For what only its two people may do: reply, report, block."""
    conversation = conversation_or_404(conversation_id, user)
    if not conversation.is_between(user):
        abort(404)
    return conversation


def listed_profile_or_404(profile_id: int) -> ChampionProfile:
    profile = queries.listed_profile(profile_id)
    if profile is None or not profile.is_public:
        abort(404)
    return profile
