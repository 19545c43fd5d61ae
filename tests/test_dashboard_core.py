"""The 概览's lights and tree positions, from ledger rows."""

from __future__ import annotations

from bot.core.dashboard import AMBER, GREEN, RED, light, statuses
from bot.core.domain import OrgKind
from bot.core.ledger_snapshot import OrgInfo
from bot.core.meetings import MeetingType
from bot.core.org_rows import OrgRow
from bot.core.requirements import Standing


def row(*standings: Standing, attendance: float | None = 0.9, study: float | None = 0.9) -> OrgRow:
    kinds = [MeetingType.COMMITTEE, MeetingType.ASSEMBLY, MeetingType.LECTURE]
    return OrgRow(
        name="第1党支部",
        parent="第1镇党委",
        kind=OrgKind.BRANCH,
        members=10,
        standings=dict(zip(kinds, standings, strict=False)),
        attendance=attendance,
        study_rate=study,
    )


def test_a_window_that_ended_without_its_meeting_is_red() -> None:
    assert light(row(Standing(1, 2, behind=True), Standing(0, 1, behind=True))) == (2, RED)


def test_something_still_owed_or_a_low_rate_is_amber() -> None:
    assert light(row(Standing(1, 2, behind=False))) == (0, AMBER)
    assert light(row(Standing(2, 2, behind=False), attendance=0.5)) == (0, AMBER)
    assert light(row(Standing(2, 2, behind=False), study=0.59)) == (0, AMBER)


def test_all_met_is_green_and_no_figures_are_not_low() -> None:
    assert light(row(Standing(2, 2, behind=False))) == (0, GREEN)
    assert light(row(attendance=None, study=None)) == (0, GREEN)


def test_lines_carry_depth_and_sums() -> None:
    orgs = [
        OrgInfo(1, "第1镇党委", OrgKind.COMMITTEE, None),
        OrgInfo(2, "第1党支部", OrgKind.BRANCH, 1),
        OrgInfo(3, "第1党小组", OrgKind.GROUP, 2),
    ]
    found = statuses(orgs, [row(), row(Standing(1, 3, behind=True)), row(Standing(1, 1, False))])
    assert [(s.name, s.depth) for s in found] == [
        ("第1镇党委", 0),
        ("第1党支部", 1),
        ("第1党小组", 2),
    ]
    assert (found[1].held, found[1].required, found[1].alerts, found[1].status) == (1, 3, 1, RED)
    assert found[0].kind == "党委"
