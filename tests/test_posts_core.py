"""设岗定责 rules without Telegram or a database: names, texts, which post a report is for,
who is reminded."""

from __future__ import annotations

import pytest

from bot.core.posts import (
    SUGGESTED,
    Holding,
    clean_text,
    duties_for,
    pick_post,
    valid_name,
    without_reports,
)


@pytest.mark.parametrize("name", ["纠纷调解", "义务家长", "A岗", "岗" * 20])
def test_good_names(name: str) -> None:
    assert valid_name(name)


@pytest.mark.parametrize(
    "name", ["", "岗" * 21, "纠纷 调解", "\u200b", "<b>岗</b>", "a\tb", "@岗", "岗/位", "\x07"]
)
def test_bad_names(name: str) -> None:
    assert not valid_name(name)


def test_clean_text_keeps_lines_and_drops_invisible_characters() -> None:
    assert clean_text("  走访\r\n三户\u200b\x07\u202e  ") == "走访\n三户"
    assert clean_text("\ufeff") == ""


def test_suggested_posts_bring_their_duties() -> None:
    assert len(SUGGESTED) == 9
    assert duties_for("纠纷调解", "") == SUGGESTED["纠纷调解"]
    assert duties_for("纠纷调解", " 自己写的职责 ") == "自己写的职责"
    assert duties_for("自定岗位", "") == ""


def test_a_report_goes_to_the_named_post_or_the_only_one() -> None:
    assert pick_post(["政策宣传", "纠纷调解"], "纠纷调解 调解了两户") == ("纠纷调解", "调解了两户")
    assert pick_post(["政策宣传", "纠纷调解"], "调解了两户") == (None, "调解了两户")
    assert pick_post(["纠纷调解"], "调解了两户") == ("纠纷调解", "调解了两户")
    # A post's name alone is the report's text, not a choice.
    assert pick_post(["纠纷调解", "政策宣传"], "纠纷调解") == (None, "纠纷调解")


def test_only_holders_without_a_report_are_reminded() -> None:
    holdings = [Holding(1, "纠纷调解", 7), Holding(1, "政策宣传", 7), Holding(1, "纠纷调解", 8)]
    holdings.append(Holding(2, "村务监督", 7))  # the same member in another organisation
    assert without_reports(holdings, {(1, 8): 2}) == {
        (1, 7): ["纠纷调解", "政策宣传"],
        (2, 7): ["村务监督"],
    }
    assert without_reports(holdings, {(1, 7): 1, (1, 8): 1, (2, 7): 3}) == {}
