"""Issue 12 in a real browser: headless Debian chromium, driven through chromedriver, plays
王书记 and 李明 on the sandbox page. A screenshot of each step lands in the module's temporary
directory (its path is printed). Without chromium the tests skip locally; with CI=true they
must run (.ci/run installs chromium and chromium-driver)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
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
WAIT = 30.0  # seconds for what the bot does in its own process

if not (CHROMIUM and DRIVER):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium/chromedriver are missing (.ci/run installs them)")
    pytest.skip(
        "Chromium not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402 - only once the browser is known to be there
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

PLAN = """\
topics:
  - title: 学习党的二十届三中全会精神
    publish_at: 2027-01-08 09:00
    summary: 学习全会公报。
    questions: [全会提出了哪些重大举措？, 结合工作谈体会。]
    deadline: 发布后7天
"""


class Page:
    """The sandbox page in the browser, with the steps a person takes."""

    text = ""  # what `(message or page).text` reads while nothing is found yet

    def __init__(self, driver: webdriver.Chrome, url: str, shots: Path) -> None:
        self.driver, self.url, self.shots = driver, url, shots
        self.step = 0

    def until(self, check: Callable[[], Any], what: str) -> Any:
        """Wait (re-checking, as the page re-renders) until `check` is truthy."""
        # The page re-renders a chat when it changes: an element found a moment ago may be
        # gone, so a stale one just means "look again".
        return WebDriverWait(
            self.driver,
            WAIT,
            poll_frequency=0.2,
            ignored_exceptions=[StaleElementReferenceException],
        ).until(lambda _driver: check(), message=f"timed out waiting for {what}")

    def press(self, containing: str, label: str) -> None:
        """Press the inline button `label` under the newest message containing `containing`."""

        def pressed() -> bool:
            message = self.last_message_with(containing)
            if message is None:
                return False
            message.find_element(By.XPATH, f".//button[text()='{label}']").click()
            return True

        self.until(pressed, f"the button {label}")

    def shot(self, name: str) -> Path:
        """Save a screenshot of this step."""
        self.step += 1
        path = self.shots / f"{self.step:02d}-{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def be(self, person: str) -> None:
        """Choose who I am."""
        Select(self.driver.find_element(By.ID, "person")).select_by_visible_text(person)
        self.until(lambda: self.driver.find_elements(By.CSS_SELECTOR, "#chats li"), "chats")

    def open_chat(self, title: str) -> None:
        """Open a chat from the list."""

        def clicked() -> bool:
            # Clicked here, inside the wait: the list may be redrawn between finding the item
            # and clicking it, and a stale item is then looked for again.
            for li in self.driver.find_elements(By.CSS_SELECTOR, "#chats li"):
                if title in li.find_element(By.CLASS_NAME, "title").text:
                    li.click()
                    return True
            return False

        self.until(clicked, f"chat {title}")
        self.until(lambda: title in self.driver.find_element(By.ID, "chat-title").text, "the chat")

    def type(self, text: str) -> None:
        """Type into the composer and press Enter."""
        box = self.driver.find_element(By.ID, "input")
        box.clear()
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def messages(self) -> list[WebElement]:
        """The message rows shown."""
        return self.driver.find_elements(By.CSS_SELECTOR, "#messages .msg")

    def last_message_with(self, text: str) -> WebElement | None:
        """The newest shown message containing `text`."""
        for _ in range(5):  # a chat redrawn while its rows are read: read them again
            try:
                found = [m for m in self.messages() if text in m.text]
            except StaleElementReferenceException:
                continue
            return found[-1] if found else None
        return None


@pytest.fixture(scope="module")
def page(sandbox: SandboxProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    driver = headless_chrome(str(CHROMIUM), str(DRIVER))
    shots = tmp_path_factory.mktemp("screenshots")
    print(f"screenshots in {shots}")
    try:
        driver.get(sandbox.url + "/")
        yield Page(driver, sandbox.url, shots)
    finally:
        driver.quit()


def test_meeting_answer_reminder_upload_and_question(page: Page, tmp_path: Path) -> None:
    # 王书记 announces a meeting in the branch group.
    page.be("王书记")
    page.open_chat("机关党支部群")
    page.type("/meeting 支委会 明天下午3点 三楼会议室")
    page.until(lambda: "参加（0）" in (page.last_message_with("15:00") or page).text, "the notice")
    page.shot("notice")

    # 李明 presses 参加: a toast, and the count on the notice changes without a reload.
    page.be("李明")
    page.open_chat("机关党支部群")
    page.press("15:00", "参加")
    toast = page.driver.find_element(By.ID, "toast")
    page.until(lambda: toast.is_displayed() and toast.text, "the button's answer")
    page.until(
        lambda: "参加（1）：李明" in (page.last_message_with("15:00") or page).text, "the count"
    )
    page.shot("answered")

    # Time travel until a reminder reaches 李明's private chat.
    page.open_chat("党建助手")
    for _ in range(6):
        if page.last_message_with("会议提醒"):
            break
        page.driver.find_element(By.ID, "travel-next").click()
        page.until(lambda: page.driver.find_element(By.ID, "travel-next").is_enabled(), "the jump")
        try:
            WebDriverWait(
                page.driver,
                3,
                poll_frequency=0.2,
                ignored_exceptions=[StaleElementReferenceException],
            ).until(lambda _d: page.last_message_with("会议提醒"))
        except TimeoutException:  # not yet: the next jump brings it
            continue
    assert page.last_message_with("会议提醒")
    page.shot("reminder")

    # 王书记 uploads a study plan with the /study import caption.
    page.be("王书记")
    page.open_chat("机关党支部群")
    plan = tmp_path / "学习计划.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    page.driver.find_element(By.ID, "input").send_keys("/study import")
    page.driver.find_element(By.ID, "upload").send_keys(str(plan))
    page.until(lambda: page.last_message_with("已导入"), "the import's answer")
    page.shot("plan")

    # The guided /meeting: the bot's ForceReply prompt opens the reply box by itself.
    page.type("/meeting")
    page.press("请选择会议类型", "党课")
    page.until(lambda: page.last_message_with("写上会议时间"), "the ForceReply prompt")
    reply_bar = page.driver.find_element(By.ID, "reply-bar")
    page.until(lambda: reply_bar.is_displayed() and "写上会议时间" in reply_bar.text, "the reply")
    page.type("明天下午4点")
    page.until(lambda: page.last_message_with("写上会议地点"), "the next prompt")
    page.shot("prompt")
    page.type("/cancel")

    # A policy question with /ask.
    before = len(page.messages())
    page.type("/ask 党费怎么交")
    # The bot's answer names the question it answers (问：) and ends with its source (——).
    page.until(
        lambda: any(
            "问：" in m.text and "党费" in m.text and "——" in m.text
            for m in page.messages()[before:]
        ),
        "the answer",
    )
    page.shot("ask")
    assert len(list(page.shots.glob("*.png"))) == 6
