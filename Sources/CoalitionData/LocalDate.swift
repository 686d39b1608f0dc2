/// A calendar date with no time of day and no time zone, as staff write it
/// (`2019-06-11`).
///
/// Dates in the data are calendar dates in the coalition's own time zone; only
/// call start times ever become instants.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Year, month and day in one 32-bit value (`year << 9 | month << 5 | day`),
    /// which orders like the date: a million petition rows stay small.
    private let packed: Int32

    /// Year, such as 2019.
    public var year: Int { Int(packed >> 9) }
    /// Month, 1 to 12.
    public var month: Int { Int((packed >> 5) & 0xF) }
    /// Day of the month, 1 to 31.
    public var day: Int { Int(packed & 0x1F) }

    /// The last year a date can have.
    public static let latestYear = 9999

    /// Creates a date, or nil when it does not exist (`2019-02-29`).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...LocalDate.latestYear).contains(year), (1...12).contains(month),
            (1...LocalDate.daysIn(year: year, month: month)).contains(day)
        else { return nil }
        self.packed = Int32(year << 9 | month << 5 | day)
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.packed = Int32(year << 9 | month << 5 | day)
    }

    /// Parses exactly `YYYY-MM-DD`; nil for anything else.
    public init?(iso text: some StringProtocol) {
        var fields = (0, 0, 0)
        var position = 0
        for byte in text.utf8 {
            switch position {
            case 4, 7:
                guard byte == UInt8(ascii: "-") else { return nil }
            case 0..<10:
                guard byte >= 48 && byte <= 57 else { return nil }
                let digit = Int(byte - 48)
                if position < 4 {
                    fields.0 = fields.0 * 10 + digit
                } else if position < 7 {
                    fields.1 = fields.1 * 10 + digit
                } else {
                    fields.2 = fields.2 * 10 + digit
                }
            default:
                return nil
            }
            position += 1
        }
        guard position == 10 else { return nil }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let y = String(year), m = String(month), d = String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count < 2 ? "0" : "") + m + "-"
            + (d.count < 2 ? "0" : "") + d
    }

    /// The month this date falls in.
    public var yearMonth: YearMonth { YearMonth(uncheckedYear: year, month: month) }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    public var daysSinceEpoch: Int { Self.epochDays(year, month, day) }

    /// The date `days` days from this one.
    public func adding(days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Creates the date `days` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    public var weekday: Int {
        let days = daysSinceEpoch  // 1970-01-01 was a Thursday (4).
        return ((days % 7) + 7 + 3) % 7 + 1
    }

    /// Whether `year` is a leap year in the Gregorian calendar.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Earlier sorts first.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        lhs.packed < rhs.packed
    }
}
