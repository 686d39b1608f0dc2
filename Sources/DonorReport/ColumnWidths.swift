/// Column widths worked out from the content: libxlsxwriter cannot autofit.
struct ColumnWidths {
    private var widths: [Int: Double] = [:]
    /// The widest a column gets; longer text wraps.
    let maximum: Double

    init(maximum: Double = 60) {
        self.maximum = maximum
    }

    /// Notes a value shown in `column`.
    mutating func fit(_ text: String, column: Int) {
        // Excel's unit is roughly one digit of the default font; a little
        // margin keeps text off the border. Wide characters count double.
        var units = 0.0
        for scalar in text.unicodeScalars { units += scalar.value > 0x2E80 ? 2 : 1 }
        widths[column] = min(maximum, max(widths[column] ?? 6, units * 1.1 + 2))
    }

    /// Notes a width, in characters, that `column` needs.
    mutating func fit(width: Double, column: Int) {
        widths[column] = max(widths[column] ?? 6, width)
    }

    /// The width for `column`.
    func width(_ column: Int) -> Double { widths[column] ?? 10 }

    /// Every column with a width, in order.
    var columns: [(Int, Double)] { widths.sorted { $0.key < $1.key } }
}
