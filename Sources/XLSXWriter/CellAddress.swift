/// A1-style names for cells and ranges, as formulas and charts need them.
public enum CellAddress {
    /// Excel's last row index (0-based): 1,048,576 rows.
    public static let maxRow = 1_048_575
    /// Excel's last column index (0-based): 16,384 columns (XFD).
    public static let maxColumn = 16_383

    /// `A`, `Z`, `AA` for 0-based column 0, 25, 26.
    public static func column(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// `B3` for row 2, column 1 (0-based).
    public static func cell(row: Int, column: Int) -> String {
        self.column(column) + String(row + 1)
    }

    /// `'Sheet name'!$A$2:$A$13` for use in formulas and chart series.
    public static func range(
        sheet: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int
    ) -> String {
        "\(quoted(sheet))!$\(column(firstColumn))$\(firstRow + 1):$\(column(lastColumn))$\(lastRow + 1)"
    }

    /// A sheet name as formulas write it: quoted, with quotes doubled.
    public static func quoted(_ sheet: String) -> String {
        "'" + sheet.replacingApostrophes + "'"
    }
}

extension String {
    var replacingApostrophes: String {
        var result = ""
        for character in self {
            result.append(character)
            if character == "'" { result.append("'") }
        }
        return result
    }
}
