"""The donor workbook read back by openpyxl, an independent reader, and
(when LibreOffice is installed) converted to PDF by LibreOffice."""

import datetime
import shutil
import subprocess
import re
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
    assert book.defined_names["Goal"].attr_text == "Summary!$B$14"


def test_summary_values_types_and_formulas(year):
    formulas = openpyxl.load_workbook(year)["Summary"]
    cached = openpyxl.load_workbook(year, data_only=True)["Summary"]
    assert formulas["A1"].value == "Justice For All — donor report"
    assert "A1:H1" in [str(r) for r in formulas.merged_cells.ranges]
    # The table comes under the taller of the three blocks above it (every
    # framework has its row): found by its title.
    top = next(r for r in range(1, 60) if formulas.cell(row=r, column=1).value == "Month by month")
    first, last, total = top + 2, top + 13, top + 14
    assert top == 19  # twelve frameworks by the end of 2019
    # Twelve months, as real dates, with numbers.
    months = [formulas.cell(row=r, column=1).value for r in range(first, last + 1)]
    assert months == [datetime.datetime(2019, m, 1) for m in range(1, 13)]
    assert formulas[f"A{first}"].number_format == "[$-809]mmm yyyy"  # en_GB: English month names for every reader
    assert formulas[f"G{last}"].value == 2700 and isinstance(formulas[f"G{last}"].value, int)
    # Totals by formula, with their results cached for readers that do not recalculate.
    assert formulas[f"B{total}"].value == f"=SUM(B{first}:B{last})" and cached[f"B{total}"].value == 12
    assert formulas[f"D{total}"].value == f"=SUM(D{first}:D{last})" and cached[f"D{total}"].value == 393
    assert formulas[f"E{total}"].value == f"=SUM(E{first}:E{last})" and cached[f"E{total}"].value == 11
    assert formulas[f"F{total}"].value == f"=SUM(F{first}:F{last})" and cached[f"F{total}"].value == 1785
    assert formulas[f"G{total}"].value == f"=G{last}" and cached[f"G{total}"].value == 2700
    # The goal is one figure, not a column repeated on every month.
    assert [c.value for c in formulas[top + 1]][:8] == [
        "Month", "Calls held", "Registered", "Attended", "New commitments", "New signatures", "Signatures", None]
    # A blank row between the blocks and the table's title.
    assert all(c.value is None for c in formulas[top - 1])
    # Key figures point at the table.
    assert formulas["B6"].value == f"=B{total}" and cached["B6"].value == 12
    assert formulas["B12"].value == f"=G{total}" and cached["B12"].value == 2700
    assert formulas["B15"].value == "=B12/B14" and cached["B15"].value == pytest.approx(0.027)
    assert formulas["B15"].number_format == "0.0%"
    # The VNR figures as two short labels, not one that prints cut.
    assert formulas["A10"].value == "VNR countries presenting, 2019" and cached["B10"].value == 47
    assert formulas["A11"].value == "VNR countries engaged, 2019" and cached["B11"].value == 9
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
    # No presenting count for 2020 in the data: one VNR figure, so the
    # signatures come a row earlier than in 2019's workbook.
    assert book["Summary"]["A11"].value == "Signatures at the end of the period"
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
    years = [c for c in column(countries, "VNR year")[1:] if c.value is not None]
    assert years and all(c.number_format == "0" for c in years)
    calls = book["Calls"]
    counts = [c for c in calls["D"][1:] if isinstance(c.value, int)]
    assert counts and all(c.number_format == "#,##0" for c in counts)
    assert calls["A2"].number_format == "[$-809]d mmm yyyy"
    assert book["Summary"]["B15"].number_format == "0.0%"
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
    # The signatures (Petition's all-sources column), and the goal as a
    # dashed line the value axis reaches: a donor sees how far there is to go.
    assert values == ["'Petition'!$E$2:$E$13", "'Petition'!$G$2:$G$13"]
    assert categories == ["'Petition'!$A$2:$A$13", "'Petition'!$A$2:$A$13"]
    assert line.y_axis.scaling.max == 100000 and line.y_axis.scaling.min == 0
    assert line.series[1].graphicalProperties.line.prstDash == "dash"
    petition = openpyxl.load_workbook(year)["Petition"]
    assert petition["G1"].value == "Goal" and {petition.cell(row=r, column=7).value for r in range(2, 14)} == {100000}
    # Commitments by status: the three statuses, what a donor asks first.
    status = charts["BarChartcol"]
    assert chart_refs(status)[1] == ["'Summary'!$E$7:$E$9"]
    assert [summary.cell(row=r, column=4).value for r in range(7, 10)] == ["Announced", "In progress", "Fulfilled"]
    assert [summary.cell(row=r, column=5).value for r in range(7, 10)] == [7, 7, 1]
    # Frameworks: every one by its name, no "Other" bar to explain.
    bars = charts["BarChartbar"]
    ref = chart_refs(bars)[1][0]
    first, last = [int(x) for x in ref.replace("$", "").split("!")[1].replace("H", "").split(":")]
    names = [summary.cell(row=r, column=7).value for r in range(first, last + 1)]
    counts = [summary.cell(row=r, column=8).value for r in range(first, last + 1)]
    # The eight largest, each labelled, the title saying so; the table lists all 11.
    assert len(names) == 8 and not any(name.startswith("Other") for name in names)
    assert names[0] == "Open Government Partnership"  # OGP and OGP action plan, one name
    table = [summary.cell(row=r, column=7).value for r in range(first, first + 20)]
    table = table[:table.index(None)]
    assert len(table) == 11 and sum(summary.cell(row=r, column=8).value for r in range(first, first + 11)) == 15
    assert bars.title.tx.rich.p[0].r[0].t == "Commitments by framework: the 8 largest"
    sizes = [axis.txPr.p[0].pPr.defRPr.sz for axis in (bars.x_axis, bars.y_axis) if axis.txPr is not None]
    assert sizes and min(sizes) >= 800, sizes  # the framework names at 8 points at least


