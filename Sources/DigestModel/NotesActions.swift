import CoalitionData
import MarkdownTree
import Wording

/// Keeps a call's own "Ways to get involved" list from repeating the
/// digest's Get involved section under it.
///
/// Staff copy the call's notes whole, and the notes often end with a list
/// of ways to take part that `actions.csv` also holds. In a section whose
/// heading is one of the language's `notes.get_involved_headings`, an item
/// that names an action the digest offers (every word of four letters or
/// more of the action's title appears in the item) is left to Get involved, and a line says so;
/// other items (register for a summit, read a plan) stay where they are.
public enum NotesActions {
    /// `notes` without the items Get involved shows; `actions` are those of
    /// a digest already in `words`' language (``Digest/localized(to:)``).
    public static func trimmed(_ notes: [MarkdownBlock], offering actions: [Action], words: Words) -> [MarkdownBlock] {
        let headings = Set(
            words.text("notes.get_involved_headings").split(separator: "|").map { normalized(String($0)) })
        // The digest is in the language already: its actions' titles too.
        // Words of four letters or more: articles and prepositions change
        // with the phrasing ("le questionnaire sur la justice de genre",
        // "le questionnaire sur les organisations de justice de genre").
        let titles = actions.map { Set(tokens($0.title).filter { $0.count > 3 }) }.filter { !$0.isEmpty }
        guard !titles.isEmpty else { return notes }
        var result: [MarkdownBlock] = []
        var sectionLevel: Int?
        var removed = 0
        var kept = 0
        func closeSection() {
            guard sectionLevel != nil, removed > 0 else { return }
            let key = kept == 0 ? "notes.get_involved.all" : "notes.get_involved.some"
            result.append(.paragraph([.emphasis([.text(words.text(key, ["section": words.text("t.get_involved")]))])]))
        }
        for block in notes {
            if case .heading(let level, let inlines) = block {
                if let open = sectionLevel, level <= open {
                    closeSection()
                    sectionLevel = nil
                }
                if sectionLevel == nil, headings.contains(normalized(inlines.map(\.plainText).joined())) {
                    sectionLevel = level
                    removed = 0
                    kept = 0
                }
                result.append(block)
                continue
            }
            guard sectionLevel != nil, case .list(var list) = block else {
                result.append(block)
                continue
            }
            let items = list.items.filter { item in
                let said = Set(tokens(item.map(plainText).joined(separator: " ")))
                return !titles.contains { $0.isSubset(of: said) }
            }
            removed += list.items.count - items.count
            kept += items.count
            list.items = items
            if !items.isEmpty { result.append(.list(list)) }
        }
        closeSection()
        return result
    }

    /// The words of `text`, lower-cased: letters and digits.
    static func tokens(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    static func normalized(_ text: String) -> String { tokens(text).joined(separator: " ") }

    static func plainText(_ block: MarkdownBlock) -> String {
        switch block {
        case .heading(_, let inlines), .paragraph(let inlines): return inlines.map(\.plainText).joined()
        case .list(let list): return list.items.flatMap { $0 }.map(plainText).joined(separator: " ")
        case .blockQuote(let blocks): return blocks.map(plainText).joined(separator: " ")
        case .codeBlock(let text): return text
        case .thematicBreak: return ""
        case .table(let header, let rows):
            return (header + rows.flatMap { $0 }).map { $0.map(\.plainText).joined() }.joined(separator: " ")
        }
    }
}
