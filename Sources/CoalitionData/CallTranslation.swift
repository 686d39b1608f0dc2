import Foundation
import MarkdownTree

/// A call's title and notes in another language, kept beside the original:
/// `calls/2019-06-11.fr.md` translates `calls/2019-06-11.md`.
///
/// Only words are translated: the date, time, attendance, countries and
/// links stay in the original file, so a translation cannot disagree with
/// the record. Its front matter is optional and holds at most `title`.
public struct CallTranslation: Sendable {
    /// The language tag (`fr`).
    public var language: String
    /// The call's title in that language, if given.
    public var title: String?
    /// The notes in that language; empty when the file has none.
    public var notes: [MarkdownBlock]
    /// The file, as diagnostics name it.
    public var file: String

    /// Reads a translation file: optionally `---`, `title: …`, `---`, then
    /// the notes in Markdown.
    static func parse(_ text: String, file: String, language: String, log: inout DiagnosticLog) -> CallTranslation? {
        let text = text.utf8.contains(UInt8(ascii: "\r")) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        var translation = CallTranslation(language: language, title: nil, notes: [], file: file)
        var body = lines[...]
        if let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" {
            guard
                let closing = lines.dropFirst().firstIndex(where: {
                    $0.trimmingCharacters(in: .whitespaces) == "---"
                })
            else {
                log.error(
                    file, 1, 1, "the details at the top are never closed; add a line of three dashes (---) after them")
                return nil
            }
            let frontMatter = lines[1..<closing].joined(separator: "\n")
            if !frontMatter.allSatisfy(\.isWhitespace) {
                guard let map = YAMLMapping.parse(frontMatter, file: file, lineOffset: 1, log: &log) else { return nil }
                for (keyNode, _) in map.mapping {
                    guard let key = keyNode.scalar?.string, key != "title" else { continue }
                    let at = map.location(keyNode)
                    log.warning(
                        file, at.line, at.column,
                        "a translation holds only the title and the notes; \(key) is taken from the original file, so this line is ignored"
                    )
                }
                if let title = map.scalar("title", log: &log) {
                    if title.value.contains(where: \.isNewline) {
                        log.error(file, title.line, title.column, "title must be on one line; remove the line break")
                    } else {
                        translation.title = title.value
                    }
                }
            }
            body = lines[(closing + 1)...]
        }
        translation.notes = MarkdownParser.parse(body.joined(separator: "\n"))
        if language == "fr" || language.hasPrefix("fr-") {
            // French typography, named at its place (the first of each line).
            let offset = lines.count - body.count
            for (index, line) in body.enumerated() {
                guard let first = FrenchSpacing.plainSpaces(in: String(line)).first else { continue }
                log.warning(file, offset + index + 1, first.column, FrenchSpacing.warning(first.sign))
            }
            if let title = translation.title, let first = FrenchSpacing.plainSpaces(in: title).first {
                log.warning(file, 2, 1, "title: " + FrenchSpacing.warning(first.sign))
            }
        }
        return translation
    }
}
