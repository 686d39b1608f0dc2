import CoalitionData
import Wording
import XLSXWriter

/// A value for a cell of the report, written with the right Excel type.
enum ReportCell {
    case text(String)
    case wrappedText(String)
    case number(Int)
    /// A year or another number read as a name: no thousands separator.
    case year(Int)
    case date(LocalDate)
    case month(YearMonth)
    case link(url: String, text: String)
    /// A heading row inside a table ("Coming up"), across the whole row.
    case label(String)
    case empty

    /// The text used to size the column: for dates, the widest a date
    /// shows in `words`' language.
    func display(_ words: Words) -> String {
        switch self {
        case .text(let text), .wrappedText(let text): return text + " "
        case .number(let value): return String(value) + "  "
        case .year: return "2019"
        case .date: return words.date(Self.widestDate, pattern: "format.date.abbreviated")
        case .month: return words.date(Self.widestDate, pattern: "format.month.abbreviated")
        case .link(_, let text): return text + " "
        case .label, .empty: return ""
        }
    }

    /// The cell with its text as `words`' language sets it (French: a
    /// non-breaking space before `: ; ? !`).
    func typeset(_ words: Words) -> ReportCell {
        switch self {
        case .text(let text): return .text(words.typeset(text))
        case .wrappedText(let text): return .wrappedText(words.typeset(text))
        case .link(let url, let text): return .link(url: url, text: words.typeset(text))
        case .label(let text): return .label(words.typeset(text))
        case .number, .year, .date, .month, .empty: return self
        }
    }

    /// A date whose day and month take the most room: 30 September.
    static let widestDate = LocalDate(year: 2019, month: 9, day: 30) ?? LocalDate(daysSinceEpoch: 18169)

    /// Whether the cell shows nothing.
    var isBlank: Bool {
        switch self {
        case .empty: return true
        case .text(let text), .wrappedText(let text): return text.isEmpty
        case .number, .year, .date, .month, .link, .label: return false
        }
    }

    /// Whether the cell holds a number (a count, a year): its
    /// column and header are right-aligned. Dates name their row and read
    /// from the left, as their header does.
    var isNumeric: Bool {
        switch self {
        case .number, .year: return true
        case .date, .month, .text, .wrappedText, .link, .label, .empty: return false
        }
    }
}

/// Writes rows of ``ReportCell`` values and remembers what the caller must
/// hear about (text cut to Excel's cell limit).
struct SheetWriter {
    let sheet: Worksheet
    let style: ReportStyle
    let words: Words
    var widths = ColumnWidths(maximum: 30)
    var warnings: [String] = []
    /// Wrapped text by row and column, to size rows once widths are known.
    private var wrapped: [Int: [(column: Int, text: String)]] = [:]

    init(sheet: Worksheet, style: ReportStyle, words: Words) {
        self.sheet = sheet
        self.style = style
        self.words = words
    }

    mutating func write(_ cell: ReportCell, row: Int, column: Int) throws(XLSXError) {
        // The language's typography over every text, staff's included.
        let cell = cell.typeset(words)
        switch cell {
        case .text(let text):
            if try sheet.write(text, row: row, column: column, format: style.text) { truncated(row, column) }
        case .wrappedText(let text):
            if try sheet.write(text, row: row, column: column, format: style.wrapped) { truncated(row, column) }
            wrapped[row, default: []].append((column, text))
        case .number(let value):
            try sheet.write(number: Double(value), row: row, column: column, format: style.number)
        case .year(let value):
            try sheet.write(number: Double(value), row: row, column: column, format: style.year)
        case .date(let date):
            try sheet.write(
                year: date.year, month: date.month, day: date.day, row: row, column: column, format: style.date)
        case .month(let month):
            try sheet.write(year: month.year, month: month.month, day: 1, row: row, column: column, format: style.month)
        case .link(let url, let text):
            try sheet.write(url: url, text: text, row: row, column: column, format: style.link)
        case .label(let text):
            _ = try sheet.write(text, row: row, column: column, format: style.label)
        case .empty:
            break
        }
        widths.fit(cell.display(words), column: column)
    }

    private mutating func truncated(_ row: Int, _ column: Int) {
        warnings.append(
            "sheet \"\(sheet.name)\" cell \(CellAddress.cell(row: row, column: column)): the text was cut to Excel's limit of 32,767 characters"
        )
    }

    /// A header row (right-aligned over columns of numbers), filter buttons,
    /// the rows, a frozen pane below the header, column widths and the page
    /// setup, with the header row repeated on every printed page. A row
    /// that is a single ``ReportCell/label(_:)`` is a heading across the table.
    /// `notes` follow the table, one a row, in the note style.
    mutating func table(
        headers: [String], rows: [[ReportCell]], page: ReportPage, startRow: Int = 0, notes: [String] = [],
        empty: String, filter: Bool = true
    ) throws(XLSXError) {
        for (column, header) in headers.enumerated() {
            let numeric = rows.contains { row in column < row.count && row[column].isNumeric }
            try sheet.write(header, row: startRow, column: column, format: numeric ? style.headerRight : style.header)
            // Headers wrap onto two lines rather than widen a column of
            // short numbers: fit the longest word or half the header.
            let longestWord = header.split(separator: " ").map(\.count).max() ?? 0
            widths.fit(String(repeating: "x", count: max(longestWord, (header.count + 1) / 2)), column: column)
        }
        let last = startRow + max(rows.count, 1)
        if filter {
            try sheet.autofilter(firstRow: startRow, firstColumn: 0, lastRow: last, lastColumn: headers.count - 1)
        }
        for (offset, row) in rows.enumerated() {
            if row.count == 1, case .label = row[0] {
                for column in 1..<headers.count {
                    try sheet.writeBlank(row: startRow + 1 + offset, column: column, format: style.label)
                }
            }
            for (column, cell) in row.enumerated() {
                try write(cell, row: startRow + 1 + offset, column: column)
            }
        }
        if rows.isEmpty {
            _ = try sheet.write(empty, row: startRow + 1, column: 0, format: style.note)
        }
        for (index, note) in notes.enumerated() {
            _ = try sheet.write(note, row: last + 2 + index, column: 0, format: style.note)
        }
        sheet.freezePanes(row: startRow + 1, column: 0)
        try applyWidths()
        try sheet.setRow(startRow, height: headerHeight(headers))
        try page.apply(to: sheet, repeatRows: startRow...startRow)
    }

    /// Sets column widths, then the height of rows with wrapped text: no
    /// reader grows rows for wrapped text reliably (LibreOffice does not on
    /// load), so the lines are laid out here as the readers lay them out
    /// (``CellTextLayout``), the widest cell of the row deciding.
    func applyWidths() throws(XLSXError) {
        for (column, width) in widths.columns {
            try sheet.setColumns(column, column, width: width)
        }
        let layout = CellTextLayout()
        for (row, cells) in wrapped.sorted(by: { $0.key < $1.key }) {
            let lines = cells.map { layout.lines($0.text, columnWidth: widths.width($0.column)) }.max() ?? 1
            // Excel's tallest row is 409 points.
            if lines > 1 { try sheet.setRow(row, height: min(409, layout.height(lines: lines))) }
        }
    }

    /// The height of a header row: its longest header wrapped in bold,
    /// and 6 points above and below it (the header is centred), so the
    /// first row of figures has room under the header.
    func headerHeight(_ headers: [String]) -> Double {
        let layout = CellTextLayout(bold: true)
        let lines = headers.enumerated().map { layout.lines($1, columnWidth: widths.width($0)) }.max() ?? 1
        return max(26, layout.height(lines: lines) + 12)
    }
}
