"""Facts about case studies: those published, what they are about, and who saved them."""

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from champions.casestudies.models import (
    Bookmark,
    CaseStudy,
    case_study_areas,
    case_study_levels,
    case_study_principles,
    case_study_sectors,
)
from champions.casestudies.models import Status as CaseStudyStatus
from champions.dashboard.queries import month_of
from champions.dashboard.services.facts import Fact, links, names_of
from champions.extensions import db
from champions.reference.models import NttpLevel, Principle, Sector

LABEL_LENGTH = 200  # statistics_figures.label


def case_study_facts(first: date) -> Iterator[Fact]:
    """Each published case study, and each principle, sector and practice level it is tagged with."""
    areas_of = links(case_study_areas, "case_study_id", "council_area_id")
    sectors_of = links(case_study_sectors, "case_study_id", "sector_id")
    principles = links(case_study_principles, "case_study_id", "principle_id")
    by_sector, levels = sectors_of, links(case_study_levels, "case_study_id", "nttp_level_id")
    tag_names = {"principle": names_of(Principle), "sector": names_of(Sector), "level": names_of(NttpLevel)}
    rows = db.session.execute(
        select(CaseStudy.id, CaseStudy.published_at).where(
            CaseStudy.status == CaseStudyStatus.PUBLISHED, CaseStudy.published_at >= first
        )
    )
    for case_study, published_at in rows:
        areas, sectors = areas_of.get(case_study, frozenset()), sectors_of.get(case_study, frozenset())
        month = month_of(published_at)
        yield Fact("case_studies", month, "", areas, sectors, case_study)
        for kind, tags in (("principle", principles), ("sector", by_sector), ("level", levels)):
            for tag in tags.get(case_study, ()):
                yield Fact(f"case_studies_by_{kind}", month, tag_names[kind][tag], areas, sectors, case_study)


def saved_label(case_study: int, title: str) -> str:
    """The figure label of one case study's saves: its id, so two of one title stay apart, and title."""
    label = f"{case_study}|{title}"
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def save_facts(first: date) -> Iterator[Fact]:
    """Each save of a published case study, by the month it was made and the person who made it."""
    areas_of = links(case_study_areas, "case_study_id", "council_area_id")
    sectors_of = links(case_study_sectors, "case_study_id", "sector_id")
    rows = db.session.execute(
        select(Bookmark.case_study_id, Bookmark.user_id, Bookmark.created_at, CaseStudy.title)
        .join(CaseStudy, CaseStudy.id == Bookmark.case_study_id)
        .where(CaseStudy.status == CaseStudyStatus.PUBLISHED, Bookmark.created_at >= first)
    )
    for case_study, user, saved_at, title in rows:
        areas, sectors = areas_of.get(case_study, frozenset()), sectors_of.get(case_study, frozenset())
        yield Fact(
            "case_study_saves", month_of(saved_at), saved_label(case_study, title), areas, sectors, user
        )
