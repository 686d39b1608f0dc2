import Foundation

/// When calls happen by default: the Nth (or last) weekday of each month.
///
/// Written as staff say it: `2nd Tuesday`, `last Thursday`, `first Monday`.
public struct ScheduleRule: Hashable, Sendable, CustomStringConvertible {
    /// Which occurrence of the weekday: 1…5, or -1 for the last.
    public let ordinal: Int
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public let weekday: Int

    /// The weekdays' English names, Monday first: the rule's words, and the
    /// keys of a catalogue's weekday-specific ordinals (`schedule.ordinal.1.sunday`).
    public static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let ordinalWords: [String: Int] = [
        "1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4,
        "5th": 5, "fifth": 5, "last": -1,
    ]

    /// Creates a rule; nil for an ordinal outside 1…5 or -1, or a weekday outside 1…7.
    public init?(ordinal: Int, weekday: Int) {
        guard (1...5).contains(ordinal) || ordinal == -1, (1...7).contains(weekday) else { return nil }
        self.ordinal = ordinal
        self.weekday = weekday
    }

    /// Parses `2nd Tuesday`, `last Thursday`, `first monday` and the like.
    public init?(text: String) {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count == 2, let ordinal = Self.ordinalWords[words[0]] else { return nil }
        let day = words[1].hasSuffix("s") ? String(words[1].dropLast()) : words[1]
        guard let index = Self.weekdayNames.firstIndex(of: day) else { return nil }
        self.init(ordinal: ordinal, weekday: index + 1)
    }

    /// The day this rule gives in `month`; nil when the month has no such day
    /// (a `5th Tuesday` in a month with four).
    public func date(in month: YearMonth) -> LocalDate? {
        if ordinal == -1 {
            let last = month.lastDay
            let back = (last.weekday - weekday + 7) % 7
            return last.adding(days: -back)
        }
        let first = month.firstDay
        let forward = (weekday - first.weekday + 7) % 7
        let date = first.adding(days: forward + 7 * (ordinal - 1))
        return month.contains(date) ? date : nil
    }

    /// As staff write it, such as `2nd Tuesday`.
    public var description: String {
        let ordinalText = ordinal == -1 ? "last" : ["1st", "2nd", "3rd", "4th", "5th"][ordinal - 1]
        return ordinalText + " " + Self.weekdayNames[weekday - 1].capitalized
    }
}
