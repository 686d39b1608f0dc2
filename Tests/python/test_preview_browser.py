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
        assert len(frames) == 3, month  # desktop, phone, phone in dark mode
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


def test_frames_take_their_content_height_and_fill_the_row(server, browser):
    """The newsletter frames are as tall as the newsletter (no scrolling
    inside the scrolling page) and the three of them fill a 1440 px screen's
    row: desktop, phone, phone in dark mode."""
    _, port = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"http://127.0.0.1:{port}/month/2019-06", wait_until="load")
    page.wait_for_function("[...document.querySelectorAll('iframe')].every(f => f.style.height)")
    boxes = page.evaluate("""[...document.querySelectorAll('iframe')].map(f => {
        const r = f.getBoundingClientRect();
        return {top: r.top, right: r.right, height: r.height, content: f.contentDocument.documentElement.scrollHeight};
    })""")
    for box in boxes:
        assert abs(box["height"] - 2 - box["content"]) <= 2, box  # 1 px border a side
        assert box["content"] > 2000
    assert len({round(b["top"]) for b in boxes}) == 1  # one row
    right = page.evaluate("document.querySelector('main').getBoundingClientRect().right")
    assert right - max(b["right"] for b in boxes) < 60, (right, boxes)
    page.close()


def test_dark_scheme_view_shows_the_dark_look_whatever_the_browser(server, browser):
    """The third frame is the newsletter with its dark-mode rules applied,
    read in a light-scheme browser: the card is dark, the text light."""
    _, port = server
    page = browser.new_page(viewport={"width": 1440, "height": 900}, color_scheme="light")
    page.goto(f"http://127.0.0.1:{port}/month/2019-06", wait_until="load")
    light, dark = page.frames[1], page.frames[3]
    assert "scheme=dark" in dark.url
    def colours(frame):
        return frame.evaluate("""() => {
            const card = document.querySelector('.card') || document.querySelector('table.container') || document.body;
            const p = document.querySelector('h2');
            return [getComputedStyle(card).backgroundColor, getComputedStyle(p).color];
        }""")
    light_bg, light_text = colours(light)
    dark_bg, dark_text = colours(dark)
    def luminance(css):
        r, g, b = [int(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    assert luminance(dark_bg) < 60 < luminance(light_bg), (light_bg, dark_bg)
    assert luminance(dark_text) > 150 > luminance(light_text), (light_text, dark_text)
    page.close()


def test_personal_copy_by_line_with_the_address_masked(server, browser):
    """Staff pick a member by their line in members.csv: the copy greets
    them and carries their country's block; the page shows the address
    masked and nowhere whole."""
    _, port = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"http://127.0.0.1:{port}/month/2019-03", wait_until="load")
    page.fill("#member", "2")
    page.click("form.member button")
    page.wait_for_url("**member=2#member-copy")
    # The answer opens at the copy, not 6,000 px above it.
    heading = page.evaluate("document.getElementById('member-copy').getBoundingClientRect().top")
    assert 0 <= heading < 200, heading
    assert page.evaluate("window.scrollY") > 0
    html = page.content()
    assert "amina.odhiambo@example.org" not in html
    assert "a•••@example.org" in html and "Kenya" in html
    copy = next(frame for frame in page.frames if "personal.html" in frame.url)
    text = copy.inner_text("body")
    assert "Dear Amina," in text
    assert "YOUR COUNTRY: KENYA" in text  # the block's heading, in capitals by its style
    assert "Among the countries of the call of Tuesday, 12 March 2019." in text
    # A line with nobody on it says so, in words.
    page.goto(f"http://127.0.0.1:{port}/month/2019-03?member=9999", wait_until="load")
    assert "No copy for line 9999" in page.inner_text("main")
    page.close()


def test_period_page_has_totals_and_a_way_back(server, browser):
    _, port = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"http://127.0.0.1:{port}/period/2019", wait_until="load")
    total = page.locator("table.months tfoot tr").inner_text().split("\t")
    assert [cell.strip() for cell in total] == ["Total", "12", "393", "11", "2,700", "1,785"]
    page.get_by_role("link", name="← All reports").click()
    assert page.url.endswith("/")
    assert "digest archive" not in page.inner_text("main")  # staff's words, not command names
    page.close()