def test_one_month_charts_twelve_months_and_marks_the_period(month):
    book = openpyxl.load_workbook(month)
    line = next(c for c in book["Summary"]._charts if type(c).__name__ == "LineChart")
    categories, values = chart_refs(line)
    assert categories[0] == "'Petition'!$A$2:$A$13"  # twelve points
    assert values == ["'Petition'!$E$2:$E$13", "'Petition'!$G$2:$G$13", "'Petition'!$H$2:$H$13"]
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
        "New signatures", "Goal"]
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
        # Headers of one and two lines end on the line next to the data.
        # (bottom is the file format's default, so libxlsxwriter writes no attribute: None.)
        assert all(c.alignment.vertical == "center" for c in sheet[1] if c.value), sheet.title  # room above and below
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


def column(sheet, header):
    """The cells of the column headed `header` (header first)."""
    letter = next(c.column_letter for c in sheet[1] if c.value == header)
    return sheet[letter]


def records(book, name):
    """The sheet's rows as dictionaries by header, heading rows left out."""
    sheet = book[name]
    headers = [c.value for c in sheet[1]]
    result = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if sum(v is not None for v in row) > 1:
            result.append(dict(zip(headers, row)))
    return result


def test_countries_sheet(year):
    """Grouped as a reader looks for them: a heading row a region, the
    subregion once at the head of its countries, blanks where there is
    nothing to count, and no column that is empty throughout."""
    sheet = openpyxl.load_workbook(year)["Countries"]
    assert [c.value for c in sheet[1]] == [
        "Subregion", "Country", "Calls", "Call dates", "Commitments announced", "Commitments in progress",
        "VNR year", "Coalition's engagement"]  # no country has a fulfilled commitment by 2019's end
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    heading_rows = [r for r in range(2, sheet.max_row + 1)
                    if sheet.cell(row=r, column=1).font.b and sheet.cell(row=r, column=2).value is None]
    assert [sheet.cell(row=r, column=1).value for r in heading_rows] == ["Africa", "Americas", "Asia", "Europe"]
    by_country = {r[1]: r for r in values if r[1]}
    indonesia = by_country["Indonesia"]
    assert indonesia[2] == 3 and indonesia[6] == 2019 and "12\u00a0Mar\u00a02019" in indonesia[3]
    # A date never breaks over two lines: non-breaking spaces inside it, the list wraps between dates.
    assert all(" " not in date for date in indonesia[3].split(", ")), indonesia[3]
    assert "Cape Town" in indonesia[7]
    # The subregion once: Eastern Africa heads Kenya, Malawi, Rwanda and Tanzania.
    subregions = [r[0] for r in values if r[1]]
    assert subregions.count("Eastern Africa") == 1 and by_country["Malawi"][0] is None
    # Nothing to count is a blank, never 0.
    assert not any(v == 0 for r in values for v in r[2:6])
    assert by_country["Kenya"][4] is None and by_country["Sierra Leone"][4] == 1
    # Headers keep a step from the borders.
    assert all(c.alignment.indent >= 1 for c in sheet[1])


