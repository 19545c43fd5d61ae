"""五星党员评比: a draft rating per member across five dimensions, from recorded facts.

学习, 参会 and 履职 compare what the member did with what was asked of them in the period;
奉献 reads the award points managers recorded; 表率 is the managers' judgement (3 until they
set it). A manager's edit of any dimension wins over the draft.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import InvalidInput

NEUTRAL = 3  # nothing was asked, or nobody judged yet
# (least share of what was asked, stars), best first.
_SHARES = ((0.9, 5), (0.75, 4), (0.6, 3), (0.4, 2))
_AWARDS = ((10, 5), (1, 4))  # (least award points, stars)


class Dimension(StrEnum):
    """One of the five dimensions."""

    STUDY = "study"
    MEETINGS = "meetings"
    DUTY = "duty"
    DEDICATION = "dedication"
    EXAMPLE = "example"

    @property
    def label(self) -> str:
        """The word users see and type."""
        return _LABELS[self]

    @classmethod
    def from_word(cls, word: str) -> Dimension | None:
        """The dimension a user's word names."""
        word = word.strip()
        return next((d for d in cls if word in (d.label, *_ALIASES.get(d, ()))), None)


_LABELS = {
    Dimension.STUDY: "学习",
    Dimension.MEETINGS: "参会",
    Dimension.DUTY: "履职",
    Dimension.DEDICATION: "奉献",
    Dimension.EXAMPLE: "表率",
}
_ALIASES = {Dimension.MEETINGS: ("签到",), Dimension.DEDICATION: ("奖励",)}


@dataclass(frozen=True, slots=True)
class Record:
    """What one member did in the period and what was asked of them."""

    user_id: int
    name: str
    studied: int = 0
    topics: int = 0  # topics published to their organisation
    attended: int = 0  # check-ins
    meetings: int = 0  # meetings they were expected at
    duties: int = 0  # 设岗定责 reports
    months: int = 1  # a report a month is asked
    awards: int = 0  # award points


@dataclass(frozen=True, slots=True)
class Rating:
    """A member's stars in each dimension, and overall."""

    user_id: int
    name: str
    stars: tuple[tuple[Dimension, int], ...]

    def of(self, dimension: Dimension) -> int:
        """The stars of one dimension."""
        return dict(self.stars)[dimension]

    @property
    def overall(self) -> int:
        """The mean of the five, rounded half up."""
        values = [value for _, value in self.stars]
        return math.floor(sum(values) / len(values) + 0.5)


def share_stars(done: int, asked: int) -> int:
    """Stars for the share of what was asked that was done (3 when nothing was asked)."""
    if asked <= 0:
        return NEUTRAL
    share = done / asked
    return next((stars for least, stars in _SHARES if share >= least), 1)


def award_stars(points: int) -> int:
    """Stars for award points: 3 without any, 4 from one point, 5 from ten."""
    return next((stars for least, stars in _AWARDS if points >= least), NEUTRAL)


def draft(record: Record, edits: dict[Dimension, int] | None = None) -> Rating:
    """The draft from the facts, with the managers' edits over it."""
    computed = {
        Dimension.STUDY: share_stars(record.studied, record.topics),
        Dimension.MEETINGS: share_stars(record.attended, record.meetings),
        Dimension.DUTY: share_stars(record.duties, record.months),
        Dimension.DEDICATION: award_stars(record.awards),
        Dimension.EXAMPLE: NEUTRAL,
    } | (edits or {})
    return Rating(record.user_id, record.name, tuple((d, computed[d]) for d in Dimension))


def ordered(ratings: list[Rating]) -> list[Rating]:
    """Best overall first, then by the sum of stars, then by name."""
    return sorted(ratings, key=lambda r: (-r.overall, -sum(v for _, v in r.stars), r.name))


def parse_stars(text: str) -> int:
    """1 to 5 stars, as a digit or as ★ marks."""
    text = text.strip()
    value = len(text) if text and set(text) == {"★"} else None
    if value is None and text.isdecimal() and text.isascii() and len(text) == 1:
        value = int(text)
    if value is None or not 1 <= value <= 5:
        raise InvalidInput(code="stars_bad_value", text=text)
    return value


def parse_edit(words: list[str]) -> tuple[str, Dimension, int]:
    """`[姓名] <维度> <星级>` (the name is empty when the command replies to the member)."""
    if len(words) < 2:
        raise InvalidInput(code="stars_set_usage")
    dimension = Dimension.from_word(words[-2])
    if dimension is None:
        raise InvalidInput(code="stars_set_usage")
    return " ".join(words[:-2]), dimension, parse_stars(words[-1])


def months_between(first: tuple[int, int], last: tuple[int, int]) -> int:
    """Calendar months from (year, month) to (year, month), both counted."""
    return max(1, (last[0] - first[0]) * 12 + last[1] - first[1] + 1)
