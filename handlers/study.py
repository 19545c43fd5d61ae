"""/study (list, template, import, edit, delete) and /study_stats; buttons and quiz answers.

The guided `/study add` is in study_flow.py; `setup` registers both and the outbox senders.
Privately, a manager names the organisation as the last argument when they manage several.
"""

from __future__ import annotations

from telegram import InputFile, Message, Update, User
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.context import AppContext
from bot.core.errors import InvalidInput
from bot.core.study_files import example_topics, template_csv, template_xlsx, template_yaml
from bot.services import study, study_senders
from bot.services.members import record_presence
from bot.services.study_stats import StudyStats, topic_stats
from bot.services.study_views import topic_line, when_text
from bot.texts import study as texts
from handlers import study_flow
from handlers.common import command_args, group_record, is_group, person
from handlers.study_common import acting_org, may_manage
from storage.repositories.study import StudyRepo

IMPORT_CAPTION = r"^/study(@\w+)?\s+import\b"


def _caller(update: Update) -> tuple[Message, User] | None:
    message, user = update.effective_message, update.effective_user
    return None if message is None or user is None else (message, user)


def _number(text: str) -> int:
    if not text.isdigit():
        raise InvalidInput(texts.BAD_NUMBER)
    return int(text)


async def cmd_study(update: Update, context: AppContext) -> None:
    """`/study [template|add|edit|delete|import] …`; without a verb, the upcoming topics."""
    if (found := _caller(update)) is None:
        return
    message, user = found
    verb, _, rest = command_args(message).partition(" ")
    if verb in ("template", "模板"):
        await send_templates(message, context)
    elif verb in ("import", "导入"):
        await message.reply_text(texts.IMPORT_NEEDS_FILE)
    elif verb in ("edit", "修改"):
        await edit(message, user, rest.strip(), context)
    elif verb in ("delete", "删除"):
        await delete(message, user, rest.strip(), context)
    elif verb in ("help", "帮助"):
        await message.reply_text(texts.USAGE)
    else:
        await list_upcoming(message, user, command_args(message), context)


async def list_upcoming(message: Message, user: User, name: str, context: AppContext) -> None:
    """The organisation's planned topics."""
    async with context.transaction() as session:
        acting = await acting_org(session, context, message, user, name)
        topics = await study.upcoming(session, acting.organisation.id)
    org = acting.organisation.name
    if not topics:
        await message.reply_text(texts.LIST_EMPTY.format(org=org))
        return
    tz = context.settings.timezone
    lines = [texts.LIST_HEADER.format(org=org), *(topic_line(t, tz) for t in topics)]
    await message.reply_text("\n".join(lines))


async def send_templates(message: Message, context: AppContext) -> None:
    """The three filled-in templates as files, then the rules in short."""
    topics = example_topics(context.now(), context.settings.timezone)
    files = (
        ("YAML", "学习计划模板.yaml", template_yaml(topics)),
        ("CSV", "学习计划模板.csv", template_csv(topics)),
        ("Excel", "学习计划模板.xlsx", template_xlsx(topics)),
    )
    for kind, name, content in files:
        caption = texts.TEMPLATE_CAPTION.format(kind=kind)
        await message.reply_document(InputFile(content, filename=name), caption=caption)
    await message.reply_text(texts.TEMPLATE_DONE)


async def on_plan_file(update: Update, context: AppContext) -> None:
    """A plan file with the caption `/study import [组织]`: imported whole or not at all."""
    if (found := _caller(update)) is None or found[0].document is None:
        return
    message, user = found
    document = message.document
    assert document is not None
    name = command_args(message).removeprefix("import").strip()
    async with context.transaction() as session:
        acting = await acting_org(session, context, message, user, name)
    content = bytes(await (await document.get_file()).download_as_bytearray())
    async with context.transaction() as session:
        topics = await study.import_plan(
            session,
            acting.organisation.id,
            user.id,
            (document.file_name or "", content),
            context.now(),
            context.settings.timezone,
        )
    tz = context.settings.timezone
    lines = "\n".join(topic_line(topic, tz) for topic in topics)
    await message.reply_text(
        texts.IMPORT_DONE.format(count=len(topics), org=acting.organisation.name, lines=lines)
    )


async def _change_allowed(
    message: Message, user: User, topic_id: int, context: AppContext
) -> None:
    async with context.transaction() as session:
        topic = await StudyRepo(session).get(topic_id)
        if topic is not None:
            await may_manage(session, context, message, user, topic.organisation_id)


