/// `petition` in the view model.
public struct PetitionView: Codable, Sendable, Equatable {
    /// The title, or null.
    public var title: String
    /// The title's language tag when it is not the digest's, else null.
    public var titleLang: String? = nil
    /// The address.
    public var url: String?
    /// The number of signatures aimed for.
    public var goal: Int
    /// The goal with thousands separators.
    public var goalText: String
    /// The total.
    public var total: Int
    /// The total with thousands separators.
    public var totalText: String
    /// Gained or added in the period.
    public var new: Int
    /// New signatures with thousands separators.
    public var newText: String
    /// Percent of the goal, one decimal (2.4).
    public var percentOfGoal: Double
    /// `2.4%`.
    public var percentText: String
    /// `YYYY-MM`, or null when the recent pace is zero.
    public var goalReachedBy: String?
    /// `May 2031`, or null.
    public var goalReachedByText: String?
    /// Average signatures a month over the last `pace_months` months, rounded half up.
    public var monthlyPace: Int
    /// The months the pace is averaged over: 3, or fewer in a petition's first months.
    public var paceMonths: Int
    /// The forecast as a reader should see it: a month only when it is at
    /// most three years away, otherwise the pace that would reach the goal
    /// in three years; null before any signature.
    public var forecastText: String?
    /// The pace with thousands separators.
    public var monthlyPaceText: String
    /// Whole percent for progress bars, 0…100 (at least 1 once there is a signature).
    public var barPercent: Int
    /// `100 - bar_percent`.
    public var barRestPercent: Int
    /// True when the bar has a filled part.
    public var barHasFill: Bool
    /// True when the bar has an unfilled part.
    public var barHasRest: Bool
    /// `[####----------------]`, 20 cells, for plain text.
    public var barText: String
    /// In this issue: "Petition: 2,900 signatures (2.9% of 100,000)".
    public var inThisIssueText = ""
    /// Beside the bar: "2.9% of 100,000".
    public var ofGoalText = ""
    /// Under the total, HTML: "signatures of 100,000".
    public var signaturesOfGoalText = ""
    /// "850 new this month".
    public var newThisMonthText = ""
    /// Plain text: "Signatures so far: 2,900".
    public var soFarText = ""
    /// Plain text: "New this month: 850".
    public var newLineText = ""
}
