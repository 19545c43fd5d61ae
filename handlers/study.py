"""/study (list, template, import, edit, delete) and /study_stats; buttons and quiz answers.

The guided `/study add` is in study_flow.py; `setup` registers both and the outbox senders.
Privately, a manager names the organisation as the last argument when they manage several.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.context import AppApplication, AppContext
from bot.core.study_stats import MESSAGE_LIMIT, fit_lines, text_length
from bot.services.study_service import Planned
from bot.services.study_stats import StudyStats
from bot.services.study_views import topic_line, when_text
from bot.texts import study as texts
from handlers import study_flow
from handlers.common import acknowledge, actor, command_args, person, sender
from handlers.drafts import GuidedFlow

IMPORT_CAPTION = r"^/study(@\w+)?\s+import\b"


async def cmd_study(update: Update, context: AppContext) -> None:
    """`/study [template|add|edit|delete|import] …`; without a verb, the upcoming topics."""
    if (found := sender(update)) is None:
        return
    message, user = found
    args, study = command_args(message), context.services.study
    verb, _, rest = args.partition(" ")
    here = actor(user, message.chat)
    if verb in ("template", "模板"):
        await send_templates(message, context)
    elif verb in ("import", "导入"):
        await message.reply_text(texts.IMPORT_NEEDS_FILE)
    elif verb in ("edit", "修改"):
        topic = await study.edit(here, rest.strip())
        line = topic_line(topic, context.settings.timezone)
        await message.reply_text(texts.EDIT_DONE.format(id=topic.id, line=line))
    elif verb in ("delete", "删除"):
        topic = await study.delete(here, rest.strip())
        await message.reply_text(texts.DELETE_DONE.format(id=topic.id, title=topic.title))
    elif verb in ("help", "帮助"):
        await message.reply_text(texts.USAGE)
    else:
        await list_upcoming(message, await study.upcoming(here, args), context)


async def list_upcoming(message: Message, planned: Planned, context: AppContext) -> None:
    """The organisation's planned topics."""
    org = planned.organisation.name
    if not planned.topics:
        await message.reply_text(texts.LIST_EMPTY.format(org=org))
        return
    tz = context.settings.timezone
    lines = [texts.LIST_HEADER.format(org=org), *(topic_line(t, tz) for t in planned.topics)]
    await message.reply_text("\n".join(lines))


async def send_templates(message: Message, context: AppContext) -> None:
    """The three filled-in templates as files, then the rules in short."""
    for template in context.services.study.templates():
        caption = texts.TEMPLATE_CAPTION.format(kind=template.kind)
        await message.reply_document(
            InputFile(template.content, filename=template.filename), caption=caption
        )
    await message.reply_text(texts.TEMPLATE_DONE)


async def on_plan_file(update: Update, context: AppContext) -> None:
    """A plan file with the caption `/study import [组织]`: imported whole or not at all."""
    if (found := sender(update)) is None or found[0].document is None:
        return
    message, user = found
    document = message.document
    assert document is not None

    async def download() -> bytes:
        return bytes(await (await document.get_file()).download_as_bytearray())

    planned = await context.services.study.import_plan(
        actor(user, message.chat),
        command_args(message),
        (document.file_name or "", document.file_size),
        download,
    )
    tz = context.settings.timezone
    lines = "\n".join(topic_line(topic, tz) for topic in planned.topics)
    org = planned.organisation.name
    await message.reply_text(
        texts.IMPORT_DONE.format(count=len(planned.topics), org=org, lines=lines)
    )


def _member_lines(stats: StudyStats, tz: ZoneInfo) -> list[str]:
    """One line per member of the organisation: studied when (make-up), quiz score."""
    lines = []
    quiz_size = len(stats.topic.quiz)
    for row in stats.members:
        quiz = texts.STATS_QUIZ.format(correct=row.correct, total=quiz_size) if quiz_size else ""
        if row.studied_at is not None:
            makeup = texts.STATS_MAKEUP if row.makeup else ""
            when = when_text(row.studied_at, tz)
            lines.append(
                texts.STATS_MEMBER_DONE.format(name=row.name, when=when, makeup=makeup, quiz=quiz)
            )
        else:
            lines.append(texts.STATS_MEMBER_MISSING.format(name=row.name, quiz=quiz))
    return lines


