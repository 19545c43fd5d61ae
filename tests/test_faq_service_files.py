"""Managers' input and files: field checks, import all-or-nothing, export round trip, policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from bot.core.domain import Domain, OrgKind
from bot.core.errors import InvalidInput
from bot.core.faq import FaqEntry, FaqFormatError, load_entries_from_yaml
from bot.services import faq_manage
from bot.services.faq import Choice, Cooldown, Reply, worth_keeping, worth_replying
from bot.services.faq_book import shipped_entries
from bot.services.faq_input import (
    EntryText,
    read_keywords,
    read_phrasings,
    read_source,
    suggest_keywords,
)
from bot.texts import faq as texts
from storage.repositories import OrganisationRepo
from storage.repositories.faq import FaqEntryRepo

Sessions = async_sessionmaker[AsyncSession]

GOOD = """\
entries:
  - id: key-holder
    question: 党员活动室的钥匙在谁那里？
    phrasings: [活动室钥匙找谁拿, 活动室怎么开门, 谁管活动室钥匙]
    keywords: [活动室, 钥匙]
    answer: 钥匙由组织委员保管。
    source: 本支部委员会决定
  - id: dues-day
    question: 本支部每月几号交党费？
    phrasings: [党费几号交, 什么时候交党费, 每月交党费的日子]
    keywords: [党费, 几号]
    answer: 每月主题党日当天交纳。
    source: 本支部委员会决定
"""
# The first entry is fine; the second lacks its source and has too few phrasings (line 10),
# the third has an unknown field (line 19).
BAD = """\
entries:
  - id: key-holder
    question: 党员活动室的钥匙在谁那里？
    phrasings: [活动室钥匙找谁拿, 活动室怎么开门, 谁管活动室钥匙]
    keywords: [活动室, 钥匙]
    answer: 钥匙由组织委员保管。
    source: 本支部委员会决定
  - id: dues-day
    question: 本支部每月几号交党费？
    phrasings: [党费几号交]
    keywords: [党费]
    answer: 每月主题党日当天交纳。
  - id: third
    question: 问题？
    phrasings: [一, 二, 三]
    keywords: [词]
    answer: 答。
    source: 出处
    author: 张三
