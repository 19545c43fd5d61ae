"""The dashboard through the sandbox, in headless Chromium: a demo person is chosen on the
sandbox page, sends /dashboard to the bot, taps the Web App button, and the Mini App opens in
a phone-sized window with initData the sandbox signed for them (as Telegram's client does).
王书记 sees his branch and not the neighbouring one, 张部长 (the county administrator) sees
all, 刘洋 (a member) only her own record. Screenshots go to build/screenshots/.

Debian's chromium and chromedriver, no download: without them the tests skip locally; with
CI=true they must run (.ci/run installs them).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox_process import (
    SandboxProcess,
    headless_chrome,
    sandbox_fixture,  # noqa: F401 - the module's `sandbox`
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
PHONE = (390, 844)  # CSS pixels of a common phone
WAIT = 30.0  # seconds for what the bot does in its own process
# The demo county's organisations (sandbox/county.py).
ALL = {"县委组织部", "城关镇党委", "机关党支部", "农村党支部", "社区党支部", "流动党员党支部"}

if not (CHROMIUM and DRIVER):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium/chromedriver are missing (.ci/run installs them)")
    pytest.skip(
        "Chromium not installed (apt-get install chromium chromium-driver fonts-noto-cjk)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402 - only once the browser is known to be there
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


@dataclass
class MiniApp:
    """What the Mini App showed."""

    ready: str
    names: list[str]
    text: str
    usable_ms: float
    width: int


def until(driver: webdriver.Chrome, check: Callable[[], Any], what: str) -> Any:
    """Wait (looking again while the page re-renders) until `check` is truthy."""
    return WebDriverWait(
        driver, WAIT, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException]
    ).until(lambda _driver: check(), message=f"timed out waiting for {what}")


def open_dashboard(driver: webdriver.Chrome, sandbox: SandboxProcess, person: str) -> MiniApp:
    """As `person` on the sandbox page: /dashboard to the bot, tap its Web App button, and
    read the Mini App once it has drawn its data; a screenshot of each."""
    driver.get(sandbox.url + "/")
    until(driver, lambda: driver.find_elements(By.CSS_SELECTOR, "#person option"), "people")
    Select(driver.find_element(By.ID, "person")).select_by_visible_text(person)
    until(driver, lambda: "党建助手" in driver.find_element(By.ID, "chat-title").text, "chat")
    box = driver.find_element(By.ID, "input")
    box.send_keys("/dashboard")
    box.send_keys(Keys.ENTER)
    button = until(
        driver,
        lambda: driver.find_elements(By.CSS_SELECTOR, "#messages button.web-app"),
        "the Web App button",
    )[-1]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"sandbox-{person}-chat.png"))
    home = driver.current_window_handle
    button.click()
    until(driver, lambda: len(driver.window_handles) > 1, "the Mini App's window")
    driver.switch_to.window(next(h for h in driver.window_handles if h != home))
    try:
        # Headless Chromium ignores the popup's size: make it a phone's, and time a fresh load
        # there (the same signed address, as Telegram's client opens it).
        driver.set_window_size(*PHONE)
        driver.refresh()
        body = until(
            driver,
            lambda: (
                (b := driver.find_element(By.TAG_NAME, "body")).get_attribute("data-ready") and b
            ),
            "the Mini App's data",
        )
        driver.save_screenshot(str(SCREENSHOTS / f"sandbox-{person}-dashboard.png"))
        seen = MiniApp(
            ready=body.get_attribute("data-ready") or "",
            names=[e.text for e in driver.find_elements(By.CSS_SELECTOR, ".org .name")],
            text=body.text,
            usable_ms=float(driver.execute_script("return window.dashboardReadyMs")),
            width=int(driver.execute_script("return window.innerWidth")),
        )
    finally:
        driver.close()
        driver.switch_to.window(home)
    print(f"{person}: Mini App usable after {seen.usable_ms:.0f} ms, {seen.width} px wide")
    return seen


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    chrome = headless_chrome(str(CHROMIUM), str(DRIVER))
    try:
        yield chrome
    finally:
        chrome.quit()


def test_the_secretary_sees_their_branch_not_the_neighbouring_one(
    sandbox: SandboxProcess, driver: webdriver.Chrome
) -> None:
    seen = open_dashboard(driver, sandbox, "王书记")
    assert seen.ready == "overview"
    assert seen.names == ["机关党支部"]
    assert "农村党支部" not in seen.text
    assert seen.width <= 400  # a phone's width, as Telegram opens a Mini App
    assert seen.usable_ms < 1000


def test_the_county_admin_sees_all(sandbox: SandboxProcess, driver: webdriver.Chrome) -> None:
    seen = open_dashboard(driver, sandbox, "张部长")
    assert seen.ready == "overview"
    assert set(seen.names) == ALL
    assert seen.names[0] == "县委组织部"


def test_a_member_sees_only_their_own_record(
    sandbox: SandboxProcess, driver: webdriver.Chrome
) -> None:
    seen = open_dashboard(driver, sandbox, "刘洋")
    assert seen.ready == "my"
    assert seen.names == []
    assert "概览" not in seen.text
    assert "刘洋（机关党支部）" in seen.text
    assert "王书记" not in seen.text
    assert "陈静" not in seen.text
