/// RFC 2047 encoded words, for header text that is not plain ASCII.
public enum EncodedWord {
    /// True when `text` can go into a header as it is: printable ASCII and
    /// spaces, with no word too long to fold (a header line may not pass
    /// 998 characters, and folding happens only at spaces), and nothing a
    /// mail program would decode as an encoded word (`=?`): such text is
    /// encoded itself, so `=?UTF-8?B?4oCu?=` in a name reaches the reader as
    /// those characters, not as the control they encode.
    public static func isPlain(_ text: String) -> Bool {
        var run = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            guard byte >= 32 && byte < 127 else { return false }
            if previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return false }
            run = byte == 32 ? 0 : run + 1
            if run > 76 { return false }
            previous = byte
        }
        return true
    }

    /// Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
    /// U+2066–U+2069): a subject or name holding one could read in a
    /// misleading order in an inbox, and nothing there isolates it.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// `text` without bidirectional controls.
    public static func withoutBidiControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBidiControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isBidiControl($0) }))
    }

    /// `text` as one or more `=?UTF-8?B?…?=` words separated by a space, each
    /// at most 75 characters and never splitting a character. Plain ASCII
    /// text is returned unchanged.
    ///
    /// - Parameter firstWordLimit: the most characters the first word may
    ///   take, so that it fits on the header's first line after the name.
    /// Bidirectional controls are dropped.
    public static func encode(_ text: String, firstWordLimit: Int = 75) -> String {
        guard !isPlain(text) else { return text }
        let text = withoutBidiControls(text)
        guard !isPlain(text) else { return text }
        // A word is "=?UTF-8?B?" + base64 + "?=": 12 characters plus 4 for
        // every 3 bytes. 75 characters hold 45 bytes.
        func capacity(_ limit: Int) -> Int { max(3, (min(limit, 75) - 12) / 4 * 3) }
        var limit = capacity(firstWordLimit)
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > limit, !chunk.isEmpty {
                limit = capacity(75)
                words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=")
                chunk = []
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=") }
        return words.joined(separator: " ")
    }
}

/// Base64 (RFC 4648) without line breaks.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let a = bytes[index]
            let b = index + 1 < bytes.count ? bytes[index + 1] : 0
            let c = index + 2 < bytes.count ? bytes[index + 2] : 0
            output.append(alphabet[Int(a >> 2)])
            output.append(alphabet[Int((a & 0x03) << 4 | b >> 4)])
            output.append(index + 1 < bytes.count ? alphabet[Int((b & 0x0F) << 2 | c >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < bytes.count ? alphabet[Int(c & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
