"""Headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by Selenium.

``make test`` installs both when it can; where it cannot (no root, no apt), these tests are
skipped and say why. Screenshots go to ``var/screenshots/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser(live_server) -> Iterator[object]:
    # Depends on the live server so that it quits first, closing its kept-alive connections.
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')"
    )
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip(
            "browser tests need Debian's chromium and chromium-driver packages; `make test` "
            "installs them when run as root with apt, or run: apt-get install chromium chromium-driver"
        )
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """The browser with fresh cookies, at the normal desktop size."""
    browser.delete_all_cookies()
    browser.set_window_size(1280, 1000)
    yield browser
    # Leave no request in flight when the live server stops.
    browser.get("about:blank")
    browser.delete_all_cookies()


def screenshot(browser, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # The whole page, not just the window: make the window as tall as the document first.
    height = browser.execute_script("return document.documentElement.scrollHeight")
    width = browser.get_window_size()["width"]
    browser.set_window_size(width, max(600, min(int(height) + 120, 4000)))
    browser.save_screenshot(str(path))
    return path
