import MarkdownTree

/// Turns call notes (a Markdown tree) into the markup ``PlainTextLayout``
/// lays out: headings, nested lists with hanging indents, links as
/// numbered references.
public enum NotesText {
    /// The notes as layout markup, or nil when there are none.
    public static func markup(_ blocks: [MarkdownBlock]) -> String? {
        guard !blocks.isEmpty else { return nil }
        var lines: [String] = []
        render(blocks, indent: "", into: &lines, tight: false)
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private static func render(_ blocks: [MarkdownBlock], indent: String, into lines: inout [String], tight: Bool) {
        for block in blocks {
            switch block {
            case .heading(let level, let inlines):
                // The notes sit under the call's own heading (`##`): their
                // `##` sections are underlined with ~, and anything deeper
                // with dots, so the outline still reads in plain text.
                lines.append((level <= 2 ? "### " : "#### ") + inline(inlines))
                lines.append("")
            case .paragraph(let inlines):
                // A line after a hard break is a paragraph of its own at the same indent.
                for part in inline(inlines).split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append(indent + escaped(String(part)))
                }
                if !tight { lines.append("") }
            case .list(let list):
                for (offset, item) in list.items.enumerated() {
                    let marker = list.ordered ? "\(list.start + offset). " : "- "
                    let inner = indent + String(repeating: " ", count: marker.count)
                    var itemLines: [String] = []
                    render(item, indent: inner, into: &itemLines, tight: true)
                    while itemLines.last == "" { itemLines.removeLast() }
                    if let first = itemLines.first, first.hasPrefix(inner) {
                        var body = String(first.dropFirst(inner.count))
                        if body.hasPrefix("\\") { body.removeFirst() }
                        lines.append(indent + marker + body)
                        lines.append(contentsOf: itemLines.dropFirst())
                    } else {
                        lines.append(indent + marker.trimmingTrailingSpace)
                        lines.append(contentsOf: itemLines)
                    }
                }
                if !tight { lines.append("") }
            case .blockQuote(let inner):
                render(inner, indent: indent + "    ", into: &lines, tight: tight)
            case .codeBlock(let code):
                for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append("| " + indent + line)
                }
                if !tight { lines.append("") }
            case .thematicBreak:
                lines.append(indent + "\\* * *")
                lines.append("")
            case .table(let header, let rows):
                for row in rows {
                    let cells = row.enumerated().map { index, cell in
                        let name = index < header.count ? inline(header[index]) : ""
                        return name.isEmpty ? inline(cell) : "\(name): \(inline(cell))"
                    }
                    lines.append(indent + "- " + cells.joined(separator: "; "))
                }
                if !tight { lines.append("") }
            }
        }
    }

    /// Inline content as one line of text (hard breaks as `\n`).
    static func inline(_ inlines: [MarkdownInline]) -> String {
        var text = ""
        for item in inlines {
            switch item {
            case .text(let value): text += value
            case .code(let value): text += value
            // Plain-text mail's conventions: _italics_ and *bold*, both kept.
            case .emphasis(let children): text += "_" + inline(children) + "_"
            case .strikethrough(let children): text += inline(children)
            case .strong(let children): text += "*" + inline(children) + "*"
            case .mention(let handle): text += "@" + handle
            case .softBreak: text += " "
            case .lineBreak: text += "\n"
            case .image(_, let alt): text += alt
            case .link(let link):
                let label = inline(link.children)
                guard let url = LinkPolicy.allowed(link.destination) else {
                    text += label
                    continue
                }
                if url.lowercased().hasPrefix("mailto:") {
                    text += link.isAutolink ? label : "\(label) (\(url.dropFirst(7)))"
                } else if link.isAutolink {
                    text += LinkPolicy.host(of: url) + " <\(url)>"
                } else {
                    text += label + " <\(url)>"
                }
            }
        }
        return text
    }

    /// Protects a paragraph that starts like markup (`# `, `- `, `1. `, `|`, `\`).
    private static func escaped(_ line: String) -> String {
        let body = Substring(line)
        if body.first == "|" || body.first == "\\" || PlainTextLayout.headingLevel(body) != nil
            || PlainTextLayout.listMarker(body) != nil
        {
            return "\\" + line
        }
        return line
    }
}

extension String {
    fileprivate var trimmingTrailingSpace: String {
        var text = Substring(self)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
