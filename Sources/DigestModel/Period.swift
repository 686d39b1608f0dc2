import CoalitionData
import Foundation
import Wording

/// The span a digest or report covers: a month, a quarter, a year, or any
/// range of whole months.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// What kind of span it is, which decides how it is named.
    public enum Kind: Sendable, Hashable {
        case month, quarter, year, range
    }

    /// The first month.
    public let first: YearMonth
    /// The last month (equal to `first` for a month).
    public let last: YearMonth
    /// How the period was asked for.
    public let kind: Kind

    /// A single month.
    public init(month: YearMonth) {
        self.first = month
        self.last = month
        self.kind = .month
    }

    /// A span of months; nil when `last` is before `first`.
    public init?(from first: YearMonth, through last: YearMonth) {
        guard first <= last else { return nil }
        self.first = first
        self.last = last
        self.kind = first == last ? .month : .range
    }

    private init(first: YearMonth, last: YearMonth, kind: Kind) {
        self.first = first
        self.last = last
        self.kind = kind
    }

    /// Parses `2019-03`, `2019-Q3`, `2019` or `2019-01..2019-06`.
    ///
    /// - Throws: ``PeriodError`` explaining the accepted forms.
    public init(parsing text: String) throws(PeriodError) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let range = text.range(of: "..") {
            guard let start = YearMonth(iso: text[..<range.lowerBound]),
                let end = YearMonth(iso: text[range.upperBound...])
            else { throw PeriodError(text: text) }
            guard start <= end else { throw PeriodError(text: text, reason: "the range ends before it starts") }
            self.init(first: start, last: end, kind: start == end ? .month : .range)
            return
        }
        if let month = YearMonth(iso: text) {
            self.init(month: month)
            return
        }
        let parts = text.split(separator: "-")
        if parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1...9999).contains(year),
            parts[1].count == 2, parts[1].first == "Q" || parts[1].first == "q",
            let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter),
            let start = YearMonth(year: year, month: quarter * 3 - 2)
        {
            self.init(first: start, last: start.adding(months: 2), kind: .quarter)
            return
        }
        if text.count == 4, let year = Int(text), let start = YearMonth(year: year, month: 1) {
            self.init(first: start, last: start.adding(months: 11), kind: .year)
            return
        }
        throw PeriodError(text: text)
    }

    /// Every month of the period, in order.
    public var months: [YearMonth] {
        (0...first.months(to: last)).map { first.adding(months: $0) }
    }

    /// The first day of the period.
    public var firstDay: LocalDate { first.firstDay }
    /// The last day of the period.
    public var lastDay: LocalDate { last.lastDay }

    /// Whether `date` falls in the period.
    public func contains(_ date: LocalDate) -> Bool { firstDay <= date && date <= lastDay }

    /// The name used for output folders and on the command line:
    /// `2019-03`, `2019-Q3`, `2019`, `2019-01..2019-06`.
    public var description: String {
        switch kind {
        case .month: return first.description
        case .quarter: return "\(first.year)-Q\((first.month + 2) / 3)"
        case .year: return String(first.year)
        case .range: return "\(first)..\(last)"
        }
    }

    /// The name readers see: `March 2019`, `Q3 2019 (July–September)`, `2019`,
    /// `January–June 2019`, `November 2019 – February 2020`.
    public func label(in words: Words) -> String {
        switch kind {
        case .month: return words.month(first)
        case .quarter:
            return words.text(
                "period.quarter",
                [
                    "quarter": String((first.month + 2) / 3), "year": String(first.year),
                    "first": words.monthName(first.month), "last": words.monthName(last.month),
                ])
        case .year: return String(first.year)
        case .range:
            if first.year == last.year {
                return words.text(
                    "period.range.same_year", ["first": words.monthName(first.month), "last": words.month(last)])
            }
            return words.text("period.range", ["first": words.month(first), "last": words.month(last)])
        }
    }
}

/// A period that could not be read.
public struct PeriodError: Error, Sendable, CustomStringConvertible {
    /// What was given.
    public var text: String
    /// Why it was refused, when more specific than the format.
    public var reason: String?

    init(text: String, reason: String? = nil) {
        self.text = text
        self.reason = reason
    }

    /// The message as people read it.
    public var description: String {
        let why = reason.map { " (\($0))" } ?? ""
        return
            "\"\(text)\" is not a period\(why); write a month (2019-03), a quarter (2019-Q3), a year (2019) or a range of months (2019-01..2019-06)"
    }
}
