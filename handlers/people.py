"""/start, /name, /help, /role and /status: who people are and what they may do."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot import texts
from bot.commands import visible_commands
from bot.context import AppApplication, AppContext
from bot.core.domain import MemberStatus, Role
from bot.services.members import Profile
from handlers.common import actor, command_args, is_group, person, replied_person, sender


def render_profile(profile: Profile) -> str:
    """The /start answer: who the user is, where they belong, and their numeric id."""
    return _memberships(profile) + texts.START_YOUR_ID.format(id=profile.user.id)


def _memberships(profile: Profile) -> str:
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
    if (found := sender(update)) is None:
        return
    message, user = found
    profile = await context.services.people.start(person(user))
    await message.reply_text(render_profile(profile))


async def cmd_name(update: Update, context: AppContext) -> None:
    """Record the caller's real name."""
    if (found := sender(update)) is None:
        return
    message, user = found
    text = command_args(message)
    if not text:
        await message.reply_text(texts.NAME_USAGE)
        return
    name = await context.services.people.set_name(person(user), text)
    await message.reply_text(texts.NAME_DONE.format(name=name))


async def cmd_help(update: Update, context: AppContext) -> None:
    """List exactly the commands the caller may use here."""
    if (found := sender(update)) is None:
        return
    message, user = found
    level = await context.services.people.level(actor(user, message.chat))
    private = not is_group(message.chat)
    header = texts.HELP_HEADER_PRIVATE if private else texts.HELP_HEADER_GROUP
    lines = [
        texts.HELP_LINE.format(
            name=c.name, args=f"{c.args} " if c.args else "", description=c.description
        )
        for c in visible_commands(private=private, level=level)
    ]
    await message.reply_text("\n".join([header, *lines]))


async def _assign(update: Update, context: AppContext, field: type[Role | MemberStatus]) -> None:
    if (found := sender(update)) is None:
        return
    message, user = found
    done = await context.services.people.assign(
        actor(user, message.chat), replied_person(message), field, command_args(message)
    )
    reply = texts.ROLE_DONE if field is Role else texts.STATUS_DONE
    await message.reply_text(reply.format(name=done.name, role=done.label, status=done.label))


async def cmd_role(update: Update, context: AppContext) -> None:
    """A manager sets a member's post by replying to their message."""
    await _assign(update, context, Role)


async def cmd_status(update: Update, context: AppContext) -> None:
    """A manager sets a member's standing by replying to their message."""
    await _assign(update, context, MemberStatus)


def setup(application: AppApplication, group: int) -> None:
    """Register this module's handlers."""
    application.add_handler(CommandHandler("start", cmd_start, filters.ChatType.PRIVATE), group)
    application.add_handler(CommandHandler("name", cmd_name), group)
    application.add_handler(CommandHandler("help", cmd_help), group)
    application.add_handler(CommandHandler("role", cmd_role, filters.ChatType.GROUPS), group)
    application.add_handler(CommandHandler("status", cmd_status, filters.ChatType.GROUPS), group)
