"""The resources catalogue as pages and forms read it."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from champions.extensions import db
from champions.reference.models import ImplementationDomain, NttpLevel
from champions.resources.models import Resource


def catalogue(level_slug: str = "", domain_slug: str = "") -> list[Resource]:
    query = (
        select(Resource)
        .options(selectinload(Resource.levels), selectinload(Resource.domains))
        .order_by(Resource.title, Resource.id)
    )
    if level_slug:
        query = query.where(Resource.levels.any(NttpLevel.slug == level_slug))
    if domain_slug:
        query = query.where(Resource.domains.any(ImplementationDomain.slug == domain_slug))
    return list(db.session.scalars(query))


def all_resources() -> list[Resource]:
    return list(db.session.scalars(select(Resource).order_by(Resource.title, Resource.id)))


def resources_by_ids(ids: list[int]) -> list[Resource]:
    if not ids:
        return []
    return list(db.session.scalars(select(Resource).where(Resource.id.in_(ids))))
