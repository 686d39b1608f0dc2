import CoalitionData
import DigestModel
import DigestRender
import DonorReport
import Foundation
import XLSXWriter

/// The folders a command works on, and the jobs every command shares:
/// load and check the data, render a month, write output safely.
///
/// Commands are thin shells over this type, so tests drive it directly.
public struct Project: Sendable {
    /// The data folder, as the user named it.
    public var dataPath: String
    /// The templates folder.
    public var templatesPath: String
    /// The output folder.
    public var outputPath: String

    /// Creates a project over the given folders.
    public init(dataPath: String = "data", templatesPath: String = "templates", outputPath: String = "output") {
        self.dataPath = dataPath
        self.templatesPath = templatesPath
        self.outputPath = outputPath
    }

    /// Loads and checks the data folder.
    public func load() -> DataFolder.Result {
        DataFolder.load(path: dataPath)
    }

    /// The month `digest render` renders when none is named: the latest month
    /// with a call file.
    public static func defaultMonth(_ dataset: CoalitionDataset) -> YearMonth? {
        dataset.calls.last?.date.yearMonth
    }

    /// Loads the templates folder once for the renders that follow.
    public func renderer() throws(ProjectError) -> DigestRenderer {
        do {
            return DigestRenderer(templates: try TemplateSet(folder: templatesPath))
        } catch {
            throw .template(error)
        }
    }

    /// Renders `months` in memory. Nothing is written.
    ///
    /// - Parameter progress: called before each month with its position.
    /// - Returns: for each month, its output files keyed by file name.
    public func render(
        _ dataset: CoalitionDataset, months: [YearMonth], formats: [DigestRenderer.Format], workbook: Bool = false,
        progress: (YearMonth, Int) -> Void = { _, _ in }, warn: (String) -> Void = { _ in }
    ) throws(ProjectError) -> [(month: YearMonth, files: [String: Data])] {
        var result: [(month: YearMonth, files: [String: Data])] = []
        try render(
            dataset, months: months, formats: formats, workbook: workbook, progress: progress, warn: warn
        ) { month, files throws(ProjectError) in result.append((month, files)) }
        return result
    }

    /// Renders `months` one after another, handing each month's files to
    /// `body` before the next is rendered (so `render --all` holds one month
    /// in memory, and writes each as soon as it is ready).
    public func render(
        _ dataset: CoalitionDataset, months: [YearMonth], formats: [DigestRenderer.Format], workbook: Bool = false,
        progress: (YearMonth, Int) -> Void = { _, _ in }, warn: (String) -> Void = { _ in },
        _ body: (YearMonth, [String: Data]) throws(ProjectError) -> Void
    ) throws(ProjectError) {
        let renderer = try renderer()
        let series = PetitionSeries(dataset.petition)
        for (index, month) in months.enumerated() {
            progress(month, index)
            let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
            var files: [String: Data]
            do {
                files = try renderer.render(digest, formats: formats)
            } catch {
                throw .render(error)
            }
            if workbook {
                files[Self.workbookName] =
                    try report(dataset, period: Period(month: month), series: series, warn: warn).data
            }
            try body(month, files)
        }
    }

    /// The donor workbook's file name.
    public static let workbookName = "report.xlsx"

    /// The donor workbook of `period`, in memory; `warn` hears about text
    /// cut to Excel's cell limit.
    public func report(
        _ dataset: CoalitionDataset, period: Period, series: PetitionSeries? = nil, paper: Worksheet.Paper = .a4,
        warn: (String) -> Void = { _ in }
    ) throws(ProjectError) -> DonorReport {
        // Assembled inside the output folder, under the project's temporary
        // name, so a killed run's leftovers are found and removed there.
        do {
            try FileManager.default.createDirectory(atPath: outputPath, withIntermediateDirectories: true)
        } catch {
            throw .output(path: outputPath, reason: OutputFolder.reason(of: error))
        }
        do {
            let report = try DonorReport.build(
                dataset: dataset, period: period, series: series,
                temporaryFolder: outputPath, paper: paper)
            report.warnings.forEach { warn("warning: \($0)") }
            return report
        } catch {
            throw .workbook(error.description)
        }
    }

    /// Warnings for months whose newsletter, once encoded for mail, passes
    /// ``DigestRenderer/htmlSizeWarning`` (Gmail clips near 102 KB). Each
    /// names the month's call file, whose notes are what usually grows.
    public func sizeWarnings(_ dataset: CoalitionDataset) throws(ProjectError) -> [Diagnostic] {
        let renderer = try renderer()
        var warnings: [Diagnostic] = []
        let series = PetitionSeries(dataset.petition)
        for month in dataset.reportableMonths.months {
            let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
            let html: String
            do {
                html = try renderer.html(ViewValue(reflecting: renderer.view(for: digest)))
            } catch {
                throw .render(error)
            }
            let size = DigestRenderer.encodedSize(html)
            guard size > DigestRenderer.htmlSizeWarning else { continue }
            let file = digest.call?.file ?? (templatesPath + "/digest.html.mustache")
            warnings.append(
                Diagnostic(
                    file: file, line: 1, column: 1, severity: .warning,
                    message:
                        "the \(Phrasing.month(month)) newsletter is \(size / 1024) KB once encoded for mail; Gmail clips messages near 102 KB, so shorten the notes (keep it under 90 KB)"
                ))
        }
        return warnings
    }

    /// Removes the temporary files and folders that runs killed before
    /// they could clean up left in the output folder (``TemporaryFiles``).
    ///
    /// - Returns: the paths removed.
    @discardableResult
    public func removeStaleTemporaryFiles() -> [String] {
        OutputFolder(root: outputPath).removeStaleTemporaryFiles()
    }

    /// Writes rendered files to `output/<name>/`: each folder's set changes
    /// as one (``OutputFolder``), and the other files in it stay.
    ///
    /// - Returns: the paths written, in order.
    @discardableResult
    ///
    /// - Parameter owned: the file names the render is responsible for; one
    ///   it did not make this time is removed from the folder.
    public func write(_ folders: [(name: String, files: [String: Data])], owned: [String] = []) throws(ProjectError)
        -> [String]
    {
        let output = OutputFolder(root: outputPath)
        var written: [String] = []
        for folder in folders {
            written += try output.replace(
                folder.name, files: folder.files, removing: Set(owned).subtracting(folder.files.keys))
        }
        return written
    }
}

/// Why a command could not produce its output.
public enum ProjectError: Error, Sendable, CustomStringConvertible {
    /// A template does not parse.
    case template(TemplateError)
    /// A template is missing.
    case render(RenderError)
    /// The output could not be written.
    case output(path: String, reason: String)
    /// The workbook could not be made.
    case workbook(String)

    /// The message as people read it.
    public var description: String {
        switch self {
        case .template(let error): return error.description
        case .render(let error): return "error: \(error.description)"
        case .output(let path, let reason): return "\(path): error: cannot write output: \(reason)"
        case .workbook(let reason): return "error: the workbook could not be made: \(reason)"
        }
    }
}
