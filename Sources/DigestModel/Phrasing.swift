import CoalitionData

/// Dates and numbers as readers see them, in English, independent of the
/// machine's locale so output is the same everywhere.
public enum Phrasing {
    /// January … December.
    public static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    /// Monday … Sunday (ISO order).
    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// `March 2020`.
    public static func month(_ month: YearMonth) -> String {
        "\(monthNames[month.month - 1]) \(month.year)"
    }

    /// `Tuesday 10 March 2020`.
    public static func longDate(_ date: LocalDate) -> String {
        "\(weekdayNames[date.weekday - 1]) \(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// `10 March 2020`.
    public static func date(_ date: LocalDate) -> String {
        "\(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// `Tue 10 Mar`.
    public static func shortDate(_ date: LocalDate) -> String {
        "\(weekdayNames[date.weekday - 1].prefix(3)) \(date.day) \(monthNames[date.month - 1].prefix(3))"
    }

    /// `9–18 July 2018`, `29 April – 2 May 2019`, `10 March 2020`.
    public static func dateRange(_ start: LocalDate, _ end: LocalDate?) -> String {
        guard let end, end != start else { return date(start) }
        if start.year == end.year && start.month == end.month {
            return "\(start.day)–\(end.day) \(monthNames[end.month - 1]) \(end.year)"
        }
        if start.year == end.year {
            return "\(start.day) \(monthNames[start.month - 1]) – \(date(end))"
        }
        return "\(date(start)) – \(date(end))"
    }

    /// `1,234,567`.
    public static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// A number with one decimal, such as `2.4` (from tenths, to avoid
    /// floating-point rounding surprises).
    public static func tenths(_ tenths: Int) -> String {
        "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// `one call`, `3 calls`.
    public static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number(value)) \(value == 1 ? singular : plural ?? singular + "s")"
    }

    /// `A, B and C`.
    public static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }
}
