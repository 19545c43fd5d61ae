"""Turn what the bot sends (text + parse_mode or entities) into the stored message text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import bad_request
from .html_entities import parse_html
from .markdown_entities import parse_markdown, parse_markdown_v2
from .textutil import EntityParseError, detect_entities, trim

UserLookup = Callable[[int], dict[str, Any] | None]

_PARSERS = {
    "html": parse_html,
    "markdownv2": parse_markdown_v2,
    "markdown": parse_markdown,
}


def render_text(
    text: str,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    user_lookup: UserLookup | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities as Telegram stores them, or 400 "can't parse entities"."""
    if entities:
        return trim(text, entities)  # explicit entities win over parse_mode, as in tdlib
    if not parse_mode:
        return _with_detected(*trim(text, []))
    parser = _PARSERS.get(parse_mode.lower())
    if parser is None:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}", violation="entities")
    try:
        plain, found = parser(text)
    except EntityParseError as err:
        raise bad_request(f"can't parse entities: {err}", violation="entities") from None
    if user_lookup is not None:
        _fill_mentioned_users(found, user_lookup)
    return _with_detected(*trim(plain, found))


def _with_detected(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Add the commands, @mentions and URLs Telegram finds itself, where nothing else is."""
    spans = [range(e["offset"], e["offset"] + e["length"]) for e in entities]
    extra = [
        found
        for found in detect_entities(text)
        if not any(found["offset"] in span or span.start in _span(found) for span in spans)
    ]
    if not extra:
        return text, entities
    merged = entities + extra
    merged.sort(key=lambda e: (e["offset"], -e["length"]))
    return text, merged


def _span(entity: dict[str, Any]) -> range:
    return range(entity["offset"], entity["offset"] + entity["length"])


def _fill_mentioned_users(entities: list[dict[str, Any]], lookup: UserLookup) -> None:
    """Replace the placeholder user of tg://user?id= mentions with the known user."""
    for entity in entities:
        if entity["type"] == "text_mention":
            user = lookup(entity["user"]["id"])
            if user is not None:
                entity["user"] = user
