import CoalitionData
import DigestModel
import Wording

/// The Petition sheet's rows, laid out before any sheet is written so the
/// Summary's chart can point at them: one row per month, a column per
/// source, the total and the month's new signatures.
///
/// A period shorter than a year shows the twelve months up to its end, so
/// its chart has a shape; the column "In this period" repeats the total for
/// the period's own months (and is empty before them), which the chart
/// draws as marked points over the line.
struct PetitionTable {
    let months: [YearMonth]
    let sources: [String]
    let series: PetitionSeries
    let period: Period
    let words: Words
    /// The petition's goal: a column of its own, which the chart draws as a
    /// dashed line its value axis reaches.
    let goal: Int?
    /// The sources' names in the workbook's language, where staff gave one
    /// (`petition.sources` in `coalition.yaml`).
    let sourceNames: [String: String]

    init(
        series: PetitionSeries, period: Period, words: Words, goal: Int? = nil,
        sourceNames: [String: [String: String]] = [:]
    ) {
        self.series = series
        self.period = period
        self.words = words
        self.goal = goal
        self.sourceNames = sourceNames.compactMapValues { $0[words.language] }
        sources = series.sourceNames
        let periodMonths = period.months
        if periodMonths.count >= 12 {
            months = periodMonths
        } else {
            months = (0..<12).reversed().map { period.last.adding(months: -$0) }
        }
    }

    /// Whether the table reaches back before the period.
    var showsContext: Bool { months.count > period.months.count }

    var headers: [String] {
        [words.text("workbook.petition.month")]
            + sources.map { words.text("workbook.petition.source", ["source": sourceNames[$0] ?? $0]) }
            + [words.text("workbook.petition.total"), words.text("workbook.petition.new")]
            + (showsContext ? [words.text("workbook.petition.in_period")] : [])
            + (goal != nil ? [words.text("workbook.petition.goal")] : [])
    }

    /// Columns, counted from 0.
    var totalColumn: Int { 1 + sources.count }
    var periodColumn: Int? { showsContext ? totalColumn + 2 : nil }
    var goalColumn: Int? { goal == nil ? nil : totalColumn + (showsContext ? 3 : 2) }

    /// The first and last data rows (the header is row 0).
    var firstRow: Int { 1 }
    var lastRow: Int { months.count }

    var rows: [[ReportCell]] {
        months.map { month in
            let total = series.total(at: month.lastDay)
            var row: [ReportCell] = [.month(month)]
            row += sources.map { .number(series.total(of: $0, at: month.lastDay)) }
            row += [.number(total), .number(total - series.total(at: month.previous.lastDay))]
            if showsContext { row.append(period.contains(month.firstDay) ? .number(total) : .empty) }
            if let goal { row.append(.number(goal)) }
            return row
        }
    }

    /// What the sheet says under the table.
    var notes: [String] {
        var notes = [words.text("workbook.petition.note")]
        if showsContext {
            notes.append(
                words.text(
                    "workbook.petition.note.context",
                    ["period": period.label(in: words), "column": words.text("workbook.petition.in_period")]))
        }
        return notes
    }
}
