"""The donor workbook read back by openpyxl, an independent reader, and
(when LibreOffice is installed) converted to PDF by LibreOffice."""

import datetime
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
DIGEST = ROOT / ".build" / "debug" / "digest"
FIXTURES = ROOT / "Tests" / "Fixtures"


def report(period, out, data=ROOT / "data"):
    result = subprocess.run(
        [str(DIGEST), "report", "--period", period, "--data", str(data), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out / period / "report.xlsx"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    return report("2019", tmp_path_factory.mktemp("year"))


def test_sheets_and_properties(year):
    book = openpyxl.load_workbook(year)
    assert book.sheetnames == [
        "Summary", "Calls", "Commitments", "Countries", "VNR", "Petition", "Events", "Actions"]
    assert book.properties.title == "Justice For All — donor report, 2019"
    assert book.properties.created == datetime.datetime(2020, 1, 1)
    assert book.defined_names["Goal"].attr_text == "Summary!$B$13"


def test_summary_values_types_and_formulas(year):
    formulas = openpyxl.load_workbook(year)["Summary"]
    cached = openpyxl.load_workbook(year, data_only=True)["Summary"]
    assert formulas["A1"].value == "Justice For All — donor report"
    assert "A1:H1" in [str(r) for r in formulas.merged_cells.ranges]
    # Twelve months, as real dates, with numbers.
    months = [formulas.cell(row=r, column=1).value for r in range(17, 29)]
    assert months == [datetime.datetime(2019, m, 1) for m in range(1, 13)]
    assert formulas["A17"].number_format == "mmm yyyy"
    assert formulas["G28"].value == 2700 and isinstance(formulas["G28"].value, int)
    # Totals by formula, with their results cached for readers that do not recalculate.
    assert formulas["B29"].value == "=SUM(B17:B28)" and cached["B29"].value == 12
    assert formulas["D29"].value == "=SUM(D17:D28)" and cached["D29"].value == 393
    assert formulas["E29"].value == "=SUM(E17:E28)" and cached["E29"].value == 11
    assert formulas["F29"].value == "=SUM(F17:F28)" and cached["F29"].value == 1785
    assert formulas["G29"].value == "=G28" and cached["G29"].value == 2700
    # The goal is one figure, not a column repeated on every month.
    assert [c.value for c in formulas[16]][:8] == [
        "Month", "Calls held", "Registered", "Attended", "New commitments", "New signatures", "Signatures", None]
    # Key figures point at the table.
    assert formulas["B6"].value == "=B29" and cached["B6"].value == 12
    assert formulas["B11"].value == "=G29" and cached["B11"].value == 2700
    assert formulas["B14"].value == "=B11/B13" and cached["B14"].value == pytest.approx(0.027)
    assert formulas["B14"].number_format == "0.0%"
    assert cached["B10"].value == 9  # VNR countries engaged in 2019
    assert formulas["A10"].value == "VNR countries engaged, 2019 (of 47 presenting)"
    assert formulas.freeze_panes == "A4"


def test_record_sheets(year):
    book = openpyxl.load_workbook(year)
    calls = book["Calls"]
    assert calls.freeze_panes == "A2"
    assert [c.value for c in calls[1]] == [
        "Date", "Call", "Status", "Registered", "Attended", "Countries", "Note sections", "Recording"]
    assert calls.max_row >= 13  # twelve calls in 2019, then a note
    assert calls["A3"].value == datetime.datetime(2019, 2, 19)
    # The record gives no recording of the February 2019 call; March's has one.
    assert calls["H3"].value is None and calls["H3"].hyperlink is None
    assert calls["H4"].hyperlink.target == "https://www.justiceforall2030.org/coalition-calls/recordings/2019-03"
    assert isinstance(calls["E3"].value, int)
    assert calls.auto_filter.ref == "A1:H13"
    assert calls.print_title_rows == "$1:$1"
    commitments = book["Commitments"]
    assert commitments.auto_filter.ref == "A1:H16"  # 15 reported by the end of 2019
    assert commitments["B1"].value == "Country or region"
    scopes = [commitments.cell(row=r, column=2).value for r in range(2, 17)]
    assert "Latin America and the Caribbean" in scopes  # the Escazú Agreement
    vnr = book["VNR"]
    assert [c.value for c in vnr[2]][:4] == [2019, "Indonesia", "IDN", "Asia"]
    for name in ["Events", "Actions"]:
        assert book[name].max_row > 1
    assert book["Calls"].column_dimensions["B"].width > book["Calls"].column_dimensions["C"].width


def test_formula_injection_stays_text(tmp_path):
    path = report("2020-02", tmp_path, data=FIXTURES / "injection")
    sheet = openpyxl.load_workbook(path)["Commitments"]
    titles = {sheet.cell(row=r, column=5).value: sheet.cell(row=r, column=5).data_type for r in range(2, sheet.max_row + 1)}
    assert titles['=HYPERLINK("https://evil.example")'] == "s"
    assert titles["\"><img src=x onerror=alert('commitment')>"] == "s"


def test_same_data_same_bytes(tmp_path, year):
    again = report("2019", tmp_path)
    assert again.read_bytes() == year.read_bytes()


def test_render_writes_the_month_workbook(tmp_path):
    result = subprocess.run([str(DIGEST), "render", "--month", "2020-02", "--format", "xlsx", "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "2020-02" / "report.xlsx", data_only=True)
    assert book["Summary"]["A2"].value == "February 2020"
    assert book["Summary"]["B11"].value == 2920


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (scripts/workbook-pdf)")
def test_libreoffice_converts_to_pdf(year, tmp_path):
    result = subprocess.run([str(ROOT / "scripts" / "workbook-pdf"), str(year), str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 10_000


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_literal_character_reference_stays_text(tmp_path):
    """A title holding the text `_x000D_` must not become a carriage return:
    the file format reads `_xHHHH_` as a character, so its `_` is written as
    `_x005F_`. LibreOffice, an independent reader, shows the text as typed."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with open(data / "commitments.csv", "a", encoding="utf-8") as f:
        f.write("2020-02-12,Kenya,,government,OGP,Row_x000D_Break and _x0041_,announced,,,\n")
    path = report("2020-02", tmp_path / "out", data=data)
    csv_dir = tmp_path / "csv"
    # Every sheet to its own CSV (UTF-8, comma, quote): report-Commitments.csv among them.
    subprocess.run(["soffice", "--headless", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
                    "--outdir", str(csv_dir), str(path)], capture_output=True, timeout=300, check=True)
    sheet = (csv_dir / "report-Commitments.csv").read_bytes()
    assert b"Row_x000D_Break and _x0041_" in sheet
    assert b"Row\rBreak" not in sheet and b"and A" not in sheet


# ---- Issue 10: the workbook as a programme officer reads and prints it ----

@pytest.fixture(scope="module")
def month(tmp_path_factory):
    return report("2019-06", tmp_path_factory.mktemp("month"))


def header_formats(sheet):
    return {cell.value: cell for cell in sheet[1] if cell.value}


@pytest.mark.parametrize("which", ["year", "month"])
def test_number_formats_and_header_alignment(which, request):
    book = openpyxl.load_workbook(request.getfixturevalue(which))
    vnr = book["VNR"]
    for row in range(2, vnr.max_row + 1):
        assert vnr.cell(row=row, column=1).number_format == "0", vnr.cell(row=row, column=1).number_format
    countries = book["Countries"]
    years = [c for c in countries["I"][1:] if c.value is not None]
    assert years and all(c.number_format == "0" for c in years)
    calls = book["Calls"]
    counts = [c for c in calls["D"][1:] if isinstance(c.value, int)]
    assert counts and all(c.number_format == "#,##0" for c in counts)
    assert calls["A2"].number_format == "d mmm yyyy"
    assert book["Summary"]["B14"].number_format == "0.0%"
    # A header sits right over a column of numbers, left over text and dates.
    for sheet in [calls, vnr, countries, book["Petition"]]:
        for cell in sheet[1]:
            below = next((c for c in sheet[cell.column_letter][1:] if c.value is not None), None)
            if cell.value is None or below is None:
                continue
            numeric = isinstance(below.value, (int, float)) and not isinstance(below.value, bool)
            assert (cell.alignment.horizontal == "right") == numeric, (sheet.title, cell.value)


def chart_refs(chart):
    return [(s.cat.numRef or s.cat.strRef).f if s.cat else None for s in chart.series], \
           [s.val.numRef.f for s in chart.series]


def test_year_charts_show_the_data_on_its_own_scale(year):
    summary = openpyxl.load_workbook(year)["Summary"]
    charts = {type(c).__name__ + getattr(c, "barDir", ""): c for c in summary._charts}
    assert sorted(charts) == ["BarChartbar", "BarChartcol", "LineChart"]
    line = charts["LineChart"]
    categories, values = chart_refs(line)
    # The signatures alone (Petition's all-sources column), never the goal.
    assert values == ["'Petition'!$E$2:$E$13"]
    assert categories == ["'Petition'!$A$2:$A$13"]
    assert line.y_axis.scaling.max is None and line.y_axis.scaling.min == 0
    # Commitments by status: the three statuses, what a donor asks first.
    status = charts["BarChartcol"]
    assert chart_refs(status)[1] == ["'Summary'!$E$7:$E$9"]
    assert [summary.cell(row=r, column=4).value for r in range(7, 10)] == ["announced", "in progress", "fulfilled"]
    assert [summary.cell(row=r, column=5).value for r in range(7, 10)] == [7, 7, 1]
    # Frameworks: at most eight bars, the last one "Other".
    bars = charts["BarChartbar"]
    ref = chart_refs(bars)[1][0]
    first, last = [int(x) for x in ref.replace("$", "").split("!")[1].replace("H", "").split(":")]
    assert last - first + 1 <= 8
    assert summary.cell(row=last, column=7).value.startswith("Other")
    names = [summary.cell(row=r, column=7).value for r in range(first, last + 1)]
    counts = [summary.cell(row=r, column=8).value for r in range(first, last + 1)]
    assert sum(counts) == 15  # every commitment tracked to the end of 2019, none lost in "Other"
    assert names[0] == "Open Government Partnership"  # OGP and OGP action plan, one name


def test_one_month_charts_twelve_months_and_marks_the_period(month):
    book = openpyxl.load_workbook(month)
    line = next(c for c in book["Summary"]._charts if type(c).__name__ == "LineChart")
    categories, values = chart_refs(line)
    assert categories[0] == "'Petition'!$A$2:$A$13"  # twelve points
    assert values == ["'Petition'!$E$2:$E$13", "'Petition'!$G$2:$G$13"]
    petition = book["Petition"]
    months = [petition.cell(row=r, column=1).value for r in range(2, 14)]
    assert months[0] == datetime.datetime(2018, 7, 1) and months[-1] == datetime.datetime(2019, 6, 1)
    marked = [petition.cell(row=r, column=7).value for r in range(2, 14)]
    assert marked == [None] * 11 + [1575]
    assert line.series[1].marker.symbol == "circle"


def test_petition_sheet_one_row_per_month(year):
    petition = openpyxl.load_workbook(year)["Petition"]
    assert [c.value for c in petition[1]] == [
        "Month", "Signatures: events", "Signatures: walks", "Signatures: website", "Signatures, all sources",
        "New signatures"]
    rows = [[c.value for c in row] for row in petition.iter_rows(min_row=2, max_row=13)]
    assert [r[0] for r in rows] == [datetime.datetime(2019, m, 1) for m in range(1, 13)]
    assert rows[-1][4] == 2700 and sum(r[5] for r in rows) == 1785
    assert all(r[1] + r[2] + r[3] == r[4] for r in rows)


def test_events_in_the_period_then_coming_up(year, month):
    events = openpyxl.load_workbook(year)["Events"]
    values = [[c.value for c in row] for row in events.iter_rows(min_row=2)]
    dates = [r[0] for r in values if isinstance(r[0], datetime.datetime)]
    assert dates and all(d.year == 2019 for d in dates)
    # The Bandung workshop of 18 February 2020 was announced on 11 February:
    # a report on 2019 does not know of it, so nothing is coming up.
    assert not any(isinstance(r[0], str) and r[0].startswith("Coming up") for r in values)
    june = [[c.value for c in row] for row in openpyxl.load_workbook(month)["Events"].iter_rows(min_row=2)]
    label = next(i for i, r in enumerate(june) if isinstance(r[0], str) and r[0].startswith("Coming up"))
    assert [r[2] for r in june[label + 1:]][:2] == [
        "Webinar on the Escazú Agreement (in English)", "High-level Political Forum 2019 (SDG 16 under review)"]


def test_one_look_and_one_title(year):
    book = openpyxl.load_workbook(year)
    for sheet in book.worksheets[1:]:
        assert not sheet.tables, sheet.title  # no Excel table style: the same green header everywhere
        assert sheet["A1"].fill.fgColor.rgb.endswith("14532D"), sheet.title
    calls = book["Calls"]
    titles = [calls.cell(row=r, column=2).value for r in range(2, 14)]
    assert all(titles), titles
    assert "The July call" in titles
    # A call without figures shows empty cells and a note, never 0.
    january = [c.value for c in calls[2]]
    assert january[3] is None and january[4] is None
    notes = [calls.cell(row=r, column=1).value for r in range(14, calls.max_row + 1)]
    assert any(n and "not recorded" in n for n in notes)
    # Countries (text) never sit flush against a right-aligned count.
    assert calls["F3"].alignment.indent >= 1


def test_countries_sheet(year):
    sheet = openpyxl.load_workbook(year)["Countries"]
    rows = {r[2]: r for r in ([c.value for c in row] for row in sheet.iter_rows(min_row=2)) if r[2]}
    indonesia = rows["Indonesia"]
    assert indonesia[0] == "Asia" and indonesia[3] == 3 and indonesia[8] == 2019
    assert "12 Mar 2019" in indonesia[4]
    assert "Cape Town" in indonesia[9]
    regions = [r[0] for r in rows.values()]
    assert regions == sorted(regions)


def pdf_pages(workbook, tmp_path):
    result = subprocess.run([str(ROOT / "scripts" / "workbook-pdf"), str(workbook), str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "report.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.split("<page ")[1:]
    return [p for p in pages if p.strip()], bbox


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed")
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("period,label", [("2019", "2019"), ("2019-06", "June 2019")])
def test_prints_landscape_one_page_wide_with_headers(tmp_path, paper, period, label):
    import re
    import statistics
    result = subprocess.run([str(DIGEST), "report", "--period", period, "--paper", paper, "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / period / "report.xlsx")
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == (9 if paper == "a4" else 1)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the file format's default, left out
        assert sheet.oddFooter.center.text == "Page &P of &N"
    pages, bbox = pdf_pages(tmp_path / period / "report.xlsx", tmp_path)
    names = book.sheetnames
    seen = []
    for number, page in enumerate(pages, 1):
        first = page.strip().splitlines()[0]
        sheet = next((n for n in names if re.search(rf"\b{n}\b", first)), None)
        assert sheet, f"page {number} does not name its sheet: {first!r}"
        assert first.startswith("Justice For All") and first.rstrip().endswith(label), first
        assert f"Page {number} of {len(pages)}" in page
        seen.append(sheet)
    assert seen.count("Summary") == 1  # the Summary is one page
    assert sorted(set(seen)) == sorted(names)
    # Text at print scale: Carlito's 11 pt line box is 14.3 pt high, so
    # 8 pt needs 10.4; the median word on every page is at least that.
    for number, page in enumerate(bbox, 1):
        heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)]
        assert statistics.median(heights) >= 10.4, (number, statistics.median(heights))


# ---- Issue 11: a period's workbook shows only what was known by its end ----

def rows(book, name):
    return [[c.value for c in row] for row in book[name].iter_rows(min_row=2)]


def test_workbook_shows_what_was_known_by_the_end_of_the_period(tmp_path):
    february = openpyxl.load_workbook(report("2019-02", tmp_path / "feb"))
    march = openpyxl.load_workbook(report("2019-03", tmp_path / "mar"))
    april = openpyxl.load_workbook(report("2019-04", tmp_path / "apr"))
    # The prize's deadline moved to 24 March on the 12 March call.
    prize = next(r for r in rows(february, "Actions") if r[0] == "Apply for the Grassroots Justice Prize")
    assert prize[4] == datetime.datetime(2019, 3, 10) and prize[5] is None
    prize = next(r for r in rows(march, "Actions") if r[0] == "Apply for the Grassroots Justice Prize")
    assert prize[4] == datetime.datetime(2019, 3, 24) and prize[5] == "yes"
    # The World Justice Forum (from 29 April) was first mentioned on 12 March.
    assert "World Justice Forum" not in [r[2] for r in rows(february, "Events")]
    assert "World Justice Forum" in [r[2] for r in rows(march, "Events")]
    # The Rome input, announced on 14 May, is not in April's workbook.
    assert not any(r[0] and "Rome" in r[0] for r in rows(april, "Actions"))
    # The OGP working group counts from the call that first reported it.
    assert "Six justice ministers commit to starting a justice working group within OGP" in [
        r[4] for r in rows(february, "Commitments")]
    january = openpyxl.load_workbook(report("2019-01", tmp_path / "jan"))
    assert not any(r[4] and "Six justice ministers" in r[4] for r in rows(january, "Commitments"))


@pytest.mark.parametrize("language, sheets, title, month_code", [
    ("fr", ["Synthèse", "Appels", "Engagements", "Pays", "ENV", "Pétition", "Événements", "Actions"],
     "Justice For All — rapport aux donateurs, 2019", "[$-40C]"),
    ("es", ["Resumen", "Llamadas", "Compromisos", "Países", "ENV", "Petición", "Eventos", "Acciones"],
     "Justice For All — informe para donantes, 2019", "[$-C0A]"),
])
def test_workbook_in_french_and_spanish(tmp_path, language, sheets, title, month_code):
    """report --language: sheet names, headers, notes and properties in the
    language, country names from CLDR, and date cells whose format carries
    the language's locale code so Excel and LibreOffice name the months in it."""
    result = subprocess.run(
        [str(DIGEST), "report", "--period", "2019", "--language", language, "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "2019" / f"report.{language}.xlsx")
    assert book.sheetnames == sheets
    assert book.properties.title == title
    calls = book[sheets[1]]
    dates = [cell for cell in calls["A"] if isinstance(cell.value, datetime.datetime)]
    assert dates and all(cell.number_format.startswith(month_code) for cell in dates)
    countries = {str(cell.value) for cell in book[sheets[3]]["C"] if cell.value}
    assert ("Afrique du Sud" if language == "fr" else "Sudáfrica") in countries
    # The petition chart's month labels too (the chart's XML, which openpyxl does not read back).
    import zipfile
    with zipfile.ZipFile(tmp_path / "2019" / f"report.{language}.xlsx") as archive:
        charts = " ".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/"))
    assert f'formatCode="{month_code}mmm yy"' in charts
    # The workbook of the coalition's language keeps its name and English.
    assert not (tmp_path / "2019" / "report.xlsx").exists()
