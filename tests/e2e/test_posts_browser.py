"""The dashboard's 设岗定责 panel in headless Chromium (as tests/e2e/test_dashboard_browser.py
opens the page): the secretary opens their branch and sees its posts, holders and reports.
Without Chromium the test skips (with CI=true the browser module fails instead)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.core.domain import Role
from storage.models import Member
from storage.repositories.posts import PostRepo
from tests.e2e.dashboard_world import NOW, one_member, org_ids, signed, start_county
from tests.e2e.dashboard_world import (  # noqa: F401 - the fixture, as this module's
    sqlite_database_url as database_url,
)
from tests.e2e.harness import BotFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="Chromium is not installed here"
)


def posts_panel(url: str) -> str:
    """Open the page, tap the first organisation, wait for the 设岗定责 panel; its text."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=390,844")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.get(url)
        wait = WebDriverWait(driver, 20)
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
        driver.find_elements(By.CSS_SELECTOR, ".org")[0].click()
        wait.until(lambda d: d.find_element(By.ID, "posts").get_attribute("data-ready"))
        panel = driver.find_element(By.ID, "posts")
        driver.execute_script("arguments[0].scrollIntoView()", panel)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / "secretary-posts.png"))
        return str(panel.text)
    finally:
        driver.quit()


async def test_the_secretary_sees_the_posts_panel(bot_factory: BotFactory) -> None:
    bot = await start_county(bot_factory)
    secretary = await one_member(bot, "第1党支部", Role.SECRETARY)
    branch = (await org_ids(bot))["第1党支部"]
    async with bot.db() as session:
        holder = await session.scalar(
            select(Member.user_id).where(
                Member.organisation_id == branch, Member.role == Role.MEMBER
            )
        )
        assert holder is not None
        posts = PostRepo(session)
        post = await posts.add(branch, "纠纷调解", "负责调解邻里纠纷", secretary, NOW)
        assert post is not None
        await posts.assign(post.id, holder, secretary, NOW)
        await posts.add_report(branch, post, holder, "调解了两户邻里纠纷", None, NOW)
    fragment = urlencode(
        {
            "tgWebAppData": signed(bot, secretary),
            "tgWebAppVersion": "8.0",
            "tgWebAppThemeParams": json.dumps({}),
        }
    )
    text = await asyncio.to_thread(posts_panel, f"{bot.web_url}/app/#{fragment}")
    assert "设岗定责" in text
    assert "纠纷调解" in text
    assert "负责调解邻里纠纷" in text
    assert "履职1次" in text
    assert "调解了两户邻里纠纷" in text
