"""/start, /name, /help, /role and /status: who people are and what they may do."""

from __future__ import annotations

from telegram import Message, Update, User
from telegram.ext import Application, CommandHandler, filters

from bot import texts
from bot.commands import visible_commands
from bot.context import AppContext
from bot.core.domain import MemberStatus, Role
from bot.core.errors import InvalidInput
from bot.services import members
from bot.services.members import Profile
from handlers.common import (
    access_level,
    command_args,
    group_record,
    is_group,
    person,
    require_manager,
)


def render_profile(profile: Profile) -> str:
    """The /start answer: who the user is and where they belong."""
    if not profile.memberships:
        return texts.START_UNKNOWN
    lines = [
        texts.PROFILE_LINE.format(
            org=organisation.name,
            role=member.role.label,
            status=member.status.label,
            floating=texts.PROFILE_FLOATING if member.floating else "",
        )
        for member, organisation in profile.memberships
    ]
    if profile.user.real_name is None:
        lines.append(texts.PROFILE_NO_REAL_NAME)
    return texts.START_PROFILE.format(name=profile.user.name, memberships="\n".join(lines))


async def cmd_start(update: Update, context: AppContext) -> None:
    """Private /start: the bot may message the user from now on; show their profile."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    async with context.transaction() as session:
        profile = await members.open_private_chat(session, person(user), context.now())
    await message.reply_text(render_profile(profile))


async def cmd_name(update: Update, context: AppContext) -> None:
    """Record the caller's real name."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text = command_args(message)
    if not text:
        await message.reply_text(texts.NAME_USAGE)
        return
    async with context.transaction() as session:
        name = await members.set_real_name(session, person(user), text, context.now())
    await message.reply_text(texts.NAME_DONE.format(name=name))


async def cmd_help(update: Update, context: AppContext) -> None:
    """List exactly the commands the caller may use here."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    private = not is_group(message.chat)
    async with context.transaction() as session:
        chat = None if private else await group_record(session, message.chat, context)
        level = await access_level(session, context, chat, user.id)
    header = texts.HELP_HEADER_PRIVATE if private else texts.HELP_HEADER_GROUP
    lines = [
        texts.HELP_LINE.format(
            name=c.name, args=f"{c.args} " if c.args else "", description=c.description
        )
        for c in visible_commands(private=private, level=level)
    ]
    await message.reply_text("\n".join([header, *lines]))


def _target(message: Message) -> User:
    """The person whose message the command replies to."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.is_bot:
        raise InvalidInput(texts.REPLY_TO_A_PERSON)
    return replied.from_user


async def _assign(update: Update, context: AppContext, *, is_role: bool) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    enum = Role if is_role else MemberStatus
    usage = (texts.ROLE_USAGE if is_role else texts.STATUS_USAGE).format(choices=enum.labels())
    async with context.transaction() as session:
        chat = await group_record(session, message.chat, context)
        await require_manager(session, context, chat, user.id)
        value = enum.from_label(command_args(message))
        if value is None:
            raise InvalidInput(usage)
        target = _target(message)
        who = person(target)
        if isinstance(value, Role):
            member = await members.assign(session, chat, who, context.now(), role=value)
            reply = texts.ROLE_DONE.format(name=member.user.name, role=value.label)
        else:
            member = await members.assign(session, chat, who, context.now(), status=value)
            reply = texts.STATUS_DONE.format(name=member.user.name, status=value.label)
    await message.reply_text(reply)


async def cmd_role(update: Update, context: AppContext) -> None:
    """A manager sets a member's post by replying to their message."""
    await _assign(update, context, is_role=True)


async def cmd_status(update: Update, context: AppContext) -> None:
    """A manager sets a member's standing by replying to their message."""
    await _assign(update, context, is_role=False)


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register this module's handlers."""
    application.add_handler(CommandHandler("start", cmd_start, filters.ChatType.PRIVATE), group)
    application.add_handler(CommandHandler("name", cmd_name), group)
    application.add_handler(CommandHandler("help", cmd_help), group)
    application.add_handler(CommandHandler("role", cmd_role, filters.ChatType.GROUPS), group)
    application.add_handler(CommandHandler("status", cmd_status, filters.ChatType.GROUPS), group)
