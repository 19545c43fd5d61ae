"""Meeting records without I/O: how a reply is read, limits, the record's attendance."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.meetings import Answer, Attendee, Rsvp, tally
from bot.core.minutes import (
    PART_LIMIT,
    Part,
    appended,
    read_reply,
    turnout,
    xml_safe,
)


@pytest.mark.parametrize(
    ("text", "part", "body"),
    [
        ("内容：学习了条例", Part.CONTENT, "学习了条例"),
        ("会议内容:\n一、学习\n二、讨论", Part.CONTENT, "一、学习\n二、讨论"),
        ("【决议】同意张三转正", Part.RESOLUTIONS, "同意张三转正"),
        ("决议：\n1. 同意\n2. 报送", Part.RESOLUTIONS, "1. 同意\n2. 报送"),
        ("决定：下月召开组织生活会", Part.RESOLUTIONS, "下月召开组织生活会"),
        ("记录人：李四", Part.RECORDER, "李四"),
        ("大家交流了学习体会", Part.CONTENT, "大家交流了学习体会"),
        ("决议这件事下次再说", Part.CONTENT, "决议这件事下次再说"),  # no separator: plain text
        ("  内容：  前后空白  ", Part.CONTENT, "前后空白"),
        ("决议\n同意", Part.RESOLUTIONS, "同意"),
        ("决议 同意", Part.RESOLUTIONS, "同意"),
        ("会议内容很丰富", Part.CONTENT, "会议内容很丰富"),
    ],
)
def test_a_reply_is_read_by_its_first_word(text: str, part: Part, body: str) -> None:
    reply = read_reply(text)
    assert (reply.part, reply.text) == (part, body)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("决议：", "minutes_empty_reply"),
        ("  ", "minutes_empty_reply"),
        ("记录人：" + "长" * 21, "minutes_recorder_long"),
    ],
)
def test_bad_replies_are_refused_with_a_code(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_reply(text)
    assert refused.value.code == code


def test_parts_grow_by_replies_within_a_limit() -> None:
    assert appended("", "一") == "一"
    assert appended("一", "二") == "一\n\n二"
    with pytest.raises(InvalidInput):
        appended("字" * (PART_LIMIT - 1), "多")


def test_turnout_counts_check_ins_not_promises() -> None:
    people = [Attendee(i, name) for i, name in enumerate(["甲", "乙", "丙", "丁"], 1)]
    answers = [
        Answer(1, Rsvp.YES, checked_in=True),
        Answer(2, Rsvp.YES),  # said yes, never came: absent
        Answer(3, Rsvp.LEAVE, "出差"),
        Answer(4, Rsvp.LEAVE, "生病", checked_in=True),  # came after all: present
    ]
    found = turnout(tally(people, answers, []))
    assert found.expected == 4
    assert found.present == ["甲", "丁"]
    assert found.leave == [("丙", "出差")]
    assert found.absent == ["乙"]


def test_xml_safe_drops_control_characters() -> None:
    assert xml_safe("a\x00b\x1fc\td\ne") == "abc\td\ne"
