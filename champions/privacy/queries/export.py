"""Everything the portal holds about one person, gathered for their export.

The export holds the person's own data and only what they could already see of anyone else: no other
person's email address, no name behind someone else's anonymous post, no reviewer's checklist.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from champions.accounts.models import RecoveryCode, SecondFactor, User, UserIdentity, UserSession
from champions.assessments.models import Action, Answer, Assessment, Contributor, Invitation
from champions.audit import AuditEntry
from champions.buddies.models import BuddyPairing, BuddyRequest, BuddySetting
from champions.casestudies.models import Attachment, Bookmark, CaseStudy, Transition, UsefulMark
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.discussions.models import (
    CategoryFollow,
    DigestRun,
    DiscussionSetting,
    Notification,
    Post,
    Report,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from champions.events.models import (
    Event,
    Feedback,
    PledgeFollowup,
    Registration,
    ReminderSent,
    event_organisers,
)
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.messages.models import Conversation, ConversationMember, Message, MessageBlock, MessageSetting
from champions.privacy.models import DataExport
from champions.privacy.queries import consents_of, iso
from champions.returns.models import QuarterlyReturn, ReturnReach

FORMAT_VERSION = 1


def _rows(statement) -> list:
    return list(db.session.scalars(statement))


def _account(user: User) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role_enum.label,
        "organisation": user.organisation.name if user.organisation else None,
        "council_area": user.council_area.name if user.council_area else None,
        "health_board": user.health_board.name if user.health_board else None,
        "active": user.active,
        "email_confirmed_at": iso(user.email_verified_at),
        "password_changed_at": iso(user.password_changed_at),
        "created_at": iso(user.created_at),
        "last_signed_in_at": iso(user.last_signed_in_at),
    }


def _profile(user: User) -> dict | None:
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))
    if profile is None:
        return None
    return {
        "id": profile.id,
        "display_name": profile.display_name,
        "job_title": profile.job_title,
        "organisation": profile.organisation.name,
        "covers": profile.coverage_label,
        "sectors": [s.name for s in profile.sectors],
        "nttp_levels": [level.name for level in profile.levels],
        "stilt_completed": profile.stilt_completed,
        "bio": profile.bio,
        "phone": profile.phone,
        "contact_shown_to": profile.contact_audience,
        "listed_in_directory_since": iso(profile.listing_consent_at),
        "status": profile.status_label,
        "decision_reason": profile.decision_reason,
        "decided_at": iso(profile.decided_at),
        "applied_at": iso(profile.applied_at),
        "updated_at": iso(profile.updated_at),
    }


def _consents(user: User) -> list[dict]:
    return [
        {
            "about": record.title,
            "kind": record.kind,
            "wording_version": record.version,
            "wording": record.wording,
            "given_at": iso(record.given_at),
            "withdrawn_at": iso(record.withdrawn_at),
        }
        for record in reversed(consents_of(user))
    ]


def _discussions(user: User) -> dict:
    setting = db.session.get(DiscussionSetting, user.id)
    threads = _rows(select(Thread).where(Thread.author_id == user.id).order_by(Thread.id))
    posts = _rows(
        select(Post)
        .where(Post.author_id == user.id)
        .options(selectinload(Post.thread), selectinload(Post.revisions))
        .order_by(Post.id)
    )
    return {
        "settings": {
            "email_mode": setting.email_mode if setting else "digest",
            "follow_threads_i_post_in": setting.auto_follow if setting else True,
        },
        "threads_started": [
            {"id": t.id, "title": t.title, "created_at": iso(t.created_at), "locked": t.is_locked}
            for t in threads
        ],
        "posts": [_post(post) for post in posts],
        "threads_followed": [
            {"thread_id": f.thread_id, "since": iso(f.created_at)}
            for f in _rows(select(ThreadFollow).where(ThreadFollow.user_id == user.id))
        ],
        "categories_followed": [
            {"category_id": f.category_id, "since": iso(f.created_at)}
            for f in _rows(select(CategoryFollow).where(CategoryFollow.user_id == user.id))
        ],
        "read_markers": [
            {"thread_id": r.thread_id, "last_read_post_id": r.last_read_post_id}
            for r in _rows(select(ThreadRead).where(ThreadRead.user_id == user.id))
        ],
        "reports_made": [
            {"post_id": r.post_id, "reason": r.reason, "created_at": iso(r.created_at), "outcome": r.outcome}
            for r in _rows(select(Report).where(Report.reporter_id == user.id).order_by(Report.id))
        ],
        # Which posts were sent to them, never who wrote them: a post may be someone else's anonymous one.
        "notifications": [
            {
                "post_id": n.post_id,
                "reason": n.reason,
                "created_at": iso(n.created_at),
                "emailed_at": iso(n.emailed_at),
            }
            for n in _rows(
                select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
            )
        ],
        "digests_sent": [
            {"day": iso(d.day), "posts": d.post_count}
            for d in _rows(select(DigestRun).where(DigestRun.user_id == user.id).order_by(DigestRun.id))
        ],
    }


def _post(post: Post) -> dict:
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "thread_title": post.thread.title,
        "anonymous": post.is_anonymous,
        "body": post.body,
        "content_note": post.content_note,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "deleted_at": iso(post.deleted_at),
        "hidden_by_moderator_at": iso(post.hidden_at),
        "earlier_versions": [
            {"body": r.body, "content_note": r.content_note, "saved_at": iso(r.created_at)}
            for r in post.revisions
        ],
    }


def _case_studies(user: User) -> dict:
    studies = _rows(
        select(CaseStudy)
        .where(CaseStudy.author_id == user.id)
        .options(
            selectinload(CaseStudy.attachments),
            selectinload(CaseStudy.transitions).selectinload(Transition.actor),
            selectinload(CaseStudy.organisation),
        )
        .order_by(CaseStudy.id)
    )
    marks = {
        "saved": [
            b.case_study_id
            for b in _rows(select(Bookmark).where(Bookmark.user_id == user.id).order_by(Bookmark.id))
        ],
        "marked_useful": [
            m.case_study_id
            for m in _rows(select(UsefulMark).where(UsefulMark.user_id == user.id).order_by(UsefulMark.id))
        ],
    }
    return {"written": [_case_study(study, user) for study in studies], **marks}


def _case_study(study: CaseStudy, user: User) -> dict:
    return {
        "id": study.id,
        "status": study.status,
        "visibility": study.visibility,
        "organisation": study.organisation.name if study.organisation else None,
        **{
            name: getattr(study, name)
            for name in ("title", "summary", "challenge", "approach", "involvement")
        },
        **{
            name: getattr(study, name)
            for name in ("impact", "learning", "advice", "contact_name", "contact_email")
        },
        "co_produced": study.co_produced,
        "review_by": iso(study.review_by),
        "changes_waiting_for_review": study.pending_changes,
        "created_at": iso(study.created_at),
        "submitted_at": iso(study.submitted_at),
        "published_at": iso(study.published_at),
        "attachments": [
            {"id": a.id, "filename": a.filename, "kind": a.kind, "size": a.size, "file": attachment_path(a)}
            for a in study.attachments
        ],
        # The history as the author sees it on the case study's page; the reviewer's checklist stays out.
        "review_history": [
            {
                "from": t.from_status,
                "to": t.to_status,
                "by": "you" if t.actor_id == user.id else (t.actor.name if t.actor else "the portal"),
                "comment": t.comment,
                "at": iso(t.created_at),
            }
            for t in study.transitions
        ],
    }


def attachment_path(attachment: Attachment) -> str:
    """Where an attachment sits inside the ZIP: a safe name, unique by its id."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in attachment.filename).strip("._") or "file"
    return f"attachments/{attachment.case_study_id}/{attachment.id}-{safe}"


