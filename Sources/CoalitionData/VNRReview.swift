import Foundation

/// A country presenting a Voluntary National Review at the UN's High-Level
/// Political Forum in a year: one row of `vnr.csv`.
public struct VNRReview: Sendable {
    /// The HLPF year.
    public var year: Int
    /// The reviewing country.
    public var country: Country
    /// How the coalition engaged ("shadow report", "workshop"…); empty or
    /// `none` when it did not.
    public var engagement: String?
    /// The engagement in other languages, by tag (`engagement_fr`…).
    public var engagements: [String: String] = [:]
    /// The member organisation leading the engagement.
    public var lead: String?
    /// Whether the review covers SDG 16 (peace, justice and strong
    /// institutions); nil when not known.
    public var sdg16: Bool?
    /// Anything else worth saying.
    public var notes: String?
    /// The notes in other languages, by tag (`notes_fr`…).
    public var notesByLanguage: [String: String] = [:]
    /// When the coalition's engagement was first mentioned (`announced`):
    /// one date, or one for each part of the engagement (`2019-02-19;
    /// 2019-05-14` for "VNR workshop (Cape Town); input to government
    /// draft"). Empty: known from the start of the record.
    public var announced: [LocalDate] = []
    /// When the record first names the lead (`lead_announced`), when later
    /// than the engagement it leads; nil: with the engagement's last part.
    public var leadAnnounced: LocalDate? = nil
    /// When the notes were first given (`notes_announced`); nil: with the
    /// engagement's last part.
    public var notesAnnounced: LocalDate? = nil

    /// True when the coalition engaged this review.
    public var isEngaged: Bool {
        guard let engagement else { return false }
        return !engagement.isEmpty && engagement.lowercased() != "none"
    }
}

extension VNRReview {
    /// The review as known on `date`, or nil when nobody had mentioned it
    /// yet: only the parts of the engagement announced by then; the lead
    /// and the notes, which belong to the last part, only once it is known.
    public func asKnown(by date: LocalDate) -> VNRReview? {
        if let first = announced.first, first > date { return nil }
        var review = self
        let known = announced.filter { $0 <= date }.count
        if announced.count > 1 && known < announced.count {
            func cut(_ text: String?) -> String? {
                text.map { value in
                    value.split(separator: ";").prefix(known).map { $0.trimmingCharacters(in: .whitespaces) }
                        .joined(separator: "; ")
                }
            }
            review.engagement = cut(engagement)
            review.engagements = engagements.compactMapValues(cut)
        }
        // The lead and the notes come with the engagement's last part,
        // unless the row says when each was first given.
        let lastPart = announced.last
        if let day = leadAnnounced ?? lastPart, day > date { review.lead = nil }
        if let day = notesAnnounced ?? lastPart, day > date {
            review.notes = nil
            review.notesByLanguage = [:]
        }
        return review
    }

    static let columns = (
        required: ["year", "country"],
        optional: ["engagement", "lead", "sdg16", "notes", "announced", "lead_announced", "notes_announced"]
    )
    /// Columns translated beside the original: `engagement_fr`,
    /// `notes_es`…
    static let translatable = ["engagement", "notes"]

    static func parse(_ row: inout CSVRow, countries: CountryTable) -> VNRReview? {
        var year: Int?
        if let text = row.text("year", required: true) {
            if text.count == 4, let value = Int(text), (1990...2100).contains(value) {
                year = value
                if let problem = row.span?.problem(year: value, field: "year") { row.warning("year", problem) }
            } else {
                row.error("year", "year \"\(text)\" is not a year; write the HLPF year with four digits, such as 2019")
            }
        }
        var country: Country?
        if row.raw("country").isEmpty {
            row.error("country", "country is empty; every review belongs to a country")
        } else {
            country = row.country("country", in: countries)
        }
        let sdg16 = row.yesNo("sdg16")
        guard let year, let country else { return nil }
        var review = VNRReview(
            year: year, country: country, engagement: row.text("engagement"), lead: row.text("lead"), sdg16: sdg16,
            notes: row.text("notes"))
        review.engagements = row.translations("engagement")
        review.notesByLanguage = row.translations("notes")
        if let text = row.text("announced") {
            let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let dates = parts.compactMap { LocalDate(iso: $0) }
            let engagementParts = review.engagement?.split(separator: ";").count ?? 0
            if dates.count != parts.count {
                row.error(
                    "announced",
                    "announced \"\(text)\" is not a date (or dates separated by ;); write the first call that mentioned the engagement, as YYYY-MM-DD"
                )
            } else if dates.count > 1 && dates.count != engagementParts {
                row.error(
                    "announced",
                    "announced has \(dates.count) dates but the engagement has \(engagementParts) parts separated by ;; give one date, or one for each part in the same order"
                )
            } else if dates != dates.sorted() {
                row.error("announced", "announced dates must come in order, the earliest first")
            } else {
                review.announced = dates
            }
        }
        for (key, field) in [("lead_announced", "lead"), ("notes_announced", "notes")] {
            guard let text = row.text(key) else { continue }
            guard let date = LocalDate(iso: text) else {
                row.error(
                    key,
                    "\(key) \"\(text)\" is not a date; write the first call that gave the \(field), as YYYY-MM-DD")
                continue
            }
            if let first = review.announced.first, date < first {
                row.error(
                    key,
                    "\(key) \(date) is before the engagement was announced (\(first)); give the \(field) a date on or after it, or leave \(key) empty"
                )
                continue
            }
            if key == "lead_announced" { review.leadAnnounced = date } else { review.notesAnnounced = date }
        }
        return review
    }
}
