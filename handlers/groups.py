"""Life in a group: the bot arrives or leaves, members join and leave, groups upgrade."""

from __future__ import annotations

from telegram import Chat, ChatMember, ChatMemberUpdated, Update
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from bot import texts
from bot.context import AppApplication, AppContext
from handlers.common import is_group, person, place

PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED}


def membership_change(change: ChatMemberUpdated) -> tuple[bool, bool]:
    """(was present, is present) for a ChatMemberUpdated; restricted counts if still a member."""

    def present(member: ChatMember) -> bool:
        if member.status == ChatMember.RESTRICTED:
            return bool(getattr(member, "is_member", False))
        return member.status in PRESENT

    return present(change.old_chat_member), present(change.new_chat_member)


async def on_my_chat_member(update: Update, context: AppContext) -> None:
    """The bot was added to or removed from a chat, or blocked/unblocked privately."""
    change = update.my_chat_member
    if change is None:
        return
    was_in, is_in = membership_change(change)
    chat, chats = change.chat, context.services.chats
    if chat.type == Chat.PRIVATE:
        if not is_in:
            await chats.private_closed(change.from_user.id)
        return
    if not is_group(chat) or was_in == is_in:
        return
    if not is_in:
        await chats.bot_removed(chat.id)
        return
    organisation = await chats.bot_added(place(chat))
    context.runtime.admins.forget_chat(chat.id)
    if organisation is None:
        await context.bot.send_message(chat.id, texts.GREETING)
    else:
        await context.bot.send_message(chat.id, texts.GREETING_BOUND.format(org=organisation.name))


async def on_chat_member(update: Update, context: AppContext) -> None:
    """Someone joined or left a group (needs the bot to be an admin to be told)."""
    change = update.chat_member
    if change is None or not is_group(change.chat):
        return
    was_in, is_in = membership_change(change)
    user = change.new_chat_member.user
    context.runtime.admins.forget_chat(change.chat.id)
    if user.is_bot or was_in == is_in:
        return
    if is_in:
        await context.services.chats.roster_changed(place(change.chat), [person(user)])
    else:
        await context.services.chats.roster_changed(place(change.chat), [], [user.id])


async def on_service_message(update: Update, context: AppContext) -> None:
    """Join and leave notices, seen even when the bot is not an admin."""
    message = update.effective_message
    if message is None or not is_group(message.chat):
        return
    joined = [person(user) for user in message.new_chat_members or () if not user.is_bot]
    gone = message.left_chat_member
    left = [gone.id] if gone is not None and not gone.is_bot else []
    await context.services.chats.roster_changed(place(message.chat), joined, left)


async def on_migration(update: Update, context: AppContext) -> None:
    """The group became a supergroup: move its rows to the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await context.services.chats.migrated(old_id, new_id)
    context.runtime.admins.forget_chat(old_id)


async def on_any_group_message(update: Update, context: AppContext) -> None:
    """Anyone who writes in a bound group is on its roster."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or user.is_bot or not is_group(message.chat):
        return
    await context.services.chats.seen_writing(place(message.chat), person(user))


def setup(application: AppApplication, group: int, presence_group: int) -> None:
    """Register this module's handlers."""
    application.add_handler(
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER), group
    )
    application.add_handler(
        ChatMemberHandler(on_chat_member, ChatMemberHandler.CHAT_MEMBER), group
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration), group)
    application.add_handler(
        MessageHandler(
            filters.StatusUpdate.NEW_CHAT_MEMBERS | filters.StatusUpdate.LEFT_CHAT_MEMBER,
            on_service_message,
        ),
        group,
    )
    # Recording the sender runs in its own, earlier group so that commands still match after.
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & ~filters.StatusUpdate.ALL, on_any_group_message),
        presence_group,
    )
