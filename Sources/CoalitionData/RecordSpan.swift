/// The span of dates a coalition's record plausibly covers, to catch a
/// mistyped year (2109 for 2019) before it makes a digest of a far-off
/// month or a thousand month folders.
///
/// The record runs from its first call to its *last regular call*: the
/// last call in the run of calls that follow each other within two years.
/// A call further out than that is taken for a typing mistake (it is
/// warned about, and `render --all` leaves it out). Dates before 1945, or
/// more than two years after the last regular call, are warned about.
public struct RecordSpan: Sendable {
    /// The earliest plausible date: the coalition's records are of UN-era
    /// advocacy, and a date before this is a mistyped year.
    public static let earliest = LocalDate(year: 1945, month: 1, day: 1) ?? LocalDate(daysSinceEpoch: -9131)

    /// How far apart two calls may be and still count as one record.
    public static let gapYears = 2

    /// The last regular call, or nil when there is no call.
    public let lastRegularCall: LocalDate?

    /// Finds the span of `callDates` (any order).
    public init(callDates: [LocalDate]) {
        var last: LocalDate?
        for date in callDates.sorted() {
            if let current = last, date > Self.addingGap(to: current) { break }
            last = date
        }
        lastRegularCall = last
    }

    /// The latest plausible date, or nil when there is no call to judge by.
    public var latest: LocalDate? { lastRegularCall.map(Self.addingGap) }

    /// Why `date` looks mistyped, or nil when it is plausible.
    public func problem(_ date: LocalDate, field: String) -> String? {
        if date < Self.earliest {
            return "\(field) \(date) is before 1945; is the year right?"
        }
        if let latest, let last = lastRegularCall, date > latest {
            return
                "\(field) \(date) is more than \(Self.gapYears) years after the last call (\(last)); is the year right? (render --all leaves such months out)"
        }
        return nil
    }

    /// Why a year (such as a VNR's) looks mistyped, or nil.
    public func problem(year: Int, field: String) -> String? {
        if year < Self.earliest.year { return "\(field) \(year) is before 1945; is the year right?" }
        if let last = lastRegularCall, year > last.year + Self.gapYears {
            return
                "\(field) \(year) is more than \(Self.gapYears) years after the last call (\(last)); is the year right?"
        }
        return nil
    }

    private static func addingGap(to date: LocalDate) -> LocalDate {
        // 29 February plus two years lands on 1 March.
        LocalDate(year: date.year + gapYears, month: date.month, day: date.day)
            ?? LocalDate(year: date.year + gapYears, month: date.month, day: 28) ?? date
    }
}
