import CoalitionData
import Foundation

/// Which months the data's errors touch, so the preview can show the others
/// from what loaded (``CoalitionData/DataFolder/Result/partial``).
///
/// An error touches the month of its call file, and the months of every
/// date in its message or on its own line of the file (a commitment's row
/// names its date). An error with no such date, or one outside the rows
/// of the data files (in `coalition.yaml`, a file's header, the state's
/// address), could change any month: then nothing previews until it is
/// fixed, as before.
enum PreviewBlocks {
    /// The months `errors` touch; nil when one of them could touch any.
    /// A row is read from the file the diagnostic names (as the loader
    /// named it: relative to where the preview runs, or absolute).
    static func months(_ errors: [Diagnostic]) -> Set<YearMonth>? {
        var months: Set<YearMonth> = []
        var lines: [String: [Substring]] = [:]
        for error in errors {
            let name = (error.file as NSString).lastPathComponent
            let isCall = error.file.contains("calls/") && name.hasSuffix(".md")
            guard isCall || (name.hasSuffix(".csv") && error.line > 1) else { return nil }
            var found = dates(in: error.message)
            if isCall, let date = LocalDate(iso: String(name.prefix(10))) { found.insert(date.yearMonth) }
            if !isCall {
                if lines[error.file] == nil {
                    let text = (try? String(contentsOfFile: error.file, encoding: .utf8)) ?? ""
                    lines[error.file] = text.split(separator: "\n", omittingEmptySubsequences: false)
                }
                if let rows = lines[error.file], rows.indices.contains(error.line - 1) {
                    found.formUnion(dates(in: String(rows[error.line - 1])))
                }
            }
            guard !found.isEmpty else { return nil }
            months.formUnion(found)
        }
        return months
    }

    /// The months of the `YYYY-MM-DD` dates in `text`.
    static func dates(in text: String) -> Set<YearMonth> {
        var months: Set<YearMonth> = []
        for match in text.matches(of: /\b(\d{4})-(\d{2})-(\d{2})\b/) {
            if let date = LocalDate(iso: String(match.0)) { months.insert(date.yearMonth) }
        }
        return months
    }
}
