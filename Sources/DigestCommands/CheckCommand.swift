import ArgumentParser
import CoalitionData

/// `digest check`: load and check the data folder, print every problem.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the data folder and list every problem with file:line:column."
    )

    @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "folder"))
    var data: String = "data"

    func run() throws {
        let result = DataFolder.load(path: data)
        for line in DiagnosticPrinter.lines(result.log) { Output.out(line) }
        if result.log.hasErrors { throw ExitCode(ExitStatus.dataErrors) }
    }
}
