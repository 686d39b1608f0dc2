/// How many columns text takes in a monospace font.
enum DisplayWidth {
    /// Columns for `text`: 2 for East Asian wide characters and most emoji,
    /// 0 for combining marks (folded into their grapheme), 1 otherwise.
    static func of<S: StringProtocol>(_ text: S) -> Int {
        // Most text is ASCII: one column a byte, no grapheme breaking needed.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        var total = 0
        for character in text {
            total += of(character)
        }
        return total
    }

    static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.isASCII { return 1 }
        return isWide(scalar.value) ? 2 : 1
    }

    /// The first `columns` columns of `text`, and the rest.
    static func split(_ text: String, at columns: Int) -> (String, String) {
        var used = 0
        var index = text.startIndex
        while index < text.endIndex {
            let next = of(text[index])
            if used + next > columns { break }
            used += next
            index = text.index(after: index)
        }
        if index == text.startIndex, index < text.endIndex { index = text.index(after: index) }
        return (String(text[..<index]), String(text[index...]))
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
