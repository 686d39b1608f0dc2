import ArgumentParser
import CoalitionData
import DigestApplication
import DigestModel
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
            Exit status: 0 written (files whose bytes would not change are left alone); 1 \
            the data or a template has errors (nothing written); 64 a wrong command line, \
            or a month more than two years from the record without --force; 73 output \
            cannot be written.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The month to render.", valueName: "YYYY-MM"))
    var month: String?

    @Flag(name: .long, help: "Render every month from the first to the last month with data.")
    var all = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Formats to write, comma-separated: \(Self.formatNames.joined(separator: ",")). Default: all of them.",
            valueName: "list"))
    var format: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the digest in this language (one of languages: in coalition.yaml); repeat for more. Default: the coalition's language. Another language than the coalition's is written as digest.<tag>.html and so on.",
            valueName: "tag"))
    var language: [String] = []

    @Flag(name: .long, help: "Write the digest in each of the coalition's languages.")
    var allLanguages = false

    @Flag(
        name: .long,
        help:
            "Render a month more than two years from the record's first or last month (it says nothing the data knows)."
    )
    var force = false

    @Flag(name: .long, help: "List every file written (with --all, only a summary line is printed otherwise).")
    var verbose = false

    @OptionGroup var options: CommonOptions

    /// The languages asked for.
    var languageChoice: Project.LanguageChoice {
        allLanguages ? .all : language.isEmpty ? .main : .these(language)
    }

    func validate() throws {
        if all && month != nil { throw ValidationError("Use either --month or --all, not both.") }
        if allLanguages && !language.isEmpty {
            throw ValidationError("Use either --language or --all-languages, not both.")
        }
        if let month, YearMonth(iso: month) == nil {
            throw ValidationError("--month \"\(month)\" is not a month; write it as YYYY-MM, for example 2020-02.")
        }
        _ = try formats()
    }

    /// Every format `render` writes, in order: the digest's, then the workbook.
    static let formatNames = OutputFormat.allCases.map(\.rawValue) + ["xlsx"]

    /// The digest formats asked for with --format, or all when none was named.
    func formats() throws -> [OutputFormat] {
        try requested().compactMap { OutputFormat(rawValue: $0) }
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
        let dataset = try Failure.load(project)
        project.removeStaleTemporaryFiles()
        let choice: Project.MonthChoice
        if all {
            choice = .all
        } else if let month, let parsed = YearMonth(iso: month) {
            do {
                try project.checkReach(month: parsed, in: dataset, force: force)
            } catch {
                throw Failure.exit(error)
            }
            choice = .month(parsed)
        } else {
            choice = .latest
        }
        let showProgress = all && Output.errIsTerminal
        do {
            let months = try project.months(choice, in: dataset)
            months.warnings.forEach(Output.err)
            let asked = format == nil ? nil : (try formats(), try wantsWorkbook())
            let selection = try project.formats(asked: asked, for: dataset, languages: languageChoice)
            selection.warnings.forEach(Output.err)
            let count = months.months.count
            let result = try project.renderAndWrite(dataset, months: months.months, selection: selection) {
                month, index in
                if showProgress { Output.errInline("Rendering \(month) (\(index + 1)/\(count))") }
            }
            if showProgress { Output.errInline("") }
            result.warnings.forEach(Output.err)
            // One month: its files. Many: one line, each file with --verbose.
            if verbose || !all {
                for path in result.written { Output.out("wrote \(path)") }
            }
            if verbose { for path in result.unchanged { Output.out("unchanged \(path)") } }
            if all || !result.unchanged.isEmpty {
                let months = result.months == 1 ? "1 month" : "\(result.months) months"
                Output.err(
                    "\(months): \(result.written.count) written, \(result.unchanged.count) unchanged in \(project.outputPath)"
                )
            }
        } catch let error as ProjectError {
            if showProgress { Output.errInline("") }
            throw Failure.exit(error)
        }
    }
}
