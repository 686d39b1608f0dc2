import CXlsxWriter

/// A worksheet of a ``Workbook``. Rows and columns count from 0.
///
/// Every write checks the cell against Excel's grid and, in constant-memory
/// mode, that rows come in order; every libxlsxwriter failure becomes an
/// ``XLSXError`` naming the sheet and cell. Text is always written as text:
/// a value such as `=HYPERLINK(…)` or `+1` from the data stays a string.
public final class Worksheet {
    let handle: UnsafeMutablePointer<lxw_worksheet>
    let workbook: Workbook
    /// The sheet's name.
    public let name: String
    private var currentRow = -1

    /// Excel's limit on the characters of one cell.
    public static let maxCellCharacters = 32_767

    init(handle: UnsafeMutablePointer<lxw_worksheet>, workbook: Workbook, name: String) {
        self.handle = handle
        self.workbook = workbook
        self.name = name
    }

    private func where_(_ row: Int, _ column: Int) -> String {
        "sheet \"\(name)\" cell \(CellAddress.cell(row: max(row, 0), column: max(column, 0)))"
    }

    private func check(_ row: Int, _ column: Int) throws(XLSXError) {
        try workbook.checkOpen(where_(row, column))
        guard (0...CellAddress.maxRow).contains(row), (0...CellAddress.maxColumn).contains(column) else {
            throw XLSXError(
                .outOfRange, "outside Excel's grid of 1,048,576 rows and 16,384 columns",
                context: "sheet \"\(name)\" row \(row + 1) column \(column + 1)")
        }
        if workbook.constantMemory {
            if row < currentRow {
                throw XLSXError(
                    .rowOutOfOrder,
                    "in constant-memory mode rows are written in order; row \(currentRow + 1) was already begun",
                    context: where_(row, column))
            }
            currentRow = row
        }
    }

    private func cFormat(_ format: Format?) -> UnsafeMutablePointer<lxw_format>? { format?.handle }

