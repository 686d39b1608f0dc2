/// The diagnostics collected while loading a data folder.
///
/// Loaders report every problem they find and carry on, so staff see the
/// whole list at once instead of fixing one error per run.
///
/// A file with thousands of the same mistake (a column pasted a million
/// times) would bury the list and take minutes to print: each file keeps
/// its first ``limitPerFile`` errors and first ``limitPerFile`` warnings,
/// and a closing line counts the rest. The counts stay exact.
public struct DiagnosticLog: Sendable {
    /// How many errors, and how many warnings, are kept for one file.
    public static let limitPerFile = 50

    private var kept: [Diagnostic] = []
    private struct Overflow: Sendable {
        var count = 0
        var line = 1
        var column = 1
    }
    private var shown: [Key: Int] = [:]
    private var overflow: [Key: Overflow] = [:]
    private var errors = 0
    private var warnings = 0

    private struct Key: Hashable, Sendable {
        var file: String
        var severity: Diagnostic.Severity
    }

    /// Every diagnostic kept, in the order found, then one line per file and
    /// severity that says how many more there were.
    public var all: [Diagnostic] {
        guard !overflow.isEmpty else { return kept }
        let notes = overflow.sorted {
            ($0.key.file, $0.key.severity.rawValue) < ($1.key.file, $1.key.severity.rawValue)
        }
        .map { key, more in
            let word = key.severity == .error ? "error" : "warning"
            return Diagnostic(
                file: key.file, line: more.line, column: more.column, severity: key.severity,
                message:
                    "and \(more.count) more \(word)\(more.count == 1 ? "" : "s") in this file, not listed (the first \(Self.limitPerFile) are); fix those and run the check again"
            )
        }
        return kept + notes
    }

    /// Creates an empty log.
    public init() {}

    /// Records an error.
    public mutating func error(_ file: String, _ line: Int, _ column: Int, _ message: String) {
        add(Diagnostic(file: file, line: line, column: column, severity: .error, message: message))
    }

    /// Records a warning.
    public mutating func warning(_ file: String, _ line: Int, _ column: Int, _ message: String) {
        add(Diagnostic(file: file, line: line, column: column, severity: .warning, message: message))
    }

    /// Appends diagnostics found elsewhere.
    public mutating func append(contentsOf other: [Diagnostic]) {
        for diagnostic in other { add(diagnostic) }
    }

    /// Appends another log, its counts of unlisted diagnostics included.
    public mutating func append(_ other: DiagnosticLog) {
        for diagnostic in other.kept { add(diagnostic) }
        for (key, more) in other.overflow {
            var entry = overflow[key] ?? Overflow(count: 0, line: more.line, column: more.column)
            entry.count += more.count
            overflow[key] = entry
            if key.severity == .error { errors += more.count } else { warnings += more.count }
        }
    }

    private mutating func add(_ diagnostic: Diagnostic) {
        if diagnostic.severity == .error { errors += 1 } else { warnings += 1 }
        let key = Key(file: diagnostic.file, severity: diagnostic.severity)
        let count = shown[key, default: 0]
        if count < Self.limitPerFile {
            shown[key] = count + 1
            kept.append(diagnostic)
        } else {
            var entry = overflow[key] ?? Overflow()
            entry.count += 1
            entry.line = diagnostic.line
            entry.column = diagnostic.column
            overflow[key] = entry
        }
    }

    /// The number of errors, those not listed included.
    public var errorCount: Int { errors }
    /// The number of warnings, those not listed included.
    public var warningCount: Int { warnings }
    /// True when there is at least one error.
    public var hasErrors: Bool { errors > 0 }

    /// The diagnostics sorted by file, line and column (stable otherwise).
    public var sorted: [Diagnostic] {
        all.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.file != y.file { return x.file < y.file }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// A closing line such as `2 errors, 1 warning` or `no problems found`.
    public var summary: String {
        if errors + warnings == 0 { return "no problems found" }
        func plural(_ count: Int, _ word: String) -> String {
            "\(count) \(word)\(count == 1 ? "" : "s")"
        }
        return "\(plural(errorCount, "error")), \(plural(warningCount, "warning"))"
    }
}