def _events(user: User) -> dict:
    registrations = _rows(
        select(Registration)
        .where(Registration.user_id == user.id)
        .options(selectinload(Registration.event), selectinload(Registration.sector))
        .order_by(Registration.id)
    )
    reminders = {}
    for row in _rows(
        select(ReminderSent).where(ReminderSent.registration_id.in_([r.id for r in registrations]))
    ):
        reminders.setdefault(row.registration_id, []).append(
            {"days_before": row.days_before, "sent_at": iso(row.sent_at)}
        )
    organised = _rows(
        select(Event)
        .outerjoin(event_organisers, event_organisers.c.event_id == Event.id)
        .where(or_(Event.created_by_id == user.id, event_organisers.c.user_id == user.id))
        .distinct()
        .order_by(Event.id)
    )
    return {
        "registrations": [
            {
                "event_id": r.event_id,
                "event": r.event.title,
                "starts_at": iso(r.event.starts_at),
                "status": r.status,
                "needs_told_to_organisers": r.needs,
                "sector": r.sector.name if r.sector else None,
                "attended": r.attended,
                "feedback_given": r.feedback_given,
                "registered_at": iso(r.created_at),
                "updated_at": iso(r.updated_at),
                "reminders_sent": reminders.get(r.id, []),
            }
            for r in registrations
        ],
        "events_organised": [
            {
                "event_id": e.id,
                "event": e.title,
                "starts_at": iso(e.starts_at),
                "created_by_you": e.created_by_id == user.id,
            }
            for e in organised
        ],
        "feedback": _feedback(user),
    }


