/// How many lines a wrapped cell takes when Excel or LibreOffice lays it
/// out, so rows can be given their height: libxlsxwriter cannot autofit, and
/// LibreOffice does not grow rows on load.
///
/// The workbook's font is Calibri 11 (LibreOffice shows it in Carlito, made
/// with the same widths): text is measured with Carlito's advance widths
/// (``CarlitoMetrics``) at 96 pixels an inch and wrapped at spaces and
/// after hyphens, inside the column's width less the cell's margins and
/// indent. The column's width is counted as LibreOffice counts it (a
/// width of 30 is 228 pixels; Excel's rounded digit makes it 215, so
/// Excel may wrap a line LibreOffice keeps; the row height's spare points
/// absorb that). Measured against
/// LibreOffice's PDF of the sample workbook (Tests/python/test_workbook.py):
/// every cell's line count as predicted.
struct CellTextLayout {
    /// The font size in points.
    var fontSize = 11.0
    /// Bold text (headers) is wider.
    var bold = false
    /// Indent levels (each three spaces' width, about 10 pixels).
    var indent = 1

    /// The points a line of 11-point text takes in a row. The readers
    /// differ: Excel spaces wrapped lines by Calibri's Windows metrics
    /// (13.4 points), LibreOffice by Carlito's ascent and descent (11.1
    /// points, measured on its PDF). 13 points and 2 for the row's margin
    /// keep Excel's lines whole and leave LibreOffice's rows at most about
    /// one line of room.
    static let lineHeight = 13.0

    /// A digit of Carlito 11 in pixels: the unit of column widths.
    static let digit = 1038 / CarlitoMetrics.unitsPerEm * 11 * 96 / 72

    /// The pixels of a column `width` characters wide, as LibreOffice
    /// counts them: libxlsxwriter writes the width Excel will show (its
    /// pixels, 7 a digit and 5 of padding, over 7, in 256ths), and
    /// LibreOffice gives each of those a digit of Carlito.
    static func pixels(ofColumnWidth width: Double) -> Double {
        let excel = width < 1 ? (width * 12).rounded() : (width * 7).rounded() + 5
        return (excel / 7 * 256).rounded(.down) / 256 * digit
    }

    /// The width of `text` in pixels.
    func width(_ text: Substring) -> Double {
        let scale = fontSize * 96 / 72 / CarlitoMetrics.unitsPerEm
        var units = 0.0
        for scalar in text.unicodeScalars { units += Self.advance(scalar, bold: bold) }
        return units * scale
    }

    /// Carlito's advance for `scalar`; wide (CJK) characters take a whole
    /// em, other characters outside the table a digit's width.
    static func advance(_ scalar: Unicode.Scalar, bold: Bool) -> Double {
        let value = scalar.value
        for (index, range) in CarlitoMetrics.ranges.enumerated() where range.contains(value) {
            let table = bold ? CarlitoMetrics.bold : CarlitoMetrics.regular
            return Double(table[index][Int(value - range.lowerBound)])
        }
        if value < 0x20 { return 0 }
        return value >= 0x2E80 ? CarlitoMetrics.unitsPerEm : 1038
    }

    /// The lines `text` takes in a column `columnWidth` characters wide:
    /// each paragraph wrapped at spaces, a word longer than the line broken
    /// where it overflows.
    func lines(_ text: String, columnWidth: Double) -> Int {
        // Margins: 2 pixels a side, and the indent (measured: a cell of
        // width 30.7 with one indent holds 214 pixels of text, not 216).
        let available = max(8, Self.pixels(ofColumnWidth: columnWidth) - 4 - Double(indent) * 10)
        let space = width(" ")
        var count = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var lines = 1
            var used = 0.0
            for word in Self.pieces(paragraph) {
                var wordWidth = width(word.text)
                let gap = word.joined || used == 0 ? 0 : space
                let needed = used + gap + wordWidth
                if needed <= available {
                    used = needed
                    continue
                }
                if used > 0 { lines += 1 }
                // A word wider than the line breaks where it overflows.
                while wordWidth > available {
                    lines += 1
                    wordWidth -= available
                }
                used = wordWidth
            }
            count += lines
        }
        return max(count, 1)
    }

    /// The column width, in characters, that shows `text` on one line.
    func columnWidth(_ text: String) -> Double {
        let pixels = width(Substring(text)) + 6 + Double(indent) * 10
        return (pixels / Self.digit * 2).rounded(.up) / 2
    }

    /// The pieces a line may break between: words, and the parts of a
    /// hyphenated word (`access-`, `to-`, `justice`), which join without a space.
    static func pieces(_ paragraph: Substring) -> [(text: Substring, joined: Bool)] {
        var result: [(text: Substring, joined: Bool)] = []
        for word in paragraph.split(separator: " ") {
            var start = word.startIndex
            var joined = false
            var index = word.startIndex
            while index < word.endIndex {
                let next = word.index(after: index)
                // A hyphen between letters is a break opportunity after it.
                if word[index] == "-", index > word.startIndex, next < word.endIndex {
                    result.append((word[start..<next], joined))
                    start = next
                    joined = true
                }
                index = next
            }
            result.append((word[start..<word.endIndex], joined))
        }
        return result
    }

    /// The row height in points for text of `lines` lines.
    func height(lines: Int) -> Double {
        (Self.lineHeight * fontSize / 11 * Double(lines) + 2).rounded()
    }
}
