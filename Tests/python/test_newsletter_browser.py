"""The newsletter as members see it, measured in a real browser.

Every sample month is rendered, then opened in Debian's Chromium driven by
Playwright (launched with `executable_path`, so nothing is downloaded):

- phones: at 320, 375 and 600 px the page is never wider than the screen;
- contrast: every piece of text meets WCAG 2.2 AA against the background
  it actually sits on (4.5:1, or 3:1 for large text), in the light and the
  dark colour scheme (Apple Mail and Gmail's dark themes follow
  `prefers-color-scheme`).

docs/email-html.md says what each check guards.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIGEST = ROOT / ".build" / "debug" / "digest"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

# Computes, for every element holding text of its own, its colour and the
# colour of what is painted behind it (its own and its ancestors'
# backgrounds, blended), and the contrast ratio between them (WCAG 2.2).
CONTRAST_JS = r"""
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(',').map(parseFloat);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const blend = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let color = {r: 255, g: 255, b: 255, a: 1};
    for (let i = layers.length - 1; i >= 0; i--) color = blend(layers[i], color);
    return color;
  };
  const luminance = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const hex = ({r, g, b}) => '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const results = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim());
    if (!own.length) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
    if (el.closest('[style*="display:none"]')) continue;
    const bg = background(el);
    const fg = blend(parse(style.color), bg);
    const [a, b] = [luminance(fg), luminance(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    results.push({text: own.join(' ').slice(0, 60), tag: el.tagName, fg: hex(fg), bg: hex(bg),
                  ratio: Math.round(ratio * 100) / 100, needed: large ? 3 : 4.5});
  }
  return results;
}
"""


@pytest.fixture(scope="module")
def months(tmp_path_factory):
    out = tmp_path_factory.mktemp("all")
    result = subprocess.run([str(DIGEST), "render", "--all", "--format", "html", "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    found = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(found) == 22
    return found



@pytest.mark.parametrize("width", [320, 375, 600])
def test_never_wider_than_the_screen(months, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    too_wide = {}
    for month in months:
        page.goto((month / "digest.html").as_uri())
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            too_wide[month.name] = scroll
    page.close()
    assert not too_wide, f"wider than {width} px: {too_wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_meets_wcag_aa_contrast(months, browser, scheme):
    page = browser.new_page(viewport={"width": 600, "height": 800}, color_scheme=scheme)
    failures = []
    checked = 0
    for month in months:
        page.goto((month / "digest.html").as_uri())
        for item in page.evaluate(CONTRAST_JS):
            checked += 1
            if item["ratio"] < item["needed"]:
                failures.append(f"{month.name} {item['tag']} {item['fg']} on {item['bg']} = {item['ratio']}"
                                f" (needs {item['needed']}): {item['text']!r}")
    page.close()
    assert checked > 22 * 30
    unique = sorted(set(f.split(" ", 1)[1] for f in failures))
    assert not failures, f"{len(failures)} texts below AA in {scheme} mode:\n" + "\n".join(unique[:40])


@pytest.mark.parametrize("width", [375, 600])
def test_first_screen_holds_what_a_reader_needs(months, browser, width):
    """On a phone (375 × 812) and in a mail program's 600 px pane, "In this
    issue" shows the call, the petition figure and the next call, and one
    Register button (never two) is on the first screen: "In this issue"
    carries it only when long notes push the Next call section down. Every
    in-page link leads to a section that exists."""
    page = browser.new_page(viewport={"width": width, "height": 812})
    for month in months:
        page.goto((month / "digest.html").as_uri())
        anchors = page.eval_on_selector_all("a[href^='#']", "els => els.map(e => e.getAttribute('href').slice(1))")
        assert anchors, month.name
        for anchor in anchors:
            assert page.locator(f"[id='{anchor}']").count() == 1, (month.name, anchor)
        # March 2020 has no next call: the schedule ended with its own call.
        ended = month.name == "2020-03"
        for text in ["In this issue", "Petition:"] + ([] if ended else ["Next call:"]):
            box = page.get_by_text(text, exact=False).first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 812, (month.name, text, box)
        buttons = page.get_by_text("Register for the call", exact=True)
        bottoms = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
        on_screen = [b for b in bottoms if b["y"] + b["height"] <= 812]
        assert len(on_screen) == (0 if ended else 1), (month.name, width, bottoms)
        if ended:
            assert "The monthly calls ended with the call of Tuesday, 10 March 2020." in page.inner_text("body")
    page.close()


# The words of each element whose text is one word (a country, a city),
# with the number of lines the browser laid it out on.
ONE_WORD_LINES_JS = r"""
(selector) => [...document.querySelectorAll(selector)].flatMap((el) => {
  const words = el.textContent.trim().split(/\s+/);
  if (words.length !== 1 || !words[0]) return [];
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return [{word: words[0], lines: tops.size}];
})
"""


@pytest.mark.parametrize("width", [320, 375])
def test_names_are_never_cut_mid_word(months, browser, width):
    """On a phone a country or a city is never split across lines in the
    middle of its name ("Indonesi/a", "Philippin/es"): the name column takes
    the width of its longest word, and the other column wraps."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    cut = set()
    checked = 0
    for month in months:
        page.goto((month / "digest.html").as_uri())
        for item in page.evaluate(ONE_WORD_LINES_JS, "td.name, span.name"):
            checked += 1
            if item["lines"] > 1:
                cut.add(item["word"])
    page.close()
    assert checked > 100
    assert not cut, f"split mid-word at {width} px: {sorted(cut)}"


