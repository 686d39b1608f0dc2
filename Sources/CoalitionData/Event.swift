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
    /// The day the coalition first heard of it (the call it was first
    /// mentioned on); nil when it was known from the start.
    public var announced: LocalDate? = nil
    /// The day its exact dates were first given (`dates_announced`), when
    /// the coalition first knew only its month; nil when the dates came
    /// with the first mention.
    public var datesAnnounced: LocalDate? = nil
    /// True when only the month is known (``asKnown(by:)``): show "May
    /// 2019", not the dates.
    public var monthOnly = false
    /// The title in other languages, by tag (the `title_fr` column…).
    public var titles: [String: String] = [:]
    /// The location in other languages, by tag (`location_fr`…).
    public var locations: [String: String] = [:]
    /// The country the location ends with ("New York, United States",
    /// "Nepal"), when it names one: digests in another language name it in
    /// that language without a `location_<tag>`.
    public var placeCountry: Country? = nil
    /// What comes before the country ("New York"), when something does.
    public var placeBefore: String? = nil
    /// Whether ``location`` is staff's translation (`location_<tag>`),
    /// which stands as written.
    public var locationTranslated = false

    /// The last day of the event.
    public var lastDay: LocalDate { end ?? start }

    /// Whether the coalition knew of the event on `date`: a digest lists
    /// only what was known by its period's last day.
    public func isKnown(by date: LocalDate) -> Bool {
        announced.map { $0 <= date } ?? true
    }

    /// The event as known on `date`: its month only while its dates were
    /// not given yet.
    public func asKnown(by date: LocalDate) -> Event {
        var event = self
        event.monthOnly = datesAnnounced.map { $0 > date } ?? false
        return event
    }
}

extension Event {
    static let columns = (
        required: ["start", "title"], optional: ["end", "location", "url", "announced", "dates_announced"]
    )
    /// Columns translated beside the original: `title_fr`, `title_es`.
    static let translatable = ["title", "location"]

    static func parse(_ row: inout CSVRow, countries: CountryTable) -> Event? {
        let start = row.date("start", required: true)
        let end = row.date("end")
        let title = row.text("title", required: true)
        let announced = row.date("announced")
        if let start, let end, end < start {
            row.error("end", "end \(end) is before start \(start); swap them or correct one")
            return nil
        }
        guard let start, let title else { return nil }
        // An event reported only after it happened (announced after its
        // end) is fine: no digest lists it as coming up, and the donor
        // workbook of a period that includes both lists it.
        var event = Event(
            start: start, end: end, title: title, location: row.text("location"), url: row.url("url"),
            announced: announced)
        event.datesAnnounced = row.date("dates_announced")
        if let first = announced, let dates = event.datesAnnounced, dates < first {
            row.error(
                "dates_announced",
                "dates_announced \(dates) is before announced \(first); the dates cannot be given before the event is first mentioned"
            )
        }
        event.titles = row.translations("title")
        event.locations = row.translations("location")
        if let location = event.location {
            let parts = location.split(separator: ",", omittingEmptySubsequences: false)
            if let last = parts.last,
                case .found(let country) = countries.lookup(last.trimmingCharacters(in: .whitespaces))
            {
                event.placeCountry = country
                let before = parts.dropLast().joined(separator: ",").trimmingCharacters(in: .whitespaces)
                event.placeBefore = before.isEmpty ? nil : before
            }
        }
        return event
    }
}
