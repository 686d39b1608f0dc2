import Foundation

/// Lays out the plain-text digest: wraps, indents and numbers links.
///
/// Templates write *logical* lines, one paragraph or list item per line, in
/// a small markup that staff can read (templates/README.md documents it):
///
/// - `# Title`, `## Section`, `### Subsection`, `#### Part`: headings,
///   underlined with `=`, `-`, `~` and `.`.
/// - `- item`, `* item`, `1. item`, indented by any number of spaces: list
///   items, wrapped with a hanging indent under their text.
/// - `| text`: kept exactly as written (the `| ` is removed): tables of
///   times, code.
/// - `\text`: a paragraph even if it looks like markup (the `\` is removed).
/// - anything else: a paragraph, wrapped, keeping its leading spaces.
/// - `--` alone: the signature separator, written `-- ` (RFC 3676).
/// - `<https://…>` anywhere: replaced by a numbered reference `[1]`; the
///   addresses are listed, numbered, at the end under "Links".
///
/// Output is UTF-8 text with `\n` line ends, wrapped at ``width`` columns
/// (East Asian wide characters count two). No line is longer than
/// ``width`` unless it holds a single word that cannot be broken, such as a
/// long address in the link list.
public struct PlainTextLayout: Sendable {
    /// The wrapping column: 72, the traditional width for email.
    public var width: Int = 72
    /// The heading over the numbered links at the end (`Links`).
    public var linksHeading: String

    /// Creates a layout whose list of links is headed `linksHeading`.
    public init(width: Int = 72, linksHeading: String) {
        self.width = width
        self.linksHeading = linksHeading
    }

