"""`sandbox`: try the bot without Telegram, in the browser."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from pathlib import Path

DEFAULT_PORT = 8080


def run(args: argparse.Namespace) -> int:
    """Start the emulator, the bot, the demo county and the page; run until SIGINT/SIGTERM."""
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for chatty in ("httpx", "apscheduler", "alembic.runtime.migration", "aiohttp.access"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    serve(args)
    return 0


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is 0-65535 (0: any free port)")
    return port


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `sandbox`."""
    parser = verbs.add_parser(
        "sandbox",
        help="try the bot without Telegram: an emulated Telegram, a demo county and a web page",
        description=(
            "Run the bot against a built-in Telegram emulator with a demo county (县委组织部, "
            "城关镇党委 and four branches with their groups and members) and open a page where "
            "you act as any of its people. Prints the page's address when ready."
        ),
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=int(os.environ.get("SANDBOX_PORT") or DEFAULT_PORT),
        help="port of the page (default: SANDBOX_PORT or 8080; 0 picks a free one)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: only this machine)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("data/sandbox.db"),
        help="the sandbox's own SQLite file (default data/sandbox.db)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete the sandbox's data and start afresh"
    )
    parser.add_argument("--quiet", action="store_true", help="log warnings and errors only")
    parser.set_defaults(func=run)


def serve(args: argparse.Namespace) -> None:
    """Run the sandbox in a fresh event loop (its modules loaded only for this verb)."""
    from sandbox.app import serve_forever
    from sandbox.page import add_routes

    asyncio.run(
        serve_forever(
            host=args.host, port=args.port, db_path=args.db, reset=args.reset, routes=add_routes
        )
    )
