"""One row per searchable thing: its words, who may see it, and what its result shows."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from champions.extensions import db


class Kind(StrEnum):
    CHAMPION = "champion"
    THREAD = "thread"
    POST = "post"
    CASE_STUDY = "casestudy"
    EVENT = "event"
    RESOURCE = "resource"


class Audience(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"


class SearchDocument(db.Model):
    """Derived from the feature tables by champions.search.documents; never edited by hand."""

    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    object_id: Mapped[int]
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(8))
    # Shown beside the result (a thread's title for a post, a champion's job); never searched.
    context: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    dated_at: Mapped[datetime | None]