def test_dark_mode_rules_are_dim(months, browser):
    """The lines between table rows are quiet in both schemes: in dark mode
    a rule is far closer to the card than to the text (a light grey rule on
    the dark card reads as a row of white bars)."""
    page = browser.new_page(viewport={"width": 600, "height": 800}, color_scheme="dark")
    bright = set()
    checked = 0
    for month in months:
        page.goto((month / "digest.html").as_uri())
        colors = page.eval_on_selector_all(
            "td", """els => els.flatMap((e) => {
                const s = getComputedStyle(e);
                return ['Top', 'Bottom'].filter((side) => parseFloat(s['border' + side + 'Width']) > 0)
                    .map((side) => s['border' + side + 'Color']);
            })""")
        for color in colors:
            checked += 1
            r, g, b = [int(float(v)) for v in color[color.index("(") + 1:color.index(")")].split(",")[:3]]
            if max(r, g, b) > 0x60:
                bright.add(color)
    page.close()
    assert checked > 22 * 10
    assert not bright, f"bright rules in dark mode: {sorted(bright)}"


# ---------------------------------------------------------------------------
# French and Spanish: longer words, the same phone.

FIRST_SCREEN = {
    "fr": ["Dans ce numéro", "Pétition", "Prochain appel", "S’inscrire à l’appel"],
    "es": ["En este número", "Petición:", "Próxima llamada:", "Inscribirse en la llamada"],
}


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    out = tmp_path_factory.mktemp("languages")
    result = subprocess.run([str(DIGEST), "render", "--all", "--all-languages", "--format", "html", "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    found = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(found) == 22
    return found


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("width", [320, 375])
def test_translations_never_wider_than_the_screen(translated, browser, language, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    too_wide, cut = {}, set()
    for month in translated:
        page.goto((month / f"digest.{language}.html").as_uri())
        assert page.evaluate("document.documentElement.lang") == language
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            too_wide[month.name] = scroll
        for item in page.evaluate(ONE_WORD_LINES_JS, "td.name"):
            if item["lines"] > 1:
                cut.add(item["word"])
    page.close()
    assert not too_wide, f"{language} wider than {width} px: {too_wide}"
    assert not cut, f"{language} split mid-word at {width} px: {sorted(cut)}"


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_translations_meet_wcag_aa_contrast(translated, browser, language, scheme):
    page = browser.new_page(viewport={"width": 375, "height": 800}, color_scheme=scheme)
    failures = []
    for month in translated:
        page.goto((month / f"digest.{language}.html").as_uri())
        for item in page.evaluate(CONTRAST_JS):
            if item["ratio"] < item["needed"]:
                failures.append(f"{item['tag']} {item['fg']} on {item['bg']} = {item['ratio']}: {item['text']!r}")
    page.close()
    assert not failures, "\n".join(sorted(set(failures))[:40])


@pytest.mark.parametrize("language", ["fr", "es"])
def test_translations_first_screen_as_in_english(translated, browser, language):
    """The phone's first screen holds in French and Spanish what it holds in
    English: in this issue, the petition, the next call, one Register button."""
    page = browser.new_page(viewport={"width": 375, "height": 812})
    for month in translated:
        page.goto((month / f"digest.{language}.html").as_uri())
        *lines, button = FIRST_SCREEN[language]
        ended = month.name == "2020-03"  # no next call: the schedule ended
        for text in (lines[:2] if ended else lines):
            # The preheader (hidden) says "prochain appel" too: the visible line is the one read.
            box = page.get_by_text(text, exact=False).locator("visible=true").first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 812, (month.name, language, text, box)
        buttons = page.get_by_text(button, exact=True)
        boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
        assert len([b for b in boxes if b["y"] + b["height"] <= 812]) == (0 if ended else 1), (month.name, language, boxes)
    page.close()


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rgb(css):
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


def test_dark_mode_keeps_the_accents_and_buttons_stand_out(months, browser):
    """In dark mode the petition's figure and percentage keep the brand
    colour (not the body text's), and every button's fill is at least 3:1
    against the card (WCAG 1.4.11), its label AA against the fill."""
    page = browser.new_page(viewport={"width": 375, "height": 800}, color_scheme="dark")
    checked = 0
    for month in months:
        page.goto((month / "digest.html").as_uri())
        card = rgb(page.eval_on_selector(".card", "e => getComputedStyle(e).backgroundColor"))
        for color in page.eval_on_selector_all(".brand", "els => els.map(e => getComputedStyle(e).color)"):
            assert rgb(color) == (74, 222, 128), (month.name, color)
        for fill, label in page.eval_on_selector_all(
                "td.button", "els => els.map(e => [getComputedStyle(e).backgroundColor,"
                " getComputedStyle(e.querySelector('a')).color])"):
            checked += 1
            assert contrast(rgb(fill), card) >= 3, (month.name, fill, card)
            assert contrast(rgb(label), rgb(fill)) >= 4.5, (month.name, label, fill)
    page.close()
    assert checked > 22


def test_every_action_title_looks_the_same(months, browser):
    """Get involved: every title bold in the text colour, linked or not; the
    link is a "Take part →" of its own."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((months[-1] / "digest.html").as_uri())
    section = page.locator("h2", has_text="Get involved").locator("xpath=..")
    titles = section.locator("p > strong")
    assert titles.count() >= 1
    styles = {tuple(titles.nth(i).evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).fontWeight]"))
              for i in range(titles.count())}
    assert len(styles) == 1
    assert section.locator("p > a strong").count() == 0
    page.close()


def month_page(months, browser, name, width=375):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((next(m for m in months if m.name == name) / "digest.html").as_uri())
    return page


def test_vnr_countries_grouped_by_what_the_coalition_did(months, browser):
    """June 2019: "VNR workshop (Cape Town)" once, with its six countries,
    not six rows saying it; Indonesia's own input under the group."""
    page = month_page(months, browser, "2019-06")
    section = page.locator("h2", has_text="Voluntary National Reviews").locator("xpath=..")
    text = section.inner_text()
    assert text.count("VNR workshop (Cape Town)") == 1
    rows = section.locator("tr")
    assert rows.count() == 4
    first = rows.nth(0).inner_text()
    assert "Indonesia, Mongolia, Pakistan, Philippines, Sierra Leone and Rwanda" in first
    assert "Indonesia: input to government draft; lead: @febionesta" in first
    page.close()


def test_notes_paragraph_after_a_nested_list_sits_under_it(months, browser):
    """June 2019: "More than 60 organisations have signed so far." follows
    the list it closes as closely as the list's items follow each other."""
    page = month_page(months, browser, "2019-06")
    gap = page.evaluate("""() => {
      const el = [...document.querySelectorAll('li > div')].find(d => d.textContent.startsWith('More than 60'));
      const list = el.previousElementSibling;
      return el.getBoundingClientRect().top - list.getBoundingClientRect().bottom;
    }""")
    assert 0 <= gap <= 8, gap
    page.close()


def test_notes_do_not_repeat_get_involved(months, browser):
    """February 2020: the notes' ways to get involved are the two actions
    Get involved offers; each is said once, the notes point below."""
    page = month_page(months, browser, "2020-02")
    body = page.inner_text("body")
    assert body.count("annual survey") == 1
    assert body.count("gender justice questionnaire") + body.count("questionnaire on gender justice") == 1
    assert "All of these are under Get involved, below." in body
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_coalitions_own_section_reads_on_a_phone(months, browser, scheme):
    """August 2018's "Reading and resources" at 375 px, as looked at: after
    Get involved, linked from In this issue, each entry's title bold in the
    text colour with its date beside it in the muted colour, inside the
    screen; in dark mode the heading stays light on the dark card."""
    page = browser.new_page(viewport={"width": 375, "height": 812}, color_scheme=scheme)
    page.goto((next(m for m in months if m.name == "2018-08") / "digest.html").as_uri())
    cell = page.locator("#section-resources")
    assert cell.locator("h2").inner_text() == "Reading and resources"
    assert page.locator('a[href="#section-resources"]').inner_text() == "Reading and resources"
    headings = page.locator("h2").all_inner_texts()
    assert headings.index("Reading and resources") == headings.index("Get involved") + 1
    titles = cell.locator("p > strong")
    assert titles.all_inner_texts() == [
        "Writing a strong justice commitment for an OGP action plan", "Where the Task Force on Justice stands"]
    dates = cell.locator("p > span.muted").all_inner_texts()
    assert dates == ["14 August 2018", "14 August 2018"]
    title_style = titles.first.evaluate("e => [getComputedStyle(e).fontWeight, getComputedStyle(e).color]")
    date_color = cell.locator("p > span.muted").first.evaluate("e => getComputedStyle(e).color")
    assert int(title_style[0]) >= 700 and date_color != title_style[1]
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    heading = cell.locator("h2").evaluate("e => getComputedStyle(e).color")
    channels = [int(v) for v in heading[heading.index("(") + 1:heading.index(")")].split(",")[:3]]
    assert (min(channels) > 180) if scheme == "dark" else (max(channels) < 80), heading
    page.close()