def _feedback(user: User) -> list[dict]:
    """Feedback given with their name; anonymous feedback is linked to nobody, so it cannot be found."""
    given = _rows(
        select(Feedback)
        .where(Feedback.user_id == user.id)
        .options(selectinload(Feedback.pledges))
        .order_by(Feedback.id)
    )
    pledge_ids = [p.id for f in given for p in f.pledges]
    followups = {}
    for row in _rows(select(PledgeFollowup).where(PledgeFollowup.pledge_id.in_(pledge_ids))):
        followups.setdefault(row.pledge_id, []).append(
            {"days_after": row.days_after, "sent_at": iso(row.sent_at)}
        )
    titles = dict(
        db.session.execute(
            select(Event.id, Event.title).where(Event.id.in_([f.event_id for f in given]))
        ).all()
    )
    return [
        {
            "event_id": f.event_id,
            "event": titles.get(f.event_id),
            "rating": f.rating,
            "barriers": f.barriers,
            "enablers": f.enablers,
            "given_at": iso(f.created_at),
            "pledges": [
                {
                    "action": p.label,
                    "kind": p.kind,
                    "progress": p.progress,
                    "progress_told_at": iso(p.progress_at),
                    "follow_ups_stopped": p.followups_stopped,
                    "follow_ups_sent": followups.get(p.id, []),
                }
                for p in f.pledges
            ],
        }
        for f in given
    ]


def _messages(user: User) -> dict:
    """Their conversations whole (what they could read), whom they blocked, and their settings."""
    conversations = _rows(
        select(Conversation)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(ConversationMember.user_id == user.id)
        .options(selectinload(Conversation.messages).selectinload(Message.author))
        .order_by(Conversation.id)
    )
    setting = db.session.get(MessageSetting, user.id)
    blocks = _rows(select(MessageBlock).where(MessageBlock.blocker_id == user.id))
    return {
        "settings": {
            "email_me_about_new_messages": setting.email_on if setting else True,
            "members_may_start_conversations": setting.contact_on if setting else True,
        },
        "conversations": [
            {
                "id": c.id,
                "subject": c.subject,
                "started_by_you": c.started_by_id == user.id,
                "created_at": iso(c.created_at),
                "reported_by_you_at": iso(c.reported_at) if c.reported_by_id == user.id else None,
                "messages": [
                    {
                        "from": "you" if m.author_id == user.id else m.author.name,
                        "body": m.body,
                        "sent_at": iso(m.created_at),
                    }
                    for m in c.messages
                ],
            }
            for c in conversations
        ],
        "people_you_blocked": [{"user_id": b.blocked_id, "since": iso(b.created_at)} for b in blocks],
    }


