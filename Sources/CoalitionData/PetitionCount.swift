/// How a petition source reports its signatures.
public enum PetitionKind: String, Sendable, CaseIterable, Codable {
    /// The running total as of the row's date.
    case total
    /// Signatures gained since the previous row of the same source.
    case new
}

/// A signature count: one row of `petition.csv`.
public struct PetitionCount: Sendable {
    /// The day the count was taken.
    public var date: LocalDate
    /// Where the signatures come from ("website", "paper forms"…).
    public var source: String
    /// Whether `count` is a running total or new signatures.
    public var kind: PetitionKind
    /// The number of signatures.
    public var count: Int
    /// ISO alpha-2 code of the country the count is for; nil for all.
    public var country: String?
    /// The line in `petition.csv`, for later diagnostics.
    public var line: Int
}

extension PetitionCount {
    static let columns = (required: ["date", "source", "kind", "count"], optional: ["country"])

    static func parse(_ row: inout CSVRow, countries: CountryTable) -> PetitionCount? {
        let date = row.date("date", required: true)
        let source = row.text("source", required: true)
        let kind = row.choice("kind", as: PetitionKind.self, required: true)
        let count = row.count("count", required: true)
        let country = row.country("country", in: countries)
        guard let date, let source, let kind, let count else { return nil }
        return PetitionCount(
            date: date, source: source, kind: kind, count: count, country: country?.alpha2, line: row.line)
    }
}
