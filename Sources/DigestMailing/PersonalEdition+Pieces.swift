import CoalitionData
import DigestModel
import DigestRender
import MIME
import Wording

extension PersonalEdition {
    /// Quoted-printable `text` appended to `output`, its line starting at `column`.
    static func encode(_ text: String, column: Int, into output: inout [UInt8]) {
        var text = text
        var column = column
        text.withUTF8 { QuotedPrintable.encode($0, into: &output, column: &column, next: nil) }
    }

    /// A line to fill in: its leading text encoded once.
    static func linePiece(_ parts: [Part]) -> Piece {
        guard case .text(let first)? = parts.first, parts.count > 1 else {
            return .line(parts, prefix: [], column: 0)
        }
        var prefix: [UInt8] = []
        var column = 0
        var text = first
        // Stand-ins are never a line break, so a space before one stays a space.
        text.withUTF8 { QuotedPrintable.encode($0, into: &prefix, column: &column, next: UInt8(ascii: "x")) }
        return .line(Array(parts.dropFirst()), prefix: prefix, column: column)
    }

    /// The greeting as the plain-text layout writes it: most greetings are
    /// short plain ASCII and stand as they are; others go through the layout.
    func textGreeting(_ greeting: String) -> String {
        let plain =
            greeting.utf8.count <= renderer.layout.width
            && greeting.utf8.allSatisfy { byte in
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x20 || byte == 0x2C
                    || byte == 0x2E || byte == 0x27
            }
            && greeting.utf8.first.map { $0 != 0x20 } == true && !greeting.contains("  ")
            && greeting.utf8.last != 0x20
        return plain ? greeting + "\n" : renderer.textParagraph(greeting)
    }

    /// The "From your country" block: plain-text markup and HTML.
    static func blocks(_ news: CountryNews, renderer: DigestRenderer) throws(RenderError) -> (String, String) {
        let value = ViewValue(reflecting: news)
        var markup = try renderer.textMarkup("country-news.txt", value)
        while markup.hasSuffix("\n") { markup.removeLast() }
        var html = try renderer.page("html/country-news.html", value)
        while html.hasSuffix("\n") { html.removeLast() }
        return (markup, html)
    }

    /// `value` with the `personal` object the templates test for:
    /// `greeting`, `country_news` (the block), `local_time` (the next call
    /// at the member's own time: the sentence in the plain text, the
    /// paragraph in the HTML).
    static func withPersonal(_ value: ViewValue, greeting: String, countryNews: String?, localTime: String?)
        -> ViewValue
    {
        guard case .object(var object) = value else { return value }
        object["personal"] = .object([
            "greeting": .string(greeting), "country_news": countryNews.map(ViewValue.string) ?? .null,
            "local_time": localTime.map(ViewValue.string) ?? .null,
        ])
        return .object(object)
    }

    /// A line with the stand-ins replaced.
    static func fill(_ parts: [Part], greeting: String, token: String) -> String {
        var line = ""
        for part in parts {
            switch part {
            case .text(let text): line += text
            case .greeting: line += greeting
            case .token: line += token
            }
        }
        return line
    }

    /// A line cut at its stand-ins (found once, when the digest is prepared).
    static func parts(_ line: String) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            let greeting = rest.range(of: greetingMark)
            let token = rest.range(of: tokenMark)
            guard let next = [greeting, token].compactMap({ $0 }).min(by: { $0.lowerBound < $1.lowerBound }) else {
                parts.append(.text(String(rest)))
                break
            }
            if next.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<next.lowerBound]))) }
            parts.append(next == greeting ? .greeting : .token)
            rest = rest[next.upperBound...]
        }
        return parts
    }

    /// Cuts a rendered body into shared runs and lines to fill in.
    ///
    /// In the plain text the greeting stands alone on its line, replaced
    /// whole by the laid-out greeting, and the country block's line takes
    /// the blank line after it along, so a member without news gets no gap.
    static func pieces(_ body: String, isText: Bool) -> [Piece] {
        var pieces: [Piece] = []
        var shared = ""
        func flush() {
            if !shared.isEmpty { pieces.append(.shared(Array(QuotedPrintable.encode(shared).utf8))) }
            shared = ""
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let isLast = index == lines.count - 1
            let line = String(lines[index]) + (isLast ? "" : "\n")
            index += 1
            if line.isEmpty { continue }
            if line.contains(countryMark) {
                flush()
                pieces.append(.country)
                if isText, index < lines.count - 1, lines[index].isEmpty { index += 1 }
            } else if line.contains(localTimeMark) {
                flush()
                pieces.append(.localTime)
                if isText, index < lines.count - 1, lines[index].isEmpty { index += 1 }
            } else if isText, line == greetingMark + "\n" {
                flush()
                pieces.append(linePiece([.greeting]))
            } else if line.contains(greetingMark) || line.contains(tokenMark) {
                flush()
                pieces.append(linePiece(parts(line)))
            } else {
                shared += line
            }
        }
        flush()
        return pieces
    }
}