def _returns(user: User) -> list[dict]:
    """Their quarterly returns whole, with the wellbeing answer: it is their own."""
    found = _rows(
        select(QuarterlyReturn)
        .where(QuarterlyReturn.user_id == user.id)
        .options(
            selectinload(QuarterlyReturn.window),
            selectinload(QuarterlyReturn.reach).selectinload(ReturnReach.level),
        )
        .order_by(QuarterlyReturn.id)
    )
    return [
        {
            "quarter": r.window.label,
            "status": r.status,
            "late": r.late,
            "sessions_run": r.sessions_run,
            "events_attended": r.events_attended,
            "case_studies_shared": r.case_studies_shared,
            "people_reached_by_level": {x.level.name: x.people for x in r.reach},
            "what_helped": r.helped_themes,
            "what_helped_words": r.helped_words,
            "what_got_in_the_way": r.hindered_themes,
            "what_got_in_the_way_words": r.hindered_words,
            "support_wanted": r.support_wanted,
            "how_you_find_the_role": r.wellbeing_label or None,
            "started_at": iso(r.created_at),
            "sent_at": iso(r.submitted_at),
        }
        for r in found
    ]


def _buddies(user: User) -> dict:
    """Their buddy settings, their requests for a buddy and their pairings (with the other person's name)."""
    setting = db.session.get(BuddySetting, user.id)
    requests = _rows(select(BuddyRequest).where(BuddyRequest.user_id == user.id).order_by(BuddyRequest.id))
    pairings = _rows(
        select(BuddyPairing)
        .where(or_(BuddyPairing.asker_id == user.id, BuddyPairing.buddy_id == user.id))
        .options(selectinload(BuddyPairing.asker), selectinload(BuddyPairing.buddy))
        .order_by(BuddyPairing.id)
    )
    return {
        "settings": {
            "happy_to_be_a_buddy": setting.willing if setting else False,
            "roadmap_stage": setting.roadmap_label if setting else "Not said",
        },
        "requests": [
            {
                "asked_at": iso(r.created_at),
                "would_like": r.wishes,
                "note": r.note,
                "status": r.status,
                "closed_at": iso(r.closed_at),
            }
            for r in requests
        ],
        "pairings": [
            {
                "with": p.other_person(user).name,
                "you_asked": p.asker_id == user.id,
                "paired_at": iso(p.paired_at),
                "ended_at": iso(p.ended_at),
                "ended_by_you": p.ended_by_id == user.id if p.ended_at else None,
            }
            for p in pairings
        ],
    }


def _assessments(user: User) -> dict:
    """Self-assessments they help with, the answers they saved last, the actions they own, and the
    invitations they sent (when, never the address: that is someone else's)."""
    helping = _rows(
        select(Assessment)
        .join(Contributor, Contributor.assessment_id == Assessment.id)
        .where(Contributor.user_id == user.id)
        .options(selectinload(Assessment.organisation))
        .order_by(Assessment.id)
    )
    answers = _rows(
        select(Answer)
        .where(Answer.updated_by_id == user.id)
        .options(selectinload(Answer.domain))
        .order_by(Answer.id)
    )
    actions = _rows(
        select(Action)
        .where(Action.owner_id == user.id)
        .options(selectinload(Action.domain))
        .order_by(Action.id)
    )
    sent = _rows(select(Invitation).where(Invitation.invited_by_id == user.id).order_by(Invitation.id))
    return {
        "helping_with": [
            {"assessment_id": a.id, "organisation": a.organisation.name, "started_at": iso(a.created_at)}
            for a in helping
        ],
        "answers_you_saved_last": [
            {
                "assessment_id": a.assessment_id,
                "domain": a.domain.name,
                "rating": a.rating,
                "evidence": a.evidence,
                "links": a.link_list,
                "saved_at": iso(a.updated_at),
            }
            for a in answers
        ],
        "actions_you_own": [
            {
                "assessment_id": a.assessment_id,
                "domain": a.domain.name,
                "action": a.description,
                "due_on": a.due_on.isoformat(),
                "reminded_at": iso(a.reminded_at),
            }
            for a in actions
        ],
        "invitations_you_sent": [{"sent_at": iso(i.created_at)} for i in sent],
    }


