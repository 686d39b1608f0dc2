"""French and Spanish digests read as wholly French and Spanish (issue 34:
translations that are whole).

Every month of the sample is rendered in both languages, and each
newsletter is read as a screen reader would: text the page says is in
its own language, and text an element marks `lang="en"`. English found
in the first is "English left unmarked"; the test lists each place, and
the list must be empty. What staff left untranslated is marked, and one
sentence in the reader's language says so.
"""

import html.parser
import json
import re
import subprocess

import openpyxl
import pytest

from conftest import DIGEST, ROOT

NBSP = "\u00a0"

# Words that are English and neither French nor Spanish: one of them in
# French or Spanish text is a sentence or a title left in English.
ENGLISH = set("""
the and of with for from this that will their are was were has have been which who call calls petition
government commitment commitments meeting launched launch workshop week weeks report partnership summit event
events join share sign register members people countries country how what our your about into more than
next month update updates review reviews agreement declaration
""".split())

# Names that are English in every language, as organisations write them.
NAMES = ["The Elders", "Justice For All", "World Justice Project", "Open Society Justice Initiative",
         "Global Legal Empowerment Network", "TAP Network", "Innovating Justice Forum",
         "Justice Partners Forum", "Pathfinders", "Mott Foundation"]


class Reader(html.parser.HTMLParser):
    """Text of an HTML page with the language each piece is in."""

    VOID = {"br", "img", "meta", "link", "hr", "input", "col", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, lang or None)
        self.pieces = []  # (lang, text)
        self.skip = 0

    def lang(self):
        for _, lang in reversed(self.stack):
            if lang:
                return lang
        return None

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        self.stack.append((tag, attributes.get("lang")))
        if tag in ("style", "script", "head", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            top = self.stack.pop()
            if top[0] in ("style", "script", "head", "title"):
                self.skip -= 1
            if top[0] == tag:
                break

    def handle_data(self, data):
        if self.skip or not data.strip():
            return
        self.pieces.append((self.lang(), data))


def english_words(text):
    text = flat(text)
    for name in NAMES:
        text = text.replace(name, " ")
    words = re.findall(r"[@#]?[\w’'-]+", text)
    return [w for w in words if not w.startswith(("@", "#")) and w.lower() in ENGLISH]


@pytest.fixture(scope="module")
def rendered(every_month):
    """Every month in every language, and three French workbooks beside them."""
    out = every_month
    for period in ("2018-09", "2019-02", "2019-06"):
        result = subprocess.run(
            [str(DIGEST), "report", "--period", period, "--language", "fr", "--out", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    return out


def flat(text):
    """Runs of spaces and line breaks as one space; non-breaking spaces kept."""
    return re.sub(r"[ \n]+", " ", text)


def months(rendered):
    return sorted(p.name for p in rendered.iterdir() if re.fullmatch(r"\d{4}-\d{2}", p.name))


def pieces(rendered, month, language):
    reader = Reader()
    reader.feed((rendered / month / f"digest.{language}.html").read_text(encoding="utf-8"))
    return reader.pieces


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_english_is_left_unmarked_in_any_month(rendered, language):
    unmarked = []
    marked = 0
    for month in months(rendered):
        for lang, text in pieces(rendered, month, language):
            if lang in (None, language):
                found = english_words(text)
                if found:
                    unmarked.append(f"{month}: {flat(text)[:90]!r} ({', '.join(found)})")
            elif lang == "en":
                marked += 1
    assert unmarked == [], "English left unmarked:\n" + "\n".join(unmarked)
    # The English the sample leaves (calls' notes) is marked, not absent.
    assert marked > 0


@pytest.mark.parametrize("language", ["fr", "es"])
def test_what_stays_in_english_is_said_once_in_the_readers_language(rendered, language):
    said = {"fr": "ne sont pas encore traduits et restent en anglais", "es": "aún no están traducidos y siguen en inglés"}
    for month in months(rendered):
        page = (rendered / month / f"digest.{language}.html").read_text(encoding="utf-8")
        text = flat((rendered / month / f"digest.{language}.txt").read_text(encoding="utf-8"))
        view = json.loads((rendered / month / f"digest.{language}.json").read_text(encoding="utf-8"))
        note = view["untranslated_note"]
        titles_marked = len(re.findall(r'<(?:p|span|a|strong|td)[^>]* lang="en"', page))
        if note is None:
            assert said[language] not in text, month
        else:
            assert text.count(said[language]) == 1 and page.count(said[language]) == 1, month
            assert titles_marked > 0, month
        # The old mark beside each item is gone (a title may still say the
        # webinar is held in English: that is staff's own words).
        assert ">(en anglais)</span>" not in page and ">(en inglés)</span>" not in page, month
        assert not re.search(r"[^»] \((?:En|en) (?:anglais|inglés)\)", text.replace("d’Escazú (en anglais)", "")
                             .replace("Escazú (en inglés)", "")), month


def test_a_call_title_left_in_english_stays_out_of_the_heading_and_is_marked(rendered, tmp_path):
    # The sample translates every call title; a copy without February 2019's French title shows the rule.
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(ROOT / "data"), str(data)], check=True)
    (data / "calls" / "2019-02-19.fr.md").unlink()
    result = subprocess.run(
        [str(DIGEST), "render", "--month", "2019-02", "--language", "fr", "--format", "text,html",
         "--data", str(data), "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "2019-02" / "digest.fr.txt").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "2019-02" / "digest.fr.html").read_text(encoding="utf-8")
    assert "- L’appel de la coalition en février\n" in text
    assert "L’appel de la coalition en février" + NBSP + ":" not in text
    assert re.search(r'<p lang="en"[^>]*>One year of Justice For All; VNRs and OGP in 2019</p>', page)
    assert "restent en anglais" + NBSP + ": le titre de l’appel" in flat(text).replace(" :", NBSP + ":")


def test_french_puts_a_non_breaking_space_before_high_punctuation(rendered):
    for month in months(rendered):
        text = (rendered / month / "digest.fr.txt").read_text(encoding="utf-8")
        body = text.split("\nLiens\n")[0]
        assert not re.search(r" [:;?!](?![\w])", body), (month, re.search(r".{30} [:;?!](?![\w]).{10}", body))
        for lang, piece in pieces(rendered, month, "fr"):
            if lang in (None, "fr"):
                assert not re.search(r" [:;?!](?![\w])", piece), (month, piece)
    # Staff's French too: the June 2019 notes and a resource title.
    june = (rendered / "2019-06" / "digest.fr.txt").read_text(encoding="utf-8")
    assert "@staceycram" + NBSP + ": une cinquantaine" in june.replace("\n", " ")


def test_regions_are_the_uns_in_each_language(rendered):
    french = (rendered / "2018-09" / "digest.fr.txt").read_text(encoding="utf-8")
    spanish = (rendered / "2018-09" / "digest.es.txt").read_text(encoding="utf-8")
    assert "Amérique latine et Caraïbes" in flat(french)
    assert "América Latina y el Caribe" in flat(spanish)
    workbook = openpyxl.load_workbook(rendered / "2018-09" / "report.fr.xlsx")
    cells = {c for s in workbook.worksheets for r in s.iter_rows(values_only=True) for c in r if isinstance(c, str)}
    assert "Amérique latine et Caraïbes" in cells and "Amérique latine" not in cells


def test_a_date_that_starts_a_sentence_is_capitalised(rendered):
    weekdays = {"fr": "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
                "es": "lunes|martes|miércoles|jueves|viernes|sábado|domingo"}
    for language, names in weekdays.items():
        for month in months(rendered):
            text = (rendered / month / f"digest.{language}.txt").read_text(encoding="utf-8")
            # A paragraph that starts with a weekday, or one after a full stop.
            assert not re.search(rf"(?:^|\n\n|\. )(?:{names}) \d", text), (language, month)
    assert "\nMardi 14 mai 2019, 10:00, heure de New York." in (rendered / "2019-05" / "digest.fr.txt").read_text()
    assert "\nMartes, 14 de mayo de 2019, 10:00, hora de Nueva York." in (rendered / "2019-05" / "digest.es.txt").read_text()


def test_one_spelling_of_each_country(rendered):
    french = flat((rendered / "2019-06" / "digest.fr.txt").read_text(encoding="utf-8"))
    assert "Kirghizistan" not in french and french.count("Kirghizstan") == 2


def test_the_words_that_read_as_mistakes(rendered):
    french = flat((rendered / "2019-04" / "digest.fr.txt").read_text(encoding="utf-8"))
    assert "Nouvelles signatures ce mois-ci" + NBSP + ": 140" in french
    assert "Nos archives ne contiennent pas de notes de cet appel." in french
    assert "Notre archive" not in french
    spanish = flat((rendered / "2019-04" / "digest.es.txt").read_text(encoding="utf-8"))
    assert "Firmas nuevas este mes: 140" in spanish


def test_february_2020_names_the_questionnaire_once_in_every_language(rendered):
    for name, word in (("digest.txt", "questionnaire"), ("digest.fr.txt", "questionnaire"),
                       ("digest.es.txt", "cuestionario")):
        text = (rendered / "2020-02" / name).read_text(encoding="utf-8").lower()
        assert text.count(word) == 1, name
    # The notes' own list, emptied, says the same in every language.
    assert "_All of these are under Get involved, below._" in (rendered / "2020-02" / "digest.txt").read_text()
    assert "_Toutes se trouvent sous «" in (rendered / "2020-02" / "digest.fr.txt").read_text()
    assert "_Todas están en «Participe», más abajo._" in (rendered / "2020-02" / "digest.es.txt").read_text()


def test_an_action_without_details_keeps_a_separator_before_its_deadline(rendered):
    english = flat((rendered / "2019-02" / "digest.txt").read_text(encoding="utf-8"))
    assert "*Apply for the Grassroots Justice Prize* — Open until 10 March 2019." in english
    french = flat((rendered / "2019-02" / "digest.fr.txt").read_text(encoding="utf-8"))
    assert "*Candidatez au prix de la justice de proximité* — Ouvert jusqu’au 10 mars 2019." in french


@pytest.mark.parametrize("language", ["fr", "es"])
def test_previous_letters_open_the_archive_in_the_readers_language(rendered, language):
    text = (rendered / "2020-03" / f"digest.{language}.txt").read_text(encoding="utf-8")
    assert f"https://www.justiceforall2030.org/coalition/digest/{language}/\n" in text
    page = (rendered / "2020-03" / f"digest.{language}.html").read_text(encoding="utf-8")
    assert f'href="https://www.justiceforall2030.org/coalition/digest/{language}/"' in page
    english = (rendered / "2020-03" / "digest.txt").read_text(encoding="utf-8")
    assert "https://www.justiceforall2030.org/coalition/digest\n" in english


def test_the_french_workbook_names_frameworks_and_notes_in_french(rendered):
    workbook = openpyxl.load_workbook(rendered / "2019-06" / "report.fr.xlsx")
    cells = {c for s in workbook.worksheets for r in s.iter_rows(values_only=True) for c in r if isinstance(c, str)}
    assert "Partenariat pour un gouvernement ouvert" in cells
    assert "Open Government Partnership" not in cells
    assert "Première version attendue en juillet 2019" in cells
    assert "Tbilissi, Géorgie" not in cells  # July 2018 is not in June 2019's events
    events = workbook["Événements"] if "Événements" in workbook.sheetnames else None
    assert events is not None, workbook.sheetnames
    # The petition's sources by their French names, and the goal's column.
    assert [c.value for c in workbook["Pétition"][1]][1:4] == [
        "Signatures\u00a0: événements", "Signatures\u00a0: marches", "Signatures\u00a0: site web"]
    # English left in the workbook is said once, in French: the sections of
    # untranslated notes (February 2019's notes are in English; June's are French).
    note = "Les intitulés des notes qui ne sont pas encore traduites restent en anglais."

    def notes(period):
        book = openpyxl.load_workbook(rendered / period / "report.fr.xlsx")
        return [c.value for row in book["Appels"].iter_rows() for c in row if isinstance(c.value, str)]
    assert note in notes("2019-02") and note not in notes("2019-06")
