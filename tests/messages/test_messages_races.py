"""Two messages at once to someone who has read everything email them once ("at most one email until they
have read it"): the other message's email is committed between this one's check and its first write
(tests/straddle.py)."""

import uuid

from sqlalchemy import update

from champions.extensions import db
from champions.messages import services
from champions.messages.models import ConversationMember
from tests.straddle import other_commits_first


def test_two_messages_at_once_email_the_reader_once(make_user, make_champion, start, outbox):
    member, champion = make_user(), make_champion()
    conversation = start(member, champion.user)
    services.reply(conversation, champion.user, "Happy to talk", form_key=str(uuid.uuid4()))
    services.mark_read(conversation.member_for(member))
    db.session.expire_all()
    assert not conversation.member_for(member).emailed  # read as "not emailed" before the other message
    emails = len(outbox.messages(member.email))
    table = ConversationMember.__table__

    def the_other_message_emailed(other):
        other.execute(
            update(table)
            .where(table.c.conversation_id == conversation.id, table.c.user_id == member.id)
            .values(emailed=True)
        )

    with other_commits_first(the_other_message_emailed):
        services.reply(conversation, champion.user, "And one more thing", form_key=str(uuid.uuid4()))
    assert len(outbox.messages(member.email)) == emails
