import CoalitionData

/// The Voluntary National Reviews of the period's year(s).
public struct VNRSummary: Sendable {
    /// The years covered (one for a month or a quarter).
    public var years: [Int]
    /// The reviews of those years the coalition follows (the rows of
    /// `vnr.csv`), in file order.
    public var reviews: [VNRReview]
    /// How many countries the coalition follows.
    public var count: Int { reviews.count }
    /// How many countries present in those years by the UN's list
    /// (`vnr_presenting:`); nil unless every year has a figure.
    public var presenting: Int?
    /// How many the coalition engaged (engagement set and not `none`).
    public var engagedCount: Int { reviews.count(where: \.isEngaged) }
    /// Reviews by UN M49 region.
    public var byRegion: [Tally] { Tally.of(reviews.map(\.country.region)) }

    /// The reviews of the years `period` touches, and how many present in
    /// them when `presenting` gives every one of those years.
    public init(_ reviews: [VNRReview], period: Period, presenting: [PresentingCount] = []) {
        let years = Array(period.first.year...period.last.year)
        self.years = years
        // What was known by the period's end: a review first mentioned
        // later is not there yet, and an engagement shows the parts known.
        self.reviews = reviews.filter { years.contains($0.year) }.compactMap { $0.asKnown(by: period.lastDay) }
        // A count given at a later call is not known yet.
        let known = presenting.filter { $0.announced.map { $0 <= period.lastDay } ?? true }
        let counts = years.map { year in known.first { $0.year == year }?.count }
        self.presenting = counts.contains(nil) ? nil : counts.compactMap { $0 }.reduce(0, +)
    }
}
