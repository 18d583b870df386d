"""The NTTP resources catalogue: learning materials, tagged by practice level."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from champions.clock import utcnow
from champions.extensions import db
from champions.reference.models import ImplementationDomain, NttpLevel


class ResourceFormat(StrEnum):
    E_LEARNING = "e-learning"
    VIDEO = "video"
    GUIDE = "guide"
    LEADERS_PROGRAMME = "leaders-programme"
    TOOLKIT = "toolkit"
    WEBSITE = "website"


FORMAT_LABELS = {
    ResourceFormat.E_LEARNING: "E-learning",
    ResourceFormat.VIDEO: "Video",
    ResourceFormat.GUIDE: "Guide",
    ResourceFormat.LEADERS_PROGRAMME: "Leaders' programme",
    ResourceFormat.TOOLKIT: "Toolkit",
    ResourceFormat.WEBSITE: "Website",
}

resource_levels = Table(
    "resource_levels",
    db.metadata,
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("level_id", ForeignKey("nttp_levels.id"), primary_key=True),
)

resource_domains = Table(
    "resource_domains",
    db.metadata,
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("implementation_domain_id", ForeignKey("implementation_domains.id"), primary_key=True, index=True),
)


class Resource(db.Model):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(30))
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Moves on with each save from an edit form, so a form opened on an older version cannot overwrite.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    levels: Mapped[list[NttpLevel]] = relationship(secondary=resource_levels, order_by=NttpLevel.position)
    domains: Mapped[list[ImplementationDomain]] = relationship(
        secondary=resource_domains, order_by=ImplementationDomain.position
    )

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(ResourceFormat(self.format), self.format)
