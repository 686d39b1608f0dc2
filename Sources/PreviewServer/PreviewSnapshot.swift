import CoalitionData
import DigestModel
import DigestRender
import Foundation

/// The data and templates as loaded at one moment, with their problems.
struct PreviewSnapshot: Sendable {
    /// Increases every time the folders change.
    let generation: Int
    /// The data, when it has no errors.
    let dataset: CoalitionDataset?
    /// Every diagnostic of the data folder.
    let diagnostics: [Diagnostic]
    /// The renderer, when the templates load.
    let renderer: DigestRenderer?
    /// Why the templates do not load.
    let templateError: TemplateError?
    /// A renderer for each of the coalition's languages with a catalogue
    /// that loads, by tag (the coalition's own is ``renderer``).
    var renderers: [String: DigestRenderer] = [:]

    /// The languages a month can be previewed in, the coalition's first.
    var languages: [String] {
        guard let dataset else { return [] }
        return dataset.coalition.languages.filter { renderers[$0] != nil }
    }
    /// How many members the list holds and how many are subscribed; nil
    /// without a sound list. Only counts: the preview never shows an address.
    var memberCounts: (total: Int, subscribed: Int)? = nil

    /// The months `render --all` renders, newest first.
    var months: [YearMonth] {
        guard let dataset else { return [] }
        return dataset.reportableMonths.months.reversed()
    }

    /// Quarters and years that the months touch, newest first.
    var periods: [Period] {
        let months = self.months
        var seen = Set<String>()
        var result: [Period] = []
        for month in months {
            let quarter = "\(month.year)-Q\((month.month + 2) / 3)"
            for id in [quarter, String(month.year)] where !seen.contains(id) {
                seen.insert(id)
                if let period = try? Period(parsing: id) { result.append(period) }
            }
        }
        return result
    }
}
