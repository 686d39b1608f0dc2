/// A way for members to get involved: one row of `actions.csv`.
public struct Action: Sendable {
    /// What to do, in a few words.
    public var title: String
    /// More about it.
    public var details: String?
    /// Where to do it.
    public var url: String?
    /// First day it is open; nil for "already open".
    public var from: LocalDate?
    /// Last day it is open; nil for "open until removed".
    public var until: LocalDate?

    /// Whether the action is open on `date`.
    public func isOpen(on date: LocalDate) -> Bool {
        (from.map { $0 <= date } ?? true) && (until.map { date <= $0 } ?? true)
    }
}

extension Action {
    static let columns = (required: ["title"], optional: ["details", "url", "from", "until"])

    static func parse(_ row: inout CSVRow) -> Action? {
        let title = row.text("title", required: true)
        let from = row.date("from")
        let until = row.date("until")
        if let from, let until, until < from {
            row.error("until", "until \(until) is before from \(from); swap them or correct one")
            return nil
        }
        guard let title else { return nil }
        return Action(title: title, details: row.text("details"), url: row.url("url"), from: from, until: until)
    }
}
