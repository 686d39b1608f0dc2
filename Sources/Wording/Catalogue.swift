import Foundation

/// One language's words as a translator keeps them: a gettext PO file
/// (`templates/words/fr.po`), which ordinary editors and translation tools
/// (Poedit, Weblate, Lokalize) open.
///
/// Each entry is keyed by its `msgctxt` (`petition.forecast.reached`); its
/// `msgid` is the English text, and `msgstr` the translation (an empty one
/// means the `msgid` itself, as in the English catalogue). Entries with
/// `msgid_plural` have a `msgstr[N]` for each of the language's plural
/// forms. A `#.` comment says where the words appear. Placeholders are
/// names in braces, `{count}`, kept as they are in every language.
public struct Catalogue: Sendable {
    /// One entry.
    public struct Entry: Sendable, Equatable {
        /// The key (`msgctxt`).
        public var key: String
        /// The English text (`msgid`).
        public var source: String
        /// The English plural (`msgid_plural`), for counted entries.
        public var sourcePlural: String?
        /// The translations: one, or one per plural form. Empty strings
        /// mean "not translated".
        public var translations: [String]
        /// The `#.` comments: where the words appear.
        public var comment: String
        /// The line of the entry's `msgctxt`.
        public var line: Int
    }

    /// The file, as diagnostics name it.
    public let file: String
    /// The header's fields (`Language`, `Plural-Forms`…).
    public let header: [String: String]
    /// The entries, in file order.
    public let entries: [Entry]

    /// Reads a catalogue.
    ///
    /// - Throws: ``CatalogueError`` naming the file, line and column.
    public init(text: String, file: String) throws(CatalogueError) {
        var parser = CatalogueParser(file: file, lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        let (header, entries) = try parser.parse()
        self.file = file
        self.header = header
        self.entries = entries
    }

    /// Reads the catalogue at `path`.
    public init(path: String) throws(CatalogueError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CatalogueError(
                file: path, line: 1, column: 1,
                message:
                    "there is no catalogue of words here; the templates folder needs words/en.po (restore it from the repository) and one file for each other language"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogueError(
                file: path, line: 1, column: 1, message: "the catalogue cannot be read; check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CatalogueError(
                file: path, line: 1, column: 1, message: "the catalogue is not UTF-8; save it as UTF-8")
        }
        try self.init(text: text, file: path)
    }
}

/// A problem in a catalogue, at its place.
public struct CatalogueError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file.
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int
    /// What is wrong and how to fix it.
    public var message: String

    /// `file:line:column: error: message`.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// Reads PO syntax line by line.
struct CatalogueParser {
    let file: String
    let lines: [Substring]

    private struct Pending {
        var key: String?
        var keyLine = 0
        var source: String?
        var sourcePlural: String?
        var translations: [Int: String] = [:]
        var comment: [String] = []
        var firstLine = 0
    }

    /// Which string a continuation line adds to.
    private enum Field {
        case key, source, sourcePlural, translation(Int)
    }

    func error(_ line: Int, _ column: Int, _ message: String) -> CatalogueError {
        CatalogueError(file: file, line: line, column: column, message: message)
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
                        header[line[..<colon].trimmingCharacters(in: .whitespaces)] =
                            line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
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
            entries.append(
                Catalogue.Entry(
                    key: key, source: source, sourcePlural: pending.sourcePlural, translations: translations,
                    comment: pending.comment.joined(separator: " "), line: pending.keyLine))
        }

        for (offset, raw) in lines.enumerated() {
            let number = offset + 1
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty {
                try finish()
                continue
            }
            if trimmed.hasPrefix("#") {
                // A comment after a complete entry starts the next one.
                if field != nil, case .translation = field { try finish() }
                if pending.firstLine == 0 { pending.firstLine = number }
                if trimmed.hasPrefix("#.") {
                    pending.comment.append(trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces))
                }
                continue
            }
            let column = line.count - trimmed.count + 1
            if trimmed.hasPrefix("\"") {
                guard let current = field else {
                    throw error(number, column, "a quoted line must continue a msgctxt, msgid or msgstr above it")
                }
                let text = try string(trimmed, line: number, column: column)
                switch current {
                case .key: pending.key = (pending.key ?? "") + text
                case .source: pending.source = (pending.source ?? "") + text
                case .sourcePlural: pending.sourcePlural = (pending.sourcePlural ?? "") + text
                case .translation(let index): pending.translations[index, default: ""] += text
                }
                continue
            }
            guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw error(number, column, "expected a keyword (msgctxt, msgid, msgstr) and a quoted text")
            }
            let keyword = trimmed[..<space]
            let valueStart = trimmed[space...].drop { $0 == " " || $0 == "\t" }
            let valueColumn = line.count - valueStart.count + 1
            let value = try string(valueStart, line: number, column: valueColumn)
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
                field = .translation(0)
            default:
                if keyword.hasPrefix("msgstr["), keyword.hasSuffix("]"),
                    let index = Int(keyword.dropFirst(7).dropLast()), (0..<6).contains(index)
                {
                    pending.translations[index] = value
                    field = .translation(index)
                } else {
                    throw error(
                        number, column,
                        "\"\(keyword)\" is not a catalogue keyword; use msgctxt, msgid, msgid_plural, msgstr or msgstr[N]"
                    )
                }
            }
        }
        try finish()
        return (header, entries)
    }

    /// The text of a quoted string, its escapes undone.
    func string(_ text: Substring, line: Int, column: Int) throws(CatalogueError) -> String {
        guard text.first == "\"" else { throw error(line, column, "the text must be in double quotes") }
        var result = ""
        var escaped = false
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                case "\"", "\\": result.append(character)
                default:
                    throw error(
                        line, column, "\\\(character) is not an escape a catalogue may hold; use \\n, \\t, \\\" or \\\\"
                    )
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                let rest = text[text.index(after: index)...]
                guard rest.allSatisfy({ $0 == " " || $0 == "\t" }) else {
                    throw error(line, column, "text after the closing quote; put it inside the quotes")
                }
                return result
            } else {
                result.append(character)
            }
            index = text.index(after: index)
        }
        throw error(line, column, "the quoted text is never closed; add the closing \" at the end of the line")
    }
}