"""


@pytest.fixture
async def org_id(sessions: Sessions, clock: FakeClock) -> int:
    async with sessions.begin() as session:
        org = await OrganisationRepo(session).create(
            name="第一党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=clock.now()
        )
    return org.id


async def test_import_adds_then_updates_by_id(
    sessions: Sessions, org_id: int, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        first = await faq_manage.import_yaml(
            session, org_id, GOOD, filename="good.yaml", by=1, now=clock.now()
        )
    assert (first.added, first.updated, first.total) == (2, 0, 2)
    changed = GOOD.replace("每月主题党日当天交纳。", "每月5日前交纳。")
    async with sessions.begin() as session:
        second = await faq_manage.import_yaml(
            session, org_id, changed, filename="good.yaml", by=1, now=clock.now()
        )
        entries = await faq_manage.list_entries(session, org_id)
    assert (second.added, second.updated, second.total) == (0, 2, 2)
    assert [s.entry.answer for s in entries] == ["钥匙由组织委员保管。", "每月5日前交纳。"]


async def test_a_bad_file_is_rejected_whole_with_lines(
    sessions: Sessions, org_id: int, clock: FakeClock
) -> None:
    with pytest.raises(FaqFormatError) as caught:
        async with sessions.begin() as session:
            await faq_manage.import_yaml(
                session, org_id, BAD, filename="bad.yaml", by=1, now=clock.now()
            )
    lines = [issue.line for issue in caught.value.issues]
    assert lines == sorted(lines)
    assert {10, 19} <= set(lines)
    assert "缺少“source”" in str(caught.value)
    async with sessions.begin() as session:
        assert await FaqEntryRepo(session).count(org_id) == 0  # not even the good first entry


async def test_export_reads_back_the_same_entries(
    sessions: Sessions, org_id: int, clock: FakeClock
) -> None:
    async with sessions.begin() as session:
        await faq_manage.import_yaml(session, org_id, GOOD, filename="g", by=1, now=clock.now())
        await faq_manage.add_entry(
            session,
            org_id,
            EntryText()
            .with_field("question", "党小组长怎么选？")
            .with_field("phrasings", "党小组长谁定\n怎么产生党小组长\n小组长选举")
            .with_field("keywords", "党小组长")
            .with_field("answer", "由党小组党员选举产生，\n报支部委员会同意。")
            .with_field("source", "——本支部委员会决定"),
            by=1,
            now=clock.now(),
        )
        text, count = await faq_manage.export_yaml(session, org_id)
        stored = [s.entry for s in await faq_manage.list_entries(session, org_id)]
    assert count == 3
    assert stored[2].source == "本支部委员会决定"  # the leading —— is not part of the source
    assert stored[2].answer == "由党小组党员选举产生，报支部委员会同意。"  # as the loader reads it
    assert load_entries_from_yaml(text, filename="export.yaml", org_id=org_id) == stored
    async with sessions.begin() as session:
        again = await faq_manage.import_yaml(
            session, org_id, text, filename="export.yaml", by=1, now=clock.now()
        )
        assert [s.entry for s in await faq_manage.list_entries(session, org_id)] == stored
    assert (again.added, again.updated) == (0, 3)


def test_the_shipped_base_exports_whole() -> None:
    text = faq_manage.export_shipped(shipped_entries())
    assert load_entries_from_yaml(text, filename="shipped.yaml") == list(shipped_entries())


def test_uploads_must_be_small_utf8() -> None:
    assert faq_manage.decode_upload("\ufeffentries: []".encode()) == "entries: []"
    with pytest.raises(InvalidInput, match="UTF-8"):
        faq_manage.decode_upload("问答".encode("gbk"))
    with pytest.raises(InvalidInput, match="太大"):
        faq_manage.decode_upload(b" " * (faq_manage.MAX_IMPORT_BYTES + 1))


def test_fields_are_checked_as_the_base_file_is() -> None:
    assert read_phrasings("问法一\n问法二；问法三\n问法一") == ("问法一", "问法二", "问法三")
    assert read_phrasings("问法二\n问法三", existing=("原问题",)) == ("原问题", "问法二", "问法三")
    with pytest.raises(InvalidInput, match="至少要3种"):
        read_phrasings("只有一种")
    assert read_keywords("活动室、钥匙，开门 钥匙") == ("活动室", "钥匙", "开门")
    with pytest.raises(InvalidInput, match="至少写一个"):
        read_keywords(" 、 ")
    assert read_source("——《中国共产党章程》第八条") == "《中国共产党章程》第八条"
    assert read_source("出处：本支部决定") == "本支部决定"
    with pytest.raises(InvalidInput, match="答案太长"):
        EntryText().with_field("answer", "长" * 301)
    with pytest.raises(InvalidInput, match=texts.EMPTY):
        EntryText().with_field("question", "  ")
    with pytest.raises(InvalidInput, match="不符合问答库的格式"):
        EntryText("问题？", ("一", "二"), ("词",), "答。", "出处").to_entry("x", 1)


def test_suggested_keywords_are_the_questions_words() -> None:
    question = "党员活动室的钥匙在谁那里？"
    words = suggest_keywords(question)
    assert "钥匙" in words
    assert all(len(word) > 1 and word in question for word in words)
    # No word that only repeats part of another (活动 next to 活动室).
    assert not [w for w in words if any(w != other and w in other for other in words)]
    assert suggest_keywords("？") == ()


ENTRY = FaqEntry("e", "问题", ("一", "二", "三"), ("词",), "答", "出处")
CHOICE = Choice("s1", ENTRY)


@pytest.mark.parametrize(
    ("reply", "trigger", "question", "speaks"),
    [
        (Reply("none"), "command", "天气？", True),
        (Reply("none"), "mention", "谢谢", True),
        (Reply("none"), "reply", "收到", False),
        (Reply("none"), "reply", "那预备党员呢？", True),
        (Reply("suggest", candidates=(CHOICE,)), "reply", "好的", True),
        (Reply("answer", CHOICE, (CHOICE,), confident=True), "overheard", "问题？", True),
        (Reply("answer", CHOICE, (CHOICE,), confident=False), "overheard", "问题？", False),
        (Reply("suggest", candidates=(CHOICE,)), "overheard", "问题？", False),
        (Reply("none"), "overheard", "问题？", False),
        (Reply("none"), "private", "谢谢", False),
        (Reply("none"), "private", "活动室钥匙在谁那里？", True),
        (Reply("answer", CHOICE, (CHOICE,), confident=False), "private", "钥匙", True),
    ],
)
def test_when_the_bot_speaks(reply: Reply, trigger: str, question: str, speaks: bool) -> None:
    assert worth_replying(reply, trigger, question) is speaks  # type: ignore[arg-type]


def test_only_questions_are_kept_for_the_managers() -> None:
    assert worth_keeping("command", "活动室钥匙")
    assert worth_keeping("mention", "活动室钥匙在谁那里？")
    assert not worth_keeping("mention", "谢谢")
    assert not worth_keeping("reply", "收到")


def test_an_unasked_answer_is_not_repeated_within_the_cooldown() -> None:
    cooldown = Cooldown(timedelta(minutes=10))
    start = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert cooldown.allow(-1, "s1", start)
    assert not cooldown.allow(-1, "s1", start + timedelta(minutes=9))
    assert cooldown.allow(-2, "s1", start + timedelta(minutes=9))  # another group
    assert cooldown.allow(-1, "s2", start + timedelta(minutes=9))  # another entry
    assert cooldown.allow(-1, "s1", start + timedelta(minutes=10))
