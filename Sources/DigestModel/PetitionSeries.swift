import CoalitionData

/// Signature totals at any date, summed over sources.
///
/// Each source's rows are sorted by date once; a total at a date is then one
/// binary search per source, so a million rows aggregate in milliseconds.
public struct PetitionSeries: Sendable {
    /// One source's running totals: day numbers and the total as of that day.
    private struct Source: Sendable {
        var days: [Int] = []
        var totals: [Int] = []
    }

    private var sources: [String: Source] = [:]

    /// The day of the first count, over all sources; nil when there is none.
    public private(set) var firstDay: LocalDate?

    /// Builds the series. For a `total` source the latest row on or before a
    /// date gives the total (the later row in the file wins on the same day);
    /// for a `new` source the counts up to the date are added up.
    public init(_ counts: [PetitionCount]) {
        var bySource: [String: [(day: Int, offset: Int, count: Int, isTotal: Bool)]] = [:]
        for (offset, row) in counts.enumerated() {
            bySource[row.source, default: []].append((row.date.daysSinceEpoch, offset, row.count, row.kind == .total))
        }
        for (name, rows) in bySource {
            let ordered = rows.sorted { $0.day != $1.day ? $0.day < $1.day : $0.offset < $1.offset }
            var source = Source()
            source.days.reserveCapacity(ordered.count)
            source.totals.reserveCapacity(ordered.count)
            var running = 0
            for row in ordered {
                // Saturating: a corrupt file of huge counts must not trap.
                let sum = running.addingReportingOverflow(row.count)
                running = row.isTotal ? row.count : (sum.overflow ? Int.max : sum.partialValue)
                if source.days.last == row.day {
                    source.totals[source.totals.count - 1] = running
                } else {
                    source.days.append(row.day)
                    source.totals.append(running)
                }
            }
            sources[name] = source
            if let first = source.days.first, firstDay.map({ first < $0.daysSinceEpoch }) ?? true {
                firstDay = LocalDate(daysSinceEpoch: first)
            }
        }
    }

    /// True when there are no counts at all.
    public var isEmpty: Bool { sources.isEmpty }

    /// The sources, sorted by name.
    public var sourceNames: [String] { sources.keys.sorted() }

    /// The sum over sources of each source's total at the end of `date`.
    public func total(at date: LocalDate) -> Int {
        sourceNames.reduce(0) { sum, source in
            let next = sum.addingReportingOverflow(total(of: source, at: date))
            return next.overflow ? Int.max : next.partialValue
        }
    }

    /// One source's total at the end of `date` (0 before its first row).
    public func total(of source: String, at date: LocalDate) -> Int {
        guard let series = sources[source] else { return 0 }
        let day = date.daysSinceEpoch
        // Index of the first day after `day`.
        var low = 0, high = series.days.count
        while low < high {
            let mid = (low + high) / 2
            if series.days[mid] <= day { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? 0 : series.totals[low - 1]
    }
}
