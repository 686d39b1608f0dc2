import CoalitionData
import DigestModel
import Foundation
import Wording

extension Project {
    /// The next call after `date` (default: today in the coalition's time
    /// zone), as `digest next-call` prints it.
    ///
    /// - Throws: ``ProjectError/outOfReach(period:_:)`` when `date` leaves no
    ///   call before the calendar's end; the catalogue's errors.
    public func nextCall(_ dataset: CoalitionDataset, after date: LocalDate?) throws(ProjectError) -> [String] {
        let words = try words()
        let schedule = dataset.coalition.schedule
        let start =
            date ?? ZonedTime(instant: Date(), zone: schedule.timezone)?.date ?? LocalDate(daysSinceEpoch: 0)
        if start.year + 3 > LocalDate.latestYear, CallCalendar(dataset: dataset).next(after: start).call == nil {
            throw .outOfReach(
                option: "--after", value: start.description,
                "it leaves no call before the end of the year \(LocalDate.latestYear), where the calendar ends; check the date"
            )
        }
        return Self.nextCallLines(dataset: dataset, after: start, words: words)
    }

    /// What `digest next-call` prints from `date` on: the calls cancelled
    /// on the way, then the next call in UTC and every `also_in` time zone
    /// (staff's own output, in English, with the catalogue's dates).
    public static func nextCallLines(dataset: CoalitionDataset, after date: LocalDate, words: Words) -> [String] {
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