def _emails(user: User) -> list[dict]:
    messages = _rows(
        select(OutboxMessage).where(OutboxMessage.to_address == user.email).order_by(OutboxMessage.id)
    )
    return [
        {
            "to": m.to_address,
            "subject": m.subject,
            "body": m.body,
            "status": m.status,
            "queued_at": iso(m.created_at),
            "sent_at": iso(m.sent_at),
        }
        for m in messages
    ]


def _about(user: User) -> list:
    """The audit targets that are this person or theirs: account, profile, posts, threads, case studies."""
    profile_ids = select(ChampionProfile.id).where(ChampionProfile.user_id == user.id)
    return [
        (AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id),
        (AuditEntry.target_type == "championprofile") & AuditEntry.target_id.in_(profile_ids),
        (AuditEntry.target_type == "post")
        & AuditEntry.target_id.in_(select(Post.id).where(Post.author_id == user.id)),
        (AuditEntry.target_type == "thread")
        & AuditEntry.target_id.in_(select(Thread.id).where(Thread.author_id == user.id)),
        (AuditEntry.target_type == "casestudy")
        & AuditEntry.target_id.in_(select(CaseStudy.id).where(CaseStudy.author_id == user.id)),
    ]


def _audit(user: User) -> list[dict]:
    entries = _rows(
        select(AuditEntry).where(or_(AuditEntry.actor_id == user.id, *_about(user))).order_by(AuditEntry.id)
    )
    return [
        {
            "action": e.action,
            "about": f"{e.target_type} {e.target_id}" if e.target_id is not None else e.target_type,
            # Staff who acted on someone's data are named by their part, not their name or address.
            "by": "you" if e.actor_id == user.id else ("a member of staff" if e.actor_id else "the portal"),
            # Your own words, or what was done to something of yours.
            "detail": e.detail,
            "at": iso(e.created_at),
        }
        for e in entries
    ]


def _exports(user: User) -> list[dict]:
    return [
        {"requested_at": iso(x.requested_at), "status": x.status, "by_you": x.requested_by_id == user.id}
        for x in _rows(select(DataExport).where(DataExport.subject_id == user.id).order_by(DataExport.id))
    ]


def _sign_in(user: User) -> dict:
    """The second factor (whether it is on, never its key), linked organisation accounts and sessions."""
    factor = db.session.get(SecondFactor, user.id)
    codes = _rows(select(RecoveryCode).where(RecoveryCode.user_id == user.id).order_by(RecoveryCode.id))
    sessions = _rows(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id))
    identities = _rows(select(UserIdentity).where(UserIdentity.user_id == user.id).order_by(UserIdentity.id))
    return {
        "organisation_accounts": [
            {
                "provider": x.provider,
                "subject": x.subject,
                "email": x.email,
                "linked_at": iso(x.linked_at),
                "last_used_at": iso(x.last_used_at),
            }
            for x in identities
        ],
        "second_factor_on_since": iso(factor.confirmed_at) if factor else None,
        "recovery_codes_left": sum(1 for code in codes if code.used_at is None),
        "recovery_codes_used_at": [iso(code.used_at) for code in codes if code.used_at],
        "sessions": [
            {
                "signed_in_at": iso(x.created_at),
                "last_used_at": iso(x.last_seen_at),
                "device": x.device,
                "method": x.method,
                "with_second_factor": x.second_factor,
                "ended_at": iso(x.ended_at),
            }
            for x in sessions
        ],
    }


def personal_data(user: User) -> dict:
    """Everything held about this person, with stable keys, ready for data.json."""
    return {
        "format": "trauma-champions-network-data-export",
        "format_version": FORMAT_VERSION,
        "generated_at": iso(utcnow()),
        "account": _account(user),
        "sign_in": _sign_in(user),
        "champion_profile": _profile(user),
        "consents": _consents(user),
        "discussions": _discussions(user),
        "case_studies": _case_studies(user),
        "events": _events(user),
        "messages": _messages(user),
        "quarterly_returns": _returns(user),
        "buddies": _buddies(user),
        "self_assessments": _assessments(user),
        "emails_sent_to_you": _emails(user),
        "audit_entries": _audit(user),
        "data_exports": _exports(user),
    }
