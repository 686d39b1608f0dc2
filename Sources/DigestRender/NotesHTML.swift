import CoalitionData
import MarkdownTree

/// Turns call notes (a Markdown tree) into email-safe HTML: every element
/// styled inline, every piece of text escaped, links only to `http`,
/// `https` and `mailto` addresses. Raw HTML never appears: the parser has
/// already dropped it.
public enum NotesHTML {
    /// Inline styles, kept together so the notes match the templates' look.
    enum Style {
        static let font = "font-family:Helvetica,Arial,sans-serif;"
        static let heading = font + "margin:24px 0 8px;font-size:17px;line-height:24px;font-weight:bold;color:#14532d;"
        static let paragraph = font + "margin:0 0 12px;font-size:15px;line-height:23px;color:#1f2937;"
        static let list = font + "margin:0 0 12px;padding:0 0 0 22px;font-size:15px;line-height:23px;color:#1f2937;"
        /// Each level in by 16px only: a third or fourth level keeps most of
        /// a 320px phone's width.
        static let nestedList =
            font + "margin:4px 0 0;padding:0 0 0 16px;font-size:15px;line-height:23px;color:#1f2937;"
        static let item = "margin:0 0 6px;"
        /// A list item's paragraph after its nested list: as close to the
        /// list as the list's items are to each other.
        static let afterList = "margin:0;"
        static let link = "color:#0f5fa6;text-decoration:underline;overflow-wrap:anywhere;"
        /// A handle is a name, not a link: it reads as the text around it.
        static let mention = "white-space:nowrap;"
        static let code = "font-family:Menlo,Consolas,monospace;font-size:13px;background-color:#f3f4f6;"
        static let pre = code + "margin:0 0 12px;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;"
        static let quote = "margin:0 0 12px;padding:0 0 0 12px;border-left:3px solid #d1d5db;"
        static let rule = "border:0;border-top:1px solid #e5e7eb;margin:16px 0;"
        static let cell =
            font + "padding:4px 8px;border:1px solid #e5e7eb;font-size:14px;line-height:20px;text-align:left;"
    }

    /// `html` of ``html(_:)`` without its inline styles: the notes as a
    /// feed reader shows them, the same elements with nothing to lose when
    /// styles are stripped. Every value in the markup is escaped (a `"`
    /// from the data is `&quot;`), so each ` style="…"` is one of ours.
    public static func plain(_ html: String) -> String {
        html.replacing(/\ style="[^"]*"/, with: "").replacing(" role=\"presentation\"", with: "")
    }

    /// The notes as HTML, or nil when there are none.
    public static func html(_ blocks: [MarkdownBlock]) -> String? {
        guard !blocks.isEmpty else { return nil }
        var output = ""
        render(blocks, into: &output, nested: false, tight: false)
        return output
    }

    private static func render(_ blocks: [MarkdownBlock], into output: inout String, nested: Bool, tight: Bool) {
        for block in blocks {
            switch block {
            case .heading(_, let inlines):
                output += "<h3 style=\"\(Style.heading)\">\(inline(inlines))</h3>\n"
            case .paragraph(let inlines):
                // In a list item, a paragraph is the item's text: no margins of its own.
                if tight {
                    output += inline(inlines)
                } else {
                    output += "<p style=\"\(Style.paragraph)\">\(inline(inlines))</p>\n"
                }
            case .list(let list):
                let tag = list.ordered ? "ol" : "ul"
                let start = list.ordered && list.start != 1 ? " start=\"\(list.start)\"" : ""
                output += "<\(tag)\(start) style=\"\(nested ? Style.nestedList : Style.list)\">\n"
                for item in list.items {
                    output += "<li style=\"\(Style.item)\">"
                    var previous: MarkdownBlock?
                    for block in item {
                        if case .paragraph(let inlines) = block, let before = previous {
                            if case .paragraph = before {
                                output += "<br>"
                            } else {
                                // After a nested list, a block of its own: a <br>
                                // there would open an empty line above the text.
                                output += "<div style=\"\(Style.afterList)\">\(inline(inlines))</div>"
                                previous = block
                                continue
                            }
                        }
                        render([block], into: &output, nested: true, tight: true)
                        previous = block
                    }
                    output += "</li>\n"
                }
                output += "</\(tag)>\n"
            case .blockQuote(let inner):
                output += "<blockquote style=\"\(Style.quote)\">\n"
                render(inner, into: &output, nested: nested, tight: false)
                output += "</blockquote>\n"
            case .codeBlock(let code):
                output += "<pre style=\"\(Style.pre)\">\(HTMLEscaping.escape(code))</pre>\n"
            case .thematicBreak:
                output += "<hr style=\"\(Style.rule)\">\n"
            case .table(let header, let rows):
                output += "<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 12px;\">\n"
                if !header.isEmpty {
                    output +=
                        "<tr>" + header.map { "<th style=\"\(Style.cell)\">\(inline($0))</th>" }.joined() + "</tr>\n"
                }
                for row in rows {
                    output += "<tr>" + row.map { "<td style=\"\(Style.cell)\">\(inline($0))</td>" }.joined() + "</tr>\n"
                }
                output += "</table>\n"
            }
        }
    }

    /// Inline content as HTML.
    static func inline(_ inlines: [MarkdownInline]) -> String {
        var html = ""
        for item in inlines {
            switch item {
            case .text(let text): html += HTMLEscaping.escape(text)
            case .code(let text):
                html += "<code class=\"code\" style=\"\(Style.code)\">\(HTMLEscaping.escape(text))</code>"
            case .emphasis(let children): html += "<em>\(inline(children))</em>"
            case .strong(let children): html += "<strong>\(inline(children))</strong>"
            case .strikethrough(let children): html += "<del>\(inline(children))</del>"
            case .mention(let handle):
                html += "<span class=\"mention\" style=\"\(Style.mention)\">@\(HTMLEscaping.escape(handle))</span>"
            case .softBreak: html += "\n"
            case .lineBreak: html += "<br>\n"
            case .image(_, let alt): html += HTMLEscaping.escape(alt)  // no remote images in mail
            case .link(let link):
                var label = inline(link.children)
                // A bare address as its own label is shortened for display (a
                // 60-character address cannot wrap on a phone); the link keeps it whole.
                if case .text(let text)? = link.children.first, link.children.count == 1,
                    text == link.destination || "mailto:" + text == link.destination
                {
                    label = HTMLEscaping.escape(WebAddress.display(text))
                }
                if let url = LinkPolicy.allowed(link.destination) {
                    html +=
                        "<a class=\"link\" href=\"\(HTMLEscaping.escape(url))\" style=\"\(Style.link)\">\(label)</a>"
                } else {
                    html += label
                }
            }
        }
        return html
    }
}
