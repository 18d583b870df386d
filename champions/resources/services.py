"""The resources catalogue: add, change and remove entries."""

from sqlalchemy import select

from champions import audit, once, versions
from champions.accounts.models import User
from champions.extensions import db
from champions.reference.models import ImplementationDomain, NttpLevel
from champions.resources.models import Resource


class UnknownLevel(Exception):
    """A practice level that is not in the reference data."""


def levels_by_slugs(slugs: list[str]) -> list[NttpLevel]:
    levels = list(db.session.scalars(select(NttpLevel).where(NttpLevel.slug.in_(slugs)))) if slugs else []
    if len(levels) != len(set(slugs)):
        raise UnknownLevel
    return sorted(levels, key=lambda level: level.position)


def domains_by_slugs(slugs: list[str]) -> list[ImplementationDomain]:
    if not slugs:
        return []
    found = list(db.session.scalars(select(ImplementationDomain).where(ImplementationDomain.slug.in_(slugs))))
    if len(found) != len(set(slugs)):
        raise UnknownLevel  # the same kindly refused choice: a tag left the reference data meanwhile
    return sorted(found, key=lambda domain: domain.position)


def _apply(resource: Resource, values: dict) -> None:
    resource.title = values["title"]
    resource.provider = values["provider"]
    resource.format = values["format"]
    resource.url = values["url"]
    resource.description = values.get("description", "")
    resource.levels = levels_by_slugs(values.get("levels", []))
    resource.domains = domains_by_slugs(values.get("domains", []))


def create_resource(actor: User | None, values: dict, form_key: str | None = None) -> Resource:
    """Add a resource; the same form sent twice adds one and returns it."""
    actor_id = actor.id if actor else None
    key = form_key if actor_id else None  # the demo seeds resources with no one signed in
    try:
        if actor_id:
            once.check(actor_id, key)
        resource = Resource()
        _apply(resource, values)
        db.session.add(resource)
        db.session.flush()
        audit.record(actor, "resource.create", resource, resource.title)
        if actor_id:
            once.commit(actor_id, key, "resources.create", resource.id)
        else:
            db.session.commit()
    except once.AlreadyDone as done:
        return db.session.get_one(Resource, done.target_id)
    return resource


def update_resource(actor: User, resource: Resource, values: dict, seen: int | None = None) -> None:
    """Save a coordinator's changes; a save over a newer version than `seen` raises versions.Stale."""
    versions.claim(resource, seen)
    _apply(resource, values)
    audit.record(actor, "resource.update", resource, resource.title)
    db.session.commit()


def delete_resource(actor: User, resource: Resource) -> None:
    """Remove a resource; the same removal sent twice at once finds it gone and does nothing more."""
    if not versions.take(resource):
        return
    audit.record(actor, "resource.delete", resource, resource.title)
    db.session.delete(resource)
    db.session.commit()
