"""Facts of the record (`../shared/seed`) as the digests say them, in the
words and languages readers get (issue 34: the record's last wrong
facts). Each was wrong in an earlier version of the sample data."""

import json
import subprocess

import openpyxl
import pytest

from conftest import DIGEST, ROOT


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("facts")
    for month in ("2018-06", "2018-12", "2019-01", "2019-02", "2019-03", "2019-06", "2020-02", "2020-03"):
        result = subprocess.run(
            [str(DIGEST), "render", "--month", month, "--all-languages", "--format", "json,text,html,xlsx", "--out",
             str(out)], cwd=ROOT, capture_output=True, text=True, timeout=240)
        assert result.returncode == 0, result.stdout + result.stderr
    return out


def text(rendered, month, language="en"):
    name = "digest.txt" if language == "en" else "digest.%s.txt" % language
    return " ".join((rendered / month / name).read_text(encoding="utf-8").split())


def test_june_2018_names_only_the_countries_the_record_names(rendered):
    call = json.loads((rendered / "2018-06" / "digest.json").read_text())["call"]
    assert [c["name"] for c in call["countries"]] == ["Georgia", "Mongolia", "Sierra Leone", "Taiwan"]
    assert "Argentina" not in text(rendered, "2018-06").split("Ways to get involved")[0]


def test_february_2020_says_leaders_and_young_people_and_kenya_mobilising(rendered):
    english = text(rendered, "2020-02")
    assert "seek leaders and young people to support ratification" in english
    assert "efforts are under way to mobilise justice sector actors, among others" in english
    assert "young leaders" not in english and "are joining the co-creation" not in english
    french = text(rendered, "2020-02", "fr")
    assert "cherchent des leaders et des jeunes" in french and "mobiliser, entre autres" in french
    spanish = text(rendered, "2020-02", "es")
    assert "buscan líderes y jóvenes" in spanish and "movilizar, entre otros" in spanish


def test_december_2018_says_the_record_has_no_notes_not_that_none_were_kept(rendered):
    english = text(rendered, "2018-12")
    assert "Our record has no notes of this call." in english
    assert "were kept" not in english


def test_the_coalition_of_the_willing_is_governments_in_the_workbook(rendered):
    sheet = None
    workbook = openpyxl.load_workbook(rendered / "2019-06" / "report.xlsx")
    for candidate in workbook.worksheets:
        for row in candidate.iter_rows(values_only=True):
            if any(isinstance(cell, str) and "Coalition of the willing" in cell for cell in row):
                sheet = row
    assert sheet is not None
    assert any(isinstance(cell, str) and cell.lower() == "government" for cell in sheet), sheet


def test_a_goal_years_away_is_said_as_the_year_the_pace_reaches_it(rendered):
    # 2019-06: 3,250 signatures; 140 a month over the last three months reach 100,000 in 2078.
    assert "At the pace of the last three months (140 signatures a month), the goal would be reached in 2078;" \
        in text(rendered, "2019-06")
    assert "l’objectif serait atteint en 2078" in text(rendered, "2019-06", "fr")
    assert "la meta se alcanzaría en 2078" in text(rendered, "2019-06", "es")
    assert "three years away" not in text(rendered, "2019-06")


def test_after_the_last_call_the_footer_says_when_calls_were_held(rendered):
    assert "Calls were held on the 2nd Tuesday of each month at 10:00 New York time, until 10 March 2020." \
        in text(rendered, "2020-03")
    assert "Calls are on the" not in text(rendered, "2020-03")
    assert "Les appels ont eu lieu le deuxième mardi de chaque mois à 10:00, heure de New York, jusqu’au 10 mars 2020." \
        in text(rendered, "2020-03", "fr")
    assert "hasta el 10 de marzo de 2020." in text(rendered, "2020-03", "es")
    html = (rendered / "2020-03" / "digest.html").read_text(encoding="utf-8")
    assert "Calls were held on the 2nd Tuesday of each month at 10:00 New York time, until 10 March 2020." in html
    # While calls go on, the footer says they are held.
    assert "Calls are on the 2nd Tuesday of each month" in text(rendered, "2020-02")


def test_january_2019_expects_the_schedules_day_the_move_was_announced_later(rendered):
    english = text(rendered, "2019-01")
    assert "Next call: Tuesday, 12 February 2019, 10:00 New York time" in english
    assert "19 February" not in english
    assert "mardi 12 février 2019" in text(rendered, "2019-01", "fr")
    next_call = json.loads((rendered / "2019-02" / "digest.json").read_text())
    # By February's end the moved call has been held: the next is March's.
    assert next_call["next_call"]["date"] == "2019-03-12"


def test_lorenzowakefield_leads_south_africa_from_march_2019(rendered):
    february = text(rendered, "2019-02")
    assert "- VNR workshop host: South Africa -" in february or "VNR workshop host: South Africa Coming up" in february
    assert "lorenzowakefield" not in february
    assert "VNR workshop host: South Africa (lead: @lorenzowakefield)" in text(rendered, "2019-03")
    for month in ("2019-02", "2019-03"):
        workbook = openpyxl.load_workbook(rendered / month / "report.xlsx")
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
        assert ("@lorenzowakefield" in cells) == (month == "2019-03"), month
