"""Keep search documents in step with every write, whichever service made it.

After each flush, the changed rows of the indexed models are already in the database, so
their documents are derived again (in the same transaction) from the definitions. Bulk
Core statements skip the ORM and this hook: run rebuild_index() after them (the seeder does).
"""

from collections import defaultdict

from flask import Flask
from sqlalchemy import Select, event, inspect, select
from sqlalchemy.orm import Session

from champions.accounts.models import User
from champions.casestudies.models import CaseStudy
from champions.directory.models import ChampionProfile
from champions.discussions.models import Category, Post, Thread
from champions.events.models import Event
from champions.extensions import db
from champions.reference.models import Organisation
from champions.resources.models import Resource
from champions.search.models import Kind
from champions.search.services import refresh

DIRECT = {
    ChampionProfile: Kind.CHAMPION,
    Thread: Kind.THREAD,
    Post: Kind.POST,
    CaseStudy: Kind.CASE_STUDY,
    Event: Kind.EVENT,
    Resource: Kind.RESOURCE,
}


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _dependents(obj) -> list[tuple[Kind, Select]]:
    """Documents that show a column of this object (an account's state, a thread's title on its posts)."""
    if isinstance(obj, User) and _changed(obj, "active"):
        return [(Kind.CHAMPION, select(ChampionProfile.id).where(ChampionProfile.user_id == obj.id))]
    if isinstance(obj, Organisation) and _changed(obj, "name"):
        return [
            (Kind.CHAMPION, select(ChampionProfile.id).where(ChampionProfile.organisation_id == obj.id)),
            (Kind.CASE_STUDY, select(CaseStudy.id).where(CaseStudy.organisation_id == obj.id)),
        ]
    if isinstance(obj, Category) and _changed(obj, "name"):
        return [(Kind.THREAD, select(Thread.id).where(Thread.category_id == obj.id))]
    if isinstance(obj, Thread) and _changed(obj, "title"):
        return [(Kind.POST, select(Post.id).where(Post.thread_id == obj.id))]
    return []


def refresh_changed_documents(session: Session, flush_context) -> None:
    ids: dict[Kind, set[int]] = defaultdict(set)
    dependents: list[tuple[Kind, Select]] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = DIRECT.get(type(obj))
        if kind is not None and obj.id is not None:
            ids[kind].add(obj.id)
        if obj not in session.deleted:
            dependents.extend(_dependents(obj))
    if not ids and not dependents:
        return
    connection = session.connection()
    for kind, found in ids.items():
        refresh(kind, found, connection)
    for kind, query in dependents:
        refresh(kind, query, connection)


def init_app(app: Flask) -> None:
    """Keep the index in step with every write (the listener is on the shared session, so added once)."""
    if not event.contains(db.session, "after_flush", refresh_changed_documents):
        event.listen(db.session, "after_flush", refresh_changed_documents)
