/// The diagnostics collected while loading a data folder.
///
/// Loaders report every problem they find and carry on, so staff see the
/// whole list at once instead of fixing one error per run.
public struct DiagnosticLog: Sendable {
    /// Every diagnostic, in the order found.
    public private(set) var all: [Diagnostic] = []

    /// Creates an empty log.
    public init() {}

    /// Records an error.
    public mutating func error(_ file: String, _ line: Int, _ column: Int, _ message: String) {
        all.append(Diagnostic(file: file, line: line, column: column, severity: .error, message: message))
    }

    /// Records a warning.
    public mutating func warning(_ file: String, _ line: Int, _ column: Int, _ message: String) {
        all.append(Diagnostic(file: file, line: line, column: column, severity: .warning, message: message))
    }

    /// Appends diagnostics found elsewhere.
    public mutating func append(contentsOf other: [Diagnostic]) {
        all.append(contentsOf: other)
    }

    /// The number of errors.
    public var errorCount: Int { all.count { $0.severity == .error } }
    /// The number of warnings.
    public var warningCount: Int { all.count { $0.severity == .warning } }
    /// True when there is at least one error.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

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
        if all.isEmpty { return "no problems found" }
        func plural(_ count: Int, _ word: String) -> String {
            "\(count) \(word)\(count == 1 ? "" : "s")"
        }
        return "\(plural(errorCount, "error")), \(plural(warningCount, "warning"))"
    }
}
