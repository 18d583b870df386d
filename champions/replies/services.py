"""Taking one received email: check who sent it and what it answers, keep only the new words, post them.

Everything a person types on the site goes through the same services here (discussions' reply, messages'
reply), so the usual rules hold: locked threads, blocks, closed accounts, Markdown made safe, and the same
email twice posts once (its Message-ID is the form key). What is refused is logged (ReceivedMail, never
the words) and never posted. A person is told by email only when the email was surely theirs (a good,
if expired, token and their own address), never the sender of a forged or bounced one, so a forged email
cannot make the portal write to a stranger.
"""

import hashlib
import logging
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

from flask import current_app
from mailparser_reply import EmailMessage as ParsedReply
from sqlalchemy import func, select

from champions import mail, reply_address
from champions.accounts.models import User
from champions.clock import utcnow
from champions.discussions.models import BODY_MAX as POST_MAX
from champions.discussions.models import Thread
from champions.discussions.services import posting
from champions.extensions import db
from champions.links import external_url
from champions.messages import queries as message_queries
from champions.messages import services as message_services
from champions.messages.models import BODY_MAX as MESSAGE_MAX
from champions.replies.models import POSTED, POSTED_WITHOUT_ATTACHMENTS, ReceivedMail

log = logging.getLogger(__name__)

MAX_RECEIVED_HEADERS = 20  # more hops than any real reply takes: a loop between mail servers
AUTO_PRECEDENCE = {"bulk", "auto_reply", "list", "junk"}
# The same as posting on the site (discussions' POSTING_LIMIT), counted from this log.
RATE_LIMIT, RATE_WINDOW = 20, timedelta(minutes=10)

# Kind words for the person, when their own reply could not be posted.
TOLD = {
    "expired": "the reply address in that email has expired (they last {days} days)",
    "html only": "it had no plain-text version, and the portal only posts plain text",
    "empty": "we could not find any new words in it, above the quoted email",
    "too long": "it was longer than the {limit:,} characters a reply can have",
    "cannot post": "it can no longer be posted there (the thread may be locked, or the conversation closed)",
    "rate limited": "you have sent a lot of replies in the last few minutes; please wait a little",
    POSTED_WITHOUT_ATTACHMENTS: "",
}


class Refused(Exception):
    def __init__(self, outcome: str):
        super().__init__(outcome)
        self.outcome = outcome


