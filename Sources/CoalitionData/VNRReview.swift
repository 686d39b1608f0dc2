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

    /// True when the coalition engaged this review.
    public var isEngaged: Bool {
        guard let engagement else { return false }
        return !engagement.isEmpty && engagement.lowercased() != "none"
    }
}

extension VNRReview {
    static let columns = (required: ["year", "country"], optional: ["engagement", "lead", "sdg16", "notes"])
    /// Columns translated beside the original: `engagement_fr`, `engagement_es`.
    static let translatable = ["engagement"]

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
        return review
    }
}
