import CoalitionData
import DigestModel
import Foundation
import MarkdownTree
import XLSXWriter

/// The donor workbook for a period: a summary with KPIs, monthly figures,
/// formulas and charts, then a sheet for every kind of record behind them.
///
/// Same data, same bytes: the document's created date is the day after the
/// period (libxlsxwriter 1.1.4 gives zip entries a fixed 1980 timestamp).
public struct DonorReport {

    /// The workbook's bytes.
    public var data: Data
    /// Things the reader of the command should know (cut text), one a line.
    public var warnings: [String]

    /// Builds the report of `period`.
    ///
    /// - Throws: ``XLSXError`` when libxlsxwriter fails (a full disk).
    /// - Parameters:
    ///   - series: the dataset's petition series, when the caller has built it already.
    ///   - temporaryFolder: where the workbook is assembled: libxlsxwriter
    ///     writes a file (read back, then removed) and temporary files of its
    ///     own (named `tmp.…`, left behind if the process is killed), so both
    ///     go into a work folder of the project's temporary pattern
    ///     (``TemporaryFiles``) made inside this one, which the next run
    ///     removes should this one be killed. By default, the system's
    ///     temporary folder.
    ///   - paper: the paper every sheet is set up to print on.
    public static func build(
        dataset: CoalitionDataset, period: Period, series: PetitionSeries? = nil,
        temporaryFolder: String = NSTemporaryDirectory(), paper: Worksheet.Paper = .a4
    ) throws(XLSXError) -> DonorReport {
        let work = TemporaryFiles.path(in: temporaryFolder)
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        } catch {
            throw XLSXError(code: .library(-1), message: "the work folder could not be made", context: work)
        }
        defer { try? FileManager.default.removeItem(atPath: work) }
        let path = work + "/report.xlsx"
        let workbook = try Workbook(path: path, temporaryDirectory: work)
        let series = series ?? PetitionSeries(dataset.petition)
        let digest = Digest(dataset: dataset, period: period, series: series)
        let style = ReportStyle(workbook)
        let coalition = dataset.coalition
        let created =
            ZonedTime.instant(
                date: period.lastDay.adding(days: 1), time: LocalTime(hour: 0, minute: 0) ?? coalition.schedule.time,
                zone: "UTC") ?? Date(timeIntervalSince1970: 0)
        try workbook.setProperties(
            .init(
                title: "\(coalition.name) — donor report, \(period.label)", subject: "Donor report \(period)",
                author: coalition.organizer ?? coalition.name, company: coalition.organizer,
                keywords: "coalition, digest, donor report",
                comments: "Made by Coalition Digest from the coalition's data folder.", created: created))

        var warnings: [String] = []
        let page = ReportPage(coalition: coalition.name, period: period.label, paper: paper)
        let petition = PetitionTable(series: series, period: period)
        let summary = try workbook.addWorksheet(named: "Summary")
        let sheets = ReportSheets(workbook: workbook, style: style, dataset: dataset, digest: digest, page: page)
        warnings += try SummarySheet(
            sheet: summary, workbook: workbook, style: style, digest: digest, page: page, petition: petition
        ).write()
        warnings += try sheets.calls()
        warnings += try sheets.commitments()
        warnings += try sheets.countries()
        warnings += try sheets.reviews()
        warnings += try sheets.petition(petition)
        warnings += try sheets.events()
        warnings += try sheets.actions()
        try workbook.close()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw XLSXError.readBack(path)
        }
        return DonorReport(data: data, warnings: warnings)
    }
}

extension XLSXError {
    static func readBack(_ path: String) -> XLSXError {
        XLSXError(
            code: .library(-1), message: "the finished workbook could not be read back", context: path)
    }
}