    /// Lays out `markup`.
    public func layout(_ markup: String) -> String {
        var references = ReferenceList()
        var output: [String] = []
        var blank = true  // suppress leading blank lines
        // A template saved with CRLF line ends gives "\r\n", one Character in Swift.
        let markup =
            markup.utf8.contains(13) ? markup.replacingOccurrences(of: "\r\n", with: "\n") : markup
        // Split on bytes: splitting on Characters runs grapheme breaking over
        // the whole digest, which was a quarter of the layout's time.
        for rawLine in markup.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            while line.last == " " || line.last == "\t" || line.last == "\r" { line.removeLast() }
            if line.isEmpty {
                if !blank { output.append("") }
                blank = true
                continue
            }
            blank = false
            if line == "--" {
                // The signature separator is "-- " with its space (RFC 3676):
                // mail programs fold or grey out what follows.
                output.append("-- ")
                continue
            }
            if line.first == "|" {
                var verbatim = line.dropFirst()
                if verbatim.first == " " { verbatim.removeFirst() }
                output.append(references.replace(in: String(verbatim)))
                continue
            }
            if line.first == "\\" {
                output.append(
                    contentsOf: wrap(references.replace(in: String(line.dropFirst())), indent: "", hanging: ""))
                continue
            }
            if let level = Self.headingLevel(line) {
                let hashes = line.prefix { $0 == "#" }.count
                let text = references.replace(in: String(line.dropFirst(hashes + 1)))
                let lines = wrap(text, indent: "", hanging: "")
                output.append(contentsOf: lines)
                let underline = min(width, lines.map(DisplayWidth.of).max() ?? 0)
                output.append(String(repeating: ["=", "-", "~", "."][level - 1], count: max(underline, 3)))
                continue
            }
            let indentCount = line.prefix { $0 == " " }.count
            let indent = String(repeating: " ", count: indentCount)
            let body = line.dropFirst(indentCount)
            if let marker = Self.listMarker(body) {
                let text = references.replace(in: String(body.dropFirst(marker.count)))
                let hanging = indent + String(repeating: " ", count: marker.count)
                output.append(contentsOf: wrap(text, indent: indent + marker, hanging: hanging))
            } else {
                output.append(contentsOf: wrap(references.replace(in: String(body)), indent: indent, hanging: indent))
            }
        }
        while output.last == "" { output.removeLast() }
        if !references.isEmpty {
            output.append("")
            output.append(linksHeading)
            output.append(String(repeating: "-", count: DisplayWidth.of(linksHeading)))
            output.append(contentsOf: references.lines)
        }
        let text = output.joined(separator: "\n") + "\n"
        // A "<" from the data was kept out of link numbering; it is text again.
        guard text.utf8.contains(0xEE) else { return text }
        return String(text.map { $0 == DigestTextContentType.lessThan ? "<" : $0 })
    }

    /// 1 to 4 for `# ` to `#### ` (deeper levels count as 4).
    static func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return min(hashes, 4)
    }

    /// `- `, `* `, `12. ` or `3) ` at the start of `text`, with its space.
    static func listMarker(_ text: Substring) -> String? {
        if text.hasPrefix("- ") || text.hasPrefix("* ") || text.hasPrefix("• ") { return String(text.prefix(2)) }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard (1...3).contains(digits.count) else { return nil }
        let rest = text.dropFirst(digits.count)
        guard rest.hasPrefix(". ") || rest.hasPrefix(") ") else { return nil }
        return String(text.prefix(digits.count + 2))
    }

    /// Greedy word wrap. The first line starts with `indent`, later lines with
    /// `hanging`. A word wider than the room left is broken, unless it is an
    /// address, which gets a line of its own.
    func wrap(_ text: String, indent: String, hanging: String) -> [String] {
        var lines: [String] = []
        var current = indent
        var currentWidth = DisplayWidth.of(indent)
        var empty = true
        let words = text.utf8.split(separator: 32, omittingEmptySubsequences: true)
        for word in words {
            var word = String(Substring(word))
            var wordWidth = DisplayWidth.of(word)
            let gap = empty ? 0 : 1
            if currentWidth + gap + wordWidth <= width {
                if !empty { current.append(" ") }
                current.append(word)
                currentWidth += gap + wordWidth
                empty = false
                continue
            }
            if !empty {
                lines.append(current)
                current = hanging
                currentWidth = DisplayWidth.of(hanging)
                empty = true
            }
            let room = max(width - currentWidth, 20)
            if wordWidth > room && !Self.isAddress(word) {
                // Break an over-long word that is not an address into pieces.
                while wordWidth > room {
                    let (head, tail) = DisplayWidth.split(word, at: room)
                    lines.append(current + head)
                    current = hanging
                    currentWidth = DisplayWidth.of(hanging)
                    word = tail
                    wordWidth = DisplayWidth.of(word)
                }
            }
            current.append(word)
            currentWidth += wordWidth
            empty = false
        }
        if !empty || lines.isEmpty { lines.append(current) }
        return lines.map { line in
            var line = Substring(line)
            while line.last == " " { line.removeLast() }
            return String(line)
        }
    }

    static func isAddress(_ word: String) -> Bool {
        let lower = word.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:")
            || lower.hasPrefix("www.")
            || (lower.utf8.contains(UInt8(ascii: "@")) && lower.utf8.contains(UInt8(ascii: ".")))
    }
}

/// Numbered references for `<url>` markers.
struct ReferenceList {
    private var numbers: [String: Int] = [:]
    private var urls: [String] = []

    var isEmpty: Bool { urls.isEmpty }

    /// `[1] https://…` lines, in order of first appearance.
    var lines: [String] {
        urls.enumerated().map { "[\($0.offset + 1)] \($0.element)" }
    }

    /// Replaces every `<http…>` or `<mailto:…>` in `text` by `[n]`, joined to
    /// the word before it by a space (or standing alone at the start).
    mutating func replace(in text: String) -> String {
        guard text.utf8.contains(60) else { return text }  // "<"
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            let lower = after.prefix(8).lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:"),
                let close = after.firstIndex(of: ">"),
                !after[..<close].contains(where: { $0 == " " || $0 == "<" })
            else {
                result += rest[...open]
                rest = after
                continue
            }
            let url = String(after[..<close])
            let number: Int
            if let known = numbers[url] {
                number = known
            } else {
                urls.append(url)
                number = urls.count
                numbers[url] = number
            }
            var before = rest[..<open]
            while before.last == " " { before.removeLast() }
            result += before
            result += (result.isEmpty ? "" : " ") + "[\(number)]"
            rest = after[after.index(after: close)...]
        }
        result += rest
        return result
    }
}
