"""The staff preview in a browser, as staff use it: Debian's Chromium driven
by Playwright (no browser is downloaded).

For every sample month, the month page loads with no failed request, and
its two sandboxed frames really hold the newsletter: their text is read
from inside the frames, not guessed from a screenshot (headless Chromium's
--screenshot mode paints such frames blank).
"""

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

MONTHS = [f"{y}-{m:02d}" for y, m in [(2018, m) for m in range(6, 13)] + [(2019, m) for m in range(1, 13)]
          + [(2020, m) for m in range(1, 4)]]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]



def test_every_month_page_holds_the_newsletter_in_its_frames(server, browser):
    _, port = server
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    failed = []
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    # The browser's own requests (a favicon) show only as console errors.
    page.on("console", lambda message: message.type == "error" and failed.append(f"console: {message.text}"))
    for month in MONTHS:
        page.goto(f"http://127.0.0.1:{port}/month/{month}", wait_until="load")
        frames = [frame for frame in page.frames if frame != page.main_frame]
        assert len(frames) == 2, month
        label = f"{MONTH_NAMES[int(month[5:]) - 1]} {month[:4]}"
        for frame in frames:
            text = frame.inner_text("body")
            assert "Justice For All" in text and f"Coalition digest · {label}" in text, (month, text[:200])
            assert "Unsubscribe" in text
        # The phone frame is a phone's width, and the newsletter fits it.
        widths = sorted(frame.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")[0]
                        for frame in frames)
        assert widths[0] <= 400
    page.close()
    assert not failed, failed


def test_index_lists_every_month_and_loads_cleanly(server, browser):
    _, port = server
    page = browser.new_page()
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.on("console", lambda message: message.type == "error" and failed.append(f"console: {message.text}"))
    page.goto(f"http://127.0.0.1:{port}/", wait_until="load")
    links = page.eval_on_selector_all("a[href^='/month/']", "els => els.map(e => e.getAttribute('href'))")
    assert {f"/month/{m}" for m in MONTHS} <= set(links)
    page.close()
    assert not failed, failed