def render_stats(stats: StudyStats, context: AppContext) -> str:
    """The /study_stats answer, cut at a line within one message: the organisations below
    come lowest rate first, so those left out are the ones that need chasing least."""
    tz, topic = context.settings.timezone, stats.topic
    done = sum(1 for row in stats.members if row.studied)
    head = [
        texts.STATS_HEAD.format(title=topic.title, deadline=when_text(topic.deadline_at, tz)),
        texts.STATS_OWN.format(
            org=stats.organisation.name, studied=done, total=len(stats.members)
        ),
    ]
    orgs = [
        texts.STATS_ORG_LINE.format(
            org=org.name, studied=org.studied, total=org.total, percent=org.percent
        )
        for org in stats.below
    ]
    more_orgs = texts.STATS_MORE_ORGS.format
    room_below = 0
    if orgs:  # the heading of the organisations and the line saying all were left out
        room_below = text_length(f"{texts.STATS_BELOW}\n{more_orgs(count=len(orgs))}") + 1
    more_members = texts.STATS_MORE_MEMBERS.format
    top = fit_lines(
        head,
        _member_lines(stats, tz),
        lambda n: more_members(count=n),
        MESSAGE_LIMIT - room_below,
    )
    if not orgs:
        return "\n".join(top)
    below = fit_lines([*top, texts.STATS_BELOW], orgs, lambda n: more_orgs(count=n), MESSAGE_LIMIT)
    return "\n".join(below)


async def cmd_study_stats(update: Update, context: AppContext) -> None:
    """`/study_stats [编号] [组织]` for managers: per member and per organisation below."""
    if (found := sender(update)) is None:
        return
    message, user = found
    stats = await context.services.study.stats(actor(user, message.chat), command_args(message))
    await message.reply_text(render_stats(stats, context))


async def cb_studied(update: Update, context: AppContext) -> None:
    """已学习 in a group, or 已补学 in a private chat: recorded once, with the time."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None or query.message is None:
        return
    _, verb, topic_id = query.data.split(":")
    makeup = verb == "mk"
    here = actor(user, query.message.chat)
    result = await context.services.study.studied(here, int(topic_id), makeup=makeup)
    if result.earlier is not None:
        when = when_text(result.earlier[0], context.settings.timezone)
        await acknowledge(query, texts.STUDIED_BEFORE.format(when=when), alert=True)
        return
    await acknowledge(query, texts.MADE_UP_DONE if makeup else texts.STUDIED_DONE)
    if makeup:
        # The private message is the member's own: mark it done and drop the button.
        when = when_text(context.now(), context.settings.timezone)
        await context.bot.edit_message_reply_markup(
            query.message.chat.id, query.message.message_id, reply_markup=None
        )
        await context.bot.send_message(query.message.chat.id, texts.MADE_UP_MARK.format(when=when))


async def on_poll_answer(update: Update, context: AppContext) -> None:
    """A member answered a quiz poll: the first answer per question counts."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    await context.services.study.quiz_answer(
        person(answer.user), answer.poll_id, list(answer.option_ids)
    )


def setup(application: AppApplication, group: int) -> GuidedFlow[Any]:
    """Register the study handlers and the guided flow; return the flow."""
    flow = study_flow.setup(application, group)
    application.add_handler(CommandHandler("study", cmd_study), group)
    application.add_handler(CommandHandler("study_stats", cmd_study_stats), group)
    caption = filters.Document.ALL & filters.CaptionRegex(IMPORT_CAPTION)
    application.add_handler(MessageHandler(caption, on_plan_file), group)
    application.add_handler(
        CallbackQueryHandler(cb_studied, pattern=r"^study:(done|mk):\d{1,9}$"), group
    )
    application.add_handler(PollAnswerHandler(on_poll_answer), group)
    return flow
