"""/away, /back and /floating: floating members (流动党员) away from their branch."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.ext import CommandHandler

from bot.context import AppApplication, AppContext
from bot.services.floating_service import FloatingList, StayShown
from bot.services.members import Person
from bot.texts import floating as texts
from handlers.common import actor, command_args, replied_person, sender


def acted_for(message: Message) -> Person | None:
    """The person whose message this one replies to (a manager acting for them); a reply to
    the bot or to oneself is the caller acting for themself."""
    target = replied_person(message)
    if target is None or (message.from_user is not None and target.id == message.from_user.id):
        return None
    return target


def month_text(day: date) -> str:
    """2026年3月 (the first of a month), or 2026年3月15日."""
    text = f"{day.year}年{day.month}月"
    return text if day.day == 1 else f"{text}{day.day}日"


def last_text(moment: datetime | None, tz: ZoneInfo) -> str:
    """When someone was last active, on the local clock, or 暂无."""
    if moment is None:
        return texts.NEVER
    local = moment.astimezone(tz)
    return f"{local.year}年{local.month}月{local.day}日"


def render_away(shown: StayShown) -> str:
    """The /away confirmation."""
    stay = shown.stay
    return texts.AWAY_DONE.format(
        name=shown.name,
        since=month_text(stay.since),
        place=stay.place,
        host=texts.AWAY_HOST.format(host=shown.host) if shown.host else "",
        home=shown.home,
        contact=texts.AWAY_CONTACT.format(contact=stay.contact) if stay.contact else "",
    )


def render_list(found: FloatingList, tz: ZoneInfo) -> str:
    """The /floating answer: members away, then floating members active here."""
    if found.away:
        lines = [texts.FLOATING_TITLE.format(org=found.org, count=len(found.away))]
    else:
        lines = [texts.FLOATING_NONE.format(org=found.org)]
    for shown in found.away:
        stay = shown.stay
        lines.append(
            texts.FLOATING_LINE.format(
                name=shown.name,
                place=stay.place,
                host=f"（{shown.host}）" if shown.host else "",
                since=month_text(stay.since),
                contact=f"，{stay.contact}" if stay.contact else "",
                last=last_text(shown.last, tz),
            )
        )
    if found.hosted:
        lines.append(texts.HOSTED_TITLE.format(count=len(found.hosted)))
    for shown in found.hosted:
        lines.append(
            texts.HOSTED_LINE.format(
                name=shown.name,
                place=shown.stay.place,
                since=month_text(shown.stay.since),
                home=shown.home,
                last=last_text(shown.last, tz),
            )
        )
    return "\n".join(lines)


async def cmd_away(update: Update, context: AppContext) -> None:
    """A member records they are away (a manager, as a reply, records it for them)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    shown = await context.services.floating.away(
        actor(user, message.chat), acted_for(message), command_args(message)
    )
    await message.reply_text(render_away(shown))


async def cmd_back(update: Update, context: AppContext) -> None:
    """A member (or a manager, as a reply) ends the stay away."""
    if (found := sender(update)) is None:
        return
    message, user = found
    shown = await context.services.floating.back(actor(user, message.chat), acted_for(message))
    text = texts.BACK_DONE.format(
        name=shown.name, place=shown.stay.place, since=month_text(shown.stay.since)
    )
    await message.reply_text(text)


async def cmd_floating(update: Update, context: AppContext) -> None:
    """A manager lists the branch's members away (and floating members active here)."""
    if (found := sender(update)) is None:
        return
    message, user = found
    service = context.services.floating
    listed = await service.listing(actor(user, message.chat), command_args(message))
    await message.reply_text(render_list(listed, service.tz))


def setup(application: AppApplication, group: int) -> None:
    """Register the three commands."""
    application.add_handler(CommandHandler("away", cmd_away), group)
    application.add_handler(CommandHandler("back", cmd_back), group)
    application.add_handler(CommandHandler("floating", cmd_floating), group)
