"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/bot.db"

# The async drivers the storage layer is written and tested for.
DATABASE_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_OFFSET_RE = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_OFFSET_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """Read `1d,1h,30m` into durations, longest first; raise ValueError on bad items."""
    offsets = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        match = _OFFSET_RE.match(item)
        if not match or int(match[1]) == 0:
            raise ValueError(f"'{item}' is not a positive duration like 1d, 2h, 30m or 45s")
        offsets.append(timedelta(**{_OFFSET_UNITS[match[2]]: int(match[1])}))
    return tuple(sorted(set(offsets), reverse=True))


def check_database_url(url: str) -> str:
    """The URL if its driver is one we support; ValueError saying what to write otherwise."""
    supported = "only sqlite+aiosqlite:// and postgresql+asyncpg:// are supported"
    try:
        driver = make_url(url).drivername
    except ArgumentError:
        raise ValueError(f"not a database URL; {supported}") from None
    if driver not in DATABASE_DRIVERS:
        raise ValueError(f"{driver}:// is not supported: {supported}")
    if driver == "sqlite+aiosqlite" and not make_url(url).database:
        raise ValueError("a SQLite URL needs a file, e.g. sqlite+aiosqlite:///data/bot.db")
    return url


def check_proxy_url(url: str) -> str:
    """The proxy URL if httpx can use it; ValueError with an example otherwise."""
    example = "e.g. http://127.0.0.1:7890 or socks5://127.0.0.1:1080"
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise ValueError(f"not a URL, {example}") from None
    if parsed.scheme not in PROXY_SCHEMES or not parsed.host:
        raise ValueError(f"expected an {'/'.join(PROXY_SCHEMES)} URL with a host, {example}")
    return url


def redact_url(url: str) -> str:
    """The URL with its password replaced by ***, safe to print and log."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


class Settings(BaseSettings):
    """Everything the bot reads from its environment (see .env.example)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = DEFAULT_BASE_URL
    telegram_base_file_url: str | None = None
    telegram_proxy: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    bot_timezone: str = "Asia/Shanghai"
    superadmin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    reminder_offsets: Annotated[tuple[timedelta, ...], NoDecode] = Field(
        default=(timedelta(days=1), timedelta(hours=1))
    )

    @field_validator("superadmin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            items = [item.strip() for item in value.split(",") if item.strip()]
            if not all(re.fullmatch(r"-?\d+", item) for item in items):
                raise ValueError("expected comma-separated numeric Telegram user ids")
            return frozenset(int(item) for item in items)
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # An empty token is reported by require_token; a mangled one (quotes, spaces, a
        # missing id) is caught here, before any request. Never echo the token itself.
        token = value.get_secret_value().strip() if value is not None else ""
        if token and not _TOKEN_RE.fullmatch(token):
            raise ValueError("expected the form 123456789:AA… that @BotFather gives")
        return SecretStr(token) if value is not None else None

    @field_validator("telegram_proxy")
    @classmethod
    def _proxy_url(cls, value: str | None) -> str | None:
        return check_proxy_url(value.strip()) if value and value.strip() else None

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _parse_offsets(cls, value: object) -> object:
        return parse_offsets(value) if isinstance(value, str) else value

    @field_validator("bot_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}', e.g. Asia/Shanghai") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("telegram_base_url", "database_url")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        return check_database_url(value)

    @property
    def timezone(self) -> ZoneInfo:
        """The zone every time is shown and read in."""
        return ZoneInfo(self.bot_timezone)

    @property
    def base_file_url(self) -> str:
        """File download base: explicit, or derived from the API base URL."""
        if self.telegram_base_file_url:
            return self.telegram_base_file_url
        return _derive_file_url(self.telegram_base_url)

    def require_token(self) -> str:
        """The bot token, or a ConfigError that says how to get one."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put "
                "TELEGRAM_BOT_TOKEN=<token> in .env or the environment"
            )
        return self.telegram_bot_token.get_secret_value()

    def sqlite_path(self) -> Path | None:
        """The database file when DATABASE_URL is a SQLite file, else None."""
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url.removeprefix(prefix))
        return None


def _derive_file_url(base_url: str) -> str:
    """`https://host/bot` -> `https://host/file/bot` (the Bot API's layout)."""
    head, sep, tail = base_url.rstrip("/").rpartition("/bot")
    if sep and not tail:
        return f"{head}/file/bot"
    return base_url.rstrip("/") + "/file/bot"


def load_settings(**overrides: object) -> Settings:
    """Load and validate settings; raise ConfigError naming the first bad variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        variable = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{variable} is invalid: {message}") from None
    return settings