@pytest.mark.parametrize("which", ["year", "month"])
def test_on_paper_links_say_where_they_go_and_statuses_are_words(which, request):
    book = openpyxl.load_workbook(request.getfixturevalue(which))
    for sheet in book.worksheets[1:]:
        # No column is empty throughout (the Actions sheet's "From" was).
        for cells in sheet.iter_cols(min_row=1):
            if cells[0].value and len(cells) > 2:
                assert any(c.value is not None for c in cells[1:]), (sheet.title, cells[0].value)
        # A link prints the site it is on, whole: never "Read" or "More",
        # never an address cut short with "…".
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.hyperlink:
                    host = cell.hyperlink.target.split("/")[2].removeprefix("www.")
                    assert cell.value == host and "…" not in cell.value, (sheet.title, cell.value)
    statuses = {r["Status"] for r in records(book, "Commitments")}
    assert statuses <= {"Announced", "In progress", "Fulfilled"} and "In progress" in statuses
    actors = {r["Actor"] for r in records(book, "Commitments")}
    assert "Civil society" in actors
    assert {r["Status"] for r in records(book, "Calls")} <= {"Held", "Cancelled", "Scheduled"}
    assert "From" not in [c.value for c in book["Actions"][1]]


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
    prize = next(r for r in records(february, "Actions") if r["Action"] == "Apply for the Grassroots Justice Prize")
    assert prize["Until"] == datetime.datetime(2019, 3, 10) and prize.get("Deadline extended") is None
    prize = next(r for r in records(march, "Actions") if r["Action"] == "Apply for the Grassroots Justice Prize")
    assert prize["Until"] == datetime.datetime(2019, 3, 24) and prize["Deadline extended"] == "Yes"
    # The World Justice Forum (from 29 April) was first mentioned on 12 March.
    assert "World Justice Forum" not in [r.get("Event") for r in records(february, "Events")]
    assert "World Justice Forum" in [r.get("Event") for r in records(march, "Events")]
    # The Ottawa summit was known as "May 2019" until its dates were given on 11 June:
    # the March workbook has its month (a month cell), not the days.
    ottawa = next(r for r in records(march, "Events") if r.get("Event") == "OGP Global Summit")
    assert ottawa["Start"] == datetime.datetime(2019, 5, 1) and ottawa.get("End") is None
    cell = next(c for c in march["Events"]["A"] if c.value == datetime.datetime(2019, 5, 1))
    assert cell.number_format == "[$-809]mmm yyyy"
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
    countries = {str(cell.value) for cell in book[sheets[3]]["B"] if cell.value}
    assert ("Afrique du Sud" if language == "fr" else "Sudáfrica") in countries
    # The petition chart's month labels too (the chart's XML, which openpyxl does not read back).
    import zipfile
    with zipfile.ZipFile(tmp_path / "2019" / f"report.{language}.xlsx") as archive:
        charts = " ".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/"))
    assert f'formatCode="{month_code}mmm yy"' in charts
    # The workbook of the coalition's language keeps its name and English.
    assert not (tmp_path / "2019" / "report.xlsx").exists()


# ---- Issue 23: the workbook as it prints ----

