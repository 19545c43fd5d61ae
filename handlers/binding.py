"""/bind, /unbind and /org_parent: which organisation a group belongs to, and where."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot import texts
from bot.context import AppContext
from bot.core.domain import Domain
from bot.services import organisations
from handlers.common import command_args, group_record, is_group


def split_bind_args(args: str) -> tuple[str, Domain | None]:
    """`城关镇第一党支部 机关` -> (name, domain); a last word that is a domain label is one."""
    words = args.split()
    if len(words) > 1 and (domain := Domain.from_label(words[-1])) is not None:
        return " ".join(words[:-1]), domain
    return " ".join(words), None


async def _may_bind(update: Update, context: AppContext) -> bool:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None
    assert chat is not None
    if context.is_superadmin(user.id):
        return True
    return await context.runtime.admins.is_admin(context.bot, chat.id, user.id)


async def cmd_bind(update: Update, context: AppContext) -> None:
    """Bind the group to an organisation (Telegram admins of the group and superadmins)."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    if not is_group(chat):
        await message.reply_text(texts.GROUP_ONLY)
        return
    if not await _may_bind(update, context):
        await message.reply_text(texts.ADMINS_ONLY)
        return
    name, domain = split_bind_args(command_args(message))
    if not name:
        await message.reply_text(texts.BIND_USAGE)
        return
    admins = [admin.user.id for admin in await chat.get_administrators() if not admin.user.is_bot]
    async with context.transaction() as session:
        record = await group_record(session, chat, context)
        result = await organisations.bind_chat(session, record, name, domain, context.now())
        await organisations.seed_members(
            session, result.organisation, [*admins, user.id], context.now()
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
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    if not is_group(chat):
        await message.reply_text(texts.GROUP_ONLY)
        return
    if not await _may_bind(update, context):
        await message.reply_text(texts.ADMINS_ONLY)
        return
    async with context.transaction() as session:
        record = await group_record(session, chat, context)
        previous = await organisations.unbind_chat(session, record, context.now())
    if previous is None:
        await message.reply_text(texts.NOT_BOUND)
    else:
        await message.reply_text(texts.UNBIND_DONE.format(org=previous.name))


async def cmd_org_parent(update: Update, context: AppContext) -> None:
    """Place the group's organisation under another (superadmins only)."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    if not is_group(chat):
        await message.reply_text(texts.GROUP_ONLY)
        return
    if not context.is_superadmin(user.id):
        await message.reply_text(texts.SUPERADMINS_ONLY)
        return
    parent_name = command_args(message)
    if not parent_name:
        await message.reply_text(texts.ORG_PARENT_USAGE)
        return
    async with context.transaction() as session:
        record = await group_record(session, chat, context)
        organisation = await organisations.organisation_of(session, record)
        if organisation is None:
            await message.reply_text(texts.NOT_BOUND)
            return
        parent = await organisations.place_under(session, organisation, parent_name)
    await message.reply_text(
        texts.ORG_PARENT_DONE.format(org=organisation.name, parent=parent.name)
    )


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register this module's handlers."""
    application.add_handler(CommandHandler("bind", cmd_bind), group)
    application.add_handler(CommandHandler("unbind", cmd_unbind), group)
    application.add_handler(CommandHandler("org_parent", cmd_org_parent), group)
