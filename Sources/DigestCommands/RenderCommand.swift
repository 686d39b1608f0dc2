import ArgumentParser
import CoalitionData
import DigestModel
import DigestRender
import Foundation

/// `digest render`: write the digest files of one month, or of all.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a month's digest into output/<YYYY-MM>/.",
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
            "Formats to write, comma-separated: \(DigestRenderer.Format.allCases.map(\.rawValue).joined(separator: ",")).",
            valueName: "list"))
    var format: String = DigestRenderer.Format.allCases.map(\.rawValue).joined(separator: ",")

    @OptionGroup var options: CommonOptions

    func validate() throws {
        if all && month != nil { throw ValidationError("Use either --month or --all, not both.") }
        if let month, YearMonth(iso: month) == nil {
            throw ValidationError("--month \"\(month)\" is not a month; write it as YYYY-MM, for example 2020-02.")
        }
        _ = try formats()
    }

    func formats() throws -> [DigestRenderer.Format] {
        var result: [DigestRenderer.Format] = []
        for name in format.split(separator: ",").map({ String($0).trimmingSpaces.lowercased() }) where !name.isEmpty {
            guard let format = DigestRenderer.Format(rawValue: name) else {
                throw ValidationError(
                    "--format \"\(name)\" is not known; use \(DigestRenderer.Format.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            if !result.contains(format) { result.append(format) }
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

        let months: [YearMonth]
        if all {
            let withData = dataset.monthsWithData
            guard let first = withData.first, let last = withData.last else {
                Output.err("error: the data has no dated records, so there is no month to render")
                throw ExitCode(ExitStatus.dataErrors)
            }
            months = (0...first.months(to: last)).map { first.adding(months: $0) }
        } else if let month, let parsed = YearMonth(iso: month) {
            months = [parsed]
        } else if let latest = Project.defaultMonth(dataset) {
            months = [latest]
        } else {
            Output.err(
                "error: there is no call in \(project.dataPath)/calls, so name a month: digest render --month YYYY-MM")
            throw ExitCode(ExitStatus.dataErrors)
        }

        let progress = all && Output.errIsTerminal
        var rendered: [(name: String, files: [String: Data])] = []
        do {
            for (index, month) in months.enumerated() {
                if progress { Output.errInline("Rendering \(month) (\(index + 1)/\(months.count))") }
                for item in try project.render(dataset, months: [month], formats: try formats()) {
                    rendered.append((item.month.description, item.files))
                }
            }
            if progress { Output.errInline("") }
            let written = try project.write(rendered)
            for path in written { Output.out("wrote \(path)") }
        } catch let error as ProjectError {
            if progress { Output.errInline("") }
            Output.err(error.description)
            if case .output = error { throw ExitCode(ExitStatus.outputFailed) }
            throw ExitCode(ExitStatus.dataErrors)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
