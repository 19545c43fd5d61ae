"""parse_mode=HTML as Telegram reads it: strict tags, entity offsets in UTF-16 units.

Telegram's parser (tdlib) treats every "<" as the start of a tag, so an unescaped
"5<6" or an unknown tag fails the whole request with "can't parse entities". That is
exactly the bug this module exists to catch in the bot's texts.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from .textutil import EntityParseError, byte_offset, utf16_len

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAME = re.compile(r"[^\s>/]*")
_ATTR = re.compile(r"""([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_CHAR_REF = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_TG_USER = re.compile(r"tg://user\?id=(\d+)")


@dataclass
class _Open:
    name: str
    start: int  # UTF-16 offset in the output text
    attrs: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of an HTML-formatted message; EntityParseError if invalid."""
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "<":
            i = _tag(source, i, pos16, stack, entities)
            continue
        if ch == "&":
            ref = _CHAR_REF.match(source, i)
            piece = html.unescape(ref.group()) if ref else "&"
            i = ref.end() if ref else i + 1
        else:
            piece = ch
            i += 1
        out.append(piece)
        pos16 += utf16_len(piece)
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _tag(
    source: str, i: int, pos16: int, stack: list[_Open], entities: list[dict[str, Any]]
) -> int:
    """Handle the tag starting at source[i] ("<"); return the index after it."""
    end = source.find(">", i)
    closing = source.startswith("</", i)
    if end == -1:
        kind = "end" if closing else "start"
        raise EntityParseError(f"Unclosed {kind} tag at byte offset {byte_offset(source, i)}")
    if closing:
        _close(source[i + 2 : end].strip().lower(), source, i, pos16, stack, entities)
        return end + 1
    inner = source[i + 1 : end]
    name_match = _NAME.match(inner)
    name = name_match.group().lower() if name_match else ""
    if name not in _TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {byte_offset(source, i)}'
        )
    attrs = {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
        for m in _ATTR.finditer(inner, len(name))
    }
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(source, i)}'
        )
    stack.append(_Open(name, pos16, attrs))
    return end + 1


def _close(
    name: str,
    source: str,
    i: int,
    pos16: int,
    stack: list[_Open],
    entities: list[dict[str, Any]],
) -> None:
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(source, i)}")
    top = stack.pop()
    if name != top.name:
        raise EntityParseError(
            f"Unmatched end tag at byte offset {byte_offset(source, i)}, "
            f'expected "</{top.name}>", found "</{name}>"'
        )
    language = top.attrs.get("class", "")
    if top.name == "code" and stack and stack[-1].name == "pre" and language:
        # <pre><code class="language-x"> is one pre entity with a language.
        stack[-1].extra["language"] = language.removeprefix("language-")
        return
    length = pos16 - top.start
    if length > 0:
        entities.append(_entity(top, length))


def _entity(tag: _Open, length: int) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": _TAGS[tag.name], "offset": tag.start, "length": length}
    if tag.name == "a":
        href = tag.attrs.get("href", "")
        user = _TG_USER.fullmatch(href)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False, "first_name": "?"}
        else:
            entity["url"] = href
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    entity.update(tag.extra)
    return entity