def parse(content: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(content)


def receive(mail_from: str, recipients: list[str], content: bytes) -> list[str]:
    """Take one email for each of its reply addresses; return what became of it for each."""
    message = parse(content)
    return [_receive_one(mail_from, recipient, message) for recipient in recipients]


def _receive_one(mail_from: str, recipient: str, message: EmailMessage) -> str:
    entry = ReceivedMail(kind="", outcome="")
    try:
        _refuse_machines(mail_from, message)
        claim = _claim(recipient, mail_from, message, entry)
        user = _person(claim, mail_from, message, entry)
        entry.message_key = _message_key(message)
        if _seen(entry.message_key):
            raise Refused("reused")
        text, dropped = _new_words(message)
        _post(claim, user, text, entry)
        entry.outcome = POSTED_WITHOUT_ATTACHMENTS if dropped else POSTED
        if dropped:
            _tell(user, claim, POSTED_WITHOUT_ATTACHMENTS)
    except Refused as refused:
        db.session.rollback()
        entry.outcome = refused.outcome
        if entry.user_id and refused.outcome in TOLD:
            _tell(db.session.get(User, entry.user_id), entry, refused.outcome)
    posted = entry.outcome in (POSTED, POSTED_WITHOUT_ATTACHMENTS)
    log.log(
        logging.INFO if posted else logging.WARNING,
        "Reply email %s: %s (kind %s, id %s, person %s)",
        _header(message, "Message-ID") or "(no Message-ID)",
        entry.outcome,
        entry.kind or "-",
        entry.target_id,
        entry.user_id,
    )
    db.session.add(entry)
    db.session.commit()
    return entry.outcome


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip().lower()
    except (TypeError, ValueError, IndexError, AttributeError):  # a header the library cannot make sense of
        return "?"


def _refuse_machines(mail_from: str, message: EmailMessage) -> None:
    """Bounces, auto-replies and loops: mail no person wrote."""
    if mail_from.strip("<> ") == "" or message.get_content_type() == "multipart/report":
        raise Refused("bounce")
    if _header(message, mail.LOOP_HEADER) or len(message.get_all("Received") or []) > MAX_RECEIVED_HEADERS:
        raise Refused("loop")
    auto = _header(message, "Auto-Submitted")
    if (auto and auto != "no") or _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        raise Refused("auto-reply")
    if _header(message, "Precedence") in AUTO_PRECEDENCE:
        raise Refused("auto-reply")


def _claim(recipient: str, mail_from: str, message: EmailMessage, entry: ReceivedMail):
    token = reply_address.token_in(recipient)
    try:
        claim = reply_address.read_token(token or "")
    except reply_address.TokenInvalid:
        raise Refused("forged") from None
    except reply_address.TokenExpired as expired:
        entry.kind, entry.target_id = expired.claim.kind, expired.claim.target_id
        # Only tell the person when the email is surely theirs; otherwise nobody is written to.
        user = db.session.get(User, expired.claim.user_id)
        if user is not None and _sent_by(user, mail_from, message):
            entry.user_id = user.id
        raise Refused("expired") from None
    entry.kind, entry.target_id = claim.kind, claim.target_id
    return claim


def _sent_by(user: User, mail_from: str, message: EmailMessage) -> bool:
    """The envelope sender and the one From address are both the person's account email (any letter case)."""
    try:
        senders = getaddresses([str(value) for value in message.get_all("From") or []])
    except (TypeError, ValueError):
        return False
    own = user.email.strip().lower()
    return (
        len(senders) == 1 and senders[0][1].strip().lower() == own and mail_from.strip("<> ").lower() == own
    )


def _person(claim, mail_from: str, message: EmailMessage, entry: ReceivedMail) -> User:
    user = db.session.get(User, claim.user_id)
    if user is None or not user.is_active or user.is_closed:
        raise Refused("account closed")
    if not _sent_by(user, mail_from, message):
        raise Refused("sender mismatch")
    entry.user_id = user.id
    return user


def _message_key(message: EmailMessage) -> str:
    """Names the email: its Message-ID, or without one (rare) the whole email, so a resend is known."""
    message_id = _header(message, "Message-ID")
    named = message_id.encode() if message_id else message.as_bytes()
    return hashlib.sha256(named).hexdigest()


def _seen(message_key: str) -> bool:
    posted = ReceivedMail.outcome.in_([POSTED, POSTED_WITHOUT_ATTACHMENTS])
    return (
        db.session.scalar(select(ReceivedMail.id).where(ReceivedMail.message_key == message_key, posted))
        is not None
    )


def _new_words(message: EmailMessage) -> tuple[str, bool]:
    """The words above the quoted email and signature, and whether attachments were left out."""
    dropped = False
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment" or part.get_content_maintype() != "text":
            dropped = True
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        raise Refused("html only" if message.get_body(preferencelist=("html",)) is not None else "empty")
    try:
        text = body.get_content()
    except (LookupError, ValueError, UnicodeError):  # an unknown or lying character set
        raise Refused("unreadable") from None
    text = text.replace("\x00", "").replace("\r\n", "\n")
    parsed = ParsedReply(text=text, languages=["en"], keep_hyphen_lists=True).read()
    first = parsed.replies[0] if parsed.replies else None
    # A first part with a header ("On Monday, Bob wrote:") is the quoted email: nothing new above it.
    words = first.body.strip() if first is not None and not first.headers else ""
    if not words:
        raise Refused("empty")
    return words, dropped


def _post(claim, user: User, text: str, entry: ReceivedMail) -> None:
    since = utcnow() - RATE_WINDOW
    recent = db.session.scalar(
        select(func.count(ReceivedMail.id)).where(
            ReceivedMail.user_id == user.id,
            ReceivedMail.received_at >= since,
            ReceivedMail.outcome.in_([POSTED, POSTED_WITHOUT_ATTACHMENTS]),
        )
    )
    if recent >= RATE_LIMIT:
        raise Refused("rate limited")
    form_key = entry.message_key[:36]
    if claim.kind == "thread":
        thread = db.session.get(Thread, claim.target_id)
        if thread is None:
            raise Refused("gone")
        if len(text) > POST_MAX:
            raise Refused("too long")
        try:
            posting.reply(thread, user, text, form_key=form_key)
        except posting.ThreadLocked:
            raise Refused("cannot post") from None
    else:
        conversation = message_queries.conversation(claim.target_id)
        if conversation is None or not conversation.is_between(user):
            raise Refused("gone")
        if len(text) > MESSAGE_MAX:
            raise Refused("too long")
        try:
            message_services.reply(conversation, user, text, form_key)
        except message_services.CannotMessage:
            raise Refused("cannot post") from None


def _link(kind: str, target_id: int | None) -> str:
    if kind == "thread":
        return external_url("discussions.detail", thread_id=target_id)
    return external_url("messages.detail", conversation_id=target_id)


def _tell(user: User | None, claim, outcome: str) -> None:
    """A kind email to the person whose reply was not (or not wholly) posted; marked as automatic."""
    if user is None or not user.is_active:
        return
    limit = POST_MAX if claim.kind == "thread" else MESSAGE_MAX
    reason = TOLD[outcome].format(days=current_app.config["REPLY_TOKEN_DAYS"], limit=limit)
    subject = (
        "Your reply was posted without its attachments" if reason == "" else "Your reply could not be posted"
    )
    mail.queue(
        user.email,
        subject,
        "replies/not_posted",
        headers={"Auto-Submitted": "auto-replied"},
        user=user,
        reason=reason,
        where="thread" if claim.kind == "thread" else "conversation",
        link=_link(claim.kind, claim.target_id),
    )
    db.session.commit()
