import CoalitionData
import Foundation

/// A moment as the clock shows it in one time zone.
public struct ZonedTime: Hashable, Sendable {
    /// The IANA zone, such as `Asia/Kathmandu`.
    public let zone: String
    /// The local date, which can be a day before or after the coalition's.
    public let date: LocalDate
    /// The local time.
    public let time: LocalTime
    /// Seconds east of UTC at that moment, daylight saving included.
    public let utcOffsetSeconds: Int

    /// `+05:45`, `-03:00`, `+00:00`.
    public var utcOffset: String {
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let minutes = abs(utcOffsetSeconds) / 60
        let hours = minutes / 60, rest = minutes % 60
        return sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }

    /// Works out the instant a wall-clock time in `zone` stands for.
    ///
    /// Uses the tz database that Foundation carries, so daylight saving rules
    /// of the date itself apply. A time that falls in a spring-forward gap
    /// moves forward by the gap, as clocks do.
    ///
    /// - Returns: nil when `zone` is not a known IANA zone.
    public static func instant(date: LocalDate, time: LocalTime, zone: String) -> Date? {
        guard let timeZone = TimeZone(identifier: zone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute)
        return calendar.date(from: components)
    }

    /// The wall-clock time of `instant` in `zone`; nil for an unknown zone.
    public init?(instant: Date, zone: String) {
        guard let timeZone = TimeZone(identifier: zone) else { return nil }
        // The zone's offset at that instant (daylight saving included), then
        // plain arithmetic on the shifted count of seconds: a Calendar per
        // zone and month was most of the cost of the call-times table.
        let offset = timeZone.secondsFromGMT(for: instant)
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let days = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        let second = local - days * 86_400
        guard let time = LocalTime(hour: second / 3_600, minute: second % 3_600 / 60) else { return nil }
        self.zone = zone
        self.date = LocalDate(daysSinceEpoch: days)
        self.time = time
        self.utcOffsetSeconds = offset
    }

    /// `2020-03-10T14:00:00Z` for an instant.
    public static func utcString(_ instant: Date) -> String {
        guard let utc = ZonedTime(instant: instant, zone: "UTC") else { return "" }
        return "\(utc.date)T\(utc.time):00Z"
    }
}
