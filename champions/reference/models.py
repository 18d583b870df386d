"""Reference data that arrives by migration, and the organisations people work for."""

from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.extensions import db


class HealthBoard(db.Model):
    __tablename__ = "health_boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    gss_code: Mapped[str | None] = mapped_column(String(9))
    kind: Mapped[str] = mapped_column(String(20))  # "territorial" or "national"

    council_areas: Mapped[list["CouncilArea"]] = relationship(
        back_populates="health_board", order_by="CouncilArea.name"
    )

    @property
    def is_territorial(self) -> bool:
        return self.kind == "territorial"


class CouncilArea(db.Model):
    __tablename__ = "council_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    gss_code: Mapped[str] = mapped_column(String(9), unique=True)
    health_board_id: Mapped[int] = mapped_column(ForeignKey("health_boards.id"))
    hscp_name: Mapped[str] = mapped_column(String(160))
    approx_lat: Mapped[float]
    approx_lon: Mapped[float]

    health_board: Mapped[HealthBoard] = relationship(back_populates="council_areas")


class NttpLevel(db.Model):
    """A practice level of the NES knowledge and skills framework."""

    __tablename__ = "nttp_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    who_it_is_for: Mapped[str] = mapped_column(String(500))
    position: Mapped[int]


class Principle(db.Model):
    """A trauma-informed principle: kept as data because some lists add a sixth."""

    __tablename__ = "principles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]


class ImplementationDomain(db.Model):
    """One of the ten implementation domains of the Trauma Informed Practice Toolkit, to tag content with.

    The self-assessment framework versions name their domains by the same slugs.
    """

    __tablename__ = "implementation_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]


class Sector(db.Model):
    __tablename__ = "sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]


class OrganisationKind(StrEnum):
    COUNCIL = "council"
    NHS_BOARD = "nhs-board"
    HSCP = "hscp"
    NATIONAL_BODY = "national-body"
    THIRD_SECTOR = "third-sector"
    PRIVATE_PROVIDER = "private-provider"
    OTHER = "other"


ORGANISATION_KIND_LABELS = {
    OrganisationKind.COUNCIL: "Council",
    OrganisationKind.NHS_BOARD: "NHS board",
    OrganisationKind.HSCP: "Health and social care partnership",
    OrganisationKind.NATIONAL_BODY: "National body",
    OrganisationKind.THIRD_SECTOR: "Third sector",
    OrganisationKind.PRIVATE_PROVIDER: "Private provider",
    OrganisationKind.OTHER: "Other",
}


# The council areas an organisation works in: a council has one, a charity or a health and social care
# partnership may have several.
organisation_council_areas = Table(
    "organisation_council_areas",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "council_area_id", ForeignKey("council_areas.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=OrganisationKind.OTHER.value)
    # The first area it was made with (kept for older readers); council_areas below is the full list.
    council_area_id: Mapped[int | None] = mapped_column(ForeignKey("council_areas.id"))
    health_board_id: Mapped[int | None] = mapped_column(ForeignKey("health_boards.id"))
    # "listed", or "proposed" through the register's form and waiting for a coordinator to approve it.
    status: Mapped[str] = mapped_column(String(12), default="listed", server_default="listed")

    council_area: Mapped[CouncilArea | None] = relationship()
    council_areas: Mapped[list[CouncilArea]] = relationship(
        secondary=organisation_council_areas, order_by="CouncilArea.name"
    )
    health_board: Mapped[HealthBoard | None] = relationship()

    @property
    def places(self) -> str:
        """Its areas and board for display, like "Fife, Perth and Kinross; NHS Fife" ("" when none)."""
        areas = ", ".join(a.name for a in self.council_areas)
        board = self.health_board.name if self.health_board else ""
        return "; ".join(part for part in (areas, board) if part)

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KIND_LABELS.get(OrganisationKind(self.kind), "Other")


# The framework tables arrive by migration too (version 1); admin editing of versions is not built yet.
REFERENCE_TABLES = frozenset(
    {
        "health_boards",
        "council_areas",
        "nttp_levels",
        "principles",
        "sectors",
        "implementation_domains",
        "assessment_frameworks",
        "assessment_domains",
        "assessment_statements",
    }
)
