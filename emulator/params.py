"""Typed access to one request's parameters, whatever encoding they arrived in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import bad_request


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str | None


class Params:
    """Parameters of a request: form/query strings or native JSON values, plus file parts.

    Accessors coerce as Telegram does (numbers and booleans may arrive as strings, objects
    as JSON text) and answer 400 on values that cannot be read.
    """

    def __init__(self, raw: Mapping[str, Any], uploads: Mapping[str, Upload] | None = None):
        self.raw = dict(raw)
        self.uploads = dict(uploads or {})

    def has(self, name: str) -> bool:
        """Whether the parameter was sent."""
        return name in self.raw or name in self.uploads

    def req_str(self, name: str) -> str:
        """A required string parameter."""
        value = self.opt_str(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def opt_str(self, name: str) -> str | None:
        """An optional string parameter."""
        value = self.raw.get(name)
        return None if value is None else str(value)

    def req_int(self, name: str) -> int:
        """A required integer parameter."""
        value = self.opt_int(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def opt_int(self, name: str) -> int | None:
        """An optional integer parameter."""
        value = self.raw.get(name)
        if value is None or isinstance(value, int):
            return value
        try:
            return int(str(value))
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean parameter ("true"/"false" as form text)."""
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in {"true", "1"}

    def obj(self, name: str) -> Any:
        """An object or array parameter (JSON text in forms), or None."""
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_ref(self, name: str = "chat_id") -> int | str:
        """A chat id: an integer, or an @username string."""
        value = self.raw.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, int):
            return value
        text = str(value)
        try:
            return int(text)
        except ValueError:
            return text

    def upload(self, name: str) -> Upload | str | None:
        """A file parameter: the uploaded part (direct or attach://), else its string value."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.opt_str(name)
        if value is not None and value.startswith("attach://"):
            part = self.uploads.get(value.removeprefix("attach://"))
            if part is None:
                raise bad_request(f"file part for {value} not found")
            return part
        return value
