import ArgumentParser
import CoalitionData
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
            """
    )

    @Option(name: .long, help: ArgumentHelp("The period to report on.", valueName: "period"))
    var period: String

    @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "folder"))
    var data: String = "data"

    @Option(name: .long, help: ArgumentHelp("Where output folders are written.", valueName: "folder"))
    var out: String = "output"

    func validate() throws {
        do {
            _ = try Period(parsing: period)
        } catch {
            throw ValidationError("--period \(error.description).")
        }
    }

    func run() throws {
        let project = Project(dataPath: data, outputPath: out)
        let loaded = project.load()
        if !loaded.log.all.isEmpty {
            for line in DiagnosticPrinter.lines(loaded.log) { Output.err(line) }
        }
        guard let dataset = loaded.dataset else { throw ExitCode(ExitStatus.dataErrors) }
        project.removeStaleTemporaryFiles()
        let parsed: Period
        do {
            parsed = try Period(parsing: period)
        } catch {
            throw ValidationError(error.description)
        }
        let written: [String]
        do {
            let report = try project.report(dataset, period: parsed, warn: { Output.err($0) })
            written = try project.write([(parsed.description, [Project.workbookName: report.data])])
        } catch {
            Output.err(error.description)
            if case .output = error { throw ExitCode(ExitStatus.outputFailed) }
            throw ExitCode(ExitStatus.dataErrors)
        }
        for path in written { Output.out("wrote \(path)") }
    }
}
