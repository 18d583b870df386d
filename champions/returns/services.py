"""Writes for returns: opening and moving windows, saving and sending a return, the cron emails,
a coordinator's one-click reminder, and what happens to returns when an account closes."""

from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, clock, mail, versions
from champions.accounts.models import User
from champions.clock import utcnow
from champions.extensions import db
from champions.links import external_url
from champions.returns import queries
from champions.returns.models import (
    DRAFT,
    SUBMITTED,
    THEME_SEPARATOR,
    QuarterlyReturn,
    ReturnChase,
    ReturnEmail,
    ReturnReach,
    ReturnWindow,
)
from champions.savepoints import insert_once


class WindowExists(Exception):
    """This quarter has a window already."""

    def __init__(self, window: ReturnWindow):
        super().__init__("a window for this quarter exists")
        self.window = window


class AlreadySubmitted(Exception):
    """The return was sent, so it is read-only now."""


class NotExpected(Exception):
    """This person is not asked for a return (not a verified champion)."""


# -- windows ------------------------------------------------------------------------------------------


def open_window(coordinator: User, year: int, quarter: int, opens_on: date, closes_on: date) -> ReturnWindow:
    """Open the window for a quarter; the same form sent twice opens one (the quarter is a unique key)."""
    existing = queries.window_for_quarter(year, quarter)
    if existing is not None:
        raise WindowExists(existing)
    window = ReturnWindow(
        year=year, quarter=quarter, opens_on=opens_on, closes_on=closes_on, opened_by_id=coordinator.id
    )
    db.session.add(window)
    try:
        db.session.flush()
        audit.record(coordinator, "return_window.open", window, f"{window.label}: {opens_on} to {closes_on}")
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise WindowExists(queries.window_for_quarter(year, quarter)) from None
    return window


def change_window(
    coordinator: User, window: ReturnWindow, seen: int, opens_on: date, closes_on: date
) -> None:
    """Move a window's dates; a form opened on an older version is refused (versions.Stale)."""
    if versions.unchanged(window, {"opens_on": opens_on, "closes_on": closes_on}):
        return
    versions.claim(window, seen)
    window.opens_on, window.closes_on = opens_on, closes_on
    audit.record(coordinator, "return_window.change", window, f"{window.label}: {opens_on} to {closes_on}")
    db.session.commit()


# -- a champion's return ------------------------------------------------------------------------------


def _same(found: QuarterlyReturn, values: dict, reach: dict[int, int]) -> bool:
    return versions.unchanged(found, values) and all(found.people_at(k) == v for k, v in reach.items())


def _themes(ticked: list[str] | None) -> str:
    """The ticked themes once each, in the order the form shows them."""
    return THEME_SEPARATOR.join(theme for theme in queries.THEME_NAMES if theme in set(ticked or []))


def _values(answers: dict, submit: bool) -> dict:
    values = {
        "sessions_run": answers.get("sessions_run") or 0,
        "events_attended": answers.get("events_attended") or 0,
        "case_studies_shared": answers.get("case_studies_shared") or 0,
        "helped": _themes(answers.get("helped")),
        "helped_words": answers.get("helped_words") or "",
        "hindered": _themes(answers.get("hindered")),
        "hindered_words": answers.get("hindered_words") or "",
        "support_wanted": answers.get("support_wanted") or "",
        "wellbeing": answers.get("wellbeing") or None,
    }
    if submit:
        values["status"] = SUBMITTED
    return values


def _twin_or_stale(
    window: ReturnWindow, user_id: int, values: dict, reach: dict[int, int]
) -> QuarterlyReturn:
    """After a lost race or a stale version: the same answers sent twice are one save; others are stale."""
    db.session.expire_all()
    found = queries.return_for(window.id, user_id)
    if found is not None and _same(found, values, reach):
        return found
    raise versions.Stale


def save_return(
    user: User, window: ReturnWindow, seen: int, answers: dict, reach: dict[int, int], submit: bool
) -> QuarterlyReturn:
    """Save the person's return as a draft, or send it; `seen` is the version the form was opened on (0:
    none yet). A stale form raises versions.Stale; a sent return raises AlreadySubmitted."""
    if queries.verified_profile(user) is None:
        raise NotExpected
    user_id = user.id
    values = _values(answers, submit)
    found = queries.return_for(window.id, user_id)
    if found is not None and found.is_submitted:
        if _same(found, {**values, "status": SUBMITTED}, reach):
            return found
        raise AlreadySubmitted
    now = utcnow()
    compared = dict(values)  # what a twin sent at the same moment would have saved too
    if submit:
        values.update(submitted_at=now, late=clock.today() > window.closes_on)
    if found is None:
        if seen != 0:
            raise versions.Stale
        found = QuarterlyReturn(window_id=window.id, user_id=user_id, status=DRAFT, created_at=now)
        db.session.add(found)
    else:
        try:
            versions.claim(found, seen)
        except versions.Stale:
            return _twin_or_stale(window, user_id, compared, reach)
    for name, value in values.items():
        setattr(found, name, value)
    found.updated_at = now
    kept = {r.nttp_level_id: r for r in found.reach}
    for level_id, people in reach.items():
        if level_id in kept:
            kept[level_id].people = people
        else:
            found.reach.append(ReturnReach(nttp_level_id=level_id, people=people))
    try:
        db.session.commit()
    except IntegrityError:  # the same first save, sent twice at once
        db.session.rollback()
        return _twin_or_stale(window, user_id, compared, reach)
    return found


