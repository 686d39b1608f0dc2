/// `vnr` in the view model.
public struct VNRView: Codable, Sendable, Equatable {
    /// The HLPF year (the last of several).
    public var year: Int
    /// The HLPF years covered.
    public var years: [Int]
    /// How many countries the coalition follows (rows of `vnr.csv`).
    public var count: Int
    /// How many countries present by the UN's list (`vnr_presenting:` in
    /// `coalition.yaml`), or null when it does not give every year.
    public var presentingCount: Int?
    /// Reviews the coalition engaged.
    public var engagedCount: Int
    /// True when at least one review is tracked for the year(s).
    public var hasReviews: Bool
    /// `47 countries present VNRs in 2019; the coalition follows 9 of them
    /// and engaged with 9.`, or without the UN's figure `The coalition
    /// follows 9 countries presenting VNRs in 2019 and engaged with 9.`
    public var summaryText: String
    /// Counts by UN M49 region, most first.
    public var byRegion: [TallyView]
    /// The reviews, in file order.
    public var reviews: [VNRReviewView]
    /// The reviews grouped by what the coalition did (the first part of
    /// each engagement, before a `;`), in the order groups first appear:
    /// "VNR workshop (Cape Town): Indonesia, Mongolia, … and Rwanda" once,
    /// not six rows saying the same.
    public var groups: [VNRGroupView] = []
    /// "Voluntary National Reviews 2019".
    public var headingText = ""
}

/// One country's review.
public struct VNRReviewView: Codable, Sendable, Equatable {
    /// The HLPF year.
    public var year: Int
    /// The country's name.
    public var country: String
    /// ISO 3166-1 alpha-2 code.
    public var code: String
    /// UN M49 region.
    public var region: String
    /// How the coalition engaged, or null.
    public var engagement: String?
    /// True when engagement is set and not `none`.
    public var engaged: Bool
    /// Who led the engagement, or null.
    public var lead: String?
    /// Whether the review covers SDG 16, or null when unknown.
    public var sdg16: Bool?
    /// Anything else, or null.
    public var notes: String?
    /// HTML: "Lead: …", or null.
    public var leadText: String?
    /// Plain text, in brackets: "lead: …", or null.
    public var leadNote: String?
    /// The engagement's language tag when it is not the digest's, else null.
    public var engagementLang: String? = nil
}

/// Countries whose reviews the coalition engaged in the same way.
public struct VNRGroupView: Codable, Sendable, Equatable {
    /// What the coalition did ("VNR workshop (Cape Town)"), or the words
    /// for no engagement recorded.
    public var engagement: String
    /// True when no engagement is recorded for these countries.
    public var isUnengaged: Bool
    /// The engagement's language tag when it is not the digest's, else null.
    public var engagementLang: String? = nil
    /// The countries' names as a list: "Mongolia, Pakistan and Rwanda".
    public var countriesText: String
    /// For a group of one country, what else there is to say, or null:
    /// "lead: @lorenzowakefield" (inside a sentence or brackets).
    public var note: String?
    /// The same on a line of its own: "Lead: @lorenzowakefield".
    public var noteLine: String? = nil
    /// For a group of several, one line a country that has more to say:
    /// "Indonesia: input to government draft (lead: @febionesta)".
    public var details: [String]
}
