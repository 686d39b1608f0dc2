import ArgumentParser
import CoalitionData
import DigestApplication
import DigestModel
import Foundation
import Wording

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
        let words: Words
        do {
            words = try project.words()
        } catch {
            throw Failure.exit(error)
        }
        let schedule = dataset.coalition.schedule
        let start =
            after.flatMap { LocalDate(iso: $0) }
            ?? ZonedTime(instant: Date(), zone: schedule.timezone)?.date ?? LocalDate(daysSinceEpoch: 0)
        if start.year + 3 > LocalDate.latestYear, CallCalendar(dataset: dataset).next(after: start).call == nil {
            throw ValidationError(
                "--after \(start) leaves no call before the end of the year \(LocalDate.latestYear), where the calendar ends; check the date."
            )
        }
        for line in Self.lines(dataset: dataset, after: start, words: words) { Output.out(line) }
    }

    /// What the command prints, for a given starting date.
    static func lines(dataset: CoalitionDataset, after date: LocalDate, words: Words) -> [String] {
        let next = CallCalendar(dataset: dataset).next(after: date)
        var lines = next.skipped.map { "The call of \(words.longDate($0.date)) is cancelled." }
        let calendar = CallCalendar(dataset: dataset)
        guard let call = next.call, let start = call.start else {
            if let ended = calendar.ended(by: date) {
                lines.append(
                    "No next call: the schedule ended on \(words.longDate(ended)) (schedule.until in coalition.yaml), and no call file comes later."
                )
            } else {
                lines.append("No call is planned in the next three years.")
            }
            return lines
        }
        let schedule = dataset.coalition.schedule
        let title = call.title.map { "\($0): " } ?? ""
        lines.append("\(title)\(words.longDate(call.date)), \(call.time) \(schedule.timezone)")
        if call.call == nil {
            // A date from the rule is a forecast, not a call anyone has planned.
            lines.append(
                "(from the schedule rule, \(schedule.rule); no call file for that month yet, so the date may change)")
        }
        lines.append("UTC  \(ZonedTime.utcString(start))")
        let zones = [schedule.timezone] + schedule.alsoIn.filter { $0 != schedule.timezone }
        let width = zones.map(\.count).max() ?? 0
        for zone in zones {
            guard let local = ZonedTime(instant: start, zone: zone) else { continue }
            let padding = String(repeating: " ", count: width - zone.count)
            lines.append("\(zone)\(padding)  \(local.date)  \(local.time)  UTC\(local.utcOffset)")
        }
        return lines
    }
}
