import CCmarkGFM
import Foundation

/// Parses GitHub-flavoured Markdown with cmark-gfm into ``MarkdownBlock`` values.
///
/// The GFM extensions `autolink`, `strikethrough` and `table` are enabled.
/// Raw HTML (blocks and inline) is dropped, and `@handle` in text becomes
/// ``MarkdownInline/mention(_:)``. Parsing never fails: CommonMark gives every
/// input a meaning.
public enum MarkdownParser {
    /// Parses `text` into blocks.
    ///
    /// - Parameter text: Markdown source, UTF-8.
    /// - Returns: the document's top-level blocks.
    public static func parse(_ text: String) -> [MarkdownBlock] {
        _ = registration
        // cmark-gfm 0.29 keeps the inline parser's table of special characters
        // in a global that attaching (and freeing) extensions changes, so two
        // parsers running at once can lose each other's autolinks. Parsing is
        // quick; one parser at a time.
        lock.lock()
        defer { lock.unlock() }
        // CMARK_OPT_DEFAULT already replaces raw HTML by a comment in cmark's own
        // renderers; we never use those renderers, and skip HTML nodes below.
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return [] }
        defer { cmark_parser_free(parser) }
        for name in ["autolink", "strikethrough", "table"] {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var source = text
        source.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        return blocks(under: document)
    }

    /// cmark-gfm keeps its extensions in a global registry; registering once
    /// (a Swift global is initialised exactly once, thread-safely) is enough.
    private static let registration: Void = cmark_gfm_core_extensions_ensure_registered()

    private static let lock = NSLock()

    private static func children(of node: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            result.append(current)
            child = cmark_node_next(current)
        }
        return result
    }

    private static func blocks(under node: OpaquePointer) -> [MarkdownBlock] {
        children(of: node).compactMap(block)
    }

    private static func typeString(_ node: OpaquePointer) -> String {
        cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
    }

    private static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private static func block(_ node: OpaquePointer) -> MarkdownBlock? {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_PARAGRAPH:
            return .paragraph(inlines(under: node))
        case CMARK_NODE_HEADING:
            return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(under: node))
        case CMARK_NODE_LIST:
            let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            let items = children(of: node).map { blocks(under: $0) }
            let start = ordered ? Int(cmark_node_get_list_start(node)) : 1
            return .list(MarkdownList(ordered: ordered, start: start, items: items))
        case CMARK_NODE_BLOCK_QUOTE:
            return .blockQuote(blocks(under: node))
        case CMARK_NODE_CODE_BLOCK:
            var code = literal(node)
            if code.hasSuffix("\n") { code.removeLast() }
            return .codeBlock(code)
        case CMARK_NODE_THEMATIC_BREAK:
            return .thematicBreak
        case CMARK_NODE_HTML_BLOCK:
            return nil
        default:
            if typeString(node) == "table" { return table(node) }
            // Unknown extension blocks: keep their text as paragraphs.
            let inner = blocks(under: node)
            return inner.isEmpty ? nil : .blockQuote(inner)
        }
    }

    private static func table(_ node: OpaquePointer) -> MarkdownBlock {
        var header: [[MarkdownInline]] = []
        var rows: [[[MarkdownInline]]] = []
        for row in children(of: node) {
            let cells = children(of: row).map { inlines(under: $0) }
            if typeString(row) == "table_header" {
                header = cells
            } else {
                rows.append(cells)
            }
        }
        return .table(header: header, rows: rows)
    }

    private static func inlines(under node: OpaquePointer) -> [MarkdownInline] {
        var result: [MarkdownInline] = []
        for child in children(of: node) {
            result.append(contentsOf: inline(child))
        }
        return mergeText(result)
    }

    private static func inline(_ node: OpaquePointer) -> [MarkdownInline] {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT:
            return Mention.split(literal(node))
        case CMARK_NODE_SOFTBREAK:
            return [.softBreak]
        case CMARK_NODE_LINEBREAK:
            return [.lineBreak]
        case CMARK_NODE_CODE:
            return [.code(literal(node))]
        case CMARK_NODE_HTML_INLINE:
            return []
        case CMARK_NODE_EMPH:
            return [.emphasis(inlines(under: node))]
        case CMARK_NODE_STRONG:
            return [.strong(inlines(under: node))]
        case CMARK_NODE_LINK:
            let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            // Inside a link, an @handle is link text, not a mention.
            let kids = inlines(under: node).map { inline -> MarkdownInline in
                if case .mention(let handle) = inline { return .text("@" + handle) }
                return inline
            }
            let text = mergeText(kids).map(\.plainText).joined()
            let isAutolink =
                text == destination || "http://" + text == destination || "mailto:" + text == destination
            let link = MarkdownLink(
                destination: destination, children: mergeText(kids), isAutolink: isAutolink,
                line: Int(cmark_node_get_start_line(node)))
            return [.link(link)]
        case CMARK_NODE_IMAGE:
            let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            let alt = inlines(under: node).map(\.plainText).joined()
            return [.image(destination: destination, alt: alt)]
        default:
            if typeString(node) == "strikethrough" { return [.strikethrough(inlines(under: node))] }
            return inlines(under: node)
        }
    }

    /// Joins neighbouring text runs, which cmark splits at every special character.
    private static func mergeText(_ inlines: [MarkdownInline]) -> [MarkdownInline] {
        var result: [MarkdownInline] = []
        for inline in inlines {
            if case .text(let next) = inline, next.isEmpty { continue }
            if case .text(let next) = inline, case .text(let previous)? = result.last {
                result[result.count - 1] = .text(previous + next)
            } else {
                result.append(inline)
            }
        }
        return result
    }
}
