import ArgumentParser
import DigestApplication

/// `digest check`: load and check the data folder, print every problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the data folder and list every problem with file:line:column.",
        discussion: """
            Also renders every month's newsletter in memory and warns when one \
            grows past 90 KB once encoded for mail (Gmail clips near 102 KB), \
            and prints the DNS record to publish for each mail.dkim key.
            Exit status: 0 no errors (warnings may be listed); 1 the data, the member list \
            or a template has errors; 64 a wrong command line.
            """
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let result = await options.project.check()
        for line in DiagnosticPrinter.lines(result.log) { Output.out(line) }
        if let summary = result.memberSummary, !result.log.hasErrors { Output.out(summary) }
        if let summary = result.languageSummary, !result.log.hasErrors { Output.out(summary) }
        if !result.untranslated.isEmpty, !result.log.hasErrors {
            Output.out("Not yet translated (calls/YYYY-MM-DD.<language>.md, the title_<language> columns):")
            result.untranslated.forEach { Output.out("  " + $0) }
        }
        result.dkimRecords.forEach { Output.out($0) }
        if result.log.hasErrors { throw ExitCode(ExitStatus.dataErrors) }
    }
}
