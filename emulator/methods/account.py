"""The bot itself: getMe, updates and webhook, logOut/close, command lists."""

from __future__ import annotations

import re
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import ApiError, bad_request
from ..factories import bot_info
from ..params import Params
from .common import bot_chat
from .registry import api_method

if TYPE_CHECKING:
    from ..emulator import BotApiEmulator

ScopeKey = tuple[str, int | None, int | None]
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_MAX_COMMANDS = 100
_MAX_DESCRIPTION = 256
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_WEBHOOK_PORTS = (443, 80, 88, 8443)
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)


@api_method("getMe")
async def get_me(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """getMe: the bot's User with its capability flags."""
    return bot_info(emu.bot, privacy_mode=emu.privacy_mode, inline=emu.inline_mode)


@api_method("logOut", "close")
async def log_out(emu: BotApiEmulator, p: Params) -> bool:
    """logOut/close: accepted."""
    return True


@api_method("getUpdates")
async def get_updates(emu: BotApiEmulator, p: Params) -> list[dict[str, Any]]:
    """getUpdates: long poll; allowed_updates persists between calls as in Telegram."""
    if emu.webhook is not None:
        raise ApiError(409, _WEBHOOK_ACTIVE)
    allowed = p.obj("allowed_updates")
    emu.updates.set_allowed(allowed if isinstance(allowed, list) else None)
    timeout = p.opt_int("timeout") or 0
    return await emu.updates.get(p.opt_int("offset"), p.opt_int("limit") or 100, timeout)


@api_method("setWebhook")
async def set_webhook(emu: BotApiEmulator, p: Params) -> bool:
    """setWebhook: from now on updates are POSTed to the url (emulator/webhook.py);
    an empty url removes it. http:// is accepted for loopback hosts only (tests have no TLS)."""
    url = p.req_str("url") if p.has("url") else ""
    secret = p.opt_str("secret_token")
    if url:
        _check_webhook_url(url)
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters", violation="limit")
    allowed = p.obj("allowed_updates")
    emu.updates.set_allowed(allowed if isinstance(allowed, list) else None)
    if p.flag("drop_pending_updates"):
        emu.updates.drop_pending()
    if not url:
        emu.webhook = None
        await emu.webhooks.stop()
        return True
    emu.webhook = {
        "url": url,
        "secret_token": secret,
        "max_connections": p.opt_int("max_connections") or 40,
        "allowed_updates": allowed,
    }
    emu.webhooks.start()
    return True


def _check_webhook_url(url: str) -> None:
    """Telegram's rules: an https URL on port 443, 80, 88 or 8443 (loopback: anything)."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    try:
        loopback = parts.hostname == "localhost" or ip_address(parts.hostname).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return
    if parts.scheme != "https":
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if (parts.port or 443) not in _WEBHOOK_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")


@api_method("deleteWebhook")
async def delete_webhook(emu: BotApiEmulator, p: Params) -> bool:
    """deleteWebhook: back to getUpdates; optionally drop what is pending."""
    emu.webhook = None
    await emu.webhooks.stop()
    if p.flag("drop_pending_updates"):
        emu.updates.drop_pending()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    """getWebhookInfo: url is empty in getUpdates mode; the last delivery error if any."""
    info: dict[str, Any] = {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": len(emu.updates.pending),
    }
    if emu.webhook is not None:
        info["url"] = emu.webhook["url"]
        info["max_connections"] = emu.webhook["max_connections"]
        if emu.webhook["allowed_updates"]:
            info["allowed_updates"] = emu.webhook["allowed_updates"]
        if "last_error_message" in emu.webhook:
            info["last_error_date"] = emu.webhook["last_error_date"]
            info["last_error_message"] = emu.webhook["last_error_message"]
    return info


def scope_key(emu: BotApiEmulator, scope: Any) -> ScopeKey:
    """A hashable key for a BotCommandScope (dict, type name or PTB object)."""
    if scope is None:
        return ("default", None, None)
    if isinstance(scope, str):
        return (scope, None, None)
    if not isinstance(scope, dict):
        scope = scope.to_dict()
    chat_id = scope.get("chat_id")
    if chat_id is not None:
        chat_id = bot_chat(emu, chat_id, send=False).id
    user_id = scope.get("user_id")
    return (str(scope.get("type", "default")), chat_id, None if user_id is None else int(user_id))


def _check_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list) or len(commands) > _MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH", violation="limit")
    for command in commands:
        if not _COMMAND.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID", violation="limit")
        if not 1 <= len(str(command.get("description", ""))) <= _MAX_DESCRIPTION:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID", violation="limit")
    return [{"command": c["command"], "description": c["description"]} for c in commands]


@api_method("setMyCommands")
async def set_my_commands(emu: BotApiEmulator, p: Params) -> bool:
    """setMyCommands: stored per (scope, language_code); read them with emu.commands()."""
    commands = _check_commands(p.obj("commands"))
    key = (scope_key(emu, p.obj("scope")), p.opt_str("language_code") or "")
    emu.command_lists[key] = commands
    return True


@api_method("getMyCommands")
async def get_my_commands(emu: BotApiEmulator, p: Params) -> list[dict[str, str]]:
    """getMyCommands for exactly that scope and language."""
    key = (scope_key(emu, p.obj("scope")), p.opt_str("language_code") or "")
    return list(emu.command_lists.get(key, []))


@api_method("deleteMyCommands")
async def delete_my_commands(emu: BotApiEmulator, p: Params) -> bool:
    """deleteMyCommands for exactly that scope and language."""
    key = (scope_key(emu, p.obj("scope")), p.opt_str("language_code") or "")
    emu.command_lists.pop(key, None)
    return True
