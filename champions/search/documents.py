"""What each kind of thing puts in the index: ONE select per kind, used by services.refresh and rebuild.

Each definition selects the search_documents columns from the feature's own tables and
carries the feature's visibility rule in its WHERE clause, so a thing that may not be shown
(an unlisted champion, a hidden post, a draft) simply has no document.
"""

from collections.abc import Callable

from sqlalchemy import DateTime, Select, case, cast, func, literal, null, select

from champions.accounts.models import User
from champions.casestudies.models import CaseStudy
from champions.casestudies.models import Status as CaseStudyStatus
from champions.directory.models import ChampionProfile
from champions.directory.models import Status as ProfileStatus
from champions.discussions.models import Category, Post, Thread
from champions.events.models import Event, EventStatus
from champions.reference.models import Organisation
from champions.resources.models import Resource
from champions.search.models import Audience, Kind

COLUMNS = ["kind", "object_id", "title", "body", "audience", "context", "link", "dated_at"]


def _text(*parts):
    """The parts joined by spaces, each missing one read as empty."""
    joined = func.coalesce(parts[0], "")
    for part in parts[1:]:
        joined = joined + literal(" ") + func.coalesce(part, "")
    return joined


def _row(kind: Kind, object_id, title, body, audience, context=None, link=None, dated_at=None) -> Select:
    return select(
        literal(kind.value),
        object_id,
        func.coalesce(title, ""),
        body,
        audience,
        func.coalesce(context, ""),
        func.coalesce(link, ""),
        dated_at if dated_at is not None else cast(null(), DateTime),
    )


def champions() -> tuple[Select, object]:
    """Listed champions, as the directory shows them: verified, consenting, account in use."""
    query = (
        _row(
            Kind.CHAMPION,
            ChampionProfile.id,
            ChampionProfile.display_name,
            _text(ChampionProfile.job_title, Organisation.name, ChampionProfile.bio),
            literal(Audience.PUBLIC.value),
            ChampionProfile.job_title + literal(", ") + Organisation.name,
        )
        .select_from(ChampionProfile)
        .join(User, User.id == ChampionProfile.user_id)
        .join(Organisation, Organisation.id == ChampionProfile.organisation_id)
        .where(
            ChampionProfile.status == ProfileStatus.VERIFIED.value,
            ChampionProfile.listing_consent_at.is_not(None),
            User.active.is_(True),
        )
    )
    return query, ChampionProfile.id


def threads() -> tuple[Select, object]:
    """Every thread, for members; found by its title (its posts are documents of their own)."""
    query = (
        _row(
            Kind.THREAD,
            Thread.id,
            Thread.title,
            Category.name,
            literal(Audience.MEMBERS.value),
            Category.name,
            dated_at=Thread.last_post_at,
        )
        .select_from(Thread)
        .join(Category, Category.id == Thread.category_id)
    )
    return query, Thread.id


def posts() -> tuple[Select, object]:
    """Posts still shown, for members. No author: an anonymous post must stay anonymous."""
    query = (
        _row(
            Kind.POST,
            Post.id,
            literal(""),
            Post.body,
            literal(Audience.MEMBERS.value),
            Thread.title,
            dated_at=Post.created_at,
        )
        .select_from(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    )
    return query, Post.id


def case_studies() -> tuple[Select, object]:
    """Published case studies; their visibility (public or members) is the audience."""
    body = _text(
        CaseStudy.summary,
        CaseStudy.challenge,
        CaseStudy.approach,
        CaseStudy.involvement,
        CaseStudy.impact,
        CaseStudy.learning,
        CaseStudy.advice,
    )
    query = (
        _row(
            Kind.CASE_STUDY,
            CaseStudy.id,
            CaseStudy.title,
            body,
            CaseStudy.visibility,
            Organisation.name,
            dated_at=CaseStudy.published_at,
        )
        .select_from(CaseStudy)
        .outerjoin(Organisation, Organisation.id == CaseStudy.organisation_id)
        .where(CaseStudy.status == CaseStudyStatus.PUBLISHED.value)
    )
    return query, CaseStudy.id


def events() -> tuple[Select, object]:
    """Events the listings show: published and cancelled ones, never drafts."""
    cancelled = case((Event.status == EventStatus.CANCELLED.value, literal("Cancelled")), else_=literal(""))
    query = (
        _row(
            Kind.EVENT,
            Event.id,
            Event.title,
            _text(Event.description, Event.venue),
            literal(Audience.PUBLIC.value),
            cancelled,
            dated_at=Event.starts_at,
        )
        .select_from(Event)
        .where(Event.status != EventStatus.DRAFT.value)
    )
    return query, Event.id


def resources() -> tuple[Select, object]:
    query = _row(
        Kind.RESOURCE,
        Resource.id,
        Resource.title,
        _text(Resource.provider, Resource.description),
        literal(Audience.PUBLIC.value),
        Resource.provider,
        Resource.url,
    ).select_from(Resource)
    return query, Resource.id


DEFINITIONS: dict[Kind, Callable[[], tuple[Select, object]]] = {
    Kind.CHAMPION: champions,
    Kind.THREAD: threads,
    Kind.POST: posts,
    Kind.CASE_STUDY: case_studies,
    Kind.EVENT: events,
    Kind.RESOURCE: resources,
}
