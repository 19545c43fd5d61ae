"""A tiny JSON control API (standalone mode): act as users and read chats with curl."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .emulator import BotApiEmulator
    from .world import User

Action = Callable[["BotApiEmulator", dict[str, Any]], Any]
PREFIX = "/_emulator"


def add_control_routes(app: web.Application, emu: BotApiEmulator) -> None:
    """Mount /_emulator/* on the app."""
    for name, action in _POST_ACTIONS.items():
        app.router.add_post(f"{PREFIX}/{name}", _json_action(emu, action, from_body=True))
    for name, action in _GET_ACTIONS.items():
        app.router.add_get(f"{PREFIX}/{name}", _json_action(emu, action, from_body=False))


def _json_action(
    emu: BotApiEmulator, action: Action, *, from_body: bool
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        try:
            args = await request.json() if from_body else dict(request.query)
            result = action(emu, args)
        except (KeyError, ValueError, TypeError) as err:
            return web.json_response({"error": f"{type(err).__name__}: {err}"}, status=400)
        return web.json_response(result, dumps=_dumps)

    return handle


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=1)


def _user(emu: BotApiEmulator, user_id: Any) -> User:
    """A user by id, created on first use so a human can pick any id."""
    user_id = int(user_id)
    if user_id not in emu.world.users:
        emu.world.add_user(f"用户{user_id}", id=user_id)
    return emu.world.users[user_id]


def _send_text(emu: BotApiEmulator, args: dict[str, Any]) -> dict[str, Any]:
    user = _user(emu, args["user_id"])
    chat_id = int(args.get("chat_id", user.id))
    chat = emu.private_chat(user) if chat_id == user.id else emu.chat(chat_id)
    return emu.send_text(chat, user, str(args["text"]), reply_to=args.get("reply_to"))


def _add_group(emu: BotApiEmulator, args: dict[str, Any]) -> dict[str, Any]:
    chat = emu.add_group(
        str(args["title"]),
        [_user(emu, uid) for uid in args.get("member_ids", [])],
        [_user(emu, uid) for uid in args.get("admin_ids", [])],
        supergroup=bool(args.get("supergroup", False)),
        with_bot=bool(args.get("with_bot", True)),
        bot_admin=bool(args.get("bot_admin", False)),
    )
    return chat.to_dict()


def _state(emu: BotApiEmulator, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "users": [u.to_dict() for u in emu.world.users.values()],
        "chats": [
            {**c.to_dict(), "bot_status": c.bot_status, "members": c.members}
            for c in emu.world.chats.values()
        ],
        "violations": [str(v) for v in emu.violations],
    }


def _requests(emu: BotApiEmulator, args: dict[str, Any]) -> list[dict[str, Any]]:
    limit = int(args.get("limit", 20))
    return [
        {"method": r.method, "params": r.params, "status": r.status} for r in emu.requests[-limit:]
    ]


_POST_ACTIONS: dict[str, Action] = {
    "users": lambda emu, a: emu.add_user(
        str(a["first_name"]), a.get("last_name"), a.get("username")
    ).to_dict(),
    "groups": _add_group,
    "send_text": _send_text,
    "join": lambda emu, a: emu.join(int(a["chat_id"]), _user(emu, a["user_id"])),
    "leave": lambda emu, a: emu.leave(int(a["chat_id"]), _user(emu, a["user_id"])),
    "press_button": lambda emu, a: {
        "callback_query_id": emu.press_button(
            int(a["chat_id"]), _user(emu, a["user_id"]), int(a["message_id"]), a.get("data")
        )
    },
}
_GET_ACTIONS: dict[str, Action] = {
    "messages": lambda emu, a: emu.messages(int(a["chat_id"])),
    "state": _state,
    "requests": _requests,
}
