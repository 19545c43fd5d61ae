"""/bind, /invite, /unbind and /org_parent: which organisation a group belongs to, and where.

callback_data of a bind request's buttons: `bind:<request>:y|n`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import texts
from bot.context import AppApplication, AppContext
from bot.services.org_service import Bound
from bot.texts import binding as binding_texts
from handlers.common import acknowledge, actor, command_args, sender


def render_bound(done: Bound) -> str:
    """What /bind says once the group is bound."""
    result = done.result
    org = result.organisation
    reply = texts.BIND_DONE.format(org=org.name, kind=org.kind.label, domain=org.domain.label)
    if result.created:
        reply += texts.BIND_CREATED
    if result.previous is not None and result.previous.id != org.id:
        reply += texts.BIND_REPLACED.format(previous=result.previous.name)
    return reply


async def cmd_bind(update: Update, context: AppContext) -> None:
    """Bind the group (Telegram admins of the group and superadmins): to a new organisation,
    or to an existing one with its managers' consent."""
    if (found := sender(update)) is None:
        return
    message, user = found

    async def admin_ids() -> list[int]:
        return [a.user.id for a in await message.chat.get_administrators() if not a.user.is_bot]

    done = await context.services.organisations.bind(
        actor(user, message.chat), command_args(message), admin_ids
    )
    if isinstance(done, Bound):
        await message.reply_text(render_bound(done))
        return
    template = binding_texts.REQUESTED if done.asked else binding_texts.REQUESTED_NOBODY
    await message.reply_text(template.format(org=done.organisation.name, count=done.asked))


async def cmd_invite(update: Update, context: AppContext) -> None:
    """A manager makes a one-time code for another group to join their organisation."""
    if (found := sender(update)) is None:
        return
    message, user = found
    org, code = await context.services.organisations.invite(
        actor(user, message.chat), command_args(message)
    )
    await message.reply_text(binding_texts.INVITE_DONE.format(org=org.name, code=code.code))


async def cb_decide(update: Update, context: AppContext) -> None:
    """同意 or 拒绝 under a bind request."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None or query.message is None:
        return
    _, number, choice = query.data.split(":")
    decided = await context.services.organisations.decide(
        actor(user, query.message.chat), int(number), choice == "y"
    )
    await acknowledge(query)
    done = binding_texts.DECIDED_APPROVED if decided.approved else binding_texts.DECIDED_REFUSED
    await query.edit_message_text(done.format(group=decided.group, org=decided.organisation.name))


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
    application.add_handler(CommandHandler("invite", cmd_invite), group)
    application.add_handler(CommandHandler("unbind", cmd_unbind, in_groups), group)
    application.add_handler(CommandHandler("org_parent", cmd_org_parent, in_groups), group)
    application.add_handler(CallbackQueryHandler(cb_decide, pattern=r"^bind:\d{1,9}:[yn]$"), group)
