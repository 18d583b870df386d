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
import re
from datetime import timedelta
from email import errors, policy
from email.message import EmailMessage
from email.parser import BytesParser

from flask import current_app
from mailparser_reply import EmailMessage as ParsedReply
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

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

# A reply has a few MIME parts; 25,000 tiny ones fit in 1 MB and take seconds to parse, during which the
# server answers nobody. Counted on the raw bytes, before parsing.
MAX_PARTS = 50
_PART_HEADER = re.compile(rb"^content-type:", re.IGNORECASE | re.MULTILINE)
MAX_RECEIVED_HEADERS = 20  # more hops than any real reply takes: a loop between mail servers
AUTO_PRECEDENCE = {"bulk", "auto_reply", "list", "junk"}
# The same as posting on the site (discussions' POSTING_LIMIT), counted from this log.
RATE_LIMIT, RATE_WINDOW = 20, timedelta(minutes=10)
# At most this many "your reply could not be posted" emails to one person an hour: someone holding a
# forwarded reply address (and writing the person's address as sender) cannot make the portal flood them.
TELL_LIMIT, TELL_WINDOW = 3, timedelta(hours=1)

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
    if len(_PART_HEADER.findall(content)) > MAX_PARTS:
        log.warning("Reply email refused: more than %s parts", MAX_PARTS)
        return [_log_only(ReceivedMail(kind="", outcome="too many parts")) for _ in recipients]
    try:
        message = parse(content)
    except Exception as error:  # a parser failure is the email's fault: refuse, never retry
        log.warning("Reply email could not be parsed (%s)", type(error).__name__)
        return [_log_only(ReceivedMail(kind="", outcome="unreadable")) for _ in recipients]
    return [_receive_one(mail_from, recipient, message, content) for recipient in recipients]


def _log_only(entry: ReceivedMail) -> str:
    db.session.add(entry)
    db.session.commit()
    return entry.outcome


def _receive_one(mail_from: str, recipient: str, message: EmailMessage, content: bytes = b"") -> str:
    entry = ReceivedMail(kind="", outcome="")
    try:
        _refuse_machines(mail_from, message)
        claim = _claim(recipient, mail_from, message, entry)
        user = _person(claim, mail_from, message, entry)
        entry.message_key = _message_key(message, content)
        if _seen(entry.message_key):
            raise Refused("reused")
        text, dropped = _new_words(message, POST_MAX if claim.kind == "thread" else MESSAGE_MAX)
        _post(claim, user, text, entry)
        entry.outcome = POSTED_WITHOUT_ATTACHMENTS if dropped else POSTED
        if dropped:
            _tell(user, claim, POSTED_WITHOUT_ATTACHMENTS)
    except Refused as refused:
        db.session.rollback()
        entry.outcome = refused.outcome
        if entry.user_id and refused.outcome in TOLD:
            _tell(db.session.get(User, entry.user_id), entry, refused.outcome)
    except SQLAlchemyError:
        raise  # the database, not the email: the sending server tries again later
    except Exception as error:  # e.g. too deeply nested to walk: refused, never retried
        db.session.rollback()
        entry.outcome = "unreadable"
        log.warning("Reply email could not be read (%s)", type(error).__name__)
    posted = entry.outcome in (POSTED, POSTED_WITHOUT_ATTACHMENTS)
    # Never the words, the addresses or the Message-ID (it often names the sender): a short hash of it.
    log.log(
        logging.INFO if posted else logging.WARNING,
        "Reply email %s: %s (kind %s, id %s, person %s)",
        (entry.message_key or "")[:12] or "-",
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
    """The envelope sender and the one From address are both the person's account email (any letter case).

    The From header is read as the mail library parses it (one header, one address, nothing it had to
    guess at), never re-parsed from its decoded text: that let `=?utf-8?q?ann=40example.org?=
    <mallory@evil.example>` and `ann@example.org <mallory@evil.example>` pass as Ann.
    """
    own = user.email.strip().lower()
    if mail_from.strip("<> ").lower() != own:
        return False
    try:
        headers = message.get_all("From") or []
        if len(headers) != 1:
            return False
        header = headers[0]
        addresses = header.addresses
        if any(not isinstance(defect, errors.ObsoleteHeaderDefect) for defect in header.defects):
            return False
    except Exception:  # a From header the library cannot make sense of is not the person's
        return False
    return len(addresses) == 1 and addresses[0].addr_spec.strip().lower() == own


def _person(claim, mail_from: str, message: EmailMessage, entry: ReceivedMail) -> User:
    user = db.session.get(User, claim.user_id)
    if user is None or not user.is_active or user.is_closed:
        raise Refused("account closed")
    if not _sent_by(user, mail_from, message):
        raise Refused("sender mismatch")
    entry.user_id = user.id
    return user


def _message_key(message: EmailMessage, content: bytes) -> str:
    """Names the email: its Message-ID, or without a readable one (rare) all of it, so a resend is known."""
    message_id = _header(message, "Message-ID")
    if message_id in ("", "?"):  # "?" is any unreadable header: they must not all share one key
        return hashlib.sha256(content or message.as_bytes()).hexdigest()
    return hashlib.sha256(message_id.encode("utf-8", "surrogateescape")).hexdigest()


def _seen(message_key: str) -> bool:
    posted = ReceivedMail.outcome.in_([POSTED, POSTED_WITHOUT_ATTACHMENTS])
    return (
        db.session.scalar(select(ReceivedMail.id).where(ReceivedMail.message_key == message_key, posted))
        is not None
    )


def _new_words(message: EmailMessage, limit: int) -> tuple[str, bool]:
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
    parsed = ParsedReply(text=_parser_safe(text, limit), languages=["en"], keep_hyphen_lists=True).read()
    first = parsed.replies[0] if parsed.replies else None
    # A first part with a header ("On Monday, Bob wrote:") is the quoted email: nothing new above it.
    words = _long_lines_back(first.body, text).strip() if first is not None and not first.headers else ""
    # Quoted lines (">") with no header above them are the old email too: drop them at the end, and an
    # email of nothing else is empty. Answers written between quoted lines are kept with their quotes.
    lines = words.splitlines()
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    if not any(line.strip() and not line.lstrip().startswith(">") for line in lines):
        raise Refused("empty")
    return "\n".join(lines).strip(), dropped


# mail-parser-reply's "On … wrote:" pattern backtracks on a long line of "On a wrote On a wrote …": 12,000
# characters took 4 seconds and 180,000 minutes, with the server answering nobody. So the parser reads
# only the start of the text (new words longer than `limit` are refused anyway: if the quote starts later,
# the words above it are too long) and never a line over LONG_LINE characters (no real "On … wrote:"
# line is that long): such a line is handed over as a placeholder and put back in what it returns.
LONG_LINE = 500
_PLACEHOLDER = "\x00long-line-{}\x00"


def _parser_safe(text: str, limit: int) -> str:
    lines = text[: limit + 2_000].split("\n")
    return "\n".join(
        _PLACEHOLDER.format(number) if len(line) > LONG_LINE else line for number, line in enumerate(lines)
    )


def _long_lines_back(words: str, text: str) -> str:
    lines = text.split("\n")
    return re.sub("\x00long-line-(\\d+)\x00", lambda found: lines[int(found.group(1))], words)


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
    told = db.session.scalar(
        select(func.count(ReceivedMail.id)).where(
            ReceivedMail.user_id == user.id,
            ReceivedMail.received_at >= utcnow() - TELL_WINDOW,
            ReceivedMail.outcome.in_(list(TOLD)),
        )
    )
    if told >= TELL_LIMIT:
        return  # they have been told lately; the log still says what became of this one
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
