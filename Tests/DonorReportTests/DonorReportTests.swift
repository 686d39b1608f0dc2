import CoalitionData
import DigestModel
import DigestTestSupport
import Foundation
import Testing
import XLSXWriter

@testable import DonorReport

let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("The donor workbook")
struct DonorReportTests {
    func sample() throws -> CoalitionDataset {
        try #require(DataFolder.load(path: repository.appendingPathComponent("data").path).dataset)
    }

    @Test(
        "a year, a quarter, a month and a range all build",
        arguments: ["2019", "2019-Q3", "2020-02", "2018-11..2019-02"])
    func periods(period: String) throws {
        let report = try DonorReport.build(dataset: try sample(), period: try Period(parsing: period), words: english)
        #expect(report.data.count > 10_000)
        #expect(report.data.prefix(2) == Data("PK".utf8))  // a zip file
        #expect(report.warnings.isEmpty)
    }

    @Test("same data, same bytes")
    func deterministic() throws {
        let period = try Period(parsing: "2019")
        let first = try DonorReport.build(dataset: try sample(), period: period, words: english).data
        let second = try DonorReport.build(dataset: try sample(), period: period, words: english).data
        #expect(first == second)
    }

    @Test("text over Excel's cell limit is cut, with a warning naming the cell")
    func longText() throws {
        var dataset = try sample()
        dataset.commitments[0].title = String(repeating: "justice ", count: 5_000)
        let report = try DonorReport.build(dataset: dataset, period: try Period(parsing: "2019"), words: english)
        #expect(
            report.warnings == [
                "sheet \"Commitments\" cell E2: the text was cut to Excel's limit of 32,767 characters"
            ])
    }

    @Test("column widths follow the content, within bounds")
    func widths() {
        var widths = ColumnWidths()
        widths.fit("short", column: 0)
        widths.fit(String(repeating: "x", count: 300), column: 1)
        widths.fit("正義正義", column: 2)
        #expect(widths.width(0) == 7.5)
        #expect(widths.width(1) == 60)
        #expect(widths.width(2) > widths.width(0))
        #expect(widths.width(9) == 10)
    }

    @Test("a page header shows data as text: & is doubled, line breaks become spaces")
    func pageHeader() {
        let page = ReportPage(coalition: "Law & Justice\nNetwork", period: "2019", paper: .letter, words: english)
        #expect(page.header == "&LLaw && Justice Network&C&\"-,Bold\"&A&R2019")
        #expect(page.footer == "&CPage &P of &N")
    }

    @Test("a period shorter than a year: the petition table holds the twelve months to its end")
    func petitionContext() throws {
        let series = PetitionSeries(try sample().petition)
        let june = PetitionTable(series: series, period: try Period(parsing: "2019-06"), words: english)
        #expect(june.months.count == 12)
        #expect(june.months.first == YearMonth(year: 2018, month: 7))
        #expect(june.months.last == YearMonth(year: 2019, month: 6))
        #expect(june.periodColumn == june.totalColumn + 2)
        let year = PetitionTable(series: series, period: try Period(parsing: "2019"), words: english)
        #expect(year.months.count == 12 && year.periodColumn == nil)
    }
}
