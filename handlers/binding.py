"""/bind, /unbind and /org_parent: which organisation a group belongs to, and where."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot import texts
from bot.context import AppApplication, AppContext
from bot.core.domain import Domain
from handlers.common import actor, command_args, sender


def split_bind_args(args: str) -> tuple[str, Domain | None]:
    """`城关镇第一党支部 机关` -> (name, domain); a last word that is a domain label is one."""
    words = args.split()
    if len(words) > 1 and (domain := Domain.from_label(words[-1])) is not None:
        return " ".join(words[:-1]), domain
    return " ".join(words), None


async def cmd_bind(update: Update, context: AppContext) -> None:
    """Bind the group to an organisation (Telegram admins of the group and superadmins)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    name, domain = split_bind_args(command_args(message))

    async def admin_ids() -> list[int]:
        return [a.user.id for a in await message.chat.get_administrators() if not a.user.is_bot]

    result = await context.services.organisations.bind(
        actor(user, message.chat), name, domain, admin_ids
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
    if (found := sender(update)) is None:
        return
    message, user = found
    previous = await context.services.organisations.unbind(actor(user, message.chat))
    await message.reply_text(texts.UNBIND_DONE.format(org=previous.name))


async def cmd_org_parent(update: Update, context: AppContext) -> None:
    """Place the group's organisation under another (superadmins only)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    organisation, parent = await context.services.organisations.place_under(
        actor(user, message.chat), command_args(message)
    )
    await message.reply_text(
        texts.ORG_PARENT_DONE.format(org=organisation.name, parent=parent.name)
    )


def setup(application: AppApplication, group: int) -> None:
    """Register this module's handlers."""
    in_groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("bind", cmd_bind, in_groups), group)
    application.add_handler(CommandHandler("unbind", cmd_unbind, in_groups), group)
    application.add_handler(CommandHandler("org_parent", cmd_org_parent, in_groups), group)
