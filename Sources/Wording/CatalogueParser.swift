/// Reads PO syntax line by line, over the file's UTF-8 bytes.
///
/// Every process that writes words reads a catalogue first, so this works
/// on bytes, not characters: the syntax (keywords, quotes, escapes,
/// comments) is all ASCII, and the text between quotes is copied as it is.
/// A column is counted in characters only when an error needs one.
struct CatalogueParser {
    let file: String
    let text: [UInt8]

    private struct Pending {
        var key: String?
        var keyLine = 0
        var source: String?
        var sourcePlural: String?
        var translations: [Int: String] = [:]
        var translationPlaces: [Int: Catalogue.Entry.Place] = [:]
        var comment: [String] = []
        var firstLine = 0
    }

    /// Which string a continuation line adds to.
    private enum Field {
        case key, source, sourcePlural, translation(Int)
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let hash = UInt8(ascii: "#")

    /// One line: where it starts (for columns) and where it ends, without
    /// its line break.
    private struct Line {
        var number: Int
        var start: Int
        var end: Int
    }

    private func error(_ line: Line, at position: Int, _ message: String) -> CatalogueError {
        let column = String(decoding: text[line.start..<position], as: UTF8.self).count + 1
        return CatalogueError(file: file, line: line.number, column: column, message: message)
    }

    func error(_ line: Int, _ column: Int, _ message: String) -> CatalogueError {
        CatalogueError(file: file, line: line, column: column, message: message)
    }

    private func skipBlanks(_ position: Int, _ end: Int) -> Int {
        var position = position
        while position < end, text[position] == Self.space || text[position] == Self.tab { position += 1 }
        return position
    }

    private func starts(_ position: Int, _ end: Int, with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard end - position >= count else { return false }
        return prefix.withUTF8Buffer { bytes in
            for offset in 0..<count where text[position + offset] != bytes[offset] { return false }
            return true
        }
    }