# -- emails for cron ----------------------------------------------------------------------------------


def _return_url(window: ReturnWindow) -> str:
    return external_url("returns.edit", window_id=window.id)


def send_due_emails(today: date | None = None) -> tuple[int, int]:
    """Queue the opening email and the reminder a week before closing, each once per champion per window.

    A champion who has sent their return gets no reminder; one who first becomes a champion in the last
    week gets the reminder alone. Returns (opening emails, reminders) queued.
    """
    today = today or clock.today()
    open_windows = db.session.scalars(
        select(ReturnWindow).where(ReturnWindow.opens_on <= today, ReturnWindow.closes_on >= today)
    ).all()
    opened = reminded = 0
    if not open_windows:
        return 0, 0
    champions = queries.expected_champions()
    ids = [w.id for w in open_windows]
    sent = set(
        db.session.execute(
            select(ReturnEmail.window_id, ReturnEmail.user_id, ReturnEmail.kind).where(
                ReturnEmail.window_id.in_(ids)
            )
        )
    )
    states = dict(
        ((window_id, user_id), status)
        for window_id, user_id, status in db.session.execute(
            select(QuarterlyReturn.window_id, QuarterlyReturn.user_id, QuarterlyReturn.status).where(
                QuarterlyReturn.window_id.in_(ids)
            )
        )
    )
    for window in open_windows:
        reminder_due = window.reminder_due(today)
        for profile in champions:
            person = profile.user
            state = states.get((window.id, person.id))
            if reminder_due:
                if state == SUBMITTED or (window.id, person.id, "reminder") in sent:
                    continue
                if not insert_once(ReturnEmail(window_id=window.id, user_id=person.id, kind="reminder")):
                    continue
                insert_once(ReturnEmail(window_id=window.id, user_id=person.id, kind="opened"))
                mail.queue(
                    person.email,
                    f"Reminder: your quarterly return for {window.label}",
                    "returns/reminder",
                    user=person,
                    window=window,
                    has_draft=state is not None,
                    return_url=_return_url(window),
                )
                reminded += 1
            elif (window.id, person.id, "opened") not in sent and state != SUBMITTED:
                if not insert_once(ReturnEmail(window_id=window.id, user_id=person.id, kind="opened")):
                    continue
                mail.queue(
                    person.email,
                    f"Your quarterly return for {window.label} is open",
                    "returns/window_opened",
                    user=person,
                    window=window,
                    return_url=_return_url(window),
                )
                opened += 1
    db.session.commit()
    return opened, reminded


# -- a coordinator's one-click reminder ---------------------------------------------------------------


def chase(coordinator: User, window: ReturnWindow, champion: User) -> bool:
    """Email one champion a reminder; at most one a day per person, so a second click does nothing.

    Returns True when the reminder was queued now. Audited.
    """
    if queries.verified_profile(champion) is None:
        raise NotExpected
    found = queries.return_for(window.id, champion.id)
    if found is not None and found.is_submitted:
        raise AlreadySubmitted
    today = clock.today()
    if not insert_once(
        ReturnChase(window_id=window.id, user_id=champion.id, sent_by_id=coordinator.id, sent_on=today)
    ):
        db.session.rollback()
        return False
    mail.queue(
        champion.email,
        f"Your quarterly return for {window.label}",
        "returns/chase",
        user=champion,
        coordinator=coordinator,
        window=window,
        today=today,
        return_url=_return_url(window),
        messages_url=external_url("messages.coordinator"),
    )
    audit.record(coordinator, "return.chase", champion, window.label)
    try:
        db.session.commit()
    except IntegrityError:  # two clicks at the same instant: the other one sent it
        db.session.rollback()
        return False
    return True


# -- closing an account -------------------------------------------------------------------------------


def erase_for(user_ids: list[int]) -> None:
    """On closing accounts (no commit): drafts go; sent returns keep their figures and ticks for the
    totals, and lose the person's own words and wellbeing answer. Emails sent and reminders go too."""
    run = {"synchronize_session": False}
    drafts = select(QuarterlyReturn.id).where(
        QuarterlyReturn.user_id.in_(user_ids), QuarterlyReturn.status != SUBMITTED
    )
    db.session.execute(delete(ReturnReach).where(ReturnReach.return_id.in_(drafts)), execution_options=run)
    db.session.execute(
        delete(QuarterlyReturn).where(
            QuarterlyReturn.user_id.in_(user_ids), QuarterlyReturn.status != SUBMITTED
        ),
        execution_options=run,
    )
    db.session.execute(
        update(QuarterlyReturn)
        .where(QuarterlyReturn.user_id.in_(user_ids))
        .values(helped_words="", hindered_words="", support_wanted="", wellbeing=None),
        execution_options=run,
    )
    db.session.execute(delete(ReturnEmail).where(ReturnEmail.user_id.in_(user_ids)), execution_options=run)
    db.session.execute(delete(ReturnChase).where(ReturnChase.user_id.in_(user_ids)), execution_options=run)
