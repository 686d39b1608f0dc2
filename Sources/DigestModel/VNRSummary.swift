import CoalitionData

/// The Voluntary National Reviews of the period's year(s).
public struct VNRSummary: Sendable {
    /// The years covered (one for a month or a quarter).
    public var years: [Int]
    /// The reviews of those years, in file order.
    public var reviews: [VNRReview]
    /// How many reviews.
    public var count: Int { reviews.count }
    /// How many the coalition engaged (engagement set and not `none`).
    public var engagedCount: Int { reviews.count(where: \.isEngaged) }
    /// Reviews by UN M49 region.
    public var byRegion: [Tally] { Tally.of(reviews.map(\.country.region)) }

    /// The reviews of the years `period` touches.
    public init(_ reviews: [VNRReview], period: Period) {
        let years = Array(period.first.year...period.last.year)
        self.years = years
        self.reviews = reviews.filter { years.contains($0.year) }
    }
}
