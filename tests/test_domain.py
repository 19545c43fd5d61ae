"""Reading an organisation's level from its name."""

from __future__ import annotations

import pytest

from bot.core.domain import OrgKind, infer_org_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("城关镇党委", OrgKind.COMMITTEE),
        ("县委组织部", OrgKind.COMMITTEE),
        ("开发区党工委", OrgKind.COMMITTEE),
        ("某某县委", OrgKind.COMMITTEE),
        ("县直机关党总支", OrgKind.GENERAL_BRANCH),
        ("第一党支部", OrgKind.BRANCH),
        ("流动党员党支部", OrgKind.BRANCH),
        ("第一党小组", OrgKind.GROUP),
        ("红星村", OrgKind.BRANCH),
    ],
)
def test_the_level_follows_the_name(name: str, kind: OrgKind) -> None:
    assert infer_org_kind(name) == kind
