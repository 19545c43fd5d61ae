"""Text helpers: UTF-16 offsets, entities Telegram detects by itself, trimming."""

from __future__ import annotations

import re
from typing import Any


class EntityParseError(ValueError):
    """The formatted text cannot be parsed (Telegram: "can't parse entities: ...")."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Telegram entity offset."""
    return len(text.encode("utf-16-le")) // 2


def byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of text[index], the unit of Telegram's parse error positions."""
    return len(text[:index].encode("utf-8"))


_DETECTORS = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")),
    ("url", re.compile(r"https?://[^\s<>\"]+")),
)


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram adds to plain text by itself: commands, @mentions, URLs."""
    taken: list[range] = []
    entities: list[dict[str, Any]] = []
    for kind, pattern in _DETECTORS:
        for m in pattern.finditer(text):
            if any(m.start() in r for r in taken):
                continue
            taken.append(range(m.start(), m.end()))
            entities.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m.group()),
                }
            )
    entities.sort(key=lambda e: e["offset"])
    return entities


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip surrounding whitespace as Telegram does, keeping entity offsets right."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The part of `text` an entity covers (offset/length in UTF-16 units)."""
    data = text.encode("utf-16-le")
    return data[2 * offset : 2 * (offset + length)].decode("utf-16-le", errors="replace")
