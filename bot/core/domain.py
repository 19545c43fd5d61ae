"""The domain's vocabulary (glossary.md): organisation kinds, domains, roles, statuses."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Self

from bot.core.errors import InvalidInput


class _Labelled(StrEnum):
    """A StrEnum stored by its English value and shown by its Chinese label."""

    @property
    def label(self) -> str:
        """The Chinese word users see."""
        return _LABELS[_key(self)]

    @classmethod
    def from_label(cls, text: str) -> Self | None:
        """The member whose label (or an accepted alias) is `text`, else None."""
        text = text.strip()
        for member in cls:
            if text == member.label or text in _ALIASES.get(_key(member), ()):
                return member
        return None

    @classmethod
    def labels(cls) -> str:
        """All labels, for error messages: 党委 / 党总支 / …"""
        return " / ".join(member.label for member in cls)


def _key(member: StrEnum) -> tuple[str, str]:
    # Keyed by class too: OrgKind.COMMITTEE and Role.COMMITTEE are equal strings.
    return type(member).__name__, member.value


class OrgKind(_Labelled):
    """Level of a grassroots organisation."""

    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    BRANCH = "branch"
    GROUP = "group"


class Domain(_Labelled):
    """Sector an organisation works in."""

    ORGAN = "organ"
    RURAL = "rural"
    COMMUNITY = "community"
    NON_PUBLIC = "non_public"
    SOE = "soe"
    SCHOOL = "school"
    OTHER = "other"


class Role(_Labelled):
    """A member's post in their organisation; the first three are its managers."""

    SECRETARY = "secretary"
    DEPUTY = "deputy"
    COMMITTEE = "committee"
    MEMBER = "member"

    @property
    def is_manager(self) -> bool:
        """Secretaries, deputies and committee members manage the organisation."""
        return self is not Role.MEMBER


class MemberStatus(_Labelled):
    """Where a person stands in the Party."""

    FULL = "full"
    PROBATIONARY = "probationary"
    ACTIVIST = "activist"

    @property
    def can_vote(self) -> bool:
        """Only full members have 表决权 (Party Constitution, art. 5)."""
        return self is MemberStatus.FULL


_LABELS: dict[tuple[str, str], str] = {
    _key(OrgKind.COMMITTEE): "党委",
    _key(OrgKind.GENERAL_BRANCH): "党总支",
    _key(OrgKind.BRANCH): "党支部",
    _key(OrgKind.GROUP): "党小组",
    _key(Domain.ORGAN): "机关",
    _key(Domain.RURAL): "农村",
    _key(Domain.COMMUNITY): "社区",
    _key(Domain.NON_PUBLIC): "非公",
    _key(Domain.SOE): "国企",
    _key(Domain.SCHOOL): "学校",
    _key(Domain.OTHER): "其他",
    _key(Role.SECRETARY): "书记",
    _key(Role.DEPUTY): "副书记",
    _key(Role.COMMITTEE): "委员",
    _key(Role.MEMBER): "党员",
    _key(MemberStatus.FULL): "正式党员",
    _key(MemberStatus.PROBATIONARY): "预备党员",
    _key(MemberStatus.ACTIVIST): "入党积极分子",
}

_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    _key(OrgKind.COMMITTEE): ("基层委员会", "基层党委"),
    _key(OrgKind.GENERAL_BRANCH): ("总支", "党总支部"),
    _key(OrgKind.BRANCH): ("支部",),
    _key(OrgKind.GROUP): ("小组",),
    _key(Domain.NON_PUBLIC): ("非公企业", "两新", "两新组织"),
    _key(Domain.SOE): ("国有企业",),
    _key(Role.COMMITTEE): ("组织委员", "宣传委员", "纪检委员", "支委"),
    _key(MemberStatus.FULL): ("党员", "正式"),
    _key(MemberStatus.PROBATIONARY): ("预备",),
    _key(MemberStatus.ACTIVIST): ("积极分子",),
}


def infer_org_kind(name: str) -> OrgKind:
    """Guess the level from a name's ending (城关镇党委 → 党委); a branch by default.
    A county's 县委组织部 or a 党工委 sits above branches like a 党委: taken for a branch,
    it would be held to the 三会一课 of one."""
    for suffix, kind in (
        ("党小组", OrgKind.GROUP),
        ("总支", OrgKind.GENERAL_BRANCH),
        ("党总支部", OrgKind.GENERAL_BRANCH),
        ("党委", OrgKind.COMMITTEE),
        ("委员会", OrgKind.COMMITTEE),
        ("工委", OrgKind.COMMITTEE),
        ("组织部", OrgKind.COMMITTEE),
        ("县委", OrgKind.COMMITTEE),
    ):
        if name.endswith(suffix):
            return kind
    return OrgKind.BRANCH


_NAME_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z·•.\- ]{2,20}$")


def clean_real_name(text: str) -> str:
    """A real name as typed (张三, 阿卜杜拉·买买提, John Smith), or InvalidInput."""
    name = " ".join(text.split())
    if not _NAME_RE.fullmatch(name):
        raise InvalidInput("姓名应为2到20个汉字或字母，例如：/name 张三")
    return name.replace("•", "·")
