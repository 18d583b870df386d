"""Figures worked out ahead by `flask refresh-statistics`, and the charts drawn from them."""

from datetime import date, datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from champions.clock import utcnow
from champions.extensions import db

SCOTLAND = "scotland"


class StatisticsRun(db.Model):
    """One refresh: when it finished and the months it covers, so a page can say how fresh it is."""

    __tablename__ = "statistics_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_month: Mapped[date]
    last_month: Mapped[date]
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)


class Figure(db.Model):
    """One number: a measure for one month, one scope (Scotland, a board, an area), sector and label."""

    __tablename__ = "statistics_figures"
    __table_args__ = (Index("ix_statistics_figures_lookup", "scope", "sector_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String(40))
    month: Mapped[date]
    scope: Mapped[str] = mapped_column(String(20))  # "scotland", "board:<id>" or "area:<id>"
    sector_id: Mapped[int | None]  # None: every sector
    label: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[int]


class Chart(db.Model):
    """A chart as SVG for one view of the figures, with its title and the sentence that says what it shows.

    `view` is the view's signature (queries.view_signature): its months, scope and sector, such as
    "2025-12..2026-11|board:7|all". The refresh draws the default period's views ahead (`ahead`); any
    other view's charts are drawn when first asked for, and every chart goes at the next refresh.
    """

    __tablename__ = "statistics_charts"

    view: Mapped[str] = mapped_column(String(60), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    ahead: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    svg: Mapped[str] = mapped_column(Text)
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
