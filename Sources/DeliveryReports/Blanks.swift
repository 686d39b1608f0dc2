/// Spaces, tabs and line ends cut from either end, and ASCII case
/// compared, on UTF-8 bytes: Foundation's `trimmingCharacters(in:)` and
/// `caseInsensitiveCompare` go through NSString on Linux and took most of
/// the time of reading ten thousand reports.
enum Blanks {
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 || byte == 10 }

    /// `text` without blanks at either end.
    static func trim(_ text: String) -> String { trim(text[...]) }

    /// `text` without blanks at either end.
    static func trim(_ text: Substring) -> String {
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !isBlank($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !isBlank($0) }) ?? first
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// `bytes` without blanks at either end.
    static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = bytes.firstIndex(where: { !isBlank($0) }) else { return bytes[bytes.endIndex...] }
        let last = bytes.lastIndex(where: { !isBlank($0) }) ?? first
        return bytes[first...last]
    }

    /// Whether `a` and `b` are equal, ASCII letters in either case.
    static func same(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        let a = a.utf8
        let b = b.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            guard lower(x) == lower(y) else { return false }
        }
        return true
    }

    /// `text` with its ASCII letters in lower case.
    static func lowercased(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.map(lower), as: UTF8.self)
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}
