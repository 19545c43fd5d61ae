"""Settings: defaults, parsing, and one clear line naming a bad variable."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from bot.config import ConfigError, Settings, load_settings, parse_offsets, redact_url


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "TELEGRAM_BASE_FILE_URL",
        "TELEGRAM_PROXY",
        "DATABASE_URL",
        "BOT_TIMEZONE",
        "SUPERADMIN_IDS",
        "LOG_LEVEL",
        "REMINDER_OFFSETS",
        "ALERT_DAYS_BEFORE",
        "WEB_HOST",
        "WEB_PORT",
        "PUBLIC_URL",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert settings.database_url == "sqlite+aiosqlite:///data/bot.db"
    assert settings.timezone.key == "Asia/Shanghai"
    assert settings.superadmin_ids == frozenset()
    assert settings.reminder_offsets == (timedelta(days=1), timedelta(hours=1))
    assert settings.alert_days_before == 7
    assert (settings.web_host, settings.web_port) == ("127.0.0.1", 8080)
    assert settings.public_url is None
    assert settings.webhook_url is None  # long polling


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("SUPERADMIN_IDS", " 11, 22 ,")
    monkeypatch.setenv("REMINDER_OFFSETS", "30m,2d")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("ALERT_DAYS_BEFORE", "10")
    settings = load_settings()
    assert settings.alert_days_before == 10
    assert settings.require_token() == "123:abc"
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.superadmin_ids == frozenset({11, 22})
    assert settings.reminder_offsets == (timedelta(days=2), timedelta(minutes=30))
    assert settings.log_level == "DEBUG"


def test_dotenv_file_is_read(tmp_path: object) -> None:
    with open(".env", "w", encoding="utf-8") as env:
        env.write("BOT_TIMEZONE=Europe/Berlin\n")
    assert Settings().timezone.key == "Europe/Berlin"


def test_missing_token_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN is not set: get a token"):
        load_settings().require_token()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SUPERADMIN_IDS", "12,abc"),
        ("REMINDER_OFFSETS", "1d,soon"),
        ("REMINDER_OFFSETS", "0h"),
        ("ALERT_DAYS_BEFORE", "0"),
        ("ALERT_DAYS_BEFORE", "40"),
        ("ALERT_DAYS_BEFORE", "seven"),
        ("BOT_TIMEZONE", "Asia/Nowhere"),
        ("LOG_LEVEL", "LOUD"),
        ("DATABASE_URL", "  "),
        ("DATABASE_URL", "mysql://bot:s3cret@db/bot"),
        ("DATABASE_URL", "postgresql://bot:s3cret@db/bot"),
        ("DATABASE_URL", "sqlite:///data/bot.db"),
        ("DATABASE_URL", "sqlite+aiosqlite://"),
        ("DATABASE_URL", "data/bot.db"),
        ("TELEGRAM_PROXY", "127.0.0.1:7890"),
        ("TELEGRAM_PROXY", "ftp://127.0.0.1:21"),
        ("TELEGRAM_PROXY", "http://"),
        ("TELEGRAM_BOT_TOKEN", "'123456:s3cret'"),
        ("TELEGRAM_BOT_TOKEN", "s3cret"),
        ("WEB_PORT", "70000"),
        ("WEB_PORT", "-1"),
        ("WEB_PORT", "http"),
        ("WEB_HOST", " "),
        ("PUBLIC_URL", "http://bot.example.org"),
        ("PUBLIC_URL", "bot.example.org"),
        ("WEBHOOK_URL", "http://bot.example.org/telegram"),
        ("WEBHOOK_URL", "https://bot.example.org:8080/telegram"),
        ("WEBHOOK_URL", "ftp://bot.example.org/telegram"),
        ("WEBHOOK_URL", "https://bot.example.org/healthz"),
        ("WEBHOOK_URL", "https://bot.example.org/metrics"),
        ("WEBHOOK_URL", "https:///telegram"),
        ("WEBHOOK_SECRET", "s3cret with spaces"),
        ("WEBHOOK_SECRET", "s3cret" * 50),
    ],
)
def test_malformed_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=rf"^{variable} is invalid: ") as error:
        load_settings()
    assert "\n" not in str(error.value)
    assert "s3cret" not in str(error.value)


def test_database_url_names_what_is_supported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://bot:s3cret@db/bot")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value) == (
        "DATABASE_URL is invalid: mysql:// is not supported: "
        "only sqlite+aiosqlite:// and postgresql+asyncpg:// are supported"
    )


@pytest.mark.parametrize(
    "proxy", ["http://127.0.0.1:7890", "https://proxy.example:443", "socks5://u:p@127.0.0.1:1080"]
)
def test_proxy_is_read(monkeypatch: pytest.MonkeyPatch, proxy: str) -> None:
    monkeypatch.setenv("TELEGRAM_PROXY", f" {proxy} ")
    assert load_settings().telegram_proxy == proxy


def test_blank_proxy_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_PROXY", "")
    assert load_settings().telegram_proxy is None


def test_redact_url() -> None:
    assert redact_url("postgresql+asyncpg://bot:s3cret@db:5432/bot") == (
        "postgresql+asyncpg://bot:***@db:5432/bot"
    )
    assert redact_url("socks5://me:s3cret@127.0.0.1:1080") == "socks5://me:***@127.0.0.1:1080"
    assert redact_url("sqlite+aiosqlite:///data/bot.db") == "sqlite+aiosqlite:///data/bot.db"


def test_offsets() -> None:
    assert parse_offsets("1d, 1h,45s") == (
        timedelta(days=1),
        timedelta(hours=1),
        timedelta(seconds=45),
    )
    with pytest.raises(ValueError, match="positive duration"):
        parse_offsets("1w")


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.org/telegram",
        "https://bot.example.org:8443/tg",
        "https://bot.example.org:88/",
        "http://127.0.0.1:8080/telegram",  # tests: no TLS on loopback
        "http://localhost:9000/telegram",
        "http://[::1]:9000/telegram",
    ],
)
def test_webhook_urls_telegram_accepts(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("WEBHOOK_URL", f" {url} ")
    settings = load_settings()
    assert settings.webhook_url == url
    assert settings.webhook_path == httpx.URL(url).path


def test_webhook_mode_needs_the_http_door(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_PORT", "0")
    assert load_settings().web_port == 0  # polling without a door is fine
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value) == (
        "WEBHOOK_URL is invalid: webhook mode needs the HTTP door, but WEB_PORT=0 turns it off"
    )


def test_blank_urls_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PUBLIC_URL", "WEBHOOK_URL", "WEBHOOK_SECRET"):
        monkeypatch.setenv(name, "")
    settings = load_settings()
    assert (settings.public_url, settings.webhook_url, settings.webhook_secret) == (None,) * 3
    monkeypatch.setenv("PUBLIC_URL", "https://bot.example.org/")
    assert load_settings().public_url == "https://bot.example.org"


def test_webhook_secret_explicit_or_derived_from_the_token() -> None:
    explicit = load_settings(telegram_bot_token="123:abc", webhook_secret="county_bot-2026")
    assert explicit.webhook_secret_token() == "county_bot-2026"
    derived = load_settings(telegram_bot_token="123:abc").webhook_secret_token()
    assert derived == load_settings(telegram_bot_token="123:abc").webhook_secret_token()
    assert derived != load_settings(telegram_bot_token="123:abd").webhook_secret_token()
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", derived)  # what Telegram accepts
    assert "abc" not in derived
