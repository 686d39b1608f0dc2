import Foundation

/// A CSV file read against the columns a data file is expected to have.
///
/// Column names are matched without regard to case or surrounding spaces.
/// A missing required column, an unknown column, or a row with the wrong
/// number of values becomes a diagnostic; rows are then handed out as
/// ``CSVRow`` values that report their own problems with line and column.
public struct CSVTable {
    /// The file as named in diagnostics.
    public let file: String

    private let bytes: [UInt8]
    private let required: [String]
    private let optional: [String]
    /// Dates outside it are warned about; nil checks nothing.
    public var span: RecordSpan?

    /// Opens a CSV file. A file that cannot be read is reported, not thrown.
    ///
    /// - Parameters:
    ///   - url: where the file is.
    ///   - file: the path to show in diagnostics.
    ///   - required: columns that must be present.
    ///   - optional: columns that may be present.
    ///   - translatable: columns staff may translate beside the original,
    ///     each translation in a column of its own named after it and a
    ///     language tag (`title_fr`, `title_es`).
    public init(
        bytes: [UInt8], file: String, required: [String], optional: [String] = [], translatable: [String] = []
    ) {
        self.bytes = bytes
        self.file = file
        self.required = required
        self.optional = optional
        self.translatable = translatable
    }

    private let translatable: [String]

    /// `title_fr` as (`title`, `fr`) when `title` is translatable and `fr` a language tag.
    private func translation(_ name: String) -> (column: String, language: String)? {
        for column in translatable where name.hasPrefix(column + "_") {
            if let tag = LanguageTag.normalised(String(name.dropFirst(column.count + 1))) {
                return (column, tag)
            }
        }
        return nil
    }

    /// Calls `body` for every data row (the header is checked, not passed on).
    public func forEachRow(log: inout DiagnosticLog, _ body: (inout CSVRow) -> Void) {
        var columns: [String: Int] = [:]
        var columnList: [(name: String, index: Int)] = []
        var headerCount = 0
        var headerSeen = false
        var headerBroken = false
        var rowLog = DiagnosticLog()
        // Values whose quote runs on past their line. When the row then has
        // the wrong number of values, or the reader finds a problem in the
        // lines it ran over, the quote is the one problem reported.
        var runOn: [(field: CSVField, values: Int, reported: Bool)] = []
        func runOnMessage(_ open: CSVField, values: Int) -> String {
            let count =
                values == headerCount
                ? "" : " and the row comes out with \(values) values instead of \(headerCount)"
            return
                "the quote that opens this value is not closed on its line: it runs on to line \(open.endLine), so the lines between were read as one value\(count); add the closing \" on line \(open.line) (a quote that is part of the text is written twice: \"\")"
        }
        let errors = CSVReader(bytes: bytes).forEachRecord { fields, line in
            if !headerSeen {
                headerSeen = true
                headerCount = fields.count
                let known = Set(required + optional)
                for (index, field) in fields.enumerated() {
                    let name = field.value.trimmedSpaces.lowercased()
                    if columns[name] != nil {
                        rowLog.error(
                            file, field.line, field.column,
                            "the column \"\(name)\" appears twice; delete or rename one of them")
                    } else if known.contains(name) {
                        columns[name] = index
                    } else if let found = translation(name) {
                        columns[found.column + "_" + found.language] = index
                    } else {
                        let hint =
                            Suggestion.nearest(to: name, in: Array(known)).map { "; did you mean \"\($0)\"?" } ?? ""
                        rowLog.warning(
                            file, field.line, field.column,
                            "unknown column \"\(field.value)\" is ignored\(hint) (expected columns: \((required + optional).joined(separator: ", ")))"
                        )
                    }
                }
                columnList = columns.map { ($0.key, $0.value) }.sorted { $0.index < $1.index }
                let missing = required.filter { columns[$0] == nil }
                if !missing.isEmpty {
                    headerBroken = true
                    let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
                    rowLog.error(
                        file, line, 1,
                        "missing column\(missing.count == 1 ? "" : "s") \(list) in the first line; the first line must name the columns: \((required + optional).joined(separator: ", "))"
                    )
                }
                return
            }
            if headerBroken { return }
            if let open = fields.first(where: { $0.endLine > $0.line }) {
                runOn.append((open, fields.count, false))
            }
            if fields.count != headerCount {
                // A quote left open on its line ran on into the next lines
                // (until another quote closed it): say where it opened.
                if let index = runOn.lastIndex(where: { $0.field.line == line }) {
                    runOn[index].reported = true
                    let open = runOn[index].field
                    rowLog.error(file, open.line, open.column, runOnMessage(open, values: fields.count))
                    return
                }
                let column = fields.count > headerCount ? fields[headerCount].column : (fields.last?.column ?? 1)
                let more = fields.count > headerCount
                rowLog.error(
                    file, line, column,
                    "this row has \(fields.count) values but the first line names \(headerCount) columns; \(more ? "a value with a comma in it needs \"double quotes\" around it" : "add the missing values (empty ones still need their commas)")"
                )
                return
            }
            for field in fields where field.loneCarriageReturn {
                rowLog.warning(
                    file, field.line, field.column,
                    "this quoted value holds a carriage return (CR) without a line feed after it, which some programs count as a line break and others do not; retype the line break inside the value, or remove it"
                )
            }
            var row = CSVRow(file: file, line: line, fields: fields, columns: columnList)
            row.span = span
            body(&row)
            if !row.log.all.isEmpty { rowLog.append(contentsOf: row.log.all) }
        }
        for error in errors {
            if let index = runOn.firstIndex(where: { ($0.field.line + 1...$0.field.endLine).contains(error.line) }) {
                if !runOn[index].reported {
                    runOn[index].reported = true
                    let open = runOn[index].field
                    rowLog.error(file, open.line, open.column, runOnMessage(open, values: runOn[index].values))
                }
                continue
            }
            rowLog.error(file, error.line, error.column, error.message)
        }
        if !headerSeen {
            rowLog.warning(
                file, 1, 1,
                "the file is empty; its first line should name the columns: \((required + optional).joined(separator: ", "))"
            )
        }
        log.append(rowLog)
    }
}
