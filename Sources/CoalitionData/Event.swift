/// An event worth announcing: one row of `events.csv`.
public struct Event: Sendable {
    /// First day.
    public var start: LocalDate
    /// Last day; nil for a one-day event.
    public var end: LocalDate?
    /// The event's name.
    public var title: String
    /// Where it happens ("The Hague, Netherlands", "online").
    public var location: String?
    /// More information.
    public var url: String?
}

extension Event {
    static let columns = (required: ["start", "title"], optional: ["end", "location", "url"])

    static func parse(_ row: inout CSVRow) -> Event? {
        let start = row.date("start", required: true)
        let end = row.date("end")
        let title = row.text("title", required: true)
        if let start, let end, end < start {
            row.error("end", "end \(end) is before start \(start); swap them or correct one")
            return nil
        }
        guard let start, let title else { return nil }
        return Event(start: start, end: end, title: title, location: row.text("location"), url: row.url("url"))
    }
}