def printed(workbook, tmp_path):
    """LibreOffice's PDF of `workbook`: its path and, page by page, the words
    with their boxes (x0, y0, x1, y1, text)."""
    import html
    import re
    pdf = subprocess.run([str(ROOT / "scripts" / "workbook-pdf"), str(workbook), str(tmp_path)],
                         capture_output=True, text=True, timeout=300, check=True).stdout.strip().splitlines()[-1]
    bbox = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in bbox.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return Path(pdf), pages


def running_head(words):
    """The page's running head: coalition, sheet, period."""
    return " ".join(w[4] for w in sorted(w for w in words if w[1] < min(v[1] for v in words) + 5))


def page_of(pages, sheet_name):
    """The words of the first page whose running head names `sheet_name`."""
    for words in pages:
        if f" {sheet_name} " in running_head(words):
            return words
    raise AssertionError(f"no page of {sheet_name}")


def header_words(words, first_header):
    """The words of a sheet's header row on its page: those above the first
    row of data (headers stand in the middle of their row: a header of two
    lines reaches below one of one line)."""
    top = min(w[1] for w in words) + 5
    last = first_header.split()[-1]
    anchor = min((w for w in words if w[1] > top and w[4] == last), key=lambda w: w[1])
    # The first data row: the next words under the first header's column.
    first_row = min(w[1] for w in words if w[1] > anchor[3] + 1 and w[0] < anchor[2] + 2)
    return {w[4] for w in words if top < w[1] and w[3] <= first_row}


def page_text(words):
    return " ".join(w[4] for w in sorted(words, key=lambda w: (round(w[1]), w[0])))


def gray_columns(pdf, page, band, dpi=50):
    """For each pixel column of `page` rendered at `dpi`, whether anything
    is drawn between the heights `band` (in PDF points): the charts' light
    grey frames (217) count."""
    raw = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True).stdout
    # A binary PGM: "P5\n<width> <height>\n255\n" then one byte a pixel.
    header, rest = raw.split(b"\n", 1)
    size, rest = rest.split(b"\n", 1)
    _, pixels = rest.split(b"\n", 1)
    width, height = (int(v) for v in size.split())
    top, bottom = (int(v * dpi / 72) for v in band)
    return [any(pixels[y * width + x] < 250 for y in range(top, min(bottom, height))) for x in range(width)]


