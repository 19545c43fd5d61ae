"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
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
# Telegram delivers webhooks only to these ports (setWebhook refuses others).
WEBHOOK_PORTS = (443, 80, 88, 8443)
# What Telegram accepts as secret_token: 1-256 of these characters.
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Paths of the HTTP door that the webhook must not take (web/).
RESERVED_PATHS = ("/healthz", "/metrics")


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


def check_public_url(url: str) -> str:
    """An https:// URL with a host (http:// only for localhost, as tests use); ValueError."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise ValueError("not a URL, e.g. https://bot.example.org/telegram") from None
    if not parsed.host or parsed.scheme not in {"http", "https"}:
        raise ValueError("expected an https:// URL with a host, e.g. https://bot.example.org")
    if parsed.scheme == "http" and not is_loopback(parsed.host):
        raise ValueError(
            "must be https:// (Telegram and browsers need TLS); http:// is accepted only for"
            " localhost, in tests"
        )
    return url


def check_webhook_url(url: str) -> str:
    """A public URL Telegram can deliver to: a webhook port, not a path the door serves."""
    parsed = httpx.URL(check_public_url(url))
    if not is_loopback(parsed.host) and (parsed.port or 443) not in WEBHOOK_PORTS:
        ports = ", ".join(map(str, WEBHOOK_PORTS))
        raise ValueError(f"Telegram delivers webhooks only to ports {ports}")
    if parsed.path.rstrip("/") in RESERVED_PATHS:
        raise ValueError(f"{parsed.path} is served by the bot itself; use e.g. /telegram")
    return url


def is_loopback(host: str) -> bool:
    """localhost or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    # Days before a month, quarter or year ends when managers are warned of a 三会一课
    # meeting not held yet (1-28: the warning day must fall inside the month).
    alert_days_before: int = Field(default=7, ge=1, le=28)
    # The HTTP door (web/): health, metrics and, in webhook mode, the updates.
    web_host: str = "127.0.0.1"
    web_port: int = 8080  # 0: no HTTP door (polling only)
    public_url: str | None = None
    webhook_url: str | None = None  # set: webhook mode; unset: long polling
    webhook_secret: SecretStr | None = None

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

    @field_validator("web_host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty: 127.0.0.1 (this machine only) or 0.0.0.0")
        return value.strip()

    @field_validator("web_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 0 <= value <= 65535:
            raise ValueError("expected a port from 1 to 65535, or 0 to turn the HTTP door off")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        return check_public_url(value.strip()).rstrip("/") if value and value.strip() else None

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value or not value.strip():
            return None
        if info.data.get("web_port") == 0:
            raise ValueError("webhook mode needs the HTTP door, but WEB_PORT=0 turns it off")
        return check_webhook_url(value.strip())

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        secret = value.get_secret_value().strip() if value is not None else ""
        if not secret:
            return None
        if not _SECRET_RE.fullmatch(secret):
            raise ValueError("expected 1-256 characters A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return SecretStr(secret)

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL, which the HTTP door serves ("/" for a bare host)."""
        return httpx.URL(self.webhook_url).path if self.webhook_url else ""

    def webhook_secret_token(self) -> str:
        """What Telegram sends in X-Telegram-Bot-Api-Secret-Token: WEBHOOK_SECRET, or one
        derived from the bot token (the same in every process and after every restart, so
        several processes behind one load balancer agree without being told)."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        key = self.require_token().encode()
        return hmac.new(key, b"dangjian webhook secret", hashlib.sha256).hexdigest()

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
                "TELEGRAM_BOT_TOKEN=<token> in .env or the environment (or try the bot "
                "without Telegram: python -m bot sandbox)"
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
