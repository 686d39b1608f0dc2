import CoalitionData
import DigestModel
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
        let report = try DonorReport.build(dataset: try sample(), period: try Period(parsing: period))
        #expect(report.data.count > 10_000)
        #expect(report.data.prefix(2) == Data("PK".utf8))  // a zip file
        #expect(report.warnings.isEmpty)
    }

    @Test("same data, same bytes")
    func deterministic() throws {
        let period = try Period(parsing: "2019")
        let first = try DonorReport.build(dataset: try sample(), period: period).data
        let second = try DonorReport.build(dataset: try sample(), period: period).data
        #expect(first == second)
    }

    @Test("text over Excel's cell limit is cut, with a warning naming the cell")
    func longText() throws {
        var dataset = try sample()
        dataset.commitments[0].title = String(repeating: "justice ", count: 5_000)
        let report = try DonorReport.build(dataset: dataset, period: try Period(parsing: "2019"))
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
}
