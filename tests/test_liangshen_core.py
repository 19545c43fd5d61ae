"""双找 without I/O: what `/iam …` says, its buttons, and each group's tally (应建尽建)."""

from __future__ import annotations

import pytest

from bot import texts
from bot.core.domain import MemberStatus
from bot.core.errors import InvalidInput
from bot.core.liangshen import (
    BUILD_THRESHOLD,
    MAX_PLACE,
    Declared,
    button_data,
    parse_declaration,
    read_button,
    tally,
)

FULL, PROBATIONARY = MemberStatus.FULL, MemberStatus.PROBATIONARY
PLACE = "河南省周口市某村党支部"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Declared(None, None)),
        ("党员", Declared(FULL, None)),
        ("正式党员", Declared(FULL, None)),
        ("预备党员", Declared(PROBATIONARY, None)),
        (f"党员 组织关系在 {PLACE}", Declared(FULL, False, PLACE)),
        (f"党员 组织关系在{PLACE}", Declared(FULL, False, PLACE)),
        (f"预备党员，组织关系：{PLACE}", Declared(PROBATIONARY, False, PLACE)),
        (f"党员 组织关系现在在 {PLACE}。", Declared(FULL, False, PLACE)),
        (f"党员 在 {PLACE}", Declared(FULL, False, PLACE)),
        (f"党员 {PLACE}", Declared(FULL, False, PLACE)),
        ("党员 组织关系在本单位", Declared(FULL, True)),
        ("预备党员 本单位", Declared(PROBATIONARY, True)),
        ("党员 组织关系在本公司党支部", Declared(FULL, True)),
        ("党员 在这里", Declared(FULL, True)),
        ("党员 组织关系在", Declared(FULL, None)),
        ("党员 于都县某村党支部", Declared(FULL, False, "于都县某村党支部")),
    ],
)
def test_what_iam_says(text: str, expected: Declared) -> None:
    assert parse_declaration(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("群众", "iam_status"),
        ("团员 组织关系在本单位", "iam_status"),
        ("入党积极分子", "iam_activist"),
        ("积极分子 本单位", "iam_activist"),
        ("@zhangsan 党员", "iam_not_for_others"),
        ("党员 组织关系在 " + "某" * (MAX_PLACE + 1), "iam_place_long"),
        ("党员 组织关系在 某", "iam_place_short"),
        ("党员 组织关系在 123", "iam_place_short"),
    ],
)
def test_bad_declarations_are_refused_in_chinese(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_declaration(text)
    assert raised.value.code == code
    reply = texts.error_text(raised.value)
    assert reply != code
    assert "{" not in reply


def test_the_unknown_word_is_named_in_the_reply() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_declaration("群众 本单位")
    assert "群众" in texts.error_text(raised.value)


def test_buttons_round_trip_within_telegrams_64_bytes() -> None:
    for status in (FULL, PROBATIONARY):
        for here in (None, True, False):
            data = button_data(9_999_999_999, status, here)
            assert len(data.encode()) <= 64
            assert read_button(data) == (9_999_999_999, Declared(status, here))


def test_a_group_without_an_organisation_and_three_full_members_is_flagged() -> None:
    three = [(FULL, False)] * BUILD_THRESHOLD
    assert tally(three, has_organisation=False).should_build
    assert not tally(three, has_organisation=True).should_build
    # 预备党员 do not count towards the three (党章 第三十条: 正式党员).
    two_and_probationary = [(FULL, False), (FULL, False), (PROBATIONARY, False)]
    counted = tally(two_and_probationary, has_organisation=False)
    assert (counted.full, counted.probationary, counted.elsewhere) == (2, 1, 3)
    assert not counted.should_build
