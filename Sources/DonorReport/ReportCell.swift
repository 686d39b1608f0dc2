import CoalitionData
import XLSXWriter

/// A value for a cell of the report, written with the right Excel type.
enum ReportCell {
    case text(String)
    case wrappedText(String)
    case number(Int)
    case date(LocalDate)
    case month(YearMonth)
    case link(url: String, text: String)
    case empty

    /// The text used to size the column.
    var display: String {
        switch self {
        case .text(let text), .wrappedText(let text): return text
        case .number(let value): return String(value) + "  "
        case .date: return "2019-06-11"
        case .month: return "Sep 2019"
        case .link(_, let text): return text
        case .empty: return ""
        }
    }
}

/// Writes rows of ``ReportCell`` values and remembers what the caller must
/// hear about (text cut to Excel's cell limit).
struct SheetWriter {
    let sheet: Worksheet
    let style: ReportStyle
    var widths = ColumnWidths(maximum: 45)
    var warnings: [String] = []
    /// Wrapped text by row and column, to size rows once widths are known.
    private var wrapped: [Int: [(column: Int, text: String)]] = [:]

    init(sheet: Worksheet, style: ReportStyle) {
        self.sheet = sheet
        self.style = style
    }

    mutating func write(_ cell: ReportCell, row: Int, column: Int) throws(XLSXError) {
        switch cell {
        case .text(let text):
            if try sheet.write(text, row: row, column: column, format: style.text) { truncated(row, column) }
        case .wrappedText(let text):
            if try sheet.write(text, row: row, column: column, format: style.wrapped) { truncated(row, column) }
            wrapped[row, default: []].append((column, text))
        case .number(let value):
            try sheet.write(number: Double(value), row: row, column: column, format: style.number)
        case .date(let date):
            try sheet.write(
                year: date.year, month: date.month, day: date.day, row: row, column: column, format: style.date)
        case .month(let month):
            try sheet.write(year: month.year, month: month.month, day: 1, row: row, column: column, format: style.month)
        case .link(let url, let text):
            try sheet.write(url: url, text: text, row: row, column: column, format: style.link)
        case .empty:
            break
        }
        widths.fit(cell.display, column: column)
    }

    private mutating func truncated(_ row: Int, _ column: Int) {
        warnings.append(
            "sheet \"\(sheet.name)\" cell \(CellAddress.cell(row: row, column: column)): the text was cut to Excel's limit of 32,767 characters"
        )
    }

    /// A header row, a frozen pane below it, the rows, filters or an Excel
    /// table over them, column widths and print setup.
    mutating func table(
        headers: [String], rows: [[ReportCell]], startRow: Int = 0, excelTable: String? = nil
    ) throws(XLSXError) {
        let last = startRow + max(rows.count, 1)
        if let excelTable, !rows.isEmpty {
            try sheet.addTable(
                name: excelTable, firstRow: startRow, firstColumn: 0, lastRow: startRow + rows.count,
                lastColumn: headers.count - 1, columns: headers)
            for (column, header) in headers.enumerated() { widths.fit(header, column: column) }
        } else {
            for (column, header) in headers.enumerated() {
                try sheet.write(header, row: startRow, column: column, format: style.header)
                widths.fit(header, column: column)
            }
            try sheet.setRow(startRow, height: 20)
            try sheet.autofilter(
                firstRow: startRow, firstColumn: 0, lastRow: last, lastColumn: headers.count - 1)
        }
        for (offset, row) in rows.enumerated() {
            for (column, cell) in row.enumerated() {
                try write(cell, row: startRow + 1 + offset, column: column)
            }
        }
        if rows.isEmpty {
            try sheet.write("Nothing in this period.", row: startRow + 1, column: 0, format: style.note)
        }
        sheet.freezePanes(row: startRow + 1, column: 0)
        try applyWidths()
        try sheet.printSetup(repeatRows: startRow...startRow)
    }

    /// Sets column widths, then the height of rows with wrapped text: no
    /// reader grows rows for wrapped text reliably (LibreOffice does not on
    /// load), so the lines are counted here, up to eight a row.
    func applyWidths() throws(XLSXError) {
        for (column, width) in widths.columns {
            try sheet.setColumns(column, column, width: width)
        }
        for (row, cells) in wrapped.sorted(by: { $0.key < $1.key }) {
            let lines =
                cells.map { cell -> Int in
                    let perLine = max(1, Int((widths.width(cell.column) - 2) / 1.1))
                    let length = cell.text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) }
                    return (length + perLine - 1) / perLine
                }.max() ?? 1
            if lines > 1 { try sheet.setRow(row, height: 15 * Double(min(lines, 8))) }
        }
    }
}
