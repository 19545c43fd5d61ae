"""Meeting records (会议记录) without I/O: status, how a reply is read, size limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import InvalidInput
from bot.core.meetings import Tally


class MinutesStatus(StrEnum):
    """A record version is a draft until a manager taps 完成."""

    DRAFT = "draft"
    DONE = "done"

    @property
    def label(self) -> str:
        """草稿 / 已完成 (the ledger's 记录 column)."""
        return "已完成" if self is MinutesStatus.DONE else "草稿"


class Part(StrEnum):
    """Which part of the record a reply adds to."""

    CONTENT = "content"
    RESOLUTIONS = "resolutions"
    RECORDER = "recorder"

    @property
    def label(self) -> str:
        """会议内容 / 决议 / 记录人."""
        return {"content": "会议内容", "resolutions": "决议", "recorder": "记录人"}[self.value]


# A reply's first words say where it goes: 内容：… / 决议：… / 记录人：张三 (a colon, a space,
# a line break or 【】 after the word). Without a heading a reply is 会议内容 (what managers
# write most); 决议这件事… is text, not a heading.
_HEADINGS: dict[str, Part] = {
    "决议事项": Part.RESOLUTIONS,
    "会议决议": Part.RESOLUTIONS,
    "会议内容": Part.CONTENT,
    "主要内容": Part.CONTENT,
    "记录人": Part.RECORDER,
    "决议": Part.RESOLUTIONS,
    "决定": Part.RESOLUTIONS,
    "内容": Part.CONTENT,
}
_HEADING = re.compile(r"^【?(" + "|".join(_HEADINGS) + r")(?:】|(?=[\s:：]|$))[\s:：]*")

# Bounds on what people type: one part of one version stays readable in a .docx and in
# /record (the text is cut to a message when shown).
PART_LIMIT = 20_000
RECORDER_LIMIT = 20


@dataclass(frozen=True, slots=True)
class ReplyPart:
    """A reply read: the part it adds to and its text."""

    part: Part
    text: str


def read_reply(text: str) -> ReplyPart:
    """Classify a manager's reply to a draft by its first word (内容 / 决议 / 记录人)."""
    stripped = text.strip()
    match = _HEADING.match(stripped)
    if match is None:
        return _checked(ReplyPart(Part.CONTENT, stripped))
    return _checked(ReplyPart(_HEADINGS[match[1]], stripped[match.end() :].strip()))


def _checked(reply: ReplyPart) -> ReplyPart:
    if not reply.text:
        raise InvalidInput(code="minutes_empty_reply")
    if reply.part is Part.RECORDER and len(reply.text) > RECORDER_LIMIT:
        raise InvalidInput(code="minutes_recorder_long")
    return reply


def appended(existing: str, addition: str) -> str:
    """A part with one more reply (a blank line between replies), within PART_LIMIT."""
    combined = f"{existing}\n\n{addition}" if existing else addition
    if len(combined) > PART_LIMIT:
        raise InvalidInput(code="minutes_too_long")
    return combined


@dataclass(frozen=True, slots=True)
class Turnout:
    """A record's attendance: 应到, who checked in, who was on leave (why), who was absent."""

    expected: int
    present: list[str]
    leave: list[tuple[str, str | None]]
    absent: list[str]


def turnout(tally: Tally) -> Turnout:
    """From a meeting's tally: 实到 are those who checked in (also if they had asked leave),
    请假 the others on leave and floating members away (外出 with the place, never 缺席),
    缺席 everyone else expected (参加 without check-in included)."""
    came = {person.user_id for person in tally.checked_in}
    away: list[tuple[str, str | None]] = [
        (p.name, f"外出：{place}") for p, place in tally.away if p.user_id not in came
    ]
    return Turnout(
        expected=tally.expected + len(tally.away),
        present=[person.name for person in tally.checked_in],
        leave=[(p.name, reason) for p, reason in tally.leave if p.user_id not in came] + away,
        absent=[p.name for p in tally.yes + tally.none if p.user_id not in came],
    )


# Characters XML 1.0 cannot hold (the .docx would not be written): control characters but
# tab, newline and carriage return.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters a Word document cannot contain."""
    return _NOT_XML.sub("", text)
