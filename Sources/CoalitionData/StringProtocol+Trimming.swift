extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (any Unicode
    /// space separator): what `trimmingCharacters(in: .whitespaces)` gives,
    /// without a round trip through Foundation's NSString on every value.
    var trimmedSpaces: SubSequence {
        func isSpace(_ character: Character) -> Bool {
            character.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
        }
        var start = startIndex
        var end = endIndex
        while start < end, isSpace(self[start]) { start = index(after: start) }
        while end > start, isSpace(self[index(before: end)]) { end = index(before: end) }
        return self[start..<end]
    }
}
