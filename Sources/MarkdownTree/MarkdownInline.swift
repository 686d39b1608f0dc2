/// Inline content of a Markdown block.
///
/// Inline HTML is dropped by the parser, like raw HTML blocks.
public enum MarkdownInline: Equatable, Sendable {
    /// Plain text.
    case text(String)
    /// Emphasis (`*word*`).
    case emphasis([MarkdownInline])
    /// Strong emphasis (`**word**`).
    case strong([MarkdownInline])
    /// Struck-through text (`~~word~~`).
    case strikethrough([MarkdownInline])
    /// Inline code.
    case code(String)
    /// A link; `destination` is exactly as written (renderers decide which
    /// schemes they accept). `isAutolink` is true for bare URLs and `<url>`.
    case link(MarkdownLink)
    /// An image, kept only as its alt text and address.
    case image(destination: String, alt: String)
    /// A social handle such as `@staceycram`, without the `@`.
    case mention(String)
    /// A soft line break (a newline inside a paragraph): a space when reflowed.
    case softBreak
    /// A hard line break.
    case lineBreak
}

/// A link in Markdown text, with where it was written.
public struct MarkdownLink: Equatable, Sendable {
    /// The address as written.
    public var destination: String
    /// The link text.
    public var children: [MarkdownInline]
    /// True for a bare URL or `<url>`, whose text is the address itself.
    public var isAutolink: Bool
    /// Line of the link in the parsed text, counting from 1 (0 when unknown).
    public var line: Int

    /// Creates a link.
    public init(destination: String, children: [MarkdownInline], isAutolink: Bool = false, line: Int = 0) {
        self.destination = destination
        self.children = children
        self.isAutolink = isAutolink
        self.line = line
    }

    /// The link text with all formatting removed.
    public var plainText: String { children.map(\.plainText).joined() }
}

extension MarkdownInline {
    /// The text of this inline with all formatting removed.
    public var plainText: String {
        switch self {
        case .text(let text), .code(let text): return text
        case .emphasis(let children), .strong(let children), .strikethrough(let children):
            return children.map(\.plainText).joined()
        case .link(let link): return link.plainText
        case .image(_, let alt): return alt
        case .mention(let handle): return "@" + handle
        case .softBreak, .lineBreak: return " "
        }
    }
}
