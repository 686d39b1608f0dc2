/// One data row of a CSV file, with typed accessors that report problems.
///
/// Every accessor returns nil (or a default) when a value is missing or
/// wrong, after recording a diagnostic at the value's own line and column.
public struct CSVRow {
    /// The file as named in diagnostics.
    public let file: String
    /// The line the row starts on.
    public let line: Int
    let fields: [CSVField]
    /// Column names and their positions; a handful, so a scan beats hashing.
    let columns: [(name: String, index: Int)]

    private func index(of column: String) -> Int? {
        for entry in columns where entry.name == column { return entry.index }
        return nil
    }
    /// Dates outside this span get a warning ("is the year right?").
    var span: RecordSpan?

    /// Problems found in this row so far.
    public internal(set) var log = DiagnosticLog()

    /// Where a column's value starts (the row's start when the column is absent).
    public func location(_ column: String) -> (line: Int, column: Int) {
        guard let index = index(of: column) else { return (line, 1) }
        return (fields[index].line, fields[index].column)
    }

    /// The raw value of a column ("" when the column is absent).
    public func raw(_ column: String) -> String {
        guard let index = index(of: column) else { return "" }
        return fields[index].value
    }

    /// The translations of a translatable column by language tag: the
    /// non-empty values of its `column_<tag>` columns (`title_fr`).
    /// A French one with an ordinary space before `: ; ? !` gets a warning
    /// (``FrenchSpacing``).
    public mutating func translations(_ column: String) -> [String: String] {
        var found: [String: String] = [:]
        for entry in columns where entry.name.hasPrefix(column + "_") {
            let value = fields[entry.index].value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { continue }
            let tag = String(entry.name.dropFirst(column.count + 1))
            found[tag] = value
            if tag == "fr" || tag.hasPrefix("fr-") || tag.hasPrefix("fr_"),
                let first = FrenchSpacing.plainSpaces(in: value).first
            {
                warning(entry.name, FrenchSpacing.warning(first.sign))
            }
        }
        return found
    }

    /// Records an error at a column's value.
    public mutating func error(_ column: String, _ message: String) {
        let at = location(column)
        log.error(file, at.line, at.column, message)
    }

    /// Records a warning at a column's value.
    public mutating func warning(_ column: String, _ message: String) {
        let at = location(column)
        log.warning(file, at.line, at.column, message)
    }

    /// A text value; an error when `required` and empty.
    public mutating func text(_ column: String, required: Bool = false) -> String? {
        let value = raw(column)
        if value.isEmpty {
            if required { error(column, "\(column) is empty; every row needs one") }
            return nil
        }
        return value
    }

    /// A date written `YYYY-MM-DD`.
    public mutating func date(_ column: String, required: Bool = false) -> LocalDate? {
        let value = raw(column)
        if value.isEmpty {
            if required { error(column, "\(column) is empty; write the date as YYYY-MM-DD, for example 2019-06-11") }
            return nil
        }
        guard let date = LocalDate(iso: value) else {
            error(column, DateProblem.describe(value, field: column))
            return nil
        }
        if let problem = span?.problem(date, field: column) { warning(column, problem) }
        return date
    }

    /// A whole number of at least zero, with optional thousands separators.
    public mutating func count(_ column: String, required: Bool = false) -> Int? {
        let value = raw(column)
        if value.isEmpty {
            if required { error(column, "\(column) is empty; write a whole number such as 1250") }
            return nil
        }
        guard let number = WholeNumber.parse(value) else {
            error(
                column,
                "\(column) \"\(value)\" is not a whole number; write digits only, such as 1250, or with a separator between groups of three digits, such as 1,250"
            )
            return nil
        }
        return number
    }

    /// An `http`, `https` or `mailto` address.
    public mutating func url(_ column: String) -> String? {
        let value = raw(column)
        if value.isEmpty { return nil }
        switch WebAddress.check(value) {
        case .valid(let address): return address
        case .invalid(let problem):
            error(column, problem)
            return nil
        }
    }

    /// One of a fixed set of words, case-insensitively.
    public mutating func choice<T: RawRepresentable & CaseIterable>(
        _ column: String, as type: T.Type, required: Bool = false
    ) -> T? where T.RawValue == String {
        let value = raw(column)
        let allowed = T.allCases.map(\.rawValue)
        if value.isEmpty {
            if required { error(column, "\(column) is empty; use one of: \(allowed.joined(separator: ", "))") }
            return nil
        }
        if let match = T(rawValue: value) { return match }
        if let match = T(rawValue: value.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")) {
            return match
        }
        let hint = Suggestion.nearest(to: value, in: allowed).map { "did you mean \"\($0)\"? " } ?? ""
        error(column, "\(column) \"\(value)\" is not known; \(hint)use one of: \(allowed.joined(separator: ", "))")
        return nil
    }

    /// A yes/no answer: `yes`, `no`, `true` or `false` in any case; nil for
    /// `unknown` or an empty cell; anything else is an error listing these.
    public mutating func yesNo(_ column: String) -> Bool? {
        switch raw(column).lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        case "", "unknown": return nil
        default:
            error(
                column,
                "\(column) \"\(raw(column))\" is not a yes or no; write yes, no, true, false or unknown, or leave it empty"
            )
            return nil
        }
    }

    /// A country by code or English name; nil (global) when empty.
    public mutating func country(_ column: String, in countries: CountryTable) -> Country? {
        let value = raw(column)
        if value.isEmpty { return nil }
        switch countries.lookup(value) {
        case .found(let country): return country
        case .unknown(let message):
            error(column, message)
            return nil
        }
    }
}
