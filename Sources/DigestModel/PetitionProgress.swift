import CoalitionData

/// Where the petition stands at the end of a period.
public struct PetitionProgress: Sendable, Equatable {
    /// Signatures at the end of the period, over all sources.
    public var total: Int
    /// Signatures gained during the period.
    public var new: Int
    /// The goal from `coalition.yaml`.
    public var goal: Int
    /// `total / goal` in tenths of a percent, rounded half up (24 = 2.4%).
    public var percentOfGoalTenths: Int
    /// Average signatures a month over the last three months of the period.
    public var monthlyPace: Int
    /// The month the goal is (or was) reached: the first month whose total
    /// reached it, or, at the recent pace, the month it will; nil when the
    /// pace is zero or less.
    public var goalReachedBy: YearMonth?

    /// Computes progress for the months `first`…`last`.
    public init(series: PetitionSeries, goal: Int, first: YearMonth, last: YearMonth) {
        let total = series.total(at: last.lastDay)
        self.total = total
        self.new = total &- series.total(at: first.previous.lastDay)
        self.goal = goal
        // Exact integer rounding; in Double only for totals so large that the
        // integers would overflow (never for real data).
        if goal <= 0 {
            self.percentOfGoalTenths = 0
        } else if abs(total) < 1_000_000_000_000 {
            self.percentOfGoalTenths = (total * 1000 * 2 + goal) / (goal * 2)
        } else {
            self.percentOfGoalTenths = Int(min(Double(Int.max / 2), (Double(total) * 1000 / Double(goal)).rounded()))
        }
        let threeBack = series.total(at: last.adding(months: -3).lastDay)
        self.monthlyPace = (total &- threeBack) / 3
        if total >= goal {
            // Walk back to the first month-end at or above the goal.
            var month = last
            while series.total(at: month.previous.lastDay) >= goal, month.months(to: last) < 1200 {
                month = month.previous
            }
            self.goalReachedBy = month
        } else if total - threeBack > 0 {
            // Months needed at the exact three-month pace, rounded up.
            let gained = total - threeBack
            let months = ((goal - total) * 3 + gained - 1) / gained
            self.goalReachedBy = months <= 12 * 500 ? last.adding(months: months) : nil
        } else {
            self.goalReachedBy = nil
        }
    }

    /// The percentage as a number with one decimal, such as 2.4.
    public var percentOfGoal: Double { Double(percentOfGoalTenths) / 10 }
}
