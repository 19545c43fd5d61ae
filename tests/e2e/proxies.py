"""Tiny HTTP and SOCKS5 proxies on 127.0.0.1 that send everything to one origin and count it.

Whatever host the client asks for, the proxy connects to `origin` (the emulator). A bot whose
base URL names a host that does not resolve can therefore only work through the proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from dataclasses import dataclass, field

from aiohttp import ClientSession, web

# Hop-by-hop headers a proxy must not forward (RFC 9110, 7.6.1), and those aiohttp sets.
_HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "host"}


@dataclass
class HttpProxy:
    """A forwarding HTTP proxy (absolute-form requests, as httpx sends for http:// URLs)."""

    origin: str  # e.g. http://127.0.0.1:8081
    requests: list[str] = field(default_factory=list)  # "host /path" as the client asked
    port: int = 0
    _runner: web.AppRunner | None = None
    _client: ClientSession | None = None

    @property
    def url(self) -> str:
        """What TELEGRAM_PROXY should say."""
        return f"http://127.0.0.1:{self.port}"

    def methods(self) -> set[str]:
        """The Bot API methods that went through (the last path segment)."""
        return {line.rsplit("/", 1)[-1] for line in self.requests}

    async def start(self) -> HttpProxy:
        """Serve on a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._client = ClientSession()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Close the listener and the upstream client."""
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._client is not None
        self.requests.append(f"{request.host} {request.rel_url.path}")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        async with self._client.request(
            request.method,
            self.origin + str(request.rel_url),
            headers=headers,
            data=await request.read(),
        ) as answer:
            body = await answer.read()
            kept = {k: v for k, v in answer.headers.items() if k.lower() == "content-type"}
            return web.Response(body=body, status=answer.status, headers=kept)


@dataclass
class Socks5Proxy:
    """A SOCKS5 proxy (no authentication, CONNECT only) that pipes every tunnel to `origin`."""

    origin_port: int
    connects: list[str] = field(default_factory=list)  # "host:port" as the client asked
    port: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        """What TELEGRAM_PROXY should say."""
        return f"socks5://127.0.0.1:{self.port}"

    async def start(self) -> Socks5Proxy:
        """Serve on a free port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Close the listener and every open tunnel."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()  # from 3.12 this waits for the tunnels too

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        writers = [writer]
        try:
            self.connects.append(await self._handshake(reader, writer))
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.origin_port)
            writers.append(up_writer)
            writer.write(b"\x05\x00\x00\x01" + bytes(4) + b"\x00\x00")  # succeeded
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            # Close both before waiting: stop() may cancel this task during a wait.
            for each in writers:
                each.close()
            try:
                for each in writers:
                    with contextlib.suppress(OSError):
                        await each.wait_closed()
            finally:
                self._tasks.discard(task)  # type: ignore[arg-type]

    @staticmethod
    async def _handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
        _version, count = await reader.readexactly(2)
        await reader.readexactly(count)  # offered methods; we take "no authentication"
        writer.write(b"\x05\x00")
        _version, _command, _reserved, kind = await reader.readexactly(4)
        if kind == 3:  # a host name: the client left resolving it to the proxy
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        else:
            raw = await reader.readexactly(4 if kind == 1 else 16)
            host = raw.hex()
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        return f"{host}:{port}"


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(OSError):
        writer.write_eof()
