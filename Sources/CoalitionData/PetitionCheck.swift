/// Checks that go across rows of `petition.csv`.
enum PetitionCheck {
    /// More signatures than people on Earth: a total past this is a typing
    /// or pasting mistake, not a figure to print.
    static let absurdTotal = 10_000_000_000

    /// A source uses one kind only (error); a running total that goes down
    /// is a warning (a cleaned list can lose signatures); the total over
    /// sources passing ``absurdTotal`` is an error at the row that makes it.
    ///
    /// Each source name is hashed once a row, to a number; everything else
    /// is kept in arrays by that number (a million rows check in tens of
    /// milliseconds).
    static func run(_ counts: [PetitionCount], file: String, log: inout DiagnosticLog) {
        var ids: [String: Int] = [:]
        var firstKind: [(kind: PetitionKind, line: Int)] = []
        var source = [Int](repeating: 0, count: counts.count)
        for (index, count) in counts.enumerated() {
            let id: Int
            if let known = ids[count.source] {
                id = known
            } else {
                id = firstKind.count
                ids[count.source] = id
                firstKind.append((count.kind, count.line))
            }
            source[index] = id
            let first = firstKind[id]
            if first.kind != count.kind {
                log.error(
                    file, count.line, 1,
                    "source \"\(count.source)\" is counted as \"\(first.kind.rawValue)\" on line \(first.line) but as \"\(count.kind.rawValue)\" here; a source uses one kind only, so give this one another source name or convert its counts"
                )
            }
        }
        // Running totals in date order (file order on the same day). Files
        // are usually in date order already; sort only when they are not.
        let inOrder = zip(counts, counts.dropFirst()).allSatisfy { $0.date <= $1.date }
        let order =
            inOrder
            ? Array(counts.indices)
            : counts.indices.sorted { a, b in
                counts[a].date != counts[b].date ? counts[a].date < counts[b].date : a < b
            }
        var current = [Int](repeating: 0, count: firstKind.count)
        var lastTotal = [(date: LocalDate, count: Int)?](repeating: nil, count: firstKind.count)
        var sum = 0
        var absurdReported = false
        for index in order {
            let row = counts[index]
            let id = source[index]
            if row.kind == .total && firstKind[id].kind == .total {
                if let previous = lastTotal[id], row.count < previous.count {
                    log.warning(
                        file, row.line, 1,
                        "the running total of \"\(row.source)\" goes down from \(previous.count) on \(previous.date) to \(row.count); check the figure (a cleaned list can lose signatures)"
                    )
                }
                lastTotal[id] = (row.date, row.count)
            }
            guard !absurdReported else { continue }
            let old = current[id]
            let new = row.kind == .total ? row.count : saturatingSum(old, row.count)
            current[id] = new
            sum = saturatingSum(sum - old, new)
            if sum > absurdTotal {
                log.error(
                    file, row.line, 1,
                    "with this row the petition's total reaches \(grouped(sum)) signatures, more than 10 billion; check the count (a figure pasted twice, or a date or phone number in the count column)"
                )
                absurdReported = true
            }
        }
    }

    private static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let sum = a.addingReportingOverflow(b)
        return sum.overflow ? Int.max : sum.partialValue
    }

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
}
