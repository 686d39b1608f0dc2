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
    /// Last day it is open; nil for "open until removed". When the deadline
    /// was moved, the first one: see ``extended``.
    public var until: LocalDate?
    /// The day the coalition first announced it; nil when it was known from
    /// the start.
    public var announced: LocalDate? = nil
    /// A later deadline that replaced ``until``; nil when it never moved.
    public var extended: LocalDate? = nil
    /// The day the later deadline was announced; nil when it was known as
    /// soon as the action was.
    public var extendedAnnounced: LocalDate? = nil
    /// The day ``details`` were first given (`details_announced`), when
    /// the action was first mentioned without them; nil when they came with it.
    public var detailsAnnounced: LocalDate? = nil
    /// The title in other languages, by tag (the `title_fr` column…).
    public var titles: [String: String] = [:]
    /// The details in other languages, by tag (`details_fr`…).
    public var detailsByLanguage: [String: String] = [:]

    /// Whether the action is open on `date`, by the last deadline written.
    public func isOpen(on date: LocalDate) -> Bool {
        (from.map { $0 <= date } ?? true) && ((extended ?? until).map { date <= $0 } ?? true)
    }

    /// The action as the coalition knew it on `date`: nil before it was
    /// announced; with ``until`` set to the deadline known then and
    /// ``extended`` cleared, or kept only when the extension was known (so
    /// ``isExtended`` says whether to say "extended").
    ///
    /// Digests and the donor workbook take actions through this, so a
    /// month's issue never shows a deadline announced after it.
    public func asKnown(by date: LocalDate) -> Action? {
        if let announced, announced > date { return nil }
        var known = self
        if let extended {
            let when = extendedAnnounced ?? announced
            if when.map({ $0 <= date }) ?? true {
                known.until = extended
            } else {
                known.extended = nil
            }
        }
        known.extendedAnnounced = nil
        if let given = detailsAnnounced, given > date {
            known.details = nil
            known.detailsByLanguage = [:]
        }
        known.detailsAnnounced = nil
        return known
    }

    /// True when the deadline in ``until`` is an extension (after
    /// ``asKnown(by:)``, one known by then).
    public var isExtended: Bool { extended != nil }
}

extension Action {
    static let columns = (
        required: ["title"],
        optional: [
            "details", "url", "from", "until", "announced", "extended", "extended_announced", "details_announced",
        ]
    )
    /// Columns translated beside the original: `title_fr`, `details_es`…
    static let translatable = ["title", "details"]

    static func parse(_ row: inout CSVRow) -> Action? {
        let title = row.text("title", required: true)
        let from = row.date("from")
        let until = row.date("until")
        let announced = row.date("announced")
        let extended = row.date("extended")
        let extendedAnnounced = row.date("extended_announced")
        if let from, let until, until < from {
            row.error("until", "until \(until) is before from \(from); swap them or correct one")
            return nil
        }
        if extended != nil, until == nil {
            row.error(
                "extended",
                "extended is the new deadline after until, and until is empty; write the first deadline in until, or move this date to until"
            )
            return nil
        }
        if let until, let extended, extended <= until {
            row.error(
                "extended",
                "extended \(extended) is not after until \(until); extended is the later deadline that replaced until")
            return nil
        }
        if extendedAnnounced != nil, extended == nil {
            row.error(
                "extended_announced",
                "extended_announced is the day a new deadline was announced, and extended is empty; write the new deadline in extended, or empty this cell"
            )
            return nil
        }
        if let announced, let extendedAnnounced, extendedAnnounced < announced {
            row.error(
                "extended_announced",
                "extended_announced \(extendedAnnounced) is before the action was announced (\(announced)); correct one of them"
            )
            return nil
        }
        guard let title else { return nil }
        var action = Action(
            title: title, details: row.text("details"), url: row.url("url"), from: from, until: until,
            announced: announced, extended: extended, extendedAnnounced: extendedAnnounced)
        action.titles = row.translations("title")
        action.detailsByLanguage = row.translations("details")
        action.detailsAnnounced = row.date("details_announced")
        if let announced, let last = extended ?? until, announced > last {
            row.warning(
                "announced",
                "announced \(announced) is after the action closed (\(last)), so no digest will list it; write the day it was first announced, or leave announced empty"
            )
        }
        return action
    }
}
