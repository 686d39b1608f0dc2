/// `commitments` in the view model.
public struct CommitmentsView: Codable, Sendable, Equatable {
    /// Gained or added in the period.
    public var new: [CommitmentView]
    /// How many commitments are new in the period.
    public var newCount: Int
    /// True when there is at least one new commitment.
    public var hasNew: Bool
    /// The total.
    public var total: Int
    /// `3 new commitments`.
    public var newCountText: String
    /// `18 commitments tracked so far`.
    public var totalText: String
    /// Counts by framework, most first.
    public var byFramework: [TallyView]
    /// Counts by actor, most first.
    public var byActor: [TallyView]
    /// Counts by country (`Global` for none), most first.
    public var byCountry: [TallyView]
    /// Counts by status, most first.
    public var byStatus: [TallyView]
    /// "2 new commitments this month".
    public var thisMonthText = ""
    /// The frameworks worth a line: those with more than one commitment
    /// (at most five), or the first three when fewer have.
    public var topFrameworks: [TallyView] = []
    /// The rest in a few words: "and 8 other frameworks, one commitment
    /// each"; null when all are shown.
    public var otherFrameworksText: String?
    /// The section's first line: "2 new commitments this month; 14 commitments tracked so far."
    public var summaryText = ""
}

/// A name and a count.
public struct TallyView: Codable, Sendable, Equatable {
    /// What is counted, as the data writes it (a code, not words): the
    /// framework's name, `government`, `in progress`, `KE`, `global`.
    public var code: String
    /// Its name in the digest's language: `gouvernement`, `en cours`, `Kenya`, `Mondial`.
    public var name: String
    /// How many.
    public var count: Int
    /// The name's language tag when it is not the digest's (a framework
    /// staff have not translated), else null.
    public var lang: String? = nil
}

/// A commitment.
public struct CommitmentView: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var date: String
    /// The date in words.
    public var dateText: String
    /// Country name, or null for a global commitment.
    public var country: String?
    /// ISO alpha-2 code, or null for a global commitment.
    public var countryCode: String?
    /// The region it concerns when not one country (`Latin America and the
    /// Caribbean`), or null.
    public var region: String?
    /// The country, else the region, else `Global`.
    public var scope: String
    /// Who made the commitment.
    public var actor: String
    /// Where the commitment was made, in the digest's language when staff
    /// translated the framework's name.
    public var framework: String
    /// The title, or null.
    public var title: String
    /// How far it has got.
    public var status: String
    /// The address.
    public var url: String?
    /// The title's language tag when it is not the digest's, else null.
    public var titleLang: String? = nil
    /// The framework's language tag when it is not the digest's, else null.
    public var frameworkLang: String? = nil
    /// The framework's name in the data (`coalition.yaml`'s name for it).
    public var frameworkCode = ""
}
