"""Reads for the message pages: a person's conversations, one thread, blocks, settings and coordinators."""

from sqlalchemy import case, func, literal_column, or_, select
from sqlalchemy.orm import joinedload, selectinload

from champions.accounts.models import Role, User
from champions.accounts.queries import account_in_areas
from champions.directory.models import ChampionProfile
from champions.extensions import db
from champions.messages.models import (
    Conversation,
    ConversationMember,
    Message,
    MessageBlock,
    MessageSetting,
)

PER_PAGE = 25


def conversations_page(user: User, page: int):
    """This person's conversations, newest first, with both people loaded."""
    statement = (
        select(Conversation)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(ConversationMember.user_id == user.id)
        .options(selectinload(Conversation.members).joinedload(ConversationMember.user))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def conversation(conversation_id: int) -> Conversation | None:
    return db.session.scalar(
        select(Conversation)
        .where(Conversation.id == conversation_id)
        .options(
            selectinload(Conversation.members).joinedload(ConversationMember.user),
            selectinload(Conversation.messages).joinedload(Message.author),
        )
        .execution_options(populate_existing=True)
    )


def reported_conversations() -> list[Conversation]:
    """Conversations with an open report, oldest report first, for the coordinators."""
    return list(
        db.session.scalars(
            select(Conversation)
            .where(Conversation.reported_at.is_not(None), Conversation.report_closed_at.is_(None))
            .options(selectinload(Conversation.members).joinedload(ConversationMember.user))
            .order_by(Conversation.reported_at)
        )
    )


def open_report_counts(area_ids: frozenset[int]) -> tuple[int, int]:
    """Count conversations waiting for a coordinator: those reported by someone in these areas, and all."""
    local = account_in_areas(area_ids)
    flag = case((local, 1), else_=0) if area_ids else literal_column("0")
    row = db.session.execute(
        select(func.coalesce(func.sum(flag), 0), func.count(Conversation.id))
        .join(User, User.id == Conversation.reported_by_id)
        .where(Conversation.reported_at.is_not(None), Conversation.report_closed_at.is_(None))
    ).one()
    return int(row[0]), int(row[1])


def takes_new_conversations(user_id: int) -> bool:
    """Whether a champion lets people start conversations with them: their own setting, never blocks."""
    return settings_for(user_id).contact_on


def settings_for(user_id: int) -> MessageSetting:
    """The person's saved settings, or the defaults (not added to the session)."""
    saved = db.session.get(MessageSetting, user_id)
    return saved or MessageSetting(user_id=user_id, email_on=True, contact_on=True)


def blocked_between(a_id: int, b_id: int) -> bool:
    """True when either person has blocked the other."""
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(MessageBlock)
            .where(
                or_(
                    (MessageBlock.blocker_id == a_id) & (MessageBlock.blocked_id == b_id),
                    (MessageBlock.blocker_id == b_id) & (MessageBlock.blocked_id == a_id),
                )
            )
        )
    )


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.get(MessageBlock, (blocker_id, blocked_id)) is not None


def blocks_by(user_id: int) -> list[MessageBlock]:
    return list(
        db.session.scalars(
            select(MessageBlock)
            .where(MessageBlock.blocker_id == user_id)
            .options(joinedload(MessageBlock.blocked))
            .order_by(MessageBlock.created_at)
        )
    )


def listed_profile(profile_id: int) -> ChampionProfile | None:
    return db.session.get(ChampionProfile, profile_id, options=[joinedload(ChampionProfile.user)])


def coordinators_for(user: User) -> list[User]:
    """The coordinators of the person's council area; every coordinator when their area has none."""
    base = (
        select(User)
        .options(joinedload(User.council_area))
        .where(
            User.role == Role.COORDINATOR.value,
            User.active.is_(True),
            User.email_verified_at.is_not(None),
            User.id != user.id,
        )
    )
    if user.council_area_id is not None:
        local = list(
            db.session.scalars(base.where(User.council_area_id == user.council_area_id).order_by(User.name))
        )
        if local:
            return local
    return list(db.session.scalars(base.order_by(User.name)))
