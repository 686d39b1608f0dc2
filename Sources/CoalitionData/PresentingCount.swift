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
    /// The call at which the count was first given (`{count: 47,
    /// announced: 2019-06-11}`); a digest of an earlier month does not
    /// know it. Nil: known from the start.
    public var announced: LocalDate? = nil

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
            var valueAt = map.location(valueNode)
            var text = valueNode.scalar.map { String($0.string.trimmedSpaces) } ?? ""
            var announced: LocalDate?
            // `2019: 47`, or `2019: {count: 47, announced: 2019-06-11}`.
            if valueNode.mapping != nil, let group = map.mapping(key, log: &log) {
                group.checkKeys(["count", "announced"], log: &log)
                if let value = group.scalar("count", required: true, log: &log, example: "47") {
                    text = value.value
                    valueAt = (value.line, value.column)
                }
                if let value = group.scalar("announced", log: &log) {
                    announced = LocalDate(iso: value.value)
                    if announced == nil {
                        log.error(
                            map.file, value.line, value.column,
                            "vnr_presenting.\(year).announced \"\(value.value)\" is not a date; write the call at which the count was given, as YYYY-MM-DD"
                        )
                    }
                }
            }
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
            var entry = PresentingCount(year: year, count: count, line: valueAt.line, column: valueAt.column)
            entry.announced = announced
            counts.append(entry)
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
