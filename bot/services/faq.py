"""Policy Q&A use cases: answer a question where it was asked, keep what went unanswered.

Which entries apply: the shipped base everywhere, and an organisation's own entries in its
groups and in those of every organisation below it (``org_ids`` = the asking group's
organisation and its ancestors). In private, the organisations the asker belongs to.
The managers' use cases (entries, pending questions, files) are in faq_manage.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.computed import Computed, compute_answer
from bot.core.faq import FaqEntry, is_question_like
from bot.services.faq_book import Snapshot
from bot.services.members import Person
from bot.services.outgoing import Button, Keyboard, keyboard
from bot.texts import faq as texts
from storage.records import ChatRecord
from storage.repositories import MemberRepo, OrganisationRepo
from storage.repositories.faq import FaqQuestionRepo

MAX_KEPT_CHARS = 500
COOLDOWN = timedelta(minutes=10)
MAX_RELATED = 2  # related questions offered as buttons under an answer
BUTTON_CHARS = 40
# callback_data: a suggestion answers in place, a related question answers in a new message.
SUGGESTION_PREFIX, RELATED_PREFIX = "faq:", "faqr:"
# How the question reached the bot: /ask, an @mention, a reply to the bot, text in a private
# chat with it, or overheard in a group where the bot reads every message.
Trigger = Literal["command", "mention", "reply", "private", "overheard"]


@dataclass(frozen=True)
class Choice:
    """An entry offered to the asker, with the key its button and inline result carry."""

    key: str
    entry: FaqEntry

    @property
    def text(self) -> str:
        """The answer as sent: the answer, then its source."""
        return render_answer(self.entry)


@dataclass(frozen=True)
class Reply:
    """What to tell the asker."""

    outcome: Literal["answer", "suggest", "none"]
    answer: Choice | None = None
    candidates: tuple[Choice, ...] = ()
    # Sure enough to speak up in a group unasked.
    confident: bool = False
    # About the branch's own data (这个月主题党日定在哪天): the base cannot know it.
    local: bool = False

    @property
    def related(self) -> tuple[Choice, ...]:
        """Up to MAX_RELATED other questions offered under an answer."""
        if self.answer is None:
            return ()
        others = (c for c in self.candidates if c.key != self.answer.key)
        return tuple(others)[:MAX_RELATED]


def render_answer(entry: FaqEntry) -> str:
    """The question an entry answers, its answer, and its source."""
    return texts.ANSWER.format(question=entry.question, answer=entry.answer, source=entry.source)


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_CHARS else text[: BUTTON_CHARS - 1] + "…"


def related_keyboard(related: tuple[Choice, ...]) -> Keyboard | None:
    """One button per related question under an answer; pressing one answers it anew."""
    if not related:
        return None
    return keyboard(*([Button(_short(c.entry.question), RELATED_PREFIX + c.key)] for c in related))


def suggestion_keyboard(candidates: tuple[Choice, ...]) -> Keyboard:
    """One button per candidate question; pressing it answers in place."""
    return keyboard(
        *([Button(_short(c.entry.question), SUGGESTION_PREFIX + c.key)] for c in candidates)
    )


async def scope_of_chat(session: AsyncSession, chat: ChatRecord | None) -> frozenset[int]:
    """The organisations whose entries apply in a group: its own and every one above."""
    if chat is None or chat.organisation_id is None:
        return frozenset()
    return frozenset(await OrganisationRepo(session).ancestor_ids(chat.organisation_id))


async def scope_of_user(session: AsyncSession, user_id: int) -> frozenset[int]:
    """The organisations whose entries apply to a person in private or inline."""
    organisations = OrganisationRepo(session)
    scope: set[int] = set()
    for member in await MemberRepo(session).of_user(user_id):
        scope.update(await organisations.ancestor_ids(member.organisation_id))
    return frozenset(scope)


async def home_organisation(session: AsyncSession, user_id: int) -> int | None:
    """The organisation a private question is filed under: the asker's first membership."""
    memberships = await MemberRepo(session).of_user(user_id)
    return min((m.organisation_id for m in memberships), default=None)


def _choice(snapshot: Snapshot, entry: FaqEntry) -> Choice:
    return Choice(snapshot.key(entry), entry)


