/// The entries of one ``NewsletterSection``, read from its CSV file. A
/// month's digest lists the entries shared in it: by ``Item/announced``
/// when given, else by ``Item/date``.
public struct Listing: Sendable {
    /// One entry: a report, a toolkit, a recording, an article.
    public struct Item: Sendable, Equatable {
        /// The day it appeared (published, shared on a call).
        public var date: LocalDate
        /// What it is, in a few words.
        public var title: String
        /// A sentence or two more.
        public var details: String?
        /// Where to read, watch or download it.
        public var url: String?
        /// When the coalition shared it, when later than ``date`` (a report
        /// of last year, passed round on this month's call).
        public var announced: LocalDate?
        /// The title in other languages, by tag (`title_fr`).
        public var titles: [String: String] = [:]
        /// The details in other languages, by tag (`details_fr`).
        public var detailsByLanguage: [String: String] = [:]

        /// An entry.
        public init(
            date: LocalDate, title: String, details: String? = nil, url: String? = nil, announced: LocalDate? = nil
        ) {
            self.date = date
            self.title = title
            self.details = details
            self.url = url
            self.announced = announced
        }
    }

    /// The section.
    public var section: NewsletterSection
    /// Its entries, in file order.
    public var items: [Item]

    /// The day an entry is listed by: when it was shared.
    public static func shared(_ item: Item) -> LocalDate { item.announced ?? item.date }

    /// A listing.
    public init(section: NewsletterSection, items: [Item]) {
        self.section = section
        self.items = items
    }
}

extension Listing.Item {
    static let columns = (required: ["date", "title"], optional: ["details", "url", "announced"])
    /// Columns translated beside the original: `title_fr`, `details_es`…
    static let translatable = ["title", "details"]

    static func parse(_ row: inout CSVRow) -> Listing.Item? {
        let date = row.date("date", required: true)
        let title = row.text("title", required: true)
        let announced = row.date("announced")
        guard let date, let title else { return nil }
        var item = Listing.Item(
            date: date, title: title, details: row.text("details"), url: row.url("url"), announced: announced)
        item.titles = row.translations("title")
        item.detailsByLanguage = row.translations("details")
        return item
    }
}
