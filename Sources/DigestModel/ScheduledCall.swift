import CoalitionData
import Foundation

/// A call as the calendar knows it: from a call file, or from the schedule
/// rule when no file exists for that month.
public struct ScheduledCall: Sendable {
    /// The date in the coalition's time zone.
    public let date: LocalDate
    /// The start time in the coalition's time zone.
    public let time: LocalTime
    /// The start as an instant; nil only if the coalition's zone is unknown.
    public let start: Date?
    /// The call file, when there is one.
    public let call: Call?

    /// The day the calendar was asked about (``CallCalendar/next(after:)``):
    /// what is known of the call is what was known then.
    public var knownBy: LocalDate? = nil

    /// The title from the call file as known on ``knownBy``: a call's title
    /// is written after it, so it shows only when its agenda was announced
    /// by then (`agenda:` in the file); otherwise none.
    public var title: String? {
        guard let call else { return nil }
        guard let knownBy else { return call.title }
        guard let announced = call.agendaAnnounced, announced <= knownBy else { return nil }
        return call.title
    }
}

/// The coalition's calendar of calls: files first, the schedule rule for
/// months without a file.
public struct CallCalendar: Sendable {
    let schedule: Coalition.Schedule
    let calls: [Call]

    /// The calendar of a dataset.
    public init(dataset: CoalitionDataset) {
        self.schedule = dataset.coalition.schedule
        self.calls = dataset.calls
    }

    /// Creates a calendar from a schedule and call files.
    public init(schedule: Coalition.Schedule, calls: [Call]) {
        self.schedule = schedule
        self.calls = calls.sorted { $0.date < $1.date }
    }

    /// The first call after `date` that is not cancelled, and the cancelled
    /// calls passed over on the way.
    ///
    /// In a month that has call files, the files replace the rule (a call
    /// moved to the 19th is not also held on the 12th; a cancelled call means
    /// no call that month), once the move was announced (a call file's
    /// `date_announced`). Looks up to three years ahead, and not past the
    /// year 9999; nil after that.
    public func next(after date: LocalDate) -> (call: ScheduledCall?, skipped: [ScheduledCall]) {
        var skipped: [ScheduledCall] = []
        var month = date.yearMonth
        // The calendar ends with the year 9999, as dates in the data do.
        for _ in 0..<36 where month.year <= LocalDate.latestYear {
            // A call moved off the schedule's day is, until the move was
            // announced, still expected on the schedule's day.
            let files = calls.filter { month.contains($0.date) && ($0.dateAnnounced.map { $0 <= date } ?? true) }
            if files.isEmpty {
                if let ruleDate = schedule.rule.date(in: month), ruleDate > date,
                    schedule.until.map({ ruleDate <= $0 }) ?? true
                {
                    return (scheduled(ruleDate, call: nil), skipped)
                }
            } else {
                for call in files where call.date > date {
                    var entry = scheduled(call.date, call: call)
                    entry.knownBy = date
                    if call.status(reportingThrough: date) == .cancelled {
                        skipped.append(entry)
                    } else {
                        return (entry, skipped)
                    }
                }
            }
            month = month.next
        }
        return (nil, skipped)
    }

    /// The day the schedule ended, when it has ended by `date` (its
    /// `until` is before it) and no call file comes later.
    public func ended(by date: LocalDate) -> LocalDate? {
        guard let until = schedule.until, until <= date, !calls.contains(where: { $0.date > date }) else { return nil }
        return until
    }

    private func scheduled(_ date: LocalDate, call: Call?) -> ScheduledCall {
        let time = call?.time ?? schedule.time
        return ScheduledCall(
            date: date, time: time, start: ZonedTime.instant(date: date, time: time, zone: schedule.timezone),
            call: call)
    }
}
