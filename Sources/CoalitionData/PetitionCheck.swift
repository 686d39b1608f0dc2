/// Checks that go across rows of `petition.csv`.
enum PetitionCheck {
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