def runs(flags):
    """(start, end) of each run of True."""
    result, start = [], None
    for index, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            result.append((start, index))
            start = None
    return result


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed")
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_printed_summary_keeps_every_label_whole_and_charts_apart(tmp_path, language):
    """The Summary printed: every key figure's label and every header whole,
    and the three charts side by side, evenly spaced, never touching."""
    arguments = [] if language == "en" else ["--language", language]
    result = subprocess.run([str(DIGEST), "report", "--period", "2019", "--out", str(tmp_path), *arguments],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "2019" / ("report.xlsx" if language == "en" else f"report.{language}.xlsx")
    book = openpyxl.load_workbook(path)
    pdf, pages = printed(path, tmp_path)
    summary = book.worksheets[0]
    first = page_text(pages[0])
    labels = [summary.cell(row=r, column=1).value for r in range(6, 16)]
    assert all(labels), labels
    for label in labels:
        assert " ".join(label.split()) in first, (label, first)
    # Every header of every sheet prints whole, on its page (VNR's "ISO
    # code" and "SDG 16" lost their second line in a one-line band).
    for sheet in book.worksheets[1:]:
        printed_words = header_words(page_of(pages, sheet.title), sheet["A1"].value)
        for cell in sheet[1]:
            if cell.value:
                assert set(cell.value.split()) <= printed_words, (sheet.title, cell.value, printed_words)
    # The charts: three drawn runs across the band below the table, of one
    # width, with gaps of one width between them.
    total = max(w[3] for w in pages[0] if w[4] in ("Total", "Empty", "Inscrits", "Celdas", "Registrados"))
    footer = max(w[1] for w in pages[0])
    charts = [r for r in runs(gray_columns(pdf, 1, (total + 12, footer - 12))) if r[1] - r[0] > 20]
    assert len(charts) == 3, charts
    widths = [end - start for start, end in charts]
    gaps = [charts[1][0] - charts[0][1], charts[2][0] - charts[1][1]]
    assert max(widths) - min(widths) <= 3, widths
    assert min(gaps) >= 8 and max(gaps) - min(gaps) <= 3, gaps
    # The petition chart's last month label is whole (it was under the next chart).
    last = {"en": "Nov 19", "fr": "nov. 19", "es": "nov 19"}[language]
    assert last in first, first


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed")
def test_printed_rows_are_as_tall_as_their_text(year, tmp_path):
    """Each row of the Calls and Commitments sheets is as tall as its
    widest cell's lines as LibreOffice lays them out, within a line, so the
    year's fifteen commitments print on one page."""
    import re
    import statistics
    book = openpyxl.load_workbook(year)
    _, pages = printed(year, tmp_path)
    assert sum(1 for words in pages if " Commitments " in running_head(words)) == 1
    date = re.compile(r"^\d{1,2}$")
    for name in ["Calls", "Commitments"]:
        words = page_of(pages, name)
        header = next(w for w in words if w[4] == "Date")
        left = header[0] - 2
        # A row starts with its date in the first column ("8 Oct 2019").
        starts = sorted({round(w[1], 1) for w in words if abs(w[0] - left) < 8 and date.match(w[4])})
        assert len(starts) == len([r for r in book[name].iter_rows(min_row=2)
                                   if isinstance(r[0].value, datetime.datetime)])
        body = [w for w in words if w[1] >= starts[0] - 1 and w[3] < max(w[1] for w in words) - 5]
        lines_in = []
        for top, bottom in zip(starts, starts[1:]):
            ys = sorted({round(w[1]) for w in body if top - 1 <= w[1] < bottom - 1})
            lines_in.append((top, bottom, ys))
        pitch = statistics.median(b - a for _, _, ys in lines_in for a, b in zip(ys, ys[1:]))
        for top, bottom, ys in lines_in:
            lines = len(ys)
            spare = (bottom - top) - lines * pitch
            assert spare <= 1.25 * pitch, (name, top, lines, bottom - top, pitch)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed")
def test_printed_tables_leave_room_under_their_headers_and_dates_whole(tmp_path):
    """Printed by LibreOffice: on every sheet the first row of figures
    starts well below the header's words (they touched), and no date of
    the Countries sheet is split over two lines."""
    result = subprocess.run([str(DIGEST), "report", "--period", "2019", "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "2019" / "report.xlsx"
    book = openpyxl.load_workbook(path)
    _, pages = printed(path, tmp_path)
    for sheet in book.worksheets[1:]:
        words = page_of(pages, sheet.title)
        first_header = sheet["A1"].value
        header = header_words(words, first_header)
        top = min(w[1] for w in words) + 5
        bottoms = [w[3] for w in words if w[4] in header and w[1] > top]
        anchor = min((w for w in words if w[1] > top and w[4] == first_header.split()[-1]), key=lambda w: w[1])
        first_row = min(w[1] for w in words if w[1] > anchor[3] + 1 and w[0] < anchor[2] + 2)
        # Points between the lowest header word and the first row's words.
        assert first_row - max(b for b in bottoms if b <= first_row) >= 4, (sheet.title, bottoms, first_row)
    countries = page_of(pages, book.worksheets[3].title)
    lines = {}
    for x0, y0, x1, y1, word in countries:
        lines.setdefault(round(y0), []).append((x0, word))
    for y, row in lines.items():
        texts = [w for _, w in sorted(row)]
        # A line of call dates never ends in the middle of one ("… 8 Oct" then "2019").
        for index, word in enumerate(texts[:-1]):
            if re.fullmatch(r"\d{1,2}", word) and texts[index + 1] in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                                                       "Aug", "Sep", "Oct", "Nov", "Dec"):
                assert index + 2 < len(texts) and re.fullmatch(r"20\d\d,?", texts[index + 2]), (y, texts)