    /// Writes text. Text over 32,767 characters is cut to fit, and the
    /// result says so (`true`), so the caller can warn.
    ///
    /// A literal `_xHHHH_` in the text stays text: the file format reads it
    /// as the character U+HHHH (Excel and LibreOffice show `_x000D_` as a
    /// line break), so its `_` is written as `_x005F_`, as the format
    /// requires and libxlsxwriter 1.1.4 does not.
    @discardableResult
    public func write(_ text: String, row: Int, column: Int, format: Format? = nil) throws(XLSXError) -> Bool {
        try check(row, column)
        var value = Self.escapingCharacterReferences(text)
        var truncated = false
        // Excel counts characters, libxlsxwriter 1.1.4 bytes: keep within both.
        if value.utf8.count > Self.maxCellCharacters {
            var cut = Substring(value)
            while cut.utf8.count > Self.maxCellCharacters {
                cut = cut.dropLast(max(1, (cut.utf8.count - Self.maxCellCharacters) / 4))
            }
            value = String(cut)
            truncated = true
        }
        try XLSXError.check(
            worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), value, cFormat(format)),
            where_(row, column))
        return truncated
    }

    /// `text` with the `_` of every `_xHHHH_` written as `_x005F_`.
    static func escapingCharacterReferences(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 7, bytes.contains(UInt8(ascii: "_")) else { return text }
        func isHex(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 12)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "_"), index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"),
                isHex(bytes[index + 2]), isHex(bytes[index + 3]), isHex(bytes[index + 4]), isHex(bytes[index + 5]),
                bytes[index + 6] == UInt8(ascii: "_")
            {
                output.append(contentsOf: Array("_x005F".utf8))
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes a number.
    public func write(number: Double, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        try check(row, column)
        try XLSXError.check(
            worksheet_write_number(handle, lxw_row_t(row), lxw_col_t(column), number, cFormat(format)),
            where_(row, column))
    }

    /// Writes a date as a real Excel date; give it a format with a date
    /// number format (`yyyy-mm-dd`), or it shows as a serial number.
    public func write(year: Int, month: Int, day: Int, row: Int, column: Int, format: Format?) throws(XLSXError) {
        try check(row, column)
        var date = lxw_datetime(year: Int32(year), month: Int32(month), day: Int32(day), hour: 0, min: 0, sec: 0)
        try XLSXError.check(
            worksheet_write_datetime(handle, lxw_row_t(row), lxw_col_t(column), &date, cFormat(format)),
            where_(row, column))
    }

    /// Writes a formula with its result, which libxlsxwriter cannot compute:
    /// readers that do not recalculate show `cached`.
    ///
    /// - Throws: ``XLSXError/Code/emptyFormula`` for an empty formula.
    public func write(formula: String, cached: Double, row: Int, column: Int, format: Format? = nil) throws(XLSXError) {
        try check(row, column)
        let body = formula.hasPrefix("=") ? formula.dropFirst() : Substring(formula)
        guard body.contains(where: { !$0.isWhitespace }) else {
            throw XLSXError(.emptyFormula, "a formula cannot be empty", context: where_(row, column))
        }
        try XLSXError.check(
            worksheet_write_formula_num(handle, lxw_row_t(row), lxw_col_t(column), formula, cFormat(format), cached),
            where_(row, column))
    }

    /// Writes a link showing `text` (the address itself when nil).
    public func write(url: String, text: String? = nil, row: Int, column: Int, format: Format? = nil) throws(XLSXError)
    {
        try check(row, column)
        try XLSXError.check(
            worksheet_write_url_opt(
                handle, lxw_row_t(row), lxw_col_t(column), url, cFormat(format),
                Self.escapingCharacterReferences(text ?? url), nil),
            where_(row, column))
    }

    /// Writes an empty cell that still carries a format.
    public func writeBlank(row: Int, column: Int, format: Format?) throws(XLSXError) {
        try check(row, column)
        try XLSXError.check(
            worksheet_write_blank(handle, lxw_row_t(row), lxw_col_t(column), cFormat(format)), where_(row, column))
    }

    /// Sets the width (in characters of the default font) of columns `first…last`.
    public func setColumns(_ first: Int, _ last: Int, width: Double, format: Format? = nil) throws(XLSXError) {
        try workbook.checkOpen("sheet \"\(name)\" columns")
        try XLSXError.check(
            worksheet_set_column(handle, lxw_col_t(first), lxw_col_t(last), width, cFormat(format)),
            "sheet \"\(name)\" columns \(CellAddress.column(first))…\(CellAddress.column(last))")
    }

    /// Sets a row's height in points.
    public func setRow(_ row: Int, height: Double, format: Format? = nil) throws(XLSXError) {
        try workbook.checkOpen("sheet \"\(name)\" row \(row + 1)")
        try XLSXError.check(
            worksheet_set_row(handle, lxw_row_t(row), height, cFormat(format)), "sheet \"\(name)\" row \(row + 1)")
    }

    /// Keeps rows above `row` and columns left of `column` in view.
    public func freezePanes(row: Int, column: Int) {
        worksheet_freeze_panes(handle, lxw_row_t(row), lxw_col_t(column))
    }

    /// Adds filter buttons to a header row over a range.
    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws(XLSXError) {
        try workbook.checkOpen("sheet \"\(name)\" filter")
        try XLSXError.check(
            worksheet_autofilter(
                handle, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn)),
            "sheet \"\(name)\" filter")
    }

    /// Makes the range an Excel table with a header row, filters and bands.
    /// The header row holds `columns`; write the data cells as usual.
    ///
    /// - Throws: ``XLSXError/Code/notInConstantMemoryMode`` in constant-memory mode.
    public func addTable(
        name tableName: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int, columns: [String],
        style: Int = 2
    ) throws(XLSXError) {
        let context = "sheet \"\(name)\" table \(tableName)"
        try workbook.checkOpen(context)
        if workbook.constantMemory {
            throw XLSXError(
                .notInConstantMemoryMode, "tables cannot be added in constant-memory mode", context: context)
        }
        if let problem = Workbook.definedNameProblem(tableName) {
            throw XLSXError(.invalidDefinedName, problem, context: context)
        }
        let result = LXW.withCStrings([tableName] + columns) { strings in
            var columnStructs = (1..<strings.count).map { index -> lxw_table_column in
                var column = lxw_table_column()
                column.header = strings[index]
                return column
            }
            return columnStructs.withUnsafeMutableBufferPointer { buffer in
                var pointers: [UnsafeMutablePointer<lxw_table_column>?] = []
                if let base = buffer.baseAddress {
                    for index in 0..<buffer.count { pointers.append(base + index) }
                }
                pointers.append(nil)  // libxlsxwriter reads the list up to a NULL
                return pointers.withUnsafeMutableBufferPointer { list in
                    var options = lxw_table_options()
                    options.name = strings[0]
                    options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_MEDIUM.rawValue)
                    options.style_type_number = UInt8(style)
                    options.columns = list.baseAddress
                    return worksheet_add_table(
                        handle, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow),
                        lxw_col_t(lastColumn), &options)
                }
            }
        }
        try XLSXError.check(result, context)
    }

    /// Merges a range into one cell holding `text`.
    ///
    /// - Throws: ``XLSXError/Code/notInConstantMemoryMode`` in constant-memory mode.
    public func merge(
        _ text: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int, format: Format? = nil
    ) throws(XLSXError) {
        let context =
            "sheet \"\(name)\" cells \(CellAddress.cell(row: firstRow, column: firstColumn)):\(CellAddress.cell(row: lastRow, column: lastColumn))"
        try workbook.checkOpen(context)
        if workbook.constantMemory {
            throw XLSXError(
                .notInConstantMemoryMode, "cells cannot be merged in constant-memory mode", context: context)
        }
        try XLSXError.check(
            worksheet_merge_range(
                handle, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn), text,
                cFormat(format)), context)
    }

    /// Places a chart with its top-left corner at a cell, scaled from its
    /// default 480 × 288 pixels, and moved right and down by `xOffset` and
    /// `yOffset` pixels (which may reach past the cell: the anchor moves on
    /// to the cell the point falls in).
    public func insert(
        _ chart: Chart, row: Int, column: Int, xScale: Double = 1, yScale: Double = 1, xOffset: Int = 0,
        yOffset: Int = 0
    ) throws(XLSXError) {
        let context = "sheet \"\(name)\" chart at \(CellAddress.cell(row: row, column: column))"
        try workbook.checkOpen(context)
        var options = lxw_chart_options()
        options.x_scale = xScale
        options.y_scale = yScale
        options.x_offset = Int32(clamping: xOffset)
        options.y_offset = Int32(clamping: yOffset)
        try XLSXError.check(
            worksheet_insert_chart_opt(handle, lxw_row_t(row), lxw_col_t(column), chart.handle, &options), context)
    }

    /// Print setup: landscape pages on `paper`, fit to one page wide (and
    /// to `pagesTall` pages tall when given), the rows `repeatRows` (a
    /// header) at the top of every page, and a page header and footer.
    ///
    /// - Parameters:
    ///   - header: the page header in Excel's codes (`&L`, `&C`, `&R` for
    ///     left, centre, right; `&A` the sheet's name; `&P` and `&N` page
    ///     and pages). Text from data must go through ``headerText(_:)``.
    /// - Throws: ``XLSXError`` when a header or footer is longer than
    ///   Excel's 255 characters.
    public func printSetup(
        landscape: Bool = true, paper: Paper = .a4, pagesTall: Int? = nil, repeatRows: ClosedRange<Int>? = nil,
        header: String? = nil, footer: String? = nil
    ) throws(XLSXError) {
        let context = "sheet \"\(name)\" print setup"
        try workbook.checkOpen(context)
        if landscape { worksheet_set_landscape(handle) }
        worksheet_fit_to_pages(handle, 1, UInt16(clamping: pagesTall ?? 0))
        worksheet_set_paper(handle, paper.rawValue)
        worksheet_set_margins(handle, 0.4, 0.4, 0.6, 0.6)
        if let rows = repeatRows {
            try XLSXError.check(
                worksheet_repeat_rows(handle, lxw_row_t(rows.lowerBound), lxw_row_t(rows.upperBound)), context)
        }
        if let header { try XLSXError.check(worksheet_set_header(handle, header), context + ", header") }
        if let footer { try XLSXError.check(worksheet_set_footer(handle, footer), context + ", footer") }
    }

    /// Paper sizes, as Excel numbers them.
    public enum Paper: UInt8, Sendable, CaseIterable {
        /// US Letter, 8.5 × 11 in.
        case letter = 1
        /// A4, 210 × 297 mm.
        case a4 = 9
    }

    /// `text` as literal text inside a page header or footer: `&` starts
    /// one of Excel's codes there, so it is doubled; line breaks become spaces.
    public static func headerText(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&&"
            case "\n", "\r", "\r\n": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}
