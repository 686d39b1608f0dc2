"""What readers see, third pass (issue 34): the archive and the newsletter
on a phone, read in Debian's Chromium (Playwright, `executable_path`), and
the plain text as a mail program shows it.

- every month has a headline of its own in the index and the feed;
- a month's page opens with its masthead, the links under it;
- the next call's time table is one row a local time and fits a phone;
- nested lists keep most of a 320 px screen; @handles read as text;
- the plain-text footer is at most six lines;
- a member's own copy: the next call first at their own time.
"""

import re
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import DIGEST, ROOT

LANGUAGES = ("en", "fr", "es")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("reader-pass")
    result = subprocess.run([str(DIGEST), "archive", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "site"


@pytest.fixture(scope="module")
def rendered(every_month):
    return every_month


def folder(site, language):
    return site if language == "en" else site / language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_month_has_a_headline_of_its_own_in_the_index_and_the_feed(site, language):
    index = (folder(site, language) / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<li><a class="entry" href="(\d{4}-\d{2})\.html"><span class="month">[^<]+</span>'
                         r'(?:<span class="held">([^<]*)</span>)?', index)
    assert len(entries) == 22
    assert all(held for _, held in entries), [month for month, held in entries if not held]
    assert len({held for _, held in entries}) == 22
    feed = ElementTree.parse(folder(site, language) / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.find(atom + "title").text for entry in feed.findall(atom + "entry")]
    assert len(titles) == 22 and len(set(titles)) == 22
    june = {"en": "June 2019: Rome declaration, Ottawa and HLPF planning",
            "fr": "Juin 2019\u00a0: Déclaration de Rome, Ottawa et préparation du FPHN",
            "es": "Junio de 2019: Declaración de Roma, Ottawa y preparación del FPAN"}
    assert june[language] in titles, titles


def test_a_months_page_opens_with_its_masthead_and_the_links_under_it(site, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((site / "2019-06.html").as_uri())
    heading = page.locator("h1").first.bounding_box()
    links = page.locator("a[rel=prev]").first.bounding_box()
    languages = page.locator("a[hreflang=fr]").first.bounding_box()
    # Nothing above the masthead's title but the masthead itself.
    first_link = page.evaluate("() => Math.min(...[...document.querySelectorAll('a')].map(a => a.getBoundingClientRect().top))")
    assert heading["y"] < links["y"] < 400 and heading["y"] < languages["y"] < 400
    assert first_link > heading["y"], first_link
    page.close()


def test_the_time_table_is_one_row_a_local_time_and_fits_a_phone(rendered, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((rendered / "2019-06" / "digest.html").as_uri())
    rows = page.evaluate("""() => [...document.querySelectorAll('#next-call table tr')]
        .filter(r => r.cells.length === 3).map(r => [r.cells[0].innerText, r.cells[1].innerText])""")
    # 9 July 2019: London and Lagos at 15:00, Brussels and Cairo at 16:00, Nairobi and Addis Ababa at 17:00.
    assert len(rows) == 10, rows
    assert ["15:00", "London, Lagos"] in rows and ["17:00", "Nairobi, Addis Ababa"] in rows
    assert len({time for time, _ in rows}) == len(rows)
    section = page.locator("#next-call").bounding_box()
    assert section["height"] < 700, section
    page.close()
    text = (rendered / "2019-06" / "digest.txt").read_text(encoding="utf-8")
    assert "  15:00  UTC+01:00  London, Lagos\n" in text


def test_nested_lists_keep_most_of_a_small_phone_and_handles_read_as_text(rendered, browser):
    page = browser.new_page(viewport={"width": 320, "height": 800}, color_scheme="dark")
    page.goto((rendered / "2020-02" / "digest.es.html").as_uri())
    deepest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('li')]
        .filter(li => li.parentElement.parentElement.closest('li') && li.parentElement.parentElement.closest('li')
                      .parentElement.closest('li'))
        .map(li => li.getBoundingClientRect().width))""")
    assert deepest >= 200, deepest  # third-level items on a 320 px screen
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 320
    handles = page.evaluate("""() => [...document.querySelectorAll('.mention')].map(m => {
        const own = getComputedStyle(m), around = getComputedStyle(m.parentElement);
        return [m.innerText, own.color === around.color, own.textDecorationLine, own.cursor, m.closest('a') === null];
    })""")
    assert handles, "no @handles in February 2020"
    for handle, same_colour, decoration, cursor, not_link in handles:
        assert same_colour and decoration == "none" and cursor == "auto" and not_link, handle
    page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plain_text_footer_is_at_most_six_lines(rendered, language):
    name = "digest.txt" if language == "en" else f"digest.{language}.txt"
    links = {"en": "Links", "fr": "Liens", "es": "Enlaces"}[language]
    for month in sorted(p.name for p in rendered.iterdir() if re.fullmatch(r"\d{4}-\d{2}", p.name)):
        text = (rendered / month / name).read_text(encoding="utf-8")
        footer = text.split("\n-- \n", 1)[1].split("\n\n" + links + "\n", 1)[0].rstrip("\n").split("\n")
        assert 4 <= len(footer) <= 6, (month, footer)
        assert any(line.startswith(("Website [", "Site web [", "Sitio web [")) and "#JusticeForAll" in line
                   for line in footer), footer


def test_a_members_copy_gives_the_next_call_first_at_their_own_time(tmp_path):
    """Through `digest preview`'s member's copy: Sarah (Chicago, her own
    timezone) and Jean (Rwanda, the capital's zone, French)."""
    import socket
    import urllib.request

    process = subprocess.Popen([str(DIGEST), "preview", "--port", "0"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r":(\d+)/", process.stderr.readline()).group(1))
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
        rows = (ROOT / "data" / "members.csv").read_text(encoding="utf-8").splitlines()
        line = {row.split(",")[0]: number for number, row in enumerate(rows, start=1)}

        def copy(address):
            url = f"http://127.0.0.1:{port}/month/2019-06/personal.html?member={line[address]}"
            return urllib.request.urlopen(url, timeout=30).read().decode("utf-8")

        sarah = copy("sarah.miller@example.org")
        assert re.search(r'id="next-call"[^>]*>\s*<h2[^>]*>Next call</h2>\s*<p[^>]*>Your time: Tuesday, 9 July 2019, '
                         r'09:00 \(Chicago\)</p>', sarah)
        assert "Your country: United States" in sarah
        assert "9–18 July 2019: High-level Political Forum 2019 (SDG 16 under review), New York." in sarah
        jean = copy("jean.habimana@example.org")
        assert ">Bonjour Jean,</p>" in jean
        assert "Votre pays\u00a0: Rwanda" in jean
        assert "Présente son examen national volontaire en 2019\u00a0; la coalition y prend part\u00a0: atelier ENV (Le Cap)." in jean
        assert "Chez vous\u00a0: mardi 9 juillet 2019, 16:00 (Kigali)" in jean
        assert "Votre pays, Rwanda" not in jean
    finally:
        process.terminate()
        process.wait(timeout=10)
