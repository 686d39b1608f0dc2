import CoalitionData
import DigestModel
import Foundation
import MarkdownTree
import WholeFiles
import Wording
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
    /// - Throws: ``DonorReportError``: the work folder cannot be made, or
    ///   libxlsxwriter fails (a full disk).
    /// - Parameters:
    ///   - series: the dataset's petition series, when the caller has built it already.
    ///   - temporaryFolder: where the workbook is assembled: libxlsxwriter
    ///     writes a file (read back, then removed) and temporary files of its
    ///     own (named `tmp.…`, left behind if the process is killed), so both
    ///     go into a work folder of the project's temporary pattern
    ///     (`TemporaryName`) made inside this one, which the next run
    ///     removes should this one be killed. By default, the system's
    ///     temporary folder.
    ///   - paper: the paper every sheet is set up to print on.
    public static func build(
        dataset: CoalitionDataset, period: Period, series: PetitionSeries? = nil,
        temporaryFolder: String = NSTemporaryDirectory(), paper: Worksheet.Paper = .a4, words: Words
    ) throws(DonorReportError) -> DonorReport {
        let work = TemporaryName.path(in: temporaryFolder)
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        } catch {
            throw .workFolder(path: work, cause: error)
        }
        defer {
            // A work folder that cannot be removed is removed by the next
            // run (its process is gone by then); the report is unaffected.
            try? FileManager.default.removeItem(atPath: work)
        }
        do {
            return try assemble(
                dataset: dataset, period: period, series: series, path: work + "/report.xlsx", work: work, paper: paper,
                words: words)
        } catch {
            throw .workbook(error)
        }
    }

    private static func assemble(
        dataset: CoalitionDataset, period: Period, series: PetitionSeries?, path: String, work: String,
        paper: Worksheet.Paper, words: Words
    ) throws(XLSXError) -> DonorReport {
        let workbook = try Workbook(path: path, temporaryDirectory: work)
        let series = series ?? PetitionSeries(dataset.petition)
        // In the workbook's language: framework names, VNR engagements and
        // notes where staff translated them.
        let digest = Digest(dataset: dataset, period: period, series: series).localized(to: words.language)
        let style = ReportStyle(workbook, words: words)
        let coalition = dataset.coalition
        let created =
            ZonedTime.instant(
                date: period.lastDay.adding(days: 1), time: LocalTime(hour: 0, minute: 0) ?? coalition.schedule.time,
                zone: "UTC") ?? Date(timeIntervalSince1970: 0)
        try workbook.setProperties(
            .init(
                title: words.text(
                    "workbook.properties.title", ["coalition": coalition.name, "period": period.label(in: words)]),
                subject: words.text("workbook.properties.subject", ["period": period.description]),
                author: coalition.organizer ?? coalition.name, company: coalition.organizer,
                keywords: words.text("workbook.properties.keywords"),
                comments: words.text("workbook.properties.comments"), created: created))

        var warnings: [String] = []
        let page = ReportPage(coalition: coalition.name, period: period.label(in: words), paper: paper, words: words)
        let petition = PetitionTable(
            series: series, period: period, words: words, goal: coalition.petition?.goal,
            sourceNames: coalition.petition?.sourceNames ?? [:])
        let summary = try workbook.addWorksheet(named: words.text("workbook.sheet.summary"))
        let sheets = ReportSheets(
            workbook: workbook, style: style, dataset: dataset, digest: digest, page: page, words: words)
        warnings += try SummarySheet(
            sheet: summary, workbook: workbook, style: style, digest: digest, page: page, petition: petition,
            words: words
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

/// Why a donor workbook could not be made, with the cause.
public enum DonorReportError: Error, Sendable, CustomStringConvertible {
    /// The folder libxlsxwriter assembles the workbook in could not be made.
    case workFolder(path: String, cause: any Error)
    /// libxlsxwriter failed.
    case workbook(XLSXError)

    /// The message as people read it.
    public var description: String {
        switch self {
        case .workFolder(let path, let cause): return "the work folder \(path) could not be made: \(cause)"
        case .workbook(let error): return error.description
        }
    }
}
