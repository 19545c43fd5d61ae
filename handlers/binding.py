"""/bind, /unbind and /org_parent: which organisation a group belongs to, and where."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, filters

from bot import texts
from bot.context import AppContext
from bot.core.domain import Domain
from bot.core.errors import NotFound
from bot.services import organisations
from handlers.common import command_args, group_record


def split_bind_args(args: str) -> tuple[str, Domain | None]:
    """`城关镇第一党支部 机关` -> (name, domain); a last word that is a domain label is one."""
    words = args.split()
    if len(words) > 1 and (domain := Domain.from_label(words[-1])) is not None:
        return " ".join(words[:-1]), domain
    return " ".join(words), None


async def _admin_caller(update: Update, context: AppContext) -> Message | None:
    """The command's message when a Telegram admin of the group or a superadmin sent it."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    if context.is_superadmin(user.id) or await context.runtime.admins.is_admin(
        context.bot, message.chat.id, user.id
    ):
        return message
    await message.reply_text(texts.ADMINS_ONLY)
    return None


async def cmd_bind(update: Update, context: AppContext) -> None:
    """Bind the group to an organisation (Telegram admins of the group and superadmins)."""
    message = await _admin_caller(update, context)
    if message is None or message.from_user is None:
        return
    name, domain = split_bind_args(command_args(message))
    if not name:
        await message.reply_text(texts.BIND_USAGE)
        return
    admins = [a.user.id for a in await message.chat.get_administrators() if not a.user.is_bot]
    async with context.transaction() as session:
        record = await group_record(session, message.chat, context)
        result = await organisations.bind_chat(session, record, name, domain, context.now())
        await organisations.seed_members(
            session, result.organisation, [*admins, message.from_user.id], context.now()
        )
    org = result.organisation
    reply = texts.BIND_DONE.format(org=org.name, kind=org.kind.label, domain=org.domain.label)
    if result.created:
        reply += texts.BIND_CREATED
    if result.previous is not None and result.previous.id != org.id:
        reply += texts.BIND_REPLACED.format(previous=result.previous.name)
    await message.reply_text(reply)


async def cmd_unbind(update: Update, context: AppContext) -> None:
    """Unbind the group from its organisation."""
    message = await _admin_caller(update, context)
    if message is None:
        return
    async with context.transaction() as session:
        record = await group_record(session, message.chat, context)
        previous = await organisations.unbind_chat(session, record, context.now())
    if previous is None:
        await message.reply_text(texts.NOT_BOUND)
    else:
        await message.reply_text(texts.UNBIND_DONE.format(org=previous.name))


async def cmd_org_parent(update: Update, context: AppContext) -> None:
    """Place the group's organisation under another (superadmins only)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not context.is_superadmin(user.id):
        await message.reply_text(texts.SUPERADMINS_ONLY)
        return
    parent_name = command_args(message)
    if not parent_name:
        await message.reply_text(texts.ORG_PARENT_USAGE)
        return
    async with context.transaction() as session:
        record = await group_record(session, message.chat, context)
        organisation = await organisations.organisation_of(session, record)
        if organisation is None:
            raise NotFound(texts.NOT_BOUND)
        parent = await organisations.place_under(session, organisation, parent_name)
    await message.reply_text(
        texts.ORG_PARENT_DONE.format(org=organisation.name, parent=parent.name)
    )


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register this module's handlers."""
    in_groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("bind", cmd_bind, in_groups), group)
    application.add_handler(CommandHandler("unbind", cmd_unbind, in_groups), group)
    application.add_handler(CommandHandler("org_parent", cmd_org_parent, in_groups), group)
