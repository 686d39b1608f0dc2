import CoalitionData
import DigestModel
import DigestRender
import Foundation
import Wording

/// The data and templates as loaded at one moment, with their problems.
public struct PreviewSnapshot: Sendable {
    /// Increases every time the folders change.
    public let generation: Int
    /// The data, when it has no errors.
    public let dataset: CoalitionDataset?
    /// Every diagnostic of the data folder.
    public let diagnostics: [Diagnostic]
    /// The renderer, when the templates load.
    public let renderer: DigestRenderer?
    /// Why the templates do not load.
    public let templateError: TemplateError?
    /// A renderer for each of the coalition's languages with a catalogue
    /// that loads, by tag (the coalition's own is ``renderer``).
    public var renderers: [String: DigestRenderer] = [:]

    /// The languages a month can be previewed in, the coalition's first.
    public var languages: [String] {
        guard let dataset = previewable else { return [] }
        return dataset.coalition.languages.filter { renderers[$0] != nil }
    }
    /// How many members the list holds and how many are subscribed; nil
    /// without a sound list. Only counts: the preview never shows an address.
    public var memberCounts: (total: Int, subscribed: Int)? = nil
    /// While the data has errors, what loaded (the rows with errors left
    /// out), when the errors are all in rows of the data files: months
    /// they do not touch still preview, with the errors shown.
    public var partial: CoalitionDataset? = nil
    /// The months the errors touch (a call file's month, the dates in the
    /// message or in the row): they do not preview until fixed.
    public var blockedMonths: Set<YearMonth> = []

    /// For each of the coalition's other languages, what staff have not
    /// translated, item by item with its file and the month it first
    /// shows in ("the notes of 2019-02-19.md (in 2019-02-19.fr.md): from 2019-02").
    public var translationGaps: [String: [String]] = [:]

    /// The data months preview from: the whole of it, else ``partial``.
    public var previewable: CoalitionDataset? { dataset ?? partial }
    /// Whether the preview shows only part of the data (it has errors).
    public var isPartial: Bool { dataset == nil && partial != nil }

    /// The errors that touch `month` (those that keep it from previewing
    /// while the data has errors), then the warnings that do.
    public func problems(touching month: YearMonth) -> [Diagnostic] {
        let callFiles = Set((previewable?.calls ?? []).filter { month.contains($0.date) }.map(\.file))
        return diagnostics.filter {
            callFiles.contains($0.file) || $0.file.contains("calls/\(month)-") || $0.message.contains("\(month)-")
                || (isPartial && $0.severity == .error && blockedMonths.contains(month))
        }
    }

    /// The months `render --all` renders, newest first.
    public var months: [YearMonth] {
        guard let dataset = previewable else { return [] }
        return dataset.reportableMonths.months.reversed()
    }

    /// Quarters and years that the months touch, newest first.
    public var periods: [Period] {
        let months = self.months
        var seen = Set<String>()
        var result: [Period] = []
        for month in months {
            let quarter = "\(month.year)-Q\((month.month + 2) / 3)"
            for id in [quarter, String(month.year)] where !seen.contains(id) {
                seen.insert(id)
                // Made from a month above: always a period; none would list nothing.
                if let period = try? Period(parsing: id) { result.append(period) }
            }
        }
        return result
    }

    // The preview's own words are English, for staff; months and numbers
    // come from the templates' catalogue (``Words``), and stay plain
    // (2020-03, 1575) while the templates have an error.

    /// `March 2020`.
    public func monthText(_ month: YearMonth) -> String {
        renderer?.words.month(month) ?? month.description
    }

    /// `1,575`.
    public func numberText(_ value: Int) -> String {
        renderer?.words.number(value) ?? String(value)
    }

    /// `12.5%` from tenths of a per cent.
    public func percentText(_ tenths: Int) -> String {
        renderer?.words.percent(tenths: tenths) ?? "\(Double(tenths) / 10)%"
    }

    /// `First quarter 2020`.
    public func periodText(_ period: Period) -> String {
        renderer.map { period.label(in: $0.words) } ?? period.description
    }

    /// A call's title as the digest gives it.
    public func callText(_ call: Call) -> String {
        renderer.map { CallTitle.text(call, words: $0.words) } ?? call.title ?? call.date.description
    }

    /// The name of language `tag` in itself: `Français`.
    public static func nativeName(_ tag: String) -> String { LanguageNames.native(tag) }

    /// The name of language `tag` in English: `French`.
    public static func englishName(_ tag: String) -> String { LanguageNames.english(tag) }

    /// The encoded size past which a newsletter risks being clipped (Gmail, near 102 KB).
    public static let htmlSizeWarning = DigestRenderer.htmlSizeWarning
}
