"""How study topics read in Telegram: list lines and the published message (HTML)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.texts import study as texts
from storage.records import TopicRecord


def when_text(moment: datetime, tz: ZoneInfo) -> str:
    """`12月5日 09:00` in the bot's zone."""
    local = moment.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def topic_line(topic: TopicRecord, tz: ZoneInfo) -> str:
    """One line of /study: number, title, when, deadline, scope, quiz."""
    when = when_text(topic.publish_at, tz)
    if topic.rule:
        when += texts.TOPIC_RULE.format(rule=topic.rule)
    return texts.TOPIC_LINE.format(
        id=topic.id,
        title=topic.title,
        when=when,
        deadline=when_text(topic.deadline_at, tz),
        scope=topic.scope.label,
        quiz=texts.TOPIC_QUIZ.format(count=len(topic.quiz)) if topic.quiz else "",
    )


def _numbered(items: tuple[str, ...]) -> list[str]:
    return [f"{number}. {escape(item)}" for number, item in enumerate(items, start=1)]


def topic_body(topic: TopicRecord) -> list[str]:
    """Title, summary, materials and questions, as HTML lines."""
    lines = [texts.TOPIC_HEAD.format(title=escape(topic.title)), escape(topic.summary)]
    if topic.materials:
        lines += ["", texts.TOPIC_MATERIALS, *_numbered(topic.materials)]
    lines += ["", texts.TOPIC_QUESTIONS, *_numbered(topic.questions)]
    return lines


def topic_message(topic: TopicRecord, tz: ZoneInfo) -> str:
    """The message a group gets at publish time."""
    lines = [*topic_body(topic), ""]
    lines.append(texts.TOPIC_DEADLINE.format(deadline=when_text(topic.deadline_at, tz)))
    if topic.quiz:
        lines.append(texts.TOPIC_QUIZ_FOLLOWS.format(count=len(topic.quiz)))
    return "\n".join(lines)


def mention(user_id: int, name: str) -> str:
    """An HTML mention that notifies the member even without a username."""
    return f'<a href="tg://user?id={user_id}">{escape(name)}</a>'
