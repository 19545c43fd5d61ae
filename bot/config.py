"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/bot.db"

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


class Settings(BaseSettings):
    """Everything the bot reads from its environment (see .env.example)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = DEFAULT_BASE_URL
    telegram_base_file_url: str | None = None
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
