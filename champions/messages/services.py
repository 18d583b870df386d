"""Starting and continuing conversations, reading, blocking, settings, mail, reports and erasure."""

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from champions import audit, mail, once, reply_address
from champions.accounts import services as accounts_services
from champions.accounts.models import User
from champions.clock import utcnow
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.links import external_url
from champions.messages import queries
from champions.messages.models import (
    Conversation,
    ConversationMember,
    Message,
    MessageBlock,
    MessageSetting,
)
from champions.own_rows import save_own_row

REMOVED = "(This message was removed when its author closed their account.)"


class CannotMessage(Exception):
    """The message cannot go: contact is off, someone has blocked someone, or the account is not in use.

    Deliberately one exception with one kind message, so nobody learns that they were blocked.
    """


class ToYourself(Exception):
    """A person cannot start a conversation with themselves."""


def _can_reach(sender: User, recipient: User) -> None:
    if recipient.id == sender.id:
        raise ToYourself
    if not recipient.is_active or recipient.is_closed or queries.blocked_between(sender.id, recipient.id):
        raise CannotMessage


def check_can_contact_champion(sender: User, profile: ChampionProfile) -> None:
    """Raise unless this person may start a conversation with this listed champion."""
    if profile.user_id == sender.id:
        raise ToYourself
    if not profile.is_public or not queries.settings_for(profile.user_id).contact_on:
        raise CannotMessage
    _can_reach(sender, profile.user)


def check_can_contact_coordinator(sender: User, coordinator: User) -> None:
    if not coordinator.is_coordinator:
        raise CannotMessage
    _can_reach(sender, coordinator)


def start_conversation(
    sender: User, recipient: User, subject: str, body: str, form_key: str | None = None
) -> Conversation:
    """Open a conversation with its first message; the same form sent twice opens one."""
    sender_id = sender.id
    try:
        once.check(sender_id, form_key)
        _can_reach(sender, recipient)
        now = utcnow()
        conversation = Conversation(subject=subject, started_by=sender, created_at=now, last_message_at=now)
        db.session.add(conversation)
        conversation.members = [
            ConversationMember(user=sender, last_read_at=now),
            ConversationMember(user=recipient, unread=True),
        ]
        db.session.add(Message(conversation=conversation, author=sender, body=body, created_at=now))
        db.session.flush()
        _count_unread(recipient.id, +1)
        _tell(conversation, conversation.members[1], sender)
        once.commit(sender_id, form_key, "messages.create", conversation.id)
    except once.AlreadyDone as done:
        return db.session.get_one(Conversation, done.target_id)
    return conversation


def reply(conversation: Conversation, sender: User, body: str, form_key: str | None = None) -> Conversation:
    """Add a message to the conversation; the same form sent twice adds one."""
    sender_id = sender.id
    try:
        once.check(sender_id, form_key)
        other = next((m for m in conversation.members if m.user_id != sender_id), None)
        mine = conversation.member_for(sender)
        if other is None or mine is None:
            raise CannotMessage
        _can_reach(sender, other.user)
        now = utcnow()
        db.session.add(Message(conversation=conversation, author=sender, body=body, created_at=now))
        conversation.last_message_at = now
        if _set_unread(conversation.id, other.user_id, True):
            _count_unread(other.user_id, +1)
        _read(mine)  # replying is reading
        _tell(conversation, other, sender)
        once.commit(sender_id, form_key, "messages.reply", conversation.id)
    except once.AlreadyDone:
        pass
    return conversation


UNSUBSCRIBE_SALT = "messages.unsubscribe"


def unsubscribe_url(user: User) -> str:
    return external_url(
        "messages.unsubscribe", token=accounts_services.unsubscribe_token(user, UNSUBSCRIBE_SALT)
    )


def user_for_unsubscribe_token(token: str) -> User:
    return accounts_services.person_for_unsubscribe_token(token, UNSUBSCRIBE_SALT)


def _tell(conversation: Conversation, member: ConversationMember, sender: User) -> None:
    """Email the person about news, at most once a conversation until they have read it (no commit)."""
    person = member.user
    if member.emailed or not person.is_active or not queries.settings_for(person.id).email_on:
        return
    # Claimed in SQL: two messages at once (two tabs, both people) read "not emailed" both; one emails.
    claimed = db.session.execute(
        update(ConversationMember)
        .where(
            ConversationMember.conversation_id == conversation.id,
            ConversationMember.user_id == person.id,
            ConversationMember.emailed.is_(False),
        )
        .values(emailed=True),
        execution_options={"synchronize_session": False},
    ).rowcount
    if claimed != 1:
        return
    link = unsubscribe_url(person)
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    headers |= reply_address.headers(person.id, "conversation", conversation.id)
    mail.queue(
        person.email,
        f"New message from {sender.name}"[:200],
        "messages/new_message",
        headers=headers,
        can_reply="Reply-To" in headers,
        user=person,
        sender=sender,
        conversation=conversation,
        conversation_url=external_url("messages.detail", conversation_id=conversation.id),
        unsubscribe_url=link,
        settings_url=external_url("messages.settings"),
    )
    member.emailed = True