async def edit(message: Message, user: User, args: str, context: AppContext) -> None:
    """`/study edit <编号> <字段> <新内容>`: change a topic that is not published yet."""
    number, field, value = [*args.split(maxsplit=2), "", "", ""][:3]
    if not number or not field or not value:
        raise InvalidInput(texts.EDIT_USAGE)
    topic_id = _number(number)
    await _change_allowed(message, user, topic_id, context)
    async with context.transaction() as session:
        topic = await study.edit_topic(
            session, topic_id, None, (field, value), context.now(), context.settings.timezone
        )
    line = topic_line(topic, context.settings.timezone)
    await message.reply_text(texts.EDIT_DONE.format(id=topic.id, line=line))


async def delete(message: Message, user: User, args: str, context: AppContext) -> None:
    """`/study delete <编号>`: drop a topic that is not published yet."""
    if not args:
        raise InvalidInput(texts.DELETE_USAGE)
    topic_id = _number(args.split()[0])
    await _change_allowed(message, user, topic_id, context)
    async with context.transaction() as session:
        topic = await study.delete_topic(session, topic_id, None, context.now())
    await message.reply_text(texts.DELETE_DONE.format(id=topic.id, title=topic.title))


def render_stats(stats: StudyStats, context: AppContext) -> str:
    """The /study_stats answer."""
    tz = context.settings.timezone
    topic = stats.topic
    lines = [texts.STATS_HEAD.format(title=topic.title, deadline=when_text(topic.deadline_at, tz))]
    done = sum(1 for row in stats.members if row.studied)
    lines.append(
        texts.STATS_OWN.format(org=stats.organisation.name, studied=done, total=len(stats.members))
    )
    for row in stats.members:
        quiz = ""
        if topic.quiz:
            quiz = texts.STATS_QUIZ.format(correct=row.correct, total=len(topic.quiz))
        if row.studied_at is not None:
            makeup = texts.STATS_MAKEUP if row.makeup else ""
            when = when_text(row.studied_at, tz)
            lines.append(
                texts.STATS_MEMBER_DONE.format(name=row.name, when=when, makeup=makeup, quiz=quiz)
            )
        else:
            lines.append(texts.STATS_MEMBER_MISSING.format(name=row.name, quiz=quiz))
    if stats.below:
        lines.append(texts.STATS_BELOW)
        lines += [
            texts.STATS_ORG_LINE.format(
                org=org.name, studied=org.studied, total=org.total, percent=org.percent
            )
            for org in stats.below
        ]
    return "\n".join(lines)


async def cmd_study_stats(update: Update, context: AppContext) -> None:
    """`/study_stats [编号] [组织]` for managers: per member and per organisation below."""
    if (found := _caller(update)) is None:
        return
    message, user = found
    words = command_args(message).split(maxsplit=1)
    topic_id = int(words[0]) if words and words[0].isdigit() else None
    name = " ".join(words[1:] if topic_id is not None else words)
    async with context.transaction() as session:
        acting = await acting_org(session, context, message, user, name, "/study_stats")
        stats = await topic_stats(session, acting.organisation.id, topic_id)
    await message.reply_text(render_stats(stats, context)[:4096])


async def cb_studied(update: Update, context: AppContext) -> None:
    """已学习 in a group, or 已补学 in a private chat: recorded once, with the time."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    _, verb, topic_id = query.data.split(":")
    makeup = verb == "mk"
    async with context.transaction() as session:
        if query.message is not None and is_group(query.message.chat):
            # A tap in the group shows the person belongs there (the roster is by presence).
            chat = await group_record(session, query.message.chat, context)
            await record_presence(session, chat, person(user), context.now())
        result = await study.record_study(
            session, int(topic_id), person(user), context.now(), makeup=makeup
        )
    if result.earlier is not None:
        when = when_text(result.earlier[0], context.settings.timezone)
        await query.answer(texts.STUDIED_BEFORE.format(when=when), show_alert=True)
        return
    await query.answer(texts.MADE_UP_DONE if makeup else texts.STUDIED_DONE)
    if makeup and query.message is not None:
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
    async with context.transaction() as session:
        await study.record_quiz_answer(
            session, answer.poll_id, person(answer.user), answer.option_ids, context.now()
        )


def setup(application: Application, group: int) -> None:  # type: ignore[type-arg]
    """Register the study handlers, the guided flow and the outbox senders."""
    study_flow.setup(application, group)
    application.add_handler(CommandHandler("study", cmd_study), group)
    application.add_handler(CommandHandler("study_stats", cmd_study_stats), group)
    caption = filters.Document.ALL & filters.CaptionRegex(IMPORT_CAPTION)
    application.add_handler(MessageHandler(caption, on_plan_file), group)
    application.add_handler(
        CallbackQueryHandler(cb_studied, pattern=r"^study:(done|mk):\d+$"), group
    )
    application.add_handler(PollAnswerHandler(on_poll_answer), group)
    runtime = application.bot_data.runtime
    study_senders.register(runtime.senders, runtime.settings.timezone)
