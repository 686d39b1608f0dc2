/// French typography's space before `:`, `;`, `?` and `!`: a non-breaking
/// space (U+00A0), so the sign never starts a line in a narrow column or
/// a wrapped plain-text line.
///
/// The digests apply it to everything they print in French, what staff
/// wrote included; `digest check` names each ordinary space in staff's
/// French text, so the files read as the digests do.
public enum FrenchSpacing {
    /// The non-breaking space French puts before `: ; ? !`.
    public static let space: Character = "\u{00A0}"

    /// `text` with every ordinary space (U+0020) directly before `:`,
    /// `;`, `?` or `!` made non-breaking. A sign followed by a letter or a
    /// digit is left alone (`10 :00` is not French punctuation, and a
    /// query string has no space), and so is everything else.
    public static func apply(_ text: String) -> String {
        guard text.utf8.contains(32), text.utf8.contains(where: isHighSign) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        var characters = text.makeIterator()
        var pendingSpace = false
        var current = characters.next()
        while let character = current {
            let next = characters.next()
            if character == " " {
                if pendingSpace { result.append(" ") }
                pendingSpace = true
            } else {
                if pendingSpace {
                    result.append(breaksBefore(character, followedBy: next) ? " " : space)
                    pendingSpace = false
                }
                result.append(character)
            }
            current = next
        }
        if pendingSpace { result.append(" ") }
        return result
    }

    /// Where `text` has an ordinary space before `: ; ? !`: for each, the
    /// sign and its column (from 1, counting characters) in its line and
    /// the line (from 0, counting `\n`), for a warning at the place.
    public static func plainSpaces(in text: String) -> [(sign: Character, line: Int, column: Int)] {
        guard text.utf8.contains(32), text.utf8.contains(where: isHighSign) else { return [] }
        var found: [(sign: Character, line: Int, column: Int)] = []
        let characters = Array(text)
        var line = 0
        var column = 1
        for index in characters.indices {
            let character = characters[index]
            if character == "\n" {
                line += 1
                column = 1
                continue
            }
            if character == " ", index + 1 < characters.count,
                !breaksBefore(
                    characters[index + 1], followedBy: index + 2 < characters.count ? characters[index + 2] : nil)
            {
                found.append((characters[index + 1], line, column))
            }
            column += 1
        }
        return found
    }

    /// What `digest check` says of an ordinary space before `sign` in
    /// staff's French text.
    public static func warning(_ sign: Character) -> String {
        "an ordinary space before \"\(sign)\": French puts a non-breaking space before : ; ? ! (the digests print one; type it here too, U+00A0, so the file reads as members see it)"
    }

    /// Whether an ordinary space may stay before `character`: it is not
    /// one of the four signs, or the sign runs into a word.
    private static func breaksBefore(_ character: Character, followedBy next: Character?) -> Bool {
        guard ":;?!".contains(character) else { return true }
        guard let next else { return false }
        return next.isLetter || next.isNumber
    }

    private static func isHighSign(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ":") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "!")
    }
}
