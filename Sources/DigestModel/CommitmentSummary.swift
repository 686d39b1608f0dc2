import CoalitionData

/// A name and how many records carry it, for "by framework" tables.
public struct Tally: Sendable, Equatable, Codable {
    /// The code counted: the framework's name, the actor's or the status's
    /// word in the data (`government`, `in progress`), the scope's code
    /// (``Commitment/scopeCode``).
    public var name: String
    /// How many.
    public var count: Int

    /// A name and its count.
    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }

    /// Counts `names`, most frequent first, then by name.
    static func of(_ names: [String]) -> [Tally] {
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        return counts.map { Tally(name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }
}

/// Commitments in and up to a period.
public struct CommitmentSummary: Sendable {
    /// Commitments dated in the period, in date order (file order on the same day).
    public var new: [Commitment]
    /// Commitments dated up to the end of the period.
    public var total: Int
    /// Counts of all commitments up to the end of the period.
    public var byFramework: [Tally]
    /// Counts by actor, most first.
    public var byActor: [Tally]
    /// Counts by scope code (``Commitment/scopeCode``: the country's code,
    /// else the region, else `global`), most first.
    public var byCountry: [Tally]
    /// The data's (English) name of each country code counted, for the
    /// words of a language without a name of its own for it.
    public var byCountryCode: [String: String]
    /// Counts by status, most first.
    public var byStatus: [Tally]

    /// Summarises `commitments` for `period`.
    public init(_ commitments: [Commitment], period: Period) {
        let upToEnd = commitments.filter { $0.date <= period.lastDay }
        new = commitments.enumerated()
            .filter { period.contains($0.element.date) }
            .sorted { $0.element.date != $1.element.date ? $0.element.date < $1.element.date : $0.offset < $1.offset }
            .map(\.element)
        total = upToEnd.count
        byFramework = Tally.of(upToEnd.map(\.framework))
        byActor = Tally.of(upToEnd.map(\.actor.rawValue))
        byCountry = Tally.of(upToEnd.map(\.scopeCode))
        var names: [String: String] = [:]
        for commitment in upToEnd { if let country = commitment.country { names[country.alpha2] = country.name } }
        byCountryCode = names
        byStatus = Tally.of(upToEnd.map(\.status.rawValue))
    }
}