def computed_choice(question: str, computed: Computed) -> Choice:
    """A computed answer in the shape of an entry, so that every door renders it alike; its
    key (computed:<kind>) is never offered as a button."""
    entry = FaqEntry(
        id=computed.label,
        question=question.strip(),
        phrasings=(),
        keywords=(),
        answer=computed.answer,
        source=computed.source,
    )
    # The figure is in the key: the group cooldown holds back a repeat, not another sum.
    digest = hashlib.sha1(computed.answer.encode(), usedforsecurity=False).hexdigest()[:8]
    return Choice(f"{computed.label}:{digest}", entry)


def ask(snapshot: Snapshot, question: str, org_ids: frozenset[int], today: date) -> Reply:
    """A computed answer when the question needs arithmetic (党费 from an income, 预备期满 …;
    ``today`` is the local date), else the entries that apply to ``org_ids`` (about a
    millisecond). Unasked in a group, only a computed answer with the figure speaks up."""
    computed = compute_answer(question, today)
    if computed is not None:
        choice = computed_choice(question, computed)
        return Reply("answer", choice, confident=computed.complete)
    result = snapshot.matcher.match(question, org_ids=org_ids)
    candidates = tuple(_choice(snapshot, entry) for entry, _ in result.candidates)
    if result.answered and result.entry is not None:
        answer = _choice(snapshot, result.entry)
        return Reply("answer", answer, candidates, confident=result.confident)
    if result.outcome == "suggest" and candidates:
        return Reply("suggest", candidates=candidates)
    return Reply("none", local=result.local)


def entry_by_key(snapshot: Snapshot, key: str) -> Choice | None:
    """The entry a suggestion button names, if it still exists."""
    entry = snapshot.by_key.get(key)
    return Choice(key, entry) if entry is not None else None


def related_to(snapshot: Snapshot, choice: Choice, org_ids: frozenset[int]) -> tuple[Choice, ...]:
    """Questions next to an entry (those its own question also brings up), for its buttons."""
    result = snapshot.matcher.match(choice.entry.question, org_ids=org_ids)
    others = (
        _choice(snapshot, entry)
        for entry, _ in result.candidates
        if (entry.org_id, entry.id) != (choice.entry.org_id, choice.entry.id)
    )
    return tuple(others)[:MAX_RELATED]


async def keep_unanswered(
    session: AsyncSession,
    *,
    chat: ChatRecord | None,
    asker: Person,
    question: str,
    now: datetime,
) -> bool:
    """Keep a question nobody could answer for the managers of the group's organisation (in
    private: of the asker's); False when there is no organisation to tell."""
    if chat is not None:
        organisation_id = chat.organisation_id
    else:
        organisation_id = await home_organisation(session, asker.id)
    await FaqQuestionRepo(session).record(
        organisation_id=organisation_id,
        chat_id=chat.id if chat is not None else None,
        user_id=asker.id,
        asker_name=asker.display_name,
        question=question.strip()[:MAX_KEPT_CHARS],
        now=now,
    )
    return organisation_id is not None


def worth_replying(reply: Reply, trigger: Trigger, question: str) -> bool:
    """Whether to reply: always when asked; to a reply to the bot or a private message when
    it matched or reads like a question (not "收到"); unasked only with a confident direct
    answer."""
    if trigger in ("command", "mention"):
        return True
    if trigger in ("reply", "private"):
        return reply.outcome != "none" or is_question_like(question)
    return reply.outcome == "answer" and reply.confident


class Cooldown:
    """When the bot last spoke up unasked about each entry in each group: once per period."""

    def __init__(self, period: timedelta = COOLDOWN) -> None:
        self.period = period
        self._last: dict[tuple[int, str], datetime] = {}

    def allow(self, chat_id: int, key: str, now: datetime) -> bool:
        """True (and remembered) unless the same entry was volunteered here within the period."""
        last = self._last.get((chat_id, key))
        if last is not None and now - last < self.period:
            return False
        self._last = {k: t for k, t in self._last.items() if now - t < self.period}
        self._last[(chat_id, key)] = now
        return True


def worth_keeping(trigger: Trigger, question: str) -> bool:
    """Whether an unanswered question goes to the managers: /ask always, otherwise only text
    that reads like a question (not "@bot 谢谢")."""
    return trigger == "command" or is_question_like(question)
