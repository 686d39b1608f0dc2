import ArgumentParser
import DigestApplication
import DigestModel

/// `digest report`: the donor workbook of a month, quarter, year or range.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the donor workbook of a period to output/<period>/report.xlsx.",
        discussion: """
            A period is a month (2019-03), a quarter (2019-Q3), a year (2019) or a \
            range of months (2019-01..2019-06). Nothing is written while the data \
            has errors.
            Exit status: 0 written; 1 the data has errors (nothing written); 64 a wrong \
            command line, or a period more than two years from the record; 73 the workbook \
            cannot be written.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The period to report on.", valueName: "period"))
    var period: String

    @OptionGroup var options: CommonOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The paper every sheet is set up to print on: a4 or letter (US). Either way each sheet prints landscape, one page wide.",
            valueName: "size"))
    var paper: String = "a4"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The workbook's language (one of languages: in coalition.yaml): sheet names, headers, notes, dates. Default: the coalition's language; another is written as report.<tag>.xlsx.",
            valueName: "tag"))
    var language: String?

    private var paperSize: PaperSize? {
        switch paper.lowercased() {
        case "a4": return .a4
        case "letter", "us-letter", "us letter": return .letter
        default: return nil
        }
    }

    func validate() throws {
        if paperSize == nil {
            throw ValidationError("--paper \"\(paper)\" is not a paper size; write a4 or letter.")
        }
        do {
            _ = try Period(parsing: period)
        } catch {
            throw ValidationError("--period \(error.description).")
        }
    }

    func run() throws {
        let project = options.project
        let dataset = try Failure.load(project)
        project.removeStaleTemporaryFiles()
        let parsed: Period
        do {
            parsed = try Period(parsing: period)
        } catch {
            throw ValidationError(error.description)
        }
        let written: [String]
        do throws(ProjectError) {
            try project.checkReach(parsed, in: dataset)
            let coalition = dataset.coalition
            var tag = coalition.language
            if let language { tag = try Project.languages(.these([language]), for: coalition).first ?? tag }
            let report = try project.report(dataset, period: parsed, paper: paperSize ?? .a4, language: tag)
            report.warnings.forEach { Output.err("warning: \($0)") }
            let name = Project.fileName(Project.workbookName, language: tag, main: coalition.language)
            written = try project.write([(parsed.description, [name: report.data])])
        } catch {
            throw Failure.exit(error)
        }
        for path in written { Output.out("wrote \(path)") }
    }
}
