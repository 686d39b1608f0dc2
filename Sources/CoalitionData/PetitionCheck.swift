/// Checks that go across rows of `petition.csv`.
enum PetitionCheck {
    /// More signatures than people on Earth: a total past this is a typing
    /// or pasting mistake, not a figure to print.
    static let absurdTotal = 10_000_000_000

    /// `12345678901` -> `12,345,678,901` (no locale: diagnostics read the same everywhere).
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// An error at the row with which the petition's total, summed over
    /// sources in date order, first passes ``absurdTotal``.
    private static func checkTotal(_ ordered: [PetitionCount], file: String, log: inout DiagnosticLog) {
        var current: [String: Int] = [:]
        var sum = 0
        for row in ordered {
            let old = current[row.source] ?? 0
            let new: Int
            if row.kind == .total {
                new = row.count
            } else {
                let added = old.addingReportingOverflow(row.count)
                new = added.overflow ? Int.max : added.partialValue
            }
            current[row.source] = new
            let next = (sum - old).addingReportingOverflow(new)
            sum = next.overflow ? Int.max : next.partialValue
            if sum > absurdTotal {
                log.error(
                    file, row.line, 1,
                    "with this row the petition's total reaches \(grouped(sum)) signatures, more than 10 billion; check the count (a figure pasted twice, or a date or phone number in the count column)"
                )
                return
            }
        }
    }

    /// A source uses one kind only (error); a running total that goes down is
    /// a warning (a cleaned list can lose signatures).
    static func run(_ counts: [PetitionCount], file: String, log: inout DiagnosticLog) {
        var kinds: [String: (PetitionKind, Int)] = [:]
        var lastTotal: [String: (date: LocalDate, count: Int)] = [:]
        for count in counts {
            if let (kind, line) = kinds[count.source], kind != count.kind {
                log.error(
                    file, count.line, 1,
                    "source \"\(count.source)\" is counted as \"\(kind.rawValue)\" on line \(line) but as \"\(count.kind.rawValue)\" here; a source uses one kind only, so give this one another source name or convert its counts"
                )
            } else if kinds[count.source] == nil {
                kinds[count.source] = (count.kind, count.line)
            }
        }
        // Compare running totals in date order (file order on the same day).
        // Files are usually in date order already; sort only when they are not.
        let inOrder = zip(counts, counts.dropFirst()).allSatisfy { $0.date <= $1.date }
        let ordered =
            inOrder
            ? counts
            : counts.enumerated().sorted { a, b in
                a.element.date != b.element.date ? a.element.date < b.element.date : a.offset < b.offset
            }.map(\.element)
        checkTotal(ordered, file: file, log: &log)
        for count in ordered where count.kind == .total && kinds[count.source]?.0 == .total {
            if let previous = lastTotal[count.source], count.count < previous.count {
                log.warning(
                    file, count.line, 1,
                    "the running total of \"\(count.source)\" goes down from \(previous.count) on \(previous.date) to \(count.count); check the figure (a cleaned list can lose signatures)"
                )
            }
            lastTotal[count.source] = (count.date, count.count)
        }
    }
}
