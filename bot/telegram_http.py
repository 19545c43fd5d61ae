"""The bot's two HTTP clients to the Bot API (requests, getUpdates), sharing one TLS context.

PTB builds each client with a TLS context of its own, and making one reads the whole CA
bundle (about 50 ms of CPU on the 2-core machine). One context per process serves both
clients of every bot that process builds: the test suite starts a bot for most of its tests.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx
from telegram.request import HTTPXRequest

# PTB's own pool sizes: many requests at once, one getUpdates at a time.
REQUEST_POOL = 256
GET_UPDATES_POOL = 1


@cache
def tls_context() -> ssl.SSLContext:
    """The context httpx would make by default (certifi's bundle, or SSL_CERT_FILE), once."""
    return httpx.create_ssl_context()


def telegram_requests(proxy: str | None) -> tuple[HTTPXRequest, HTTPXRequest]:
    """The clients for ordinary requests and for getUpdates, both through `proxy` if set."""
    shared = {"verify": tls_context()}
    return (
        HTTPXRequest(connection_pool_size=REQUEST_POOL, proxy=proxy, httpx_kwargs=shared),
        HTTPXRequest(connection_pool_size=GET_UPDATES_POOL, proxy=proxy, httpx_kwargs=shared),
    )
