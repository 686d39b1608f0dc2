import CoalitionData
import Wording

extension DigestView {
    /// The forecast sentence (see ``PetitionView/forecastText``).
    static func forecast(_ progress: PetitionProgress, last: YearMonth, words: Words) -> String? {
        if progress.total >= progress.goal, let month = progress.goalReachedBy {
            return words.text("petition.forecast.reached", ["month": words.month(month)])
        }
        guard progress.paceMonths > 0 else { return nil }
        let window: String
        let windowNamed: String
        switch progress.paceMonths {
        case 3:
            window = words.text("petition.window.last_three")
            windowNamed = window
        case 2:
            window = words.text("petition.window.first_two")
            windowNamed = words.text("petition.window.first_two.named")
        default:
            window = words.text("petition.window.first")
            windowNamed = words.text("petition.window.first.named")
        }
        let pace = words.text(
            "petition.pace", ["window": window, "signatures": words.count("count.signatures", progress.monthlyPace)])
        guard let needed = progress.neededPace else {
            return progress.goalReachedBy.map {
                words.text("petition.forecast.by_pace", ["pace": pace, "month": words.month($0)])
            }
        }
        let need = words.text(
            "petition.forecast.need",
            [
                "signatures": words.count("count.signatures", needed),
                "month": words.month(last.adding(months: PetitionProgress.horizonMonths)),
            ])
        if progress.monthlyPace <= 0 {
            return words.text("petition.forecast.none_gained", ["window": windowNamed, "need": need])
        }
        // The year the pace would reach the goal, said as a year (2078).
        if let reached = progress.goalReachedBy {
            return words.text(
                "petition.forecast.far_year", ["pace": pace, "year": String(reached.year), "need": need])
        }
        return words.text("petition.forecast.far", ["pace": pace, "need": need])
    }

    static func petitionView(_ progress: PetitionProgress, petition: Coalition.Petition, last: YearMonth, words: Words)
        -> PetitionView
    {
        let bar = progress.total > 0 ? max(1, min(100, progress.percentOfGoalTenths / 10)) : 0
        let cells = min(20, progress.percentOfGoalTenths / 50)
        let filled = progress.total > 0 ? max(cells, 1) : 0
        return PetitionView(
            title: petition.title, url: petition.url, goal: progress.goal, goalText: words.number(progress.goal),
            total: progress.total, totalText: words.number(progress.total), new: progress.new,
            newText: words.number(progress.new), percentOfGoal: progress.percentOfGoal,
            percentText: words.percent(tenths: progress.percentOfGoalTenths),
            goalReachedBy: progress.goalReachedBy?.description,
            goalReachedByText: progress.goalReachedBy.map(words.month),
            monthlyPace: progress.monthlyPace, paceMonths: progress.paceMonths,
            forecastText: forecast(progress, last: last, words: words),
            monthlyPaceText: words.number(progress.monthlyPace),
            barPercent: bar, barRestPercent: 100 - bar, barHasFill: bar > 0, barHasRest: bar < 100,
            barText: "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "]")
    }
}
