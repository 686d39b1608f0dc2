"""Digests in French and Spanish, checked by independent readers:
a pseudo-language that marks every catalogue string (so any word that
reaches a reader from Swift or a template is caught), and Babel (CLDR)
formatting every date, number, country name and plural the digests show."""

import datetime
import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DIGEST, ROOT

OPEN, CLOSE = "\u27ea", "\u27eb"  # ⟪ ⟫: never in the data


def po_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pseudo_catalogue(english):
    """en.po with every translation the English wrapped in ⟪ ⟫."""
    from babel.messages.pofile import read_po

    with open(english, "rb") as handle:
        catalog = read_po(handle)
    out = ['msgid ""', 'msgstr ""', '"Language: en_GB\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
           '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    for message in catalog:
        if not message.id:
            continue
        out.append(f"msgctxt {po_string(message.context)}")
        if isinstance(message.id, tuple):
            out.append(f"msgid {po_string(message.id[0])}")
            out.append(f"msgid_plural {po_string(message.id[1])}")
            out.append(f"msgstr[0] {po_string(OPEN + message.id[0] + CLOSE)}")
            out.append(f"msgstr[1] {po_string(OPEN + message.id[1] + CLOSE)}")
        else:
            out.append(f"msgid {po_string(message.id)}")
            out.append(f"msgstr {po_string(OPEN + message.id + CLOSE)}")
        out.append("")
    return "\n".join(out)


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory):
    """Every month rendered in the pseudo-language `qps`: (output folder, data text)."""
    root = tmp_path_factory.mktemp("pseudo")
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "templates" / "words" / "qps.po").write_text(
        pseudo_catalogue(ROOT / "templates" / "words" / "en.po"), encoding="utf-8")
    coalition = root / "data" / "coalition.yaml"
    text = coalition.read_text(encoding="utf-8")
    coalition.write_text(re.sub(r"^languages: .*$", "languages: [en, qps]", text, flags=re.M), encoding="utf-8")
    result = subprocess.run(
        [str(DIGEST), "render", "--all", "--language", "qps", "--format", "text,html",
         "--data", str(root / "data"), "--templates", str(root / "templates"), "--out", str(root / "output")],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # What the data says, as text: every file of the data folder, and the
    # country table's names (the digest names countries from it).
    corpus = " ".join(path.read_text(encoding="utf-8") for path in (root / "data").rglob("*")
                      if path.is_file() and path.suffix in {".md", ".csv", ".yaml"})
    countries = (ROOT / "Sources" / "CoalitionData" / "Resources").glob("*")
    corpus += " " + " ".join(path.read_text(encoding="utf-8") for path in countries if path.is_file())
    # Time-zone names as the table shows them: America/Buenos_Aires is Buenos Aires.
    corpus += " " + coalition.read_text(encoding="utf-8").replace("/", " ")
    # A link's address as the digest shows it: without its scheme.
    corpus += " " + re.sub(r"<?https?://", "", corpus)
    return root / "output", normalised(html.unescape(corpus))


class TextRuns(HTMLParser):
    """The text a reader sees: text nodes (not style), and the attributes
    read aloud or shown (alt, title, aria-label, meta description)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        attrs = dict(attrs)
        for name in ("alt", "title", "aria-label"):
            if attrs.get(name):
                self.runs.append(attrs[name])
        if tag == "meta" and attrs.get("name") == "description":
            self.runs.append(attrs.get("content", ""))

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.runs.append(data)


# What may stand outside the catalogue's words and the data: layout marks,
# numbers, times and UTC offsets the program computes, link numbers.
NEUTRAL = re.compile(r"^[\s\d.,:;·|()\[\]#*=~\-–—+%/→←…]*(UTC[+\-−]\d\d:\d\d)?$")
# Where the templates join values: a run is cut there, and each piece must
# be the data's (a piece of a note, a title, a country), word for word.
JOINS = re.compile(r"\n|\s+[-–—·|]\s+|;\s|\s\(|\)|,\s|:\s|^\s*[-*]\s|^\s*\d+\.\s|\[\d+\]|\s{2,}", re.M)


def normalised(text):
    return " ".join(text.replace("*", "").replace("_", " ").split())


def unexplained(text, corpus):
    """The pieces of `text` outside every ⟪…⟫ that are not in the data."""
    while True:  # innermost markers first: sentences hold other sentences
        stripped = re.sub(OPEN + "[^" + OPEN + CLOSE + "]*" + CLOSE, "\u0000", text)
        if stripped == text:
            break
        text = stripped
    found = []
    for run in text.split("\u0000"):
        for piece in JOINS.split(run):
            if re.fullmatch(r"\s*<?https?://\S+>?\s*", piece):
                continue
            piece = normalised(piece).strip(" .,:;·|()[]#=~-–—'’")
            if not piece or NEUTRAL.match(piece):
                continue
            end = r"(?!\w)"
            if piece.endswith("…"):  # a long address shortened for the eye
                piece, end = piece[:-1], ""
            if re.search(r"(?<!\w)" + re.escape(piece) + end, corpus):
                continue
            found.append(piece)
    return found


def test_no_word_reaches_a_reader_except_from_the_catalogue_or_the_data(pseudo):
    output, corpus = pseudo
    months = sorted(path for path in output.iterdir() if re.fullmatch(r"\d{4}-\d\d", path.name))
    assert len(months) >= 20
    problems = {}
    for month in months:
        page = (month / "digest.qps.html").read_text(encoding="utf-8")
        parser = TextRuns()
        parser.feed(page)
        for run in unexplained("\u0000".join(parser.runs), corpus):
            problems.setdefault(run, []).append(f"{month.name}/digest.qps.html")
        text = (month / "digest.qps.txt").read_text(encoding="utf-8")
        for run in unexplained(text, corpus):
            problems.setdefault(run, []).append(f"{month.name}/digest.qps.txt")
    assert not problems, "\n".join(f"{run!r} in {where[:3]}" for run, where in sorted(problems.items()))
    # The markers are there: the pseudo-language was really used.
    assert OPEN in (months[-1] / "digest.qps.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Babel (CLDR) as an independent oracle for what the locale formats.

LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every month's digest.json in each of the sample's languages."""
    out = tmp_path_factory.mktemp("languages")
    result = subprocess.run([str(DIGEST), "render", "--all", "--all-languages", "--format", "json", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def views(out):
    for month in sorted(path for path in out.iterdir() if re.fullmatch(r"\d{4}-\d\d", path.name)):
        for language in LOCALES:
            name = "digest.json" if language == "en" else f"digest.{language}.json"
            yield month.name, language, json.loads((month / name).read_text(encoding="utf-8"))


def number(value, language):
    from babel.numbers import format_decimal

    text = format_decimal(value, locale=LOCALES[language])
    # CLDR's minimumGroupingDigits is 2 for Spanish (1575, 15.750); Babel
    # does not apply it, so a four-digit Spanish number loses its separator here.
    if language == "es" and abs(value) < 10000:
        text = text.replace(".", "")
    return text


def percent(value, language):
    from babel import Locale
    from babel.numbers import format_percent

    pattern = Locale.parse(LOCALES[language]).percent_formats[None].pattern.replace("0", "0.0", 1)
    return format_percent(value, format=pattern, locale=LOCALES[language])


def test_every_date_number_country_and_plural_as_cldr_writes_it(rendered):
    from babel import Locale
    from babel.dates import format_date, format_skeleton, format_time, get_timezone_location
    from babel.messages.pofile import read_po

    catalogues = {}
    for language in LOCALES:
        with open(ROOT / "templates" / "words" / f"{language}.po", "rb") as handle:
            catalogues[language] = {message.context: message for message in read_po(handle) if message.id}

    def counted(language, key, count, **values):
        """The catalogue's form for `count` as CLDR's plural rules choose it."""
        message = catalogues[language][key]
        category = Locale.parse(LOCALES[language]).plural_form(count)
        form = 0 if category == "one" else 1
        forms = message.string if any(message.string) else message.id
        return forms[form].format(count=number(count, language), **values)

    checked = 0
    for month, language, view in views(rendered):
        locale = LOCALES[language]
        names = Locale.parse(locale).territories
        day = lambda text: datetime.date.fromisoformat(text)  # noqa: E731
        year, number_of_month = map(int, view["period"]["month"].split("-"))
        assert view["period"]["label"] == format_skeleton("yMMMM", datetime.date(year, number_of_month, 1),
                                                          locale=locale), (month, language)
        for call in view["calls"]:
            assert call["date_text"] == format_date(day(call["date"]), "full", locale=locale), (month, language)
            for country in call["countries"]:
                if language != "en":  # English keeps the data's own names (ISO short names)
                    assert country["name"] == names[country["code"]], (month, language)
                checked += 1
            if call["attended"] is not None and call["registered"] is not None:
                assert call["attendance_text"] == counted(language, "call.attendance", call["attended"],
                                                          registered=number(call["registered"], language))
        for skipped in view["skipped_calls"]:
            assert skipped["date_text"] == format_date(day(skipped["date"]), "full", locale=locale)
        if view["next_call"]:
            assert view["next_call"]["date_text"] == format_date(day(view["next_call"]["date"]), "full",
                                                                 locale=locale)
            for zone in view["next_call"]["times"]:
                # The time-zone table's cities as CLDR names them (Londres, Nueva York, Le Caire).
                assert zone["city"] == get_timezone_location(zone["zone"], locale=locale, return_city=True), zone
                hour, minute = map(int, zone["time"].split(":"))
                assert zone["time"] == format_time(datetime.time(hour, minute), "short", locale=locale), zone
        for commitment in view["commitments"]["new"]:
            assert commitment["date_text"] == format_date(day(commitment["date"]), "long", locale=locale)
            if language != "en" and commitment["country_code"]:
                assert commitment["country"] == names[commitment["country_code"]]
        assert view["commitments"]["new_count_text"] == counted(language, "commitments.new_count",
                                                                len(view["commitments"]["new"]))
        for review in view["vnr"]["reviews"]:
            if language != "en":
                assert review["country"] == names[review["code"]], (month, language)
        petition = view["petition"]
        if petition:
            for key in ("total", "goal", "new"):
                assert petition[key + "_text"] == number(petition[key], language), (month, language, key)
            assert petition["percent_text"] == percent(petition["percent_of_goal"] / 100, language)
            assert petition["in_this_issue_text"] == counted(
                language, "petition.in_this_issue", petition["total"], percent=petition["percent_text"],
                goal=petition["goal_text"])
        checked += 1
    assert checked > 60


def test_no_template_holds_words_of_its_own():
    """Every word a template shows comes from the catalogue ({{w.…}}) or the
    view model: with the Mustache tags, the markup and the stylesheets taken
    out, no letters are left but a few names that are the same in every
    language."""
    allowed = {"UTC", "Atom", "nbsp"}
    found = {}
    for path in (ROOT / "templates").rglob("*.mustache"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{\{!.*?\}\}", " ", text, flags=re.S)
        text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
        # Attributes a reader meets (alt, title, aria-label, placeholder) stay; the rest of a tag goes.
        shown = re.findall(r'\s(?:alt|title|aria-label|placeholder)="([^"]*)"', text)
        text = re.sub(r"<[^>]*>", " ", text)
        text = " ".join([text] + shown)
        text = re.sub(r"\{\{\{?.*?\}?\}\}", " ", text, flags=re.S)
        for word in re.findall(r"[^\W\d_]+", text):
            if word not in allowed:
                found.setdefault(path.relative_to(ROOT).as_posix(), set()).add(word)
    assert not found, found


def test_plain_text_keeps_to_72_columns_in_every_language(tmp_path):
    """Every month's plain text in English, French and Spanish, measured
    with Python's unicodedata (an accented letter is one column, a wide
    character two): 72 columns, 78 for a lone address that cannot break."""
    import unicodedata

    result = subprocess.run([str(DIGEST), "render", "--all", "--all-languages", "--format", "text",
                             "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    def width(line):
        return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
                   for c in unicodedata.normalize("NFC", line))

    checked = 0
    for path in sorted(tmp_path.glob("*/digest*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            checked += 1
            lone_address = len(line.split()) <= 2 and "://" in line
            assert width(line) <= (78 if lone_address else 72), (path.relative_to(tmp_path).as_posix(), line)
    assert checked > 22 * 3 * 80



def test_the_json_carries_codes_and_each_language_names_them(tmp_path):
    """The French digest's JSON: the same codes as the English, names in French (no English word as a name)."""
    out = tmp_path / "out"
    result = subprocess.run([str(DIGEST), "render", "--month", "2019-06", "--all-languages", "--format", "json",
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    english = json.loads((out / "2019-06" / "digest.json").read_text())["commitments"]
    french = json.loads((out / "2019-06" / "digest.fr.json").read_text())["commitments"]
    for key in ["by_actor", "by_country", "by_status"]:
        assert [t["code"] for t in french[key]] == [t["code"] for t in english[key]], key
    names = {t["code"]: t["name"] for t in french["by_actor"] + french["by_status"] + french["by_country"]}
    assert names["government"] == "gouvernement" and names["civil society"] == "société civile"
    assert names["global"] != "Global" and names["ID"] == "Indonésie"
    assert all(t["name"] != t["code"] for t in french["by_status"]), french["by_status"]
