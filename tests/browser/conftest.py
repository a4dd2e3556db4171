"""Real-browser fixtures: Debian's Chromium driven by Selenium against pytest-django's live server.

Use the `browser` fixture; it opens a desktop-sized window unless the test parametrizes
`window_size` indirectly, e.g.
`@pytest.mark.parametrize("window_size", ["phone", "tablet"], indirect=True)`.
Screenshots go to test-artifacts/ (always on request, and automatically when a test fails).
"""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import require_service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WINDOW_SIZES = {"desktop": (1366, 900), "tablet": (1180, 820), "phone": (390, 844)}
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]


class Browser:
    """A Chromium window on the live server, with the few helpers the journeys need."""

    def __init__(self, driver, base_url: str, name: str):
        self.driver = driver
        self.base_url = base_url
        self.name = name

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def find(self, css: str):
        return self.driver.find_element("css selector", css)

    def find_all(self, css: str) -> list:
        return self.driver.find_elements("css selector", css)

    def wait_for(self, css: str, timeout: float = 10):
        """Return the element matching css once it is present, or fail after timeout seconds."""
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout).until(
            expected_conditions.presence_of_element_located(("css selector", css))
        )

    def fill(self, css: str, value: str) -> None:
        element = self.wait_for(css)
        element.clear()
        element.send_keys(value)

    def click(self, css: str) -> None:
        self.wait_for(css).click()

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    def text(self) -> str:
        return self.find("body").text

    def login(self, username: str, password: str, path: str = "/admin/login/") -> None:
        """Sign in through the login form at path."""
        self.open(path)
        self.fill("#id_username", username)
        self.fill("#id_password", password)
        form = self.wait_for("#id_password")
        self.click("[type=submit]")
        # Wait for the answer to replace the form: signing in redirects (to the role's home),
        # and a page opened before that would be cancelled by the redirect.
        self.wait_gone(form)

    def wait_gone(self, element, timeout: float = 15) -> None:
        """Wait until the page that held element has been replaced."""
        # While the old document is torn down, chromedriver may answer "Node with given id
        # does not belong to the document" instead of a stale element: ask again.
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, timeout, ignored_exceptions=(WebDriverException,)).until(
            expected_conditions.staleness_of(element)
        )

    def screenshot(self, label: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"{self.name}-{label}.png"
        self.driver.save_screenshot(str(target))
        return target


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def window_size(request) -> str:
    """The window of the browser: desktop unless parametrized as "tablet" or "phone"."""
    size = getattr(request, "param", "desktop")
    if size not in WINDOW_SIZES:
        raise ValueError(f"unknown window size {size!r}; one of {', '.join(WINDOW_SIZES)}")
    return size


@pytest.fixture
def browser(request, live_server, window_size):
    """Yield a Browser on the live server; skip (or fail with REQUIRE_SERVICES=1) without Chromium."""
    require_service(
        "Chromium",
        Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
        "apt-get install chromium chromium-driver",
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # The pages answer in the browser's language, as they would for an organizer in China.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    width, height = WINDOW_SIZES[window_size]
    for flag in [*CHROMIUM_FLAGS, f"--window-size={width},{height}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(width, height)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    session = Browser(driver, live_server.url, name)
    try:
        yield session
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            session.screenshot("failure")
        driver.quit()
