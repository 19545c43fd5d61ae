"""双找 without I/O: what a member's `/iam` says (亮明身份), and each group's tally.

In a 非公 enterprise's group (bound to an organisation or not yet) members declare
themselves: 正式党员 or 预备党员, and where their 组织关系 is now - here (the group's own
organisation) or elsewhere (a place they name). A group whose declared 正式党员 number 3 or
more and which has no Party organisation is flagged 应建尽建: 党章 第三十条 sets up a
primary organisation wherever there are three full members.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.domain import MemberStatus
from bot.core.errors import InvalidInput

# 党章 第三十条: three full members or more form a primary organisation.
BUILD_THRESHOLD = 3
# A place is the name of an organisation (河南省周口市某村党支部), not a letter.
MAX_PLACE = 50
MIN_PLACE = 2

STATUS_WORDS: dict[str, MemberStatus] = {
    "正式党员": MemberStatus.FULL,
    "预备党员": MemberStatus.PROBATIONARY,
    "党员": MemberStatus.FULL,
    "正式": MemberStatus.FULL,
    "预备": MemberStatus.PROBATIONARY,
}
ACTIVIST_WORDS = ("入党积极分子", "积极分子", "发展对象")
# What "my 组织关系 is here" is said with.
HERE_WORDS = frozenset(
    {"本单位", "本企业", "本公司", "这里", "这儿", "本群", "本支部", "本组织", "此", "这", "单位"}
)
HERE_PREFIXES = ("本单位", "本企业", "本公司")  # 本公司党支部 is here too
# Leading words of the place part, stripped in this order: 组织关系在 / 组织关系：/ 在.
_LEAD_RE = re.compile(r"^[，,：:\s]*(?:党?组织关系)?[，,：:\s]*(?:现在|目前)?在?[，,：:\s]*")
_STATUS_RE = re.compile("^(" + "|".join(sorted(STATUS_WORDS, key=len, reverse=True)) + ")")
# Keys of the buttons (callback data): status and relation, one letter each.
STATUS_KEYS = {MemberStatus.FULL: "f", MemberStatus.PROBATIONARY: "p"}
HERE_KEY, ELSEWHERE_KEY = "h", "a"


@dataclass(frozen=True, slots=True)
class Declared:
    """What `/iam …` said; None where it said nothing yet (the buttons ask)."""

    status: MemberStatus | None
    here: bool | None
    place: str = ""


def parse_status(word: str) -> MemberStatus:
    """党员 / 正式党员 → FULL, 预备党员 → PROBATIONARY; InvalidInput for any other word."""
    word = word.strip()
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    if any(word.startswith(w) for w in ACTIVIST_WORDS):
        raise InvalidInput(code="iam_activist")
    raise InvalidInput(code="iam_status", word=word[:20])


def parse_place(text: str) -> tuple[bool | None, str]:
    """(here?, place) from what follows the status: nothing → (None, ""), 本单位 → (True,
    ""), a place → (False, place); InvalidInput for a place too short or too long."""
    rest = _LEAD_RE.sub("", " ".join(text.split()), count=1).strip("，,。. ")
    if not rest:
        return None, ""
    if rest in HERE_WORDS or rest.startswith(HERE_PREFIXES):
        return True, ""
    if len(rest) > MAX_PLACE:
        raise InvalidInput(code="iam_place_long", limit=MAX_PLACE, length=len(rest))
    if len(rest) < MIN_PLACE or not re.search(r"[\u4e00-\u9fffA-Za-z]", rest):
        raise InvalidInput(code="iam_place_short")
    return False, rest


def parse_declaration(text: str) -> Declared:
    """`党员 组织关系在 河南省周口市某村党支部`, `预备党员 本单位`, `党员`, or nothing."""
    text = text.strip()
    if not text:
        return Declared(None, None)
    if text.startswith("@"):
        raise InvalidInput(code="iam_not_for_others")  # /iam @someone 党员
    found = _STATUS_RE.match(text)
    if found is None:
        parse_status(text.split()[0])  # raises with the word the member typed
        raise AssertionError("unreachable")  # pragma: no cover
    here, place = parse_place(text[found.end() :])
    return Declared(STATUS_WORDS[found.group(1)], here, place)


def button_data(user_id: int, status: MemberStatus, here: bool | None = None) -> str:
    """`iam:<user>:<f|p>[:<h|a>]`: who the button is for, the status, the relation."""
    data = f"iam:{user_id}:{STATUS_KEYS[status]}"
    if here is None:
        return data
    return f"{data}:{HERE_KEY if here else ELSEWHERE_KEY}"


def read_button(data: str) -> tuple[int, Declared]:
    """The inverse of `button_data` (the handler's pattern has checked the shape)."""
    parts = data.split(":")
    status = next(s for s, key in STATUS_KEYS.items() if key == parts[2])
    here = None if len(parts) < 4 else parts[3] == HERE_KEY
    return int(parts[1]), Declared(status, here)


@dataclass(frozen=True, slots=True)
class Tally:
    """One group's declarations counted: 正式党员, 预备党员, those whose 组织关系 is elsewhere,
    and whether the group has a Party organisation."""

    full: int
    probationary: int
    elsewhere: int
    has_organisation: bool

    @property
    def should_build(self) -> bool:
        """应建尽建: 3 or more 正式党员 and no organisation."""
        return not self.has_organisation and self.full >= BUILD_THRESHOLD


def tally(declarations: Iterable[tuple[MemberStatus, bool]], has_organisation: bool) -> Tally:
    """Count a group's (status, here?) declarations."""
    full = probationary = elsewhere = 0
    for status, here in declarations:
        full += status is MemberStatus.FULL
        probationary += status is MemberStatus.PROBATIONARY
        elsewhere += not here
    return Tally(full, probationary, elsewhere, has_organisation)
