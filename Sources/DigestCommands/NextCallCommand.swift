import ArgumentParser
import CoalitionData
import DigestApplication
import Foundation

/// `digest next-call`: when is the next call, in every zone.
struct NextCallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next-call",
        abstract: "Show the next call that is not cancelled, in UTC and in every also_in time zone.",
        discussion: """
            A date from the schedule rule (no call file for that month yet) is said \
            to be one; after schedule.until no call is invented.
            Exit status: 0 shown (also when there is no next call); 1 the data has \
            errors; 64 a wrong command line.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Show the first call after this date (default: today in the coalition's time zone).",
            valueName: "YYYY-MM-DD"))
    var after: String?

    @OptionGroup var options: CommonOptions

    func validate() throws {
        if let after, LocalDate(iso: after) == nil {
            throw ValidationError("--after \"\(after)\" is not a date; write it as YYYY-MM-DD, for example 2020-03-01.")
        }
    }

    func run() throws {
        let project = options.project
        let dataset = try Failure.load(project)
        do {
            for line in try project.nextCall(dataset, after: after.flatMap { LocalDate(iso: $0) }) { Output.out(line) }
        } catch {
            throw Failure.exit(error)
        }
    }
}