    mutating func parse() throws(CatalogueError) -> ([String: String], [Catalogue.Entry]) {
        var header: [String: String] = [:]
        var entries: [Catalogue.Entry] = []
        var seen: [String: Int] = [:]
        var pending = Pending()
        var field: Field?

        func finish() throws(CatalogueError) {
            defer {
                pending = Pending()
                field = nil
            }
            guard pending.source != nil || pending.key != nil || !pending.translations.isEmpty else { return }
            guard let source = pending.source else {
                throw error(pending.firstLine, 1, "this entry has no msgid; every entry needs one")
            }
            guard let key = pending.key else {
                if source.isEmpty {
                    // The header: "Name: value" lines in its msgstr.
                    for line in (pending.translations[0] ?? "").split(separator: "\n") {
                        guard let colon = line.firstIndex(of: ":") else { continue }
                        header[Self.trimmed(line[..<colon])] = Self.trimmed(line[line.index(after: colon)...])
                    }
                    return
                }
                throw error(
                    pending.firstLine, 1,
                    "this entry has no msgctxt; every entry is found by its msgctxt (such as \"petition.heading\")")
            }
            if let first = seen[key] {
                throw error(pending.keyLine, 1, "msgctxt \"\(key)\" is already on line \(first); keep one of the two")
            }
            seen[key] = pending.keyLine
            let count = (pending.translations.keys.max() ?? 0) + 1
            let translations = (0..<count).map { pending.translations[$0] ?? "" }
            var entry = Catalogue.Entry(
                key: key, source: source, sourcePlural: pending.sourcePlural, translations: translations,
                comment: pending.comment.joined(separator: " "), line: pending.keyLine)
            entry.translationPlaces = (0..<count).map {
                pending.translationPlaces[$0] ?? Catalogue.Entry.Place(line: pending.keyLine, column: 1)
            }
            entries.append(entry)
        }

        var start = 0
        var number = 0
        while start <= text.count {
            number += 1
            var end = start
            while end < text.count, text[end] != UInt8(ascii: "\n") { end += 1 }
            let next = end + 1
            if end > start, text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            defer { start = next }
            let line = Line(number: number, start: start, end: end)
            let first = skipBlanks(start, end)
            if first == end {
                try finish()
                continue
            }
            if text[first] == Self.hash {
                // A comment after a complete entry starts the next one.
                if field != nil, case .translation = field { try finish() }
                if pending.firstLine == 0 { pending.firstLine = number }
                if starts(first, end, with: "#.") {
                    var last = end
                    while last > first + 2, text[last - 1] == Self.space || text[last - 1] == Self.tab { last -= 1 }
                    let start = skipBlanks(first + 2, last)
                    pending.comment.append(String(decoding: text[start..<last], as: UTF8.self))
                }
                continue
            }
            if text[first] == Self.quote {
                guard let current = field else {
                    throw error(line, at: first, "a quoted line must continue a msgctxt, msgid or msgstr above it")
                }
                let value = try string(line, from: first)
                switch current {
                case .key: pending.key = (pending.key ?? "") + value
                case .source: pending.source = (pending.source ?? "") + value
                case .sourcePlural: pending.sourcePlural = (pending.sourcePlural ?? "") + value
                case .translation(let index): pending.translations[index, default: ""] += value
                }
                continue
            }
            var space = first
            while space < end, text[space] != Self.space, text[space] != Self.tab { space += 1 }
            guard space < end else {
                throw error(line, at: first, "expected a keyword (msgctxt, msgid, msgstr) and a quoted text")
            }
            let keyword = String(decoding: text[first..<space], as: UTF8.self)
            let value = try string(line, from: skipBlanks(space, end))
            switch keyword {
            case "msgctxt":
                if pending.source != nil || pending.key != nil { try finish() }
                if pending.firstLine == 0 { pending.firstLine = number }
                pending.key = value
                pending.keyLine = number
                field = .key
            case "msgid":
                if pending.source != nil { try finish() }
                if pending.firstLine == 0 { pending.firstLine = number }
                if pending.keyLine == 0 { pending.keyLine = number }
                pending.source = value
                field = .source
            case "msgid_plural":
                pending.sourcePlural = value
                field = .sourcePlural
            case "msgstr":
                pending.translations[0] = value
                pending.translationPlaces[0] = Catalogue.Entry.Place(
                    line: number, column: skipBlanks(space, end) - start + 1)
                field = .translation(0)
            default:
                if keyword.hasPrefix("msgstr["), keyword.hasSuffix("]"),
                    let index = Int(keyword.dropFirst(7).dropLast()), (0..<6).contains(index)
                {
                    pending.translations[index] = value
                    pending.translationPlaces[index] = Catalogue.Entry.Place(
                        line: number, column: skipBlanks(space, end) - start + 1)
                    field = .translation(index)
                } else {
                    throw error(
                        line, at: first,
                        "\"\(keyword)\" is not a catalogue keyword; use msgctxt, msgid, msgid_plural, msgstr or msgstr[N]"
                    )
                }
            }
        }
        try finish()
        return (header, entries)
    }

    /// The text of the quoted string at `position`, its escapes undone.
    private func string(_ line: Line, from position: Int) throws(CatalogueError) -> String {
        guard position < line.end, text[position] == Self.quote else {
            throw error(line, at: position, "the text must be in double quotes")
        }
        var result: [UInt8] = []
        var index = position + 1
        while index < line.end {
            let byte = text[index]
            if byte == Self.backslash {
                guard index + 1 < line.end else { break }
                let escape = text[index + 1]
                switch escape {
                case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): result.append(Self.tab)
                case UInt8(ascii: "r"): result.append(UInt8(ascii: "\r"))
                case Self.quote, Self.backslash: result.append(escape)
                default:
                    let shown = String(decoding: text[(index + 1)..<min(index + 5, line.end)], as: UTF8.self)
                        .prefix(1)
                    throw error(
                        line, at: position,
                        "\\\(shown) is not an escape a catalogue may hold; use \\n, \\t, \\\" or \\\\")
                }
                index += 2
            } else if byte == Self.quote {
                guard skipBlanks(index + 1, line.end) == line.end else {
                    throw error(line, at: position, "text after the closing quote; put it inside the quotes")
                }
                return String(decoding: result, as: UTF8.self)
            } else {
                result.append(byte)
                index += 1
            }
        }
        throw error(
            line, at: position, "the quoted text is never closed; add the closing \" at the end of the line")
    }

    /// `text` without spaces and tabs at either end.
    static func trimmed(_ text: Substring) -> String {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start] == " " || text[start] == "\t" { start = text.index(after: start) }
        while end > start {
            let before = text.index(before: end)
            guard text[before] == " " || text[before] == "\t" else { break }
            end = before
        }
        return String(text[start..<end])
    }
}
