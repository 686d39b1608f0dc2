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
    /// Average signatures a month over the last ``paceMonths`` months of
    /// the period, rounded half up.
    public var monthlyPace: Int
    /// The months the pace is averaged over: three, or fewer in a
    /// petition's first months (the months that have counts); 0 before any.
    public var paceMonths: Int
    /// How far ahead a forecast month is worth printing: three years.
    public static let horizonMonths = 36
    /// Signatures a month that would reach the goal ``horizonMonths`` after
    /// the period, rounded up, when the recent pace would not reach it by
    /// then; nil when it would, or the goal is reached.
    public var neededPace: Int?
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
        // A petition's first months have fewer than three months behind them.
        let available = series.firstDay.map { max(0, $0.yearMonth.months(to: last) + 1) } ?? 0
        let paceMonths = min(3, available)
        self.paceMonths = paceMonths
        let windowStart = series.total(at: last.adding(months: -paceMonths).lastDay)
        let gained = total &- windowStart
        // Exact integer rounding (half up); in Double only for gains so large
        // that the integers would overflow (a corrupt file, never real data).
        if paceMonths == 0 {
            self.monthlyPace = 0
        } else if abs(gained) < Int.max / 8 {
            self.monthlyPace = (gained * 2 + (gained >= 0 ? paceMonths : -paceMonths)) / (2 * paceMonths)
        } else {
            self.monthlyPace = Int(
                max(-Double(Int.max / 2), min(Double(Int.max / 2), (Double(gained) / Double(paceMonths)).rounded())))
        }
        self.neededPace = nil
        if total >= goal {
            // Walk back to the first month-end at or above the goal.
            var month = last
            while series.total(at: month.previous.lastDay) >= goal, month.months(to: last) < 1200 {
                month = month.previous
            }
            self.goalReachedBy = month
        } else {
            if gained > 0 {
                // Months needed at the exact pace, rounded up (nil past 500 years).
                let (scaled, overflow) = (goal - total).multipliedReportingOverflow(by: paceMonths)
                let months = overflow ? Int.max : (scaled + gained - 1) / gained
                self.goalReachedBy = months <= 12 * 500 ? last.adding(months: months) : nil
            } else {
                self.goalReachedBy = nil
            }
            if goalReachedBy.map({ last.months(to: $0) > Self.horizonMonths }) ?? true {
                self.neededPace = (goal - total + Self.horizonMonths - 1) / Self.horizonMonths
            }
        }
    }

    /// The percentage as a number with one decimal, such as 2.4.
    public var percentOfGoal: Double { Double(percentOfGoalTenths) / 10 }
}