def _set_unread(conversation_id: int, user_id: int, unread: bool, **values) -> bool:
    """Flip the person's news flag in SQL, only if it is not set so already: True when it flipped.

    Guarded this way, two requests at once flip it once, so the counter on the account stays exact.
    """
    flipped = db.session.execute(
        update(ConversationMember)
        .where(
            ConversationMember.conversation_id == conversation_id,
            ConversationMember.user_id == user_id,
            ConversationMember.unread.is_(not unread),
        )
        .values(unread=unread, **values),
        execution_options={"synchronize_session": False},
    ).rowcount
    return flipped == 1


def _count_unread(user_id: int, change: int) -> None:
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(unread_conversations=User.unread_conversations + change),
        execution_options={"synchronize_session": False},
    )


def _read(member: ConversationMember) -> bool:
    """Clear the news in SQL (no commit); True when there was news to clear."""
    if not member.unread and not member.emailed:
        return False
    cleared = _set_unread(member.conversation_id, member.user_id, False, emailed=False, last_read_at=utcnow())
    if cleared:
        _count_unread(member.user_id, -1)
    elif member.emailed:  # read already, but the one email was sent since: let the next one go
        db.session.execute(
            update(ConversationMember)
            .where(
                ConversationMember.conversation_id == member.conversation_id,
                ConversationMember.user_id == member.user_id,
            )
            .values(emailed=False),
            execution_options={"synchronize_session": False},
        )
    db.session.expire(member)
    return True


def mark_read(member: ConversationMember) -> None:
    """Clear the person's news in this conversation, so the next message emails them again."""
    if _read(member):
        db.session.commit()


def _write_settings(user_id: int, **values) -> None:
    """Change the person's settings row, making it if need be; the same change sent twice makes one row."""
    save_own_row(MessageSetting, user_id, values, defaults={"email_on": True, "contact_on": True})


def save_settings(user: User, email_on: bool, contact_on: bool) -> None:
    _write_settings(user.id, email_on=email_on, contact_on=contact_on)


def unsubscribe(user: User) -> None:
    """Stop emails about new messages (from a link in an email: no sign-in)."""
    _write_settings(user.id, email_on=False)


def block(blocker: User, other: User) -> None:
    """Block the other person; blocking twice is one block."""
    if other.id == blocker.id or queries.has_blocked(blocker.id, other.id):
        return
    db.session.add(MessageBlock(blocker_id=blocker.id, blocked_id=other.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same block sent twice at once
        db.session.rollback()


def unblock(blocker: User, other_id: int) -> None:
    db.session.execute(
        delete(MessageBlock).where(MessageBlock.blocker_id == blocker.id, MessageBlock.blocked_id == other_id)
    )
    db.session.commit()


def _claim(conversation: Conversation, *where, **values) -> bool:
    """Change the conversation only if it is still in the state the action needs (a second sending finds
    it changed), so two sendings at once make one change and one audit entry."""
    changed = db.session.execute(
        update(Conversation).where(Conversation.id == conversation.id, *where).values(**values),
        execution_options={"synchronize_session": False},
    ).rowcount
    return changed == 1


def report(conversation: Conversation, reporter: User, reason: str) -> None:
    """Open the conversation to coordinators; a second report while one is open keeps the first."""
    open_report = Conversation.reported_at.is_not(None) & Conversation.report_closed_at.is_(None)
    values = dict(reported_at=utcnow(), reported_by_id=reporter.id, report_reason=reason)
    if _claim(conversation, ~open_report, report_closed_at=None, report_closed_by_id=None, **values):
        audit.record(reporter, "conversation.report", conversation)
    db.session.commit()


def record_coordinator_read(coordinator: User, conversation: Conversation) -> None:
    """Log a coordinator reading a reported conversation (an access log)."""
    audit.record(coordinator, "conversation.read", conversation)
    db.session.commit()


def close_report(coordinator: User, conversation: Conversation, note: str = "") -> None:
    """Close the report: the conversation is private to its two people again."""
    open_report = Conversation.reported_at.is_not(None) & Conversation.report_closed_at.is_(None)
    if _claim(conversation, open_report, report_closed_at=utcnow(), report_closed_by_id=coordinator.id):
        audit.record(coordinator, "conversation.close_report", conversation, note)
    db.session.commit()


def erase_for(user_ids: list[int], remove_words: bool) -> None:
    """On closing accounts: leave their conversations and drop their settings and blocks (no commit).

    The other person keeps their copy, with the author shown as a former member (the account row is
    renamed); with remove_words their messages are emptied too. A conversation nobody is left in goes.
    """
    if remove_words:
        db.session.execute(
            update(Message).where(Message.author_id.in_(user_ids)).values(body=REMOVED),
            execution_options={"synchronize_session": False},
        )
    for statement in (
        update(User).where(User.id.in_(user_ids)).values(unread_conversations=0),
        delete(ConversationMember).where(ConversationMember.user_id.in_(user_ids)),
        delete(MessageSetting).where(MessageSetting.user_id.in_(user_ids)),
        delete(MessageBlock).where(
            MessageBlock.blocker_id.in_(user_ids) | MessageBlock.blocked_id.in_(user_ids)
        ),
    ):
        db.session.execute(statement, execution_options={"synchronize_session": False})
    left = select(func.count()).where(ConversationMember.conversation_id == Conversation.id).scalar_subquery()
    empty = select(Conversation.id).where(left == 0)
    db.session.execute(
        delete(Message).where(Message.conversation_id.in_(empty)),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        delete(Conversation).where(Conversation.id.in_(empty)),
        execution_options={"synchronize_session": False},
    )
