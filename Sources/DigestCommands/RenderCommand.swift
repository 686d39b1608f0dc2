import ArgumentParser
import CoalitionData
import DigestModel
import DigestRender
import Foundation

/// `digest render`: write the digest files of one month, or of all.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a month's digest and donor workbook into output/<YYYY-MM>/.",
        discussion: """
            Without --month, renders the latest month that has a call in the data. \
            Any month renders, with or without a call. Nothing is written while the \
            data has errors, and files already in output/ stay as they were.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The month to render.", valueName: "YYYY-MM"))
    var month: String?

    @Flag(name: .long, help: "Render every month from the first to the last month with data.")
    var all = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Formats to write, comma-separated: \(Self.formatNames.joined(separator: ",")).",
            valueName: "list"))
    var format: String?

    @OptionGroup var options: CommonOptions

    func validate() throws {
        if all && month != nil { throw ValidationError("Use either --month or --all, not both.") }
        if let month, YearMonth(iso: month) == nil {
            throw ValidationError("--month \"\(month)\" is not a month; write it as YYYY-MM, for example 2020-02.")
        }
        _ = try formats()
    }

    /// Every format `render` writes, in order: the digest's, then the workbook.
    static let formatNames = DigestRenderer.Format.allCases.map(\.rawValue) + ["xlsx"]

    /// The digest formats asked for with --format, or all when none was named.
    func formats() throws -> [DigestRenderer.Format] {
        try requested().compactMap { DigestRenderer.Format(rawValue: $0) }
    }

    /// Whether the donor workbook is asked for (it is by default).
    func wantsWorkbook() throws -> Bool {
        try requested().contains("xlsx")
    }

    private func requested() throws -> [String] {
        guard let format else { return Self.formatNames }
        var result: [String] = []
        for name in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
        where !name.isEmpty {
            guard Self.formatNames.contains(name) else {
                throw ValidationError(
                    "--format \"\(name)\" is not known; use \(Self.formatNames.joined(separator: ", ")).")
            }
            if !result.contains(name) { result.append(name) }
        }
        if result.isEmpty { throw ValidationError("--format lists no format.") }
        return result
    }

    func run() throws {
        let project = options.project
        let loaded = project.load()
        if !loaded.log.all.isEmpty {
            for line in DiagnosticPrinter.lines(loaded.log) { Output.err(line) }
        }
        guard let dataset = loaded.dataset else { throw ExitCode(ExitStatus.dataErrors) }
        project.removeStaleTemporaryFiles()

        let months: [YearMonth]
        if all {
            let reportable = dataset.reportableMonths
            months = reportable.months
            if !reportable.skipped.isEmpty {
                let list = reportable.skipped.prefix(12).map(\.description).joined(separator: ", ")
                let more = reportable.skipped.count > 12 ? " and \(reportable.skipped.count - 12) more" : ""
                Output.err(
                    "warning: --all leaves out \(reportable.skipped.count) month\(reportable.skipped.count == 1 ? "" : "s") with data more than a year after the last regular call: \(list)\(more); check their dates, or render one with --month"
                )
            }
            guard !months.isEmpty else {
                Output.err("error: the data has no dated records, so there is no month to render")
                throw ExitCode(ExitStatus.dataErrors)
            }
        } else if let month, let parsed = YearMonth(iso: month) {
            months = [parsed]
        } else if let latest = Project.defaultMonth(dataset) {
            months = [latest]
        } else {
            Output.err(
                "error: there is no call in \(project.dataPath)/calls, so name a month: digest render --month YYYY-MM")
            throw ExitCode(ExitStatus.dataErrors)
        }

        var formats = try formats()
        if dataset.coalition.mail == nil, formats.contains(.eml) {
            if format == nil {
                formats.removeAll { $0 == .eml }
                Output.err("warning: coalition.yaml has no mail section, so digest.eml is not written")
            } else {
                Output.err(
                    "error: coalition.yaml has no mail section (from, to, unsubscribe), so digest.eml cannot be written"
                )
                throw ExitCode(ExitStatus.dataErrors)
            }
        }

        let showProgress = all && Output.errIsTerminal
        let count = months.count
        let report: (YearMonth, Int) -> Void = { month, index in
            if showProgress { Output.errInline("Rendering \(month) (\(index + 1)/\(count))") }
        }
        let workbook = try wantsWorkbook()
        var written: [String] = []
        do {
            try project.render(
                dataset, months: months, formats: formats, workbook: workbook, progress: report,
                warn: { Output.err($0) }
            ) { month, files throws(ProjectError) in
                written += try project.write(
                    [(month.description, files)],
                    owned: formats.map(\.fileName) + (workbook ? [Project.workbookName] : []))
            }
        } catch {
            if showProgress { Output.errInline("") }
            Output.err(error.description)
            if case .output = error { throw ExitCode(ExitStatus.outputFailed) }
            throw ExitCode(ExitStatus.dataErrors)
        }
        if showProgress { Output.errInline("") }
        for path in written { Output.out("wrote \(path)") }
    }
}
