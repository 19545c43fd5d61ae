"""`health`: ask the running bot's /healthz, for a container healthcheck (exit 0 = healthy)."""

from __future__ import annotations

import argparse

# A container healthcheck has its own timeout; the bot answers within its database timeout.
TIMEOUT = 8.0
# Listening on every address: ask over loopback.
_ANY = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def healthz_url(host: str, port: int) -> str:
    """The /healthz address of a door listening on host:port, as seen from this machine."""
    host = _ANY.get(host, host)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/healthz"


def health(_args: argparse.Namespace) -> int:
    """Print /healthz's answer; 0 when it says healthy, 1 otherwise (or nothing answers)."""
    import httpx  # here: the other verbs need neither httpx nor pydantic at start-up

    from bot.config import ConfigError, load_settings

    settings = load_settings()
    if not settings.web_port:
        raise ConfigError("WEB_PORT=0 turns the HTTP door off: there is no /healthz to ask")
    url = healthz_url(settings.web_host, settings.web_port)
    try:
        # trust_env=False: a proxy from the environment must not stand between us and loopback.
        answer = httpx.get(url, timeout=TIMEOUT, trust_env=False)
    except httpx.HTTPError as exc:
        print(f"FAIL  {url}: no answer ({type(exc).__name__}) — is the bot running?")
        return 1
    print(f"{'OK  ' if answer.status_code == 200 else 'FAIL'}  {url}: {answer.text.strip()}")
    return 0 if answer.status_code == 200 else 1


def register(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `health`."""
    parser = verbs.add_parser(
        "health",
        help="ask the running bot's /healthz (exit 0 when healthy: a container healthcheck)",
        description="GET /healthz on WEB_HOST:WEB_PORT and print the answer. Healthy: the"
        " database answers and the outbox sweep ran within the last 3 minutes.",
    )
    parser.set_defaults(func=health)
