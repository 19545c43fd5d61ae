"""Builders for the JSON objects Telegram sends: ChatMember, ChatMemberUpdated, polls..."""

from __future__ import annotations

from typing import Any

from .world import Chat, User

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def chat_member(user: User, status: str) -> dict[str, Any]:
    """A ChatMember object of the subtype that matches `status`."""
    member: dict[str, Any] = {"status": status, "user": user.to_dict()}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(_ADMIN_RIGHTS)
    elif status == "kicked":
        member["until_date"] = 0
    return member


def chat_member_updated(
    chat: Chat, actor: User, date: int, subject: User, old: str, new: str
) -> dict[str, Any]:
    """A ChatMemberUpdated: `actor` changed `subject`'s status in `chat` from old to new."""
    return {
        "chat": chat.to_dict(),
        "from": actor.to_dict(),
        "date": date,
        "old_chat_member": chat_member(subject, old),
        "new_chat_member": chat_member(subject, new),
    }


def full_chat_info(chat: Chat) -> dict[str, Any]:
    """The ChatFullInfo answer of getChat."""
    info = chat.to_dict()
    info.update(
        {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": dict(_NO_GIFTS)}
    )
    if chat.is_group:
        info["permissions"] = {"can_send_messages": True, "can_invite_users": True}
    return info


def bot_info(bot: User, *, privacy_mode: bool, inline: bool) -> dict[str, Any]:
    """The User object of getMe, with the bot-only flags."""
    info = bot.to_dict()
    info.update(
        {
            "can_join_groups": True,
            "can_read_all_group_messages": not privacy_mode,
            "supports_inline_queries": inline,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
    )
    return info


def poll_object(
    poll_id: str,
    question: str,
    options: list[str],
    settings: dict[str, Any],
) -> dict[str, Any]:
    """A Poll object with no votes yet; `settings` carries type, flags and quiz fields."""
    poll: dict[str, Any] = {
        "id": poll_id,
        "question": question,
        "options": [
            {"persistent_id": str(i), "text": text, "voter_count": 0}
            for i, text in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": True,
        "members_only": False,
    }
    poll.update(settings)
    return poll
