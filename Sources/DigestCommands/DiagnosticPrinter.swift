import CoalitionData

/// Prints diagnostics as `path:line:column: severity: message`, then a count.
enum DiagnosticPrinter {
    /// The lines for `log`, sorted by file and position, ending with the summary.
    static func lines(_ log: DiagnosticLog) -> [String] {
        log.sorted.map(\.description) + [log.summary]
    }
}
