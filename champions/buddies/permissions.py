"""Load-or-404 helpers: requests and pairings are there only for their people and for coordinators."""

from flask import abort

from champions.buddies import queries
from champions.buddies.models import BuddyPairing, BuddyRequest
from champions.directory.models import ChampionProfile


def verified_profile_or_403(user) -> ChampionProfile:
    """Asking for a buddy and the buddy settings are for verified champions."""
    profile = queries.verified_profile(user)
    if profile is None or not user.is_active:
        abort(403)
    return profile


def request_or_404(request_id: int, user) -> BuddyRequest:
    """Someone else's request is a 404 (not a 403): it does not say that it exists."""
    buddy_request = queries.buddy_request(request_id)
    if buddy_request is None or not buddy_request.is_visible_to(user):
        abort(404)
    return buddy_request


def pairing_or_404(pairing_id: int, user) -> BuddyPairing:
    pairing = queries.pairing(pairing_id)
    if pairing is None or not pairing.is_visible_to(user):
        abort(404)
    return pairing


def own_pairing_or_404(pairing_id: int, user) -> BuddyPairing:
    """For what only the two people may do: end it."""
    pairing = pairing_or_404(pairing_id, user)
    if not pairing.includes(user):
        abort(404)
    return pairing
