/// How many countries present a Voluntary National Review at one year's
/// High-Level Political Forum, as `coalition.yaml`'s `vnr_presenting:`
/// states it (the UN's official list), with where it is written.
///
/// `vnr.csv` lists only the countries the coalition follows; this is the
/// whole, so a digest can say "47 countries present VNRs in 2019; the
/// coalition follows 9 of them".
public struct PresentingCount: Sendable, Equatable {
    /// The HLPF year.
    public var year: Int
    /// How many countries present that year.
    public var count: Int
    /// Where the count is written, for diagnostics.
    public var line: Int
    /// Column of the count.
    public var column: Int

    /// A count (tests make their own).
    public init(year: Int, count: Int, line: Int = 1, column: Int = 1) {
        self.year = year
        self.count = count
        self.line = line
        self.column = column
    }
}

extension PresentingCount {
    /// Reads `vnr_presenting:` — each line a year and a count
    /// (`2019: 47`, or `{2019: 47, 2020: 47}` on one line).
    static func parse(_ map: YAMLMapping, log: inout DiagnosticLog) -> [PresentingCount] {
        var counts: [PresentingCount] = []
        for (keyNode, valueNode) in map.mapping {
            let at = map.location(keyNode)
            let key = keyNode.string ?? ""
            guard key.count == 4, let year = Int(key), (1990...2100).contains(year) else {
                log.error(
                    map.file, at.line, at.column,
                    "vnr_presenting: \"\(key)\" is not a year; write the HLPF year and the number of countries presenting, such as 2019: 47"
                )
                continue
            }
            let valueAt = map.location(valueNode)
            let text = valueNode.scalar.map { String($0.string.trimmedSpaces) } ?? ""
            guard let count = WholeNumber.parse(text), count > 0 else {
                log.error(
                    map.file, valueAt.line, valueAt.column,
                    "vnr_presenting.\(year) \"\(text)\" is not a number of countries; write how many present in \(year), such as \(year): 47"
                )
                continue
            }
            if counts.contains(where: { $0.year == year }) {
                log.error(
                    map.file, at.line, at.column, "vnr_presenting.\(year) is given twice; keep one")
                continue
            }
            counts.append(PresentingCount(year: year, count: count, line: valueAt.line, column: valueAt.column))
        }
        return counts
    }

    /// Errors where `vnr.csv` follows more countries in a year than
    /// `vnr_presenting:` says present in it.
    static func check(_ counts: [PresentingCount], reviews: [VNRReview], file: String, log: inout DiagnosticLog) {
        for entry in counts {
            let followed = reviews.count { $0.year == entry.year }
            guard followed > entry.count else { continue }
            log.error(
                file, entry.line, entry.column,
                "vnr_presenting.\(entry.year) is \(entry.count), but vnr.csv lists \(followed) countries for \(entry.year); correct the count from the UN's list, or the rows of vnr.csv"
            )
        }
    }
}
