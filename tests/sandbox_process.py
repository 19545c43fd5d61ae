"""`python -m bot sandbox` in a child process, as a person starts it, and the page's JSON API
driven the way the page drives it."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.e2e.harness import free_port

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"http://127\.0\.0\.1:(\d+)/")
START_TIMEOUT = 120.0  # seconds: the demo county is set up through the bot first
T = TypeVar("T")


@dataclass
class SandboxProcess:
    """A running sandbox: its address and a client for the page's API."""

    url: str
    api: httpx.Client
    log: Path

    def people(self) -> dict[str, int]:
        """Demo people by name."""
        return {p["name"]: p["id"] for p in self.api.get("/sandbox/api/state").json()["people"]}

    def chat_id(self, user_id: int, title: str) -> int:
        """The id of a chat the person sees, by title."""
        chats = self.api.get("/sandbox/api/chats", params={"user_id": user_id}).json()
        return int(next(chat["id"] for chat in chats if chat["title"] == title))

    def messages(self, user_id: int, chat_id: int) -> list[dict[str, Any]]:
        """The chat as the person sees it."""
        params = {"user_id": user_id, "chat_id": chat_id}
        answer = self.api.get("/sandbox/api/messages", params=params)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["messages"])

    def post(self, path: str, **body: Any) -> dict[str, Any]:
        """A page action; its JSON answer (errors included, with their status)."""
        answer = self.api.post(f"/sandbox/api/{path}", json=body)
        result: dict[str, Any] = answer.json()
        result["status"] = answer.status_code
        return result


def wait_until(find: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    """Ask again (as the page polls) until `find` returns something."""
    deadline = time.monotonic() + timeout
    while True:
        found = find()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)  # the page polls the same way; the bot runs in its own process


def clean_env() -> dict[str, str]:
    """The environment without a token or settings that would point the bot elsewhere."""
    drop = ("TELEGRAM_", "DATABASE_URL", "WEB_", "WEBHOOK_", "SUPERADMIN_IDS", "PUBLIC_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextmanager
def sandbox_process(folder: Path) -> Iterator[SandboxProcess]:
    """Start the sandbox on a free port in `folder`; wait for its ready line; stop it."""
    log = folder / "sandbox.log"
    command = [sys.executable, "-m", "bot", "sandbox", "--port", str(free_port())]
    command += ["--db", str(folder / "sandbox.db")]
    with log.open("w") as errors:
        process = subprocess.Popen(
            command,
            cwd=folder,  # a fresh place: nothing from the checkout's .env or data/
            env=clean_env() | {"PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()])
    reader.start()
    try:
        url = _ready_url(lines, process, log)
        with httpx.Client(base_url=url, timeout=30.0) as api:
            yield SandboxProcess(url, api, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join()
        process.stdout.close()


def _ready_url(lines: queue.Queue[str], process: subprocess.Popen[str], log: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        if match := READY.search(line):
            return match.group(0).rstrip("/")
    tail = log.read_text()[-3000:]
    raise AssertionError(f"the sandbox did not print its address; its log ends:\n{tail}")


@pytest.fixture(scope="module", name="sandbox")
def sandbox_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """`sandbox`: the sandbox in its own process, shared by a module's tests (a module
    imports this to have it)."""
    with sandbox_process(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


def headless_chrome(chromium: str, chromedriver: str) -> Any:
    """Headless Chromium in a desktop-sized window, for a browser test to drive (the caller
    quits it); selenium is imported here only once the test knows the browser is there."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,900")
    return webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
