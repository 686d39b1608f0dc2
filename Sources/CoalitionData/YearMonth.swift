/// A calendar month, such as 2019-06: the unit every digest covers.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Year, such as 2019.
    public let year: Int
    /// Month, 1 to 12.
    public let month: Int

    /// Creates a month, or nil when `month` is not 1…12 or `year` not 1…9999.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    init(uncheckedYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// `YYYY-MM`.
    public var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + (month < 10 ? "-0" : "-") + String(month)
    }

    /// The first day of the month.
    public var firstDay: LocalDate { LocalDate(daysSinceEpoch: LocalDate.epochDays(year, month, 1)) }
    /// The last day of the month.
    public var lastDay: LocalDate {
        LocalDate(daysSinceEpoch: LocalDate.epochDays(year, month, LocalDate.daysIn(year: year, month: month)))
    }
    /// The number of days in the month.
    public var dayCount: Int { LocalDate.daysIn(year: year, month: month) }

    /// The month `count` months later (earlier when negative).
    public func adding(months count: Int) -> YearMonth {
        let index = year * 12 + (month - 1) + count
        return YearMonth(uncheckedYear: index / 12, month: index % 12 + 1)
    }

    /// The next month.
    public var next: YearMonth { adding(months: 1) }
    /// The previous month.
    public var previous: YearMonth { adding(months: -1) }

    /// Months from `self` to `other` (positive when `other` is later).
    public func months(to other: YearMonth) -> Int {
        (other.year * 12 + other.month) - (year * 12 + month)
    }

    /// Whether `date` falls in this month.
    public func contains(_ date: LocalDate) -> Bool { date.year == year && date.month == month }

    /// Earlier sorts first.
    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

extension LocalDate {
    /// Days from 1970-01-01 to a valid date (Howard Hinnant's days_from_civil).
    static func epochDays(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
