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
    assert book.sheetnames == ["Summary", "Calls", "Commitments", "VNR", "Petition", "Events", "Actions"]
    assert book.properties.title == "Justice For All — donor report, 2019"
    assert book.properties.created == datetime.datetime(2020, 1, 1)
    assert book.defined_names["Goal"].attr_text == "Summary!$B$13"


def test_summary_values_types_and_formulas(year):
    formulas = openpyxl.load_workbook(year)["Summary"]
    cached = openpyxl.load_workbook(year, data_only=True)["Summary"]
    assert formulas["A1"].value == "Justice For All — donor report"
    assert "A1:H1" in [str(r) for r in formulas.merged_cells.ranges]
    # Twelve months, as real dates, with numbers.
    months = [formulas.cell(row=r, column=1).value for r in range(18, 30)]
    assert months == [datetime.datetime(2019, m, 1) for m in range(1, 13)]
    assert formulas["A18"].number_format == "mmm yyyy"
    assert formulas["G29"].value == 2700 and isinstance(formulas["G29"].value, int)
    # Totals by formula, with their results cached for readers that do not recalculate.
    assert formulas["B30"].value == "=SUM(B18:B29)" and cached["B30"].value == 12
    assert formulas["D30"].value == "=SUM(D18:D29)" and cached["D30"].value == 393
    assert formulas["E30"].value == "=SUM(E18:E29)" and cached["E30"].value == 11
    assert formulas["F30"].value == "=SUM(F18:F29)" and cached["F30"].value == 1785
    assert formulas["G30"].value == "=G29" and cached["G30"].value == 2700
    # Key figures point at the table.
    assert formulas["B6"].value == "=B30" and cached["B6"].value == 12
    assert formulas["B11"].value == "=G30" and cached["B11"].value == 2700
    assert formulas["B14"].value == "=B11/B13" and cached["B14"].value == pytest.approx(0.027)
    assert formulas["B14"].number_format == "0.0%"
    assert cached["B10"].value == 11  # VNR countries engaged in 2019
    assert formulas.freeze_panes == "A4"


def test_charts(year):
    summary = openpyxl.load_workbook(year)["Summary"]
    kinds = sorted(type(chart).__name__ for chart in summary._charts)
    assert kinds == ["BarChart", "LineChart"]
    line = next(c for c in summary._charts if type(c).__name__ == "LineChart")
    refs = [s.val.numRef.f for s in line.series]
    assert refs == ["'Summary'!$G$18:$G$29", "'Summary'!$H$18:$H$29"]


def test_record_sheets(year):
    book = openpyxl.load_workbook(year)
    calls = book["Calls"]
    assert calls.freeze_panes == "A2"
    assert [c.value for c in calls[1]] == [
        "Date", "Title", "Status", "Recording", "Registered", "Attended", "Countries", "Note sections"]
    assert calls.max_row == 13  # twelve calls in 2019
    assert calls["A3"].value == datetime.datetime(2019, 2, 19)
    assert calls["D3"].hyperlink.target == "https://www.justiceforall2030.org/coalition-calls/recordings/2019-02"
    assert isinstance(calls["F3"].value, int)
    assert calls.auto_filter.ref == "A1:H13"
    assert calls.print_options is not None and calls.page_setup.orientation == "landscape"
    commitments = book["Commitments"]
    assert list(commitments.tables.keys()) == ["Commitments"]
    assert commitments.tables["Commitments"].ref == "A1:H17"
    vnr = book["VNR"]
    assert [c.value for c in vnr[2]][:4] == [2019, "Indonesia", "IDN", "Asia"]
    petition = book["Petition"]
    assert [c.value for c in petition[1]] == ["Month", "Source", "New signatures", "Running total"]
    last = [c.value for c in petition[petition.max_row]]
    assert last == [datetime.datetime(2019, 12, 1), "All sources", 60, 2700]
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
        f.write("2020-02-12,Kenya,government,OGP,Row_x000D_Break and _x0041_,announced,\n")
    path = report("2020-02", tmp_path / "out", data=data)
    csv_dir = tmp_path / "csv"
    # Every sheet to its own CSV (UTF-8, comma, quote): report-Commitments.csv among them.
    subprocess.run(["soffice", "--headless", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
                    "--outdir", str(csv_dir), str(path)], capture_output=True, timeout=300, check=True)
    sheet = (csv_dir / "report-Commitments.csv").read_bytes()
    assert b"Row_x000D_Break and _x0041_" in sheet
    assert b"Row\rBreak" not in sheet and b"and A" not in sheet
