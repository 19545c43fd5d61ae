"""Telegram Mini App (Web App) initData: checked exactly as Telegram specifies, and signed.

initData is a URL-encoded query string. Its `hash` is HMAC-SHA256 over the data-check
string (every other field as `key=value`, sorted by key, joined by line feeds), keyed with
HMAC-SHA256(key="WebAppData", message=bot token). Only the bot's token can produce it, so a
valid hash proves Telegram handed this data to this user; `auth_date` bounds how long a
copied string stays usable. `sign_init_data` makes the strings the tests and the local
sandbox open the page with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

MAX_AGE = timedelta(hours=24)
# A real initData is well under 1 KB; anything far longer is not worth hashing.
MAX_LENGTH = 4096
# Clocks of phones drift: a few minutes in the future is accepted, more is not.
CLOCK_SKEW = timedelta(minutes=5)


class InvalidInitData(Exception):
    """initData is missing, malformed, not signed with this bot's token, or too old."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """Who opened the Mini App, as Telegram vouches."""

    id: int
    first_name: str
    last_name: str
    username: str | None
    auth_date: datetime

    @property
    def full_name(self) -> str:
        """First and last name as Telegram shows them."""
        return f"{self.first_name} {self.last_name}".strip()


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _hash(fields: dict[str, str], token: str) -> str:
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    return hmac.new(_secret(token), check.encode(), hashlib.sha256).hexdigest()


def sign_init_data(fields: dict[str, str], token: str) -> str:
    """The initData string Telegram would hand the page for these fields."""
    return urlencode({**fields, "hash": _hash(fields, token)})


def init_data_for(user_id: int, first_name: str, token: str, auth_date: datetime) -> str:
    """A signed initData for a user (tests, the sandbox's demo users)."""
    user = json.dumps({"id": user_id, "first_name": first_name}, ensure_ascii=False)
    return sign_init_data(
        {"auth_date": str(int(auth_date.timestamp())), "query_id": "AAH", "user": user}, token
    )


def verify_init_data(
    init_data: str, token: str, now: datetime, max_age: timedelta = MAX_AGE
) -> WebAppUser:
    """The user of a valid initData; InvalidInitData saying why otherwise."""
    if not init_data or len(init_data) > MAX_LENGTH:
        raise InvalidInitData("missing or too long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidInitData("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidInitData("a field appears twice")
    given = fields.pop("hash", "")
    if not hmac.compare_digest(given.encode(), _hash(fields, token).encode()):
        raise InvalidInitData("hash does not match")
    auth_date = _auth_date(fields.get("auth_date", ""))
    if now - auth_date > max_age or auth_date - now > CLOCK_SKEW:
        raise InvalidInitData("auth_date too old")
    return _user(fields.get("user", ""), auth_date)


def _auth_date(text: str) -> datetime:
    if not text.isdigit() or len(text) > 12:
        raise InvalidInitData("no auth_date")
    return datetime.fromtimestamp(int(text), UTC)


def _user(text: str, auth_date: datetime) -> WebAppUser:
    try:
        user = json.loads(text)
    except ValueError:
        raise InvalidInitData("user is not JSON") from None
    if not isinstance(user, dict) or not isinstance(user.get("id"), int):
        raise InvalidInitData("no user id")
    return WebAppUser(
        id=user["id"],
        first_name=str(user.get("first_name", "")),
        last_name=str(user.get("last_name", "")),
        username=user.get("username") if isinstance(user.get("username"), str) else None,
        auth_date=auth_date,
    )
