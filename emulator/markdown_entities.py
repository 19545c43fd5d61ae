"""parse_mode=MarkdownV2 and legacy Markdown, strict where Telegram is strict.

MarkdownV2 rejects any unescaped reserved character ("_*[]()~`>#+-=|{}.!") outside
markup; Chinese full stops are fine but an ASCII "." or "-" in a date is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .textutil import EntityParseError, byte_offset, utf16_len

_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
# Longest first: "__" is underline, "_" italic.
_MARKERS: tuple[tuple[str, str], ...] = (
    ("||", "spoiler"),
    ("__", "underline"),
    ("*", "bold"),
    ("_", "italic"),
    ("~", "strikethrough"),
)
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _Open:
    kind: str
    start: int  # UTF-16 offset in the output
    source_index: int


class _Out:
    """The plain text being built and its entities."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos16 = 0
        self.entities: list[dict[str, Any]] = []

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.pos16 += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos16 > start:
            self.entities.append({"type": kind, "offset": start, "length": self.pos16 - start})
            self.entities[-1].update(extra)

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


def _scan_to(source: str, i: int, closing: str, escapable: str) -> tuple[str, int] | None:
    """Raw content from i up to `closing` (backslash escapes `escapable`); None if absent."""
    content: list[str] = []
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source) and source[i + 1] in escapable:
            content.append(source[i + 1])
            i += 2
        elif source.startswith(closing, i):
            return "".join(content), i + len(closing)
        else:
            content.append(source[i])
            i += 1
    return None


def _code(source: str, i: int, out: _Out) -> int:
    """A `code` or ```pre``` span starting at i; return the index after it."""
    fence = "```" if source.startswith("```", i) else "`"
    scanned = _scan_to(source, i + len(fence), fence, "`\\")
    if scanned is None:
        name = "Pre" if fence == "```" else "Code"
        raise EntityParseError(
            f"Can't find end of {name} entity at byte offset {byte_offset(source, i)}"
        )
    content, end = scanned
    extra: dict[str, Any] = {}
    if fence == "```" and "\n" in content:
        first, rest = content.split("\n", 1)
        if first and " " not in first:
            extra["language"], content = first, rest
    start = out.pos16
    out.emit(content)
    out.entity("pre" if fence == "```" else "code", start, **extra)
    return end


def _link_end(source: str, i: int, top: _Open, out: _Out) -> int:
    """Close a [text](url) at source[i] == "]"; return the index after it."""
    i += 1
    if not source.startswith("(", i):
        return i  # "[text]" without a URL keeps the text, drops the link
    scanned = _scan_to(source, i + 1, ")", ")\\")
    if scanned is None:
        raise EntityParseError(f"Can't find end of a url at byte offset {byte_offset(source, i)}")
    url, end = scanned
    if top.kind == "custom_emoji":
        out.entity("custom_emoji", top.start, custom_emoji_id=url.rsplit("=", 1)[-1])
    else:
        out.entity("text_link", top.start, url=url)
    return end


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of a MarkdownV2 text; EntityParseError if invalid."""
    out = _Out()
    stack: list[_Open] = []
    quote_start: int | None = None
    i = 0
    while i < len(source):
        ch = source[i]
        at_line_start = i == 0 or source[i - 1] == "\n"
        if ch == "\\" and i + 1 < len(source) and 0 < ord(source[i + 1]) < 127:
            out.emit(source[i + 1])
            i += 2
        elif ch == "`":
            i = _code(source, i, out)
        elif ch == ">" and at_line_start:
            quote_start = out.pos16 if quote_start is None else quote_start
            i += 1
        elif ch == "\n" and quote_start is not None and not source.startswith(">", i + 1):
            out.entity("blockquote", quote_start)
            quote_start = None
            out.emit(ch)
            i += 1
        elif ch == "[" or (ch == "!" and source.startswith("[", i + 1)):
            kind = "text_link" if ch == "[" else "custom_emoji"
            stack.append(_Open(kind, out.pos16, i))
            i += 1 if ch == "[" else 2
        elif ch == "]" and stack and stack[-1].kind in {"text_link", "custom_emoji"}:
            i = _link_end(source, i, stack.pop(), out)
        else:
            i = _marker_or_char(source, i, out, stack)
    if stack:
        top = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_NAMES[top.kind]} entity at byte offset "
            f"{byte_offset(source, top.source_index)}"
        )
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    return out.result()


def _marker_or_char(source: str, i: int, out: _Out, stack: list[_Open]) -> int:
    for marker, kind in _MARKERS:
        if source.startswith(marker, i):
            if stack and stack[-1].kind == kind:
                out.entity(kind, stack.pop().start)
            else:
                stack.append(_Open(kind, out.pos16, i))
            return i + len(marker)
    ch = source[i]
    if ch in _RESERVED:
        raise EntityParseError(
            f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
        )
    out.emit(ch)
    return i + 1


_LEGACY = {"*": "bold", "_": "italic"}


def parse_markdown(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of a legacy Markdown text (no nesting)."""
    out = _Out()
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            out.emit(source[i + 1])
            i += 2
        elif ch == "`":
            i = _code(source, i, out)
        elif ch in _LEGACY or ch == "[":
            i = _legacy_span(source, i, out)
        else:
            out.emit(ch)
            i += 1
    return out.result()


def _legacy_span(source: str, i: int, out: _Out) -> int:
    ch = source[i]
    closing = "]" if ch == "[" else ch
    end = source.find(closing, i + 1)
    if end == -1:
        raise EntityParseError(
            f"Can't find end of the entity starting at byte offset {byte_offset(source, i)}"
        )
    start = out.pos16
    out.emit(source[i + 1 : end])
    if ch != "[":
        out.entity(_LEGACY[ch], start)
        return end + 1
    if source.startswith("(", end + 1) and (url_end := source.find(")", end + 2)) != -1:
        out.entity("text_link", start, url=source[end + 2 : url_end])
        return url_end + 1
    return end + 1
