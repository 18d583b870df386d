"""Named look-ups over the reference data."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from champions.extensions import db
from champions.reference.models import (
    CouncilArea,
    HealthBoard,
    ImplementationDomain,
    NttpLevel,
    Organisation,
    OrganisationKind,
    Principle,
    Sector,
)
from champions.savepoints import savepoint


def council_areas() -> list[CouncilArea]:
    return list(db.session.scalars(select(CouncilArea).order_by(CouncilArea.name)))


def health_boards(kind: str | None = None) -> list[HealthBoard]:
    query = select(HealthBoard).order_by(HealthBoard.kind.desc(), HealthBoard.name)
    if kind:
        query = query.where(HealthBoard.kind == kind)
    return list(db.session.scalars(query))


def levels() -> list[NttpLevel]:
    return list(db.session.scalars(select(NttpLevel).order_by(NttpLevel.position)))


def principles() -> list[Principle]:
    return list(db.session.scalars(select(Principle).order_by(Principle.position)))


def implementation_domains() -> list[ImplementationDomain]:
    return list(db.session.scalars(select(ImplementationDomain).order_by(ImplementationDomain.position)))


def sectors() -> list[Sector]:
    return list(db.session.scalars(select(Sector).order_by(Sector.position)))


def council_area_by_slug(slug: str) -> CouncilArea | None:
    return db.session.scalar(select(CouncilArea).where(CouncilArea.slug == slug))


def health_board_by_slug(slug: str) -> HealthBoard | None:
    return db.session.scalar(select(HealthBoard).where(HealthBoard.slug == slug))


def workplace_choices() -> list[SelectChoice]:
    """Group council areas and NHS boards for one 'where do you work' select."""
    return [
        SelectChoice("", "Choose an area or board"),
        *(SelectChoice(f"area:{a.slug}", a.name, optgroup="Council areas") for a in council_areas()),
        *(SelectChoice(f"board:{b.slug}", b.name, optgroup="NHS boards") for b in health_boards()),
    ]


def organisation_named(name: str) -> Organisation | None:
    """The organisation with this name, whatever its case and spacing, or None."""
    cleaned = " ".join(name.split())
    # SQL lower() folds only A-Z on SQLite, so the case-blind match is made in Python over the few
    # names of the same length; the unique name is case-sensitive, so an exact match comes first.
    found = db.session.scalar(select(Organisation).where(Organisation.name == cleaned))
    if found:
        return found
    same_length = db.session.scalars(
        select(Organisation)
        .where(db.func.length(Organisation.name) == len(cleaned))
        .order_by(Organisation.id)
    )
    return next((c for c in same_length if c.name.lower() == cleaned.lower()), None)


def add_organisation(organisation: Organisation) -> tuple[Organisation, bool]:
    """Insert a new organisation (no commit); (it, True), or (the one of that name, False) when someone
    added the same name a moment before.

    Two people naming the same new organisation at once both find no row; the second insert meets the
    unique name. It is made in a savepoint, so only it is undone, and the request carries on with theirs.
    """
    try:
        with savepoint():  # the caller's own changes are flushed first, so they are never undone here
            db.session.add(organisation)
    except IntegrityError:
        found = organisation_named(organisation.name)
        if found is None:
            raise
        return found, False
    return organisation, True


def find_or_create_organisation(
    name: str, kind: str = OrganisationKind.OTHER.value, council_area: CouncilArea | None = None
) -> Organisation:
    """Return the organisation with this name, adding it when it is new (no commit)."""
    cleaned = " ".join(name.split())
    found = organisation_named(cleaned)
    if found:
        return found
    organisation, _ = add_organisation(
        Organisation(
            name=cleaned,
            kind=kind,
            council_area=council_area,
            council_areas=[council_area] if council_area else [],
            health_board=council_area.health_board if council_area else None,
        )
    )
    return organisation
