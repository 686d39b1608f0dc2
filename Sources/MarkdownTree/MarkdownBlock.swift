/// A block of a parsed Markdown document: the shape every renderer walks.
///
/// Raw HTML blocks never appear here: the parser drops them, so no renderer
/// can pass a member's `<script>` through by mistake.
public enum MarkdownBlock: Equatable, Sendable {
    /// A heading, level 1 to 6.
    case heading(level: Int, [MarkdownInline])
    /// A paragraph of inline content.
    case paragraph([MarkdownInline])
    /// A bulleted or numbered list; each item is a list of blocks.
    case list(MarkdownList)
    /// A quotation.
    case blockQuote([MarkdownBlock])
    /// Preformatted text, kept line for line.
    case codeBlock(String)
    /// A horizontal rule.
    case thematicBreak
    /// A GFM table: header cells, then rows of cells.
    case table(header: [[MarkdownInline]], rows: [[[MarkdownInline]]])
}

/// A bulleted or numbered list.
public struct MarkdownList: Equatable, Sendable {
    /// Whether the items are numbered.
    public var ordered: Bool
    /// The number of the first item of a numbered list (1 for bullets).
    public var start: Int
    /// The items, each a sequence of blocks (a paragraph, then maybe a nested list).
    public var items: [[MarkdownBlock]]

    /// Creates a list.
    public init(ordered: Bool, start: Int = 1, items: [[MarkdownBlock]]) {
        self.ordered = ordered
        self.start = start
        self.items = items
    }
}
