"""HTTP layer: parse requests the way Telegram accepts them, answer in its envelope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError, Violation, bad_request
from .methods import HANDLERS
from .params import Params, Upload

if TYPE_CHECKING:
    from .emulator import BotApiEmulator

_TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
MAX_BODY = 64 * 1024 * 1024
_LOWER_HANDLERS = {name.lower(): name for name in HANDLERS}


@dataclass
class RequestRecord:
    """One API call the bot made: raw parameters as sent, and the answer."""

    method: str
    params: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)  # part name -> file name
    status: int | None = None
    response: dict[str, Any] | None = None
    at: float = 0.0  # when it arrived, on the clock of the rate windows

    def get(self, name: str) -> Any:
        """A parameter with JSON text (objects, arrays) decoded."""
        return Params(self.params).obj(name)


def build_app(emu: BotApiEmulator) -> web.Application:
    """The aiohttp application serving the Bot API (and files) for `emu`."""
    app = web.Application(client_max_size=MAX_BODY)
    server = _ApiServer(emu)
    app.router.add_route("*", "/bot{token}/{method}", server.api)
    app.router.add_get("/file/bot{token}/{path:.+}", server.file)
    if emu.control_api:
        from .control import add_control_routes

        add_control_routes(app, emu)
    if emu.extra_routes is not None:
        emu.extra_routes(app)
    app.router.add_route("*", "/{tail:.*}", server.not_found)
    return app


class _ApiServer:
    def __init__(self, emu: BotApiEmulator) -> None:
        self.emu = emu

    async def not_found(self, request: web.Request) -> web.Response:
        return web.json_response(_NOT_FOUND, status=404)

    async def file(self, request: web.Request) -> web.StreamResponse:
        token_error = self._token_error(request.match_info["token"])
        if token_error is not None:
            return token_error
        path = request.match_info["path"]
        stored = next((f for f in self.emu.world.files.values() if f.file_path == path), None)
        if stored is None:
            return web.json_response(_NOT_FOUND, status=404)
        return web.Response(body=stored.content, content_type="application/octet-stream")

    async def api(self, request: web.Request) -> web.Response:
        token_error = self._token_error(request.match_info["token"])
        if token_error is not None:
            return token_error
        name = request.match_info["method"]
        try:
            raw, uploads = await _read_params(request)
        except ApiError as err:
            return web.json_response(err.envelope(), status=err.error_code)
        status, body = await self.dispatch(name, raw, uploads)
        return web.json_response(body, status=status)

    def _token_error(self, token: str) -> web.Response | None:
        if token == self.emu.token:
            return None
        if _TOKEN_SHAPE.fullmatch(token):
            return web.json_response(_UNAUTHORIZED, status=401)
        return web.json_response(_NOT_FOUND, status=404)

    async def dispatch(
        self, name: str, raw: dict[str, Any], uploads: dict[str, Upload]
    ) -> tuple[int, dict[str, Any]]:
        """Validate and run one method call; (HTTP status, Telegram envelope)."""
        emu = self.emu
        method = self._canonical(name)
        files = {k: u.filename for k, u in uploads.items()}
        record = RequestRecord(method or name, raw, files, at=emu.clock())
        emu.begin_request(record)
        status, body = 200, {}
        try:
            result = await self._run(method, raw, uploads)
            self._self_check(record.method, result)
            body = {"ok": True, "result": result}
        except ApiError as err:
            if err.violation:
                emu.violations.append(
                    Violation(record.method, err.violation, err.description, raw)
                )
            if err.error_code == 429:
                emu.stats.rate_limited += 1
            status, body = err.error_code, err.envelope()
        finally:
            emu.end_request(record, status, body)
        return status, body

    async def _run(
        self, method: str | None, raw: dict[str, Any], uploads: dict[str, Upload]
    ) -> Any:
        if method is None:
            raise ApiError(404, "Not Found", violation="unknown_method")
        spec = self.emu.spec
        if spec is not None:
            problems = spec.check_request(method, raw, list(uploads))
            if problems:
                raise bad_request("; ".join(problems[:3]), violation="spec")
        handler = HANDLERS.get(method)
        if handler is None:
            raise bad_request(
                f"{method} is not implemented by the emulator", violation="unsupported"
            )
        return await handler(self.emu, Params(raw, uploads))

    def _canonical(self, name: str) -> str | None:
        if self.emu.spec is not None:
            return self.emu.spec.canonical_method(name)
        return _LOWER_HANDLERS.get(name.lower())

    def _self_check(self, method: str, result: Any) -> None:
        """Record results that break the spec: those are emulator bugs, not bot bugs."""
        spec = self.emu.spec
        if spec is None or not self.emu.check_results:
            return
        problems = spec.check_result(method, result)
        if problems:
            detail = "; ".join(problems[:3])
            self.emu.violations.append(Violation(method, "emulator", detail))


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Query string plus body: JSON, form-encoded or multipart (files kept apart)."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.can_read_body:
        return raw, uploads
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse request JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        raw.update({k: v for k, v in body.items() if v is not None})
    elif request.content_type in _FORM_TYPES:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                raw[key] = value
    return raw, uploads
